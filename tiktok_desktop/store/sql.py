"""Small SQL helpers shared by the store modules: write transactions, upserts, JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taking the write lock up front.

    BEGIN IMMEDIATE waits (busy_timeout) for another writer instead of failing later with
    SQLITE_BUSY when a read transaction tries to upgrade. Nested use joins the outer one.
    """
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def upsert(
    conn: sqlite3.Connection,
    table: str,
    rows: Sequence[Mapping[str, Any]],
    key: Sequence[str],
    *,
    keep_if_null: Sequence[str] = (),
) -> int:
    """Insert or update rows (all with the same columns); other columns keep their values, and
    so do the `keep_if_null` columns of a row that gives None for them."""
    if not rows:
        return 0
    columns = list(rows[0])
    updates = [
        f"{c} = coalesce(excluded.{c}, {table}.{c})" if c in keep_if_null else f"{c} = excluded.{c}"
        for c in columns if c not in key
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT ({', '.join(key)}) DO "
        + (f"UPDATE SET {', '.join(updates)}" if updates else "NOTHING")
    )
    conn.executemany(sql, rows)
    return len(rows)


def dumps(value: Any) -> str:
    """Compact JSON for raw API objects and payloads (ASCII: the encoder's fastest path)."""
    return json.dumps(value, separators=(",", ":"))


def id_list(ids: Sequence[str]) -> str:
    """A JSON array to pass as ONE parameter: `... IN (SELECT value FROM json_each(?))`."""
    return json.dumps(list(ids))


def contains(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for `text` anywhere: its % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
