"""Writing one page of raw API objects of a resource into the cache (inside a transaction)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence

from tiktok_desktop.store import records
from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.records import Raw
from tiktok_desktop.store.search import reindex_orders
from tiktok_desktop.store.sql import dumps, id_list, upsert

Writer = Callable[[sqlite3.Connection, str, Sequence[Raw]], Changes]


def _newest(conn: sqlite3.Connection, table: str, items: Sequence[Raw],
            id_of: Callable[[Raw], str]) -> list[Raw]:
    """The items to write: one per id, and none older than the cached one. Answers of
    requests sent at once can arrive out of order; an older version must not win."""
    latest: dict[str, Raw] = {}
    for item in items:
        key = id_of(item)
        if key not in latest or _time(item) >= _time(latest[key]):
            latest[key] = item
    held = dict(conn.execute(
        f"SELECT id, update_time FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
        (id_list(list(latest)),)))
    return [item for key, item in latest.items() if (held.get(key) or 0) <= _time(item)]


def _time(item: Raw) -> int:
    value = item.get("update_time")
    return value if isinstance(value, int) else 0


def _orders(conn: sqlite3.Connection, shop_id: str, page: Sequence[Raw]) -> Changes:
    orders = _newest(conn, "orders", page, lambda o: o["id"])
    ids = [o["id"] for o in orders]
    n = upsert(conn, "orders", [records.order_row(shop_id, o) for o in orders], ["id"])
    # The API may drop or split line items; the page is the truth for these orders.
    conn.execute(
        "DELETE FROM order_line_items WHERE order_id IN (SELECT value FROM json_each(?))",
        (id_list(ids),),
    )
    items = [row for o in orders for row in records.line_item_rows(o)]
    upsert(conn, "order_line_items", items, ["id"])
    reindex_orders(conn, ids)
    return Changes.of(shop_id, orders=n, order_line_items=len(items))


def _packages(conn: sqlite3.Connection, shop_id: str, page: Sequence[Raw]) -> Changes:
    packages = _newest(conn, "packages", page, records.package_id)
    ids = id_list([records.package_id(p) for p in packages])
    before = set(conn.execute(
        "SELECT package_id, order_id FROM package_orders "
        "WHERE package_id IN (SELECT value FROM json_each(?))", (ids,)))
    n = upsert(conn, "packages", [records.package_row(shop_id, p) for p in packages], ["id"])
    conn.execute(
        "DELETE FROM package_orders WHERE package_id IN (SELECT value FROM json_each(?))", (ids,)
    )
    links = [
        {"package_id": records.package_id(p), "order_id": order_id}
        for p in packages
        for order_id in dict.fromkeys(records.package_order_ids(p))
    ]
    upsert(conn, "package_orders", links, ["package_id", "order_id"])
    # Package ids and tracking numbers are searchable on their orders. Usually the orders'
    # line items name them already; only the other orders need their index rows redone.
    unlinked = before - {(link["package_id"], link["order_id"]) for link in links}
    news = [r[0] for r in conn.execute(_PACKAGE_NEWS, (ids,))]
    reindex_orders(conn, list(dict.fromkeys([o for _, o in sorted(unlinked)] + news)))
    return Changes.of(shop_id, packages=n)


_PACKAGE_NEWS = """
    SELECT DISTINCT po.order_id FROM package_orders po JOIN packages p ON p.id = po.package_id
    WHERE po.package_id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (
        SELECT 1 FROM order_line_items li WHERE li.order_id = po.order_id AND li.package_id = p.id
        AND coalesce(li.tracking_number, '') = coalesce(p.tracking_number, ''))
"""


def _products(conn: sqlite3.Connection, shop_id: str, page: Sequence[Raw]) -> Changes:
    products = _newest(conn, "products", page, lambda p: p["id"])
    now = int(time.time())
    n = upsert(conn, "products", [records.product_row(shop_id, p) for p in products], ["id"])
    skus, stock = [], []
    for product in products:
        product_skus = product.get("skus") or []
        # SKUs left out of the product were deleted from it, with their stock.
        kept = (product["id"], id_list([s["id"] for s in product_skus]))
        conn.execute("DELETE FROM skus WHERE product_id = ? AND id NOT IN "
                     "(SELECT value FROM json_each(?))", kept)
        conn.execute("DELETE FROM stock WHERE product_id = ? AND sku_id NOT IN "
                     "(SELECT value FROM json_each(?))", kept)
        for sku in product_skus:
            skus.append(records.sku_row(shop_id, product["id"], sku))
            if "inventory" not in sku:
                continue
            warehouses = [inv.get("warehouse_id") or "" for inv in sku["inventory"]]
            conn.execute(
                "DELETE FROM stock WHERE sku_id = ? AND warehouse_id NOT IN "
                "(SELECT value FROM json_each(?))",
                (sku["id"], id_list(warehouses)),
            )
            stock += [
                {"sku_id": sku["id"], "warehouse_id": warehouse, "shop_id": shop_id,
                 "product_id": product["id"], "available": inv.get("quantity"),
                 "updated_at": now}
                for warehouse, inv in zip(warehouses, sku["inventory"], strict=True)
            ]
    upsert(conn, "skus", skus, ["id"])
    # A product's inventory[] carries available stock only; committed comes from inventory search.
    upsert(conn, "stock", stock, ["sku_id", "warehouse_id"])
    return Changes.of(shop_id, products=n, skus=len(skus), stock=len(stock))


def _inventory(conn: sqlite3.Connection, shop_id: str, entries: Sequence[Raw]) -> Changes:
    now = int(time.time())
    stock, skus = [], []
    for entry in entries:
        for sku in entry.get("skus") or []:
            skus.append({"id": sku["id"], "inventory": dumps(sku)})
            stock += [
                {"sku_id": sku["id"], "warehouse_id": w.get("warehouse_id") or "",
                 "shop_id": shop_id, "product_id": entry.get("product_id"),
                 "available": w.get("available_quantity"),
                 "committed": w.get("committed_quantity"), "updated_at": now}
                for w in sku.get("warehouse_inventory") or []
            ]
    conn.executemany("UPDATE skus SET inventory = :inventory WHERE id = :id", skus)
    upsert(conn, "stock", stock, ["sku_id", "warehouse_id"])
    return Changes.of(shop_id, stock=len(stock))


def _simple(table: str, row: Callable[[str, Raw], Raw], *, timed: bool = True) -> Writer:
    def write(conn: sqlite3.Connection, shop_id: str, items: Sequence[Raw]) -> Changes:
        rows = [row(shop_id, item) for item in items]
        if timed:
            rows = _newest(conn, table, rows, lambda r: r["id"])
        n = upsert(conn, table, rows, ["id"])
        return Changes.of(shop_id, **{table: n})

    return write


WRITERS: dict[str, Writer] = {
    "orders": _orders,
    "packages": _packages,
    "products": _products,
    "inventory": _inventory,
    "warehouses": _simple("warehouses", records.warehouse_row, timed=False),
    "returns": _simple("returns", records.return_row),
    "cancellations": _simple("cancellations", records.cancellation_row),
    "statements": _simple("statements", records.statement_row, timed=False),
}
RESOURCES = tuple(WRITERS)


def write_page(
    conn: sqlite3.Connection, shop_id: str, resource: str, items: Sequence[Raw]
) -> Changes:
    try:
        writer = WRITERS[resource]
    except KeyError:
        raise ValueError(f"unknown resource {resource!r}; one of {', '.join(RESOURCES)}") from None
    return writer(conn, shop_id, items) if items else Changes()
