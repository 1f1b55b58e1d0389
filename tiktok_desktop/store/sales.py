"""What the sales view reads: every unit sold in a time range, with its order's status and
whether a buyer got it refunded (services/sales.py does the arithmetic)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from tiktok_desktop.store.finance import amount
from tiktok_desktop.store.sql import id_list

# A return in one of these states refunded the buyer (reference §7.6); a replacement did not.
REFUNDED = ("RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE")


@dataclass(frozen=True)
class SoldUnit:
    """One line item (the API lists one per unit) of an order placed in the range."""

    order_id: str
    create_time: int
    status: str | None
    line_id: str
    sku_id: str | None
    seller_sku: str | None
    product_name: str | None
    sku_name: str | None
    price: Decimal  # what it sold for, after discounts (sale_price)
    currency: str | None
    refunded: bool


def sold_units(conn: sqlite3.Connection, shop_id: str, start: int, end: int) -> list[SoldUnit]:
    """The units of the shop's orders placed in [start, end), oldest first (read through the
    orders' create_time index)."""
    params = {"shop": shop_id, "start": start, "end": end, "refunded": id_list(REFUNDED)}
    placed = ("SELECT o.id FROM orders o WHERE o.shop_id = :shop "
              "AND o.create_time >= :start AND o.create_time < :end")
    refunded_lines: set[str] = set()
    refunded_orders: set[str] = set()
    for order_id, lines in conn.execute(
            f"""SELECT r.order_id, (SELECT json_group_array(
                        json_extract(item.value, '$.order_line_item_id'))
                    FROM json_each(r.raw, '$.return_line_items') AS item)
                FROM returns r WHERE r.order_id IN ({placed})
                AND r.status IN (SELECT value FROM json_each(:refunded))
                AND coalesce(r.return_type, '') != 'REPLACEMENT'""", params):
        named = [line for line in _json_list(lines) if line]
        if named:
            refunded_lines.update(named)
        else:  # a refund naming no line: the whole order
            refunded_orders.add(order_id)
    return [
        SoldUnit(order_id, created, status, line_id, sku_id, seller_sku, product, variant,
                 amount(price), currency,
                 line_id in refunded_lines or order_id in refunded_orders)
        for (order_id, created, status, line_id, sku_id, seller_sku, product, variant, price,
             currency) in conn.execute(
            """SELECT o.id, o.create_time, o.status, l.id, l.sku_id, l.seller_sku,
                      l.product_name, l.sku_name, l.sale_price, coalesce(l.currency, o.currency)
               FROM orders o JOIN order_line_items l ON l.order_id = o.id
               WHERE o.shop_id = :shop AND o.create_time >= :start AND o.create_time < :end
               ORDER BY o.create_time, o.id, l.rowid""", params)
    ]


def _json_list(text: str | None) -> list[str]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return [str(v) for v in value if v is not None] if isinstance(value, list) else []
