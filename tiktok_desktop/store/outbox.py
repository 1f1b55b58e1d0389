"""The outbox: local changes waiting to be pushed, kept until the shop has answered.

Life of an edit: pending → sent (claimed by a pusher) → done | failed | conflict.
A new edit for the same target replaces a still-pending one (a new row with a new id, so a
pusher holding the old row can tell it was replaced). Rows left `sent` by a crash are in doubt:
the pusher re-checks them before anything is sent again (a stock amount is made a number when it
is claimed, so the check can tell whether it landed).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.sql import dumps, id_list, immediate

STATES = ("pending", "sent", "done", "failed", "conflict")
OPEN_STATES = ("pending", "sent", "failed", "conflict")
STOCK = "stock"  # target: sku@warehouse (stock_target)
PRICE = "price"  # target: the SKU id


def stock_target(sku_id: str, warehouse_id: str) -> str:
    """The outbox / audit target of a stock edit: one SKU in one warehouse."""
    return f"{sku_id}@{warehouse_id}"


@dataclass(frozen=True)
class Edit:
    target: str
    payload: Any
    based_on: Any = None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    shop_id: str
    kind: str
    target: str
    payload: Any
    based_on: Any
    state: str
    attempts: int
    last_error: str | None
    request_id: str | None
    created_at: int
    updated_at: int


_COLUMNS = ("id, shop_id, kind, target, payload, based_on, state, attempts, last_error, "
            "request_id, created_at, updated_at")


def _item(r: Sequence[Any]) -> OutboxItem:
    based_on = None if r[5] is None else json.loads(r[5])
    return OutboxItem(r[0], r[1], r[2], r[3], json.loads(r[4]), based_on, *r[6:])


class Outbox:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, shop_id: str, kind: str, target: str, payload: Any,
            based_on: Any = None) -> Changes:
        """Queue one edit; `based_on` is the shop's value the edit was made against."""
        return self.add_many(shop_id, kind, [Edit(target, payload, based_on)])

    def add_many(self, shop_id: str, kind: str, edits: Sequence[Edit]) -> Changes:
        """Queue edits in one transaction. Each replaces a pending edit of its target and
        clears that target's failed or conflicting rows (the new edit supersedes them)."""
        now = int(time.time())
        with immediate(self._conn):
            for edit in edits:
                self._conn.execute(
                    "DELETE FROM outbox WHERE shop_id = ? AND kind = ? AND target = ? "
                    "AND state IN ('pending', 'failed', 'conflict')",
                    (shop_id, kind, edit.target),
                )
                self._conn.execute(
                    "INSERT INTO outbox (shop_id, kind, target, payload, based_on, state, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
                    (shop_id, kind, edit.target, dumps(edit.payload),
                     None if edit.based_on is None else dumps(edit.based_on), now, now),
                )
        return Changes.of(shop_id, outbox=len(edits))

    def items(self, shop_id: str, *, kind: str | None = None,
              states: Sequence[str] = OPEN_STATES) -> list[OutboxItem]:
        """Rows in these states, oldest first."""
        sql = (f"SELECT {_COLUMNS} FROM outbox WHERE shop_id = ? "
               "AND state IN (SELECT value FROM json_each(?))")
        params: list[Any] = [shop_id, id_list(states)]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        return [_item(r) for r in self._conn.execute(sql + " ORDER BY id", params)]

    def count(self, shop_id: str, states: Sequence[str] = ("pending", "sent"),
              kind: str | None = None) -> int:
        """How many rows (of `kind`, or any) are in these states (indexed: fine on the GUI
        thread)."""
        return self._conn.execute(
            "SELECT count(*) FROM outbox WHERE shop_id = ? AND state IN "
            "(SELECT value FROM json_each(?)) AND (? IS NULL OR kind = ?)",
            (shop_id, id_list(states), kind, kind)).fetchone()[0]

    def get(self, item_id: int) -> OutboxItem | None:
        r = self._conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?",
                               (item_id,)).fetchone()
        return None if r is None else _item(r)

    def claim(self, ids: Sequence[int],
              rebase: Mapping[int, tuple[Any, Any]] | None = None) -> list[OutboxItem]:
        """Mark these pending rows sent (attempts + 1) and return the ones claimed: a row
        replaced or discarded meanwhile is not returned, so it is never pushed. `rebase` gives
        rows a new (payload, based_on) in the same step: an amount becomes the number it makes
        of the shop's value just checked, so a lost answer can be told apart later."""
        now = int(time.time())
        with immediate(self._conn):
            for item_id, (payload, based_on) in (rebase or {}).items():
                self._conn.execute(
                    "UPDATE outbox SET payload = ?, based_on = ? WHERE id = ? "
                    "AND state = 'pending'", (dumps(payload), dumps(based_on), item_id))
            rows = self._conn.execute(
                f"UPDATE outbox SET state = 'sent', attempts = attempts + 1, updated_at = ? "
                f"WHERE id IN (SELECT value FROM json_each(?)) AND state = 'pending' "
                f"RETURNING {_COLUMNS}",
                (now, id_list(ids)),
            ).fetchall()
        return sorted((_item(r) for r in rows), key=lambda item: item.id)

    def _finish(self, ids: Sequence[int], state: str, error: str | None,
                request_id: str | None) -> Changes:
        with immediate(self._conn):
            shops = [r[0] for r in self._conn.execute(
                "UPDATE outbox SET state = ?, last_error = ?, "
                "request_id = coalesce(?, request_id), updated_at = ? "
                "WHERE id IN (SELECT value FROM json_each(?)) RETURNING shop_id",
                (state, error, request_id, int(time.time()), id_list(ids)),
            )]
        return Changes.from_counts({"outbox": len(shops)}, shops)

    def mark_done(self, ids: Sequence[int], request_id: str | None = None) -> Changes:
        return self._finish(ids, "done", None, request_id)

    def mark_failed(self, ids: Sequence[int], error: str,
                    request_id: str | None = None) -> Changes:
        """The shop refused the edit; `error` is the message shown on the row."""
        return self._finish(ids, "failed", error, request_id)

    def mark_conflict(self, ids: Sequence[int], message: str) -> Changes:
        """The shop's value changed since the edit was made; the seller decides."""
        return self._finish(ids, "conflict", message, None)

    def requeue(self, ids: Sequence[int], based_on: Any = None) -> Changes:
        """Send these again ("keep mine", retry a failure, resume an in-doubt row), now based
        on `based_on` if given. A row whose target already has a newer pending edit is dropped."""
        now = int(time.time())
        with immediate(self._conn):
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE id IN (SELECT value FROM json_each(?))",
                (id_list(ids),),
            ).fetchall()
            for item in map(_item, rows):
                newer = self._conn.execute(
                    "SELECT 1 FROM outbox WHERE shop_id = ? AND kind = ? AND target = ? "
                    "AND state = 'pending' AND id != ?",
                    (item.shop_id, item.kind, item.target, item.id),
                ).fetchone()
                if newer:
                    self._conn.execute("DELETE FROM outbox WHERE id = ?", (item.id,))
                    continue
                self._conn.execute(
                    "UPDATE outbox SET state = 'pending', last_error = NULL, updated_at = ?, "
                    "based_on = coalesce(?, based_on) WHERE id = ?",
                    (now, None if based_on is None else dumps(based_on), item.id),
                )
        return Changes.from_counts({"outbox": len(rows)}, {r[1] for r in rows})

    def discard_targets(self, shop_id: str, kind: str, targets: Sequence[str]) -> Changes:
        """Forget the unsent edits of these targets (the seller put the shop's value back).
        A row being sent is left alone: its answer decides it."""
        with immediate(self._conn):
            gone = self._conn.execute(
                "DELETE FROM outbox WHERE shop_id = ? AND kind = ? "
                "AND target IN (SELECT value FROM json_each(?)) "
                "AND state IN ('pending', 'failed', 'conflict')",
                (shop_id, kind, id_list(targets)),
            ).rowcount
        return Changes.of(shop_id, outbox=gone)

    def discard(self, ids: Sequence[int]) -> Changes:
        """Forget these edits ("take theirs", or undone before pushing)."""
        with immediate(self._conn):
            shops = [r[0] for r in self._conn.execute(
                "DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?)) "
                "RETURNING shop_id",
                (id_list(ids),),
            )]
        return Changes.from_counts({"outbox": len(shops)}, shops)
