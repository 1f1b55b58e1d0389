"""Finding orders: the full-text index (FTS5) and the exact lookup a barcode scanner needs.

The index `order_search` has one row per order (rowid = the order's rowid) with the order id,
buyer and recipient names, product and variant names, seller SKUs, and every tracking number and
package id the order is known by. It is rebuilt for the touched orders in the same transaction
as every write to orders, line items or packages, so it never lags behind the cache.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from tiktok_desktop.store.sql import id_list

_INDEX_SELECT = """
    SELECT o.rowid, o.id,
        coalesce(o.buyer, '') || ' ' || coalesce(o.recipient, ''),
        (SELECT group_concat(DISTINCT li.product_name || ' ' || coalesce(li.sku_name, ''))
            FROM order_line_items li WHERE li.order_id = o.id),
        (SELECT group_concat(DISTINCT li.seller_sku)
            FROM order_line_items li WHERE li.order_id = o.id),
        coalesce(o.tracking_number, '') || ' '
        || coalesce((SELECT group_concat(DISTINCT li.tracking_number)
            FROM order_line_items li WHERE li.order_id = o.id), '') || ' '
        || coalesce((SELECT group_concat(p.id || ' ' || coalesce(p.tracking_number, ''), ' ')
            FROM package_orders po JOIN packages p ON p.id = po.package_id
            WHERE po.order_id = o.id), '')
    FROM orders o
"""


def rebuild_search_index(conn: sqlite3.Connection) -> None:
    """Index every cached order from scratch (used by the migration that adds the index)."""
    conn.execute("DELETE FROM order_search")
    conn.execute(
        "INSERT INTO order_search (rowid, order_id, buyer, products, skus, tracking) "
        + _INDEX_SELECT
    )


def reindex_orders(conn: sqlite3.Connection, order_ids: Sequence[str]) -> None:
    """Refresh the index rows of these orders (call inside the write's transaction)."""
    if not order_ids:
        return
    ids = id_list(order_ids)
    conn.execute(
        "DELETE FROM order_search WHERE rowid IN "
        "(SELECT rowid FROM orders WHERE id IN (SELECT value FROM json_each(?)))",
        (ids,),
    )
    conn.execute(
        "INSERT INTO order_search (rowid, order_id, buyer, products, skus, tracking) "
        + _INDEX_SELECT
        + " WHERE o.id IN (SELECT value FROM json_each(?))",
        (ids,),
    )


def match_expression(text: str) -> str | None:
    """Search-as-you-type: every typed word must match the start of a word in the order.

    Each word becomes a quoted FTS5 phrase with a prefix star, so punctuation inside it
    ("TS-BLK", "(+1)") is treated as text, never as query syntax. None when nothing
    searchable was typed.
    """
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


_LOOKUPS = (
    "SELECT id FROM orders WHERE shop_id = :shop AND id = :code",
    "SELECT po.order_id FROM package_orders po JOIN packages p ON p.id = po.package_id "
    "WHERE p.shop_id = :shop AND p.id = :code",
    "SELECT o.id FROM order_line_items li JOIN orders o ON o.id = li.order_id "
    "WHERE o.shop_id = :shop AND li.package_id = :code",
    "SELECT id FROM orders WHERE shop_id = :shop AND tracking_number = :code",
    "SELECT o.id FROM order_line_items li JOIN orders o ON o.id = li.order_id "
    "WHERE o.shop_id = :shop AND li.tracking_number = :code",
    "SELECT po.order_id FROM package_orders po JOIN packages p ON p.id = po.package_id "
    "WHERE p.shop_id = :shop AND p.tracking_number = :code",
)


def lookup_order(conn: sqlite3.Connection, shop_id: str, code: str) -> str | None:
    """The order a scanned code names exactly: an order id, package id or tracking number."""
    code = code.strip()
    if not code:
        return None
    # Scanners type exactly what is printed; a person may type a tracking number in lower case.
    for candidate in dict.fromkeys((code, code.upper())):
        for sql in _LOOKUPS:
            row = conn.execute(sql + " LIMIT 1", {"shop": shop_id, "code": candidate}).fetchone()
            if row:
                return row[0]
    return None
