"""Listings and stock: what the Inventory tab reads, and local stock updates after a push."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.records import Picture
from tiktok_desktop.store.sql import contains, id_list, immediate


@dataclass(frozen=True)
class StockRow:
    """One SKU in one warehouse. `committed` is None until an inventory search reported it."""

    shop_id: str
    product_id: str | None
    product_title: str | None
    product_status: str | None
    sku_id: str
    variant: str
    seller_sku: str | None
    warehouse_id: str
    warehouse_name: str | None
    available: int | None
    committed: int | None
    updated_at: int | None


@dataclass(frozen=True)
class Warehouse:
    id: str
    name: str | None
    type: str | None
    effect_status: str | None
    is_default: bool


@dataclass(frozen=True)
class DetailsWanted:
    """A cached product whose Get Product answer or picture the cache is missing."""

    product_id: str
    update_time: int  # the cached product's
    details: bool  # ask Get Product: never asked, or the product changed since
    thumbnail: Picture | None  # the picture the cached details name
    image_uri: str | None  # the picture held (None: none)


_DETAILS_WANTED = """
    SELECT p.id, coalesce(p.update_time, 0),
        d.product_id IS NULL OR d.product_update_time < coalesce(p.update_time, 0),
        d.thumbnail_url, coalesce(d.thumbnail_uri, d.thumbnail_url), coalesce(i.uri, i.url)
    FROM products p
    LEFT JOIN product_details d ON d.product_id = p.id
    LEFT JOIN product_images i ON i.product_id = p.id
    WHERE p.shop_id = ? AND (
        d.product_id IS NULL OR d.product_update_time < coalesce(p.update_time, 0)
        OR (d.thumbnail_url IS NOT NULL
            AND coalesce(i.uri, i.url) IS NOT coalesce(d.thumbnail_uri, d.thumbnail_url)))
    ORDER BY p.id
"""

_STOCK_SELECT = """
    SELECT s.shop_id, s.product_id, p.title, p.status, s.sku_id, coalesce(k.variant, ''),
        k.seller_sku, s.warehouse_id, w.name, s.available, s.committed, s.updated_at
    FROM stock s
    LEFT JOIN skus k ON k.id = s.sku_id
    LEFT JOIN products p ON p.id = s.product_id
    LEFT JOIN warehouses w ON w.id = s.warehouse_id
"""


class Catalog:
    """Product, SKU and stock queries on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def stock_rows(
        self,
        shop_id: str,
        *,
        warehouse_id: str | None = None,
        search: str = "",
        product_ids: Sequence[str] | None = None,
    ) -> list[StockRow]:
        """Stock per SKU × warehouse, sorted by product, variant and warehouse.

        `search` matches product title, variant, seller SKU or SKU id (substring, any case).
        """
        clauses = ["s.shop_id = :shop"]
        params: dict[str, Any] = {"shop": shop_id}
        if warehouse_id is not None:
            clauses.append("s.warehouse_id = :warehouse")
            params["warehouse"] = warehouse_id
        if product_ids is not None:
            clauses.append("s.product_id IN (SELECT value FROM json_each(:products))")
            params["products"] = id_list(product_ids)
        if search.strip():
            clauses.append(
                "(p.title LIKE :like ESCAPE '\\' OR k.variant LIKE :like ESCAPE '\\' "
                "OR k.seller_sku LIKE :like ESCAPE '\\' OR s.sku_id = :exact)"
            )
            params["like"] = contains(search.strip())
            params["exact"] = search.strip()
        sql = (
            f"{_STOCK_SELECT} WHERE {' AND '.join(clauses)} "
            "ORDER BY p.title, s.product_id, k.variant, k.seller_sku, s.sku_id, w.name, "
            "s.warehouse_id"
        )
        return [StockRow(*r) for r in self._conn.execute(sql, params)]

    def warehouses(self, shop_id: str) -> list[Warehouse]:
        return [
            Warehouse(r[0], r[1], r[2], r[3], bool(r[4]))
            for r in self._conn.execute(
                "SELECT id, name, type, effect_status, is_default FROM warehouses "
                "WHERE shop_id = ? ORDER BY is_default DESC, name, id",
                (shop_id,),
            )
        ]

    def has_sku(self, shop_id: str, code: str) -> bool:
        """Whether `code` is one of the shop's seller SKUs (any case) or SKU ids (indexed)."""
        return self._conn.execute(
            "SELECT 1 FROM skus WHERE shop_id = ? AND (seller_sku = ? OR id = ?) "
            "UNION ALL SELECT 1 FROM skus WHERE shop_id = ? AND seller_sku = ? COLLATE NOCASE "
            "LIMIT 1", (shop_id, code, code, shop_id, code)).fetchone() is not None

    def product_ids(self, shop_id: str) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM products WHERE shop_id = ? ORDER BY id", (shop_id,)
        )]

    def details_wanted(self, shop_id: str) -> list[DetailsWanted]:
        """Products to ask Get Product for (new or changed since their details were fetched),
        or whose picture is missing or is another picture now (another uri)."""
        return [DetailsWanted(r[0], r[1], bool(r[2]), Picture(r[3], r[4]) if r[3] else None, r[5])
                for r in self._conn.execute(_DETAILS_WANTED, (shop_id,))]

    def thumbnail_urls(self, shop_id: str) -> dict[str, str]:
        """Product id → the link of the picture held for it (only pictures held)."""
        return dict(self._conn.execute(
            "SELECT product_id, url FROM product_images WHERE shop_id = ? AND image IS NOT NULL",
            (shop_id,)))

    def thumbnails(self, product_ids: Iterable[str]) -> dict[str, bytes]:
        """Product id → its picture's bytes (as downloaded: PNG, JPEG, …)."""
        return dict(self._conn.execute(
            "SELECT product_id, image FROM product_images "
            "WHERE product_id IN (SELECT value FROM json_each(?)) AND image IS NOT NULL",
            (id_list(list(product_ids)),)))

    def product_ids_of_skus(self, sku_ids: Iterable[str]) -> list[str]:
        """Products owning these SKUs (for a targeted inventory refresh)."""
        return [r[0] for r in self._conn.execute(
            "SELECT DISTINCT product_id FROM skus WHERE id IN (SELECT value FROM json_each(?)) "
            "ORDER BY product_id",
            (id_list(list(sku_ids)),),
        )]

    def set_prices(self, shop_id: str, prices: Sequence[tuple[str, str]]) -> Changes:
        """Record prices the shop has accepted: (sku_id, price as a decimal string) each."""
        with immediate(self._conn):
            changed = sum(self._conn.execute(
                "UPDATE skus SET price = ? WHERE id = ? AND shop_id = ?",
                (price, sku_id, shop_id)).rowcount for sku_id, price in prices)
        return Changes.of(shop_id, skus=changed)

    def set_available(
        self, shop_id: str, quantities: Sequence[tuple[str, str, int]]
    ) -> Changes:
        """Record stock the shop has accepted: (sku_id, warehouse_id, available) each."""
        now = int(time.time())
        with immediate(self._conn):
            changed = 0
            for sku_id, warehouse_id, available in quantities:
                changed += self._conn.execute(
                    "UPDATE stock SET available = ?, updated_at = ? "
                    "WHERE sku_id = ? AND warehouse_id = ? AND shop_id = ?",
                    (available, now, sku_id, warehouse_id, shop_id),
                ).rowcount
        return Changes.of(shop_id, stock=changed)
