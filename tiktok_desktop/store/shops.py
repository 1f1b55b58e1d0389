"""The seller's shops (from Get Authorized Shops) and when each was last synced."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.sql import dumps, immediate, upsert


@dataclass(frozen=True)
class ShopInfo:
    id: str
    name: str | None
    region: str | None
    seller_type: str | None
    cipher: str | None
    code: str | None
    last_synced_at: int | None


_COLUMNS = "id, name, region, seller_type, cipher, code, last_synced_at"


class Shops:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def upsert(self, shops: Sequence[Mapping[str, Any]]) -> Changes:
        """Save shops as the API describes them ({id, name, region, seller_type, cipher, code})."""
        rows = [
            {"id": s["id"], "name": s.get("name"), "region": s.get("region"),
             "seller_type": s.get("seller_type"), "cipher": s.get("cipher"),
             "code": s.get("code"), "raw": dumps(dict(s))}
            for s in shops
        ]
        with immediate(self._conn):
            n = upsert(self._conn, "shops", rows, ["id"])
        return Changes.from_counts({"shops": n}, [r["id"] for r in rows])

    def get(self, shop_id: str) -> ShopInfo | None:
        r = self._conn.execute(f"SELECT {_COLUMNS} FROM shops WHERE id = ?",
                               (shop_id,)).fetchone()
        return None if r is None else ShopInfo(*r)

    def all(self) -> list[ShopInfo]:
        return [ShopInfo(*r) for r in self._conn.execute(
            f"SELECT {_COLUMNS} FROM shops ORDER BY name, id")]

    def mark_synced(self, shop_id: str, at: int) -> Changes:
        """A sync of this shop completed at `at` (Unix seconds): "Synced 2 minutes ago"."""
        with immediate(self._conn):
            self._conn.execute(
                "INSERT INTO shops (id, raw, last_synced_at) VALUES (?, '{}', ?) "
                "ON CONFLICT (id) DO UPDATE SET last_synced_at = excluded.last_synced_at",
                (shop_id, at),
            )
        return Changes.of(shop_id, shops=1)
