"""The audit log: every change pushed to the shop, with its outcome (viewable, exportable)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.sql import immediate

Value = int | float | str | None


@dataclass(frozen=True)
class AuditEntry:
    """One pushed change. `target` as in the outbox (e.g. outbox.stock_target(sku, warehouse));
    `old` / `new` are plain values; `result` e.g. "done", "failed", "conflict"."""

    shop_id: str
    kind: str
    target: str
    old: Value
    new: Value
    result: str
    request_id: str | None = None
    message: str | None = None
    at: int = 0  # Unix seconds; 0 = now when recorded
    id: int | None = None


_COLUMNS = "shop_id, kind, target, old, new, result, request_id, message, at, id"


class AuditLog:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def record(self, entries: Sequence[AuditEntry]) -> Changes:
        now = int(time.time())
        with immediate(self._conn):
            self._conn.executemany(
                "INSERT INTO audit_log (at, shop_id, kind, target, old, new, result, "
                "request_id, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.at or now, e.shop_id, e.kind, e.target, e.old, e.new, e.result,
                  e.request_id, e.message) for e in entries],
            )
        return Changes.from_counts({"audit_log": len(entries)}, {e.shop_id for e in entries})

    def entries(self, shop_id: str, *, kind: str | None = None, since: int | None = None,
                limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
        """Newest first."""
        sql = f"SELECT {_COLUMNS} FROM audit_log WHERE shop_id = ?"
        params: list[Any] = [shop_id]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        if since is not None:
            sql += " AND at >= ?"
            params.append(since)
        sql += " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return [AuditEntry(*r) for r in self._conn.execute(sql, params)]
