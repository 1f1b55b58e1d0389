"""Writing pages of raw API objects of a resource into the cache.

Two steps: `prepare_page` turns API objects into rows (pure Python, no database: any thread
may do it, e.g. the one that fetched the page), then `write_pages` writes prepared pages of one
resource inside the caller's transaction. Store.save_page does both.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store import details, records
from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.records import Raw
from tiktok_desktop.store.search import reindex_orders
from tiktok_desktop.store.sql import dumps, id_list, upsert


@dataclass(frozen=True)
class PreparedPage:
    """A page of one resource, turned into rows, ready to write."""

    shop_id: str
    resource: str
    entries: tuple[Any, ...]  # one per API object; the shape depends on the resource


def _newest(conn: sqlite3.Connection, table: str, entries: Sequence[Any],
            row_of: Callable[[Any], Raw]) -> list[Any]:
    """The entries to write: one per id, and none older than the cached one. Answers of
    requests sent at once can arrive out of order; an older version must not win."""
    latest: dict[str, Any] = {}
    for entry in entries:
        key = row_of(entry)["id"]
        if key not in latest or _time(row_of(entry)) >= _time(row_of(latest[key])):
            latest[key] = entry
    held = dict(conn.execute(
        f"SELECT id, update_time FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
        (id_list(list(latest)),)))
    return [e for key, e in latest.items() if (held.get(key) or 0) <= _time(row_of(e))]


def _time(row: Raw) -> int:
    value = row.get("update_time")
    return value if isinstance(value, int) else 0


def _first(entry: tuple) -> Raw:
    return entry[0]


# -- orders: (order row, line item rows) -------------------------------------------------------

def _prepare_order(shop_id: str, order: Raw) -> tuple[Raw, list[Raw]]:
    return records.order_row(shop_id, order), records.line_item_rows(order)


def _write_orders(conn: sqlite3.Connection, shop_id: str, entries: Sequence[Any]) -> Changes:
    orders = _newest(conn, "orders", entries, _first)
    ids = [row["id"] for row, _ in orders]
    n = upsert(conn, "orders", [row for row, _ in orders], ["id"])
    # The API may drop or split line items; the page is the truth for these orders.
    conn.execute(
        "DELETE FROM order_line_items WHERE order_id IN (SELECT value FROM json_each(?))",
        (id_list(ids),),
    )
    items = [item for _, lines in orders for item in lines]
    upsert(conn, "order_line_items", items, ["id"])
    reindex_orders(conn, ids)
    return Changes.of(shop_id, orders=n, order_line_items=len(items))


# -- packages: (package row, order ids) -------------------------------------------------------

def _prepare_package(shop_id: str, package: Raw) -> tuple[Raw, list[str]]:
    return records.package_row(shop_id, package), records.package_order_ids(package)


def _write_packages(conn: sqlite3.Connection, shop_id: str, entries: Sequence[Any]) -> Changes:
    packages = _newest(conn, "packages", entries, _first)
    ids = id_list([row["id"] for row, _ in packages])
    before = set(conn.execute(
        "SELECT package_id, order_id FROM package_orders "
        "WHERE package_id IN (SELECT value FROM json_each(?))", (ids,)))
    n = upsert(conn, "packages", [row for row, _ in packages], ["id"])
    conn.execute(
        "DELETE FROM package_orders WHERE package_id IN (SELECT value FROM json_each(?))", (ids,)
    )
    links = [{"package_id": row["id"], "order_id": order_id}
             for row, order_ids in packages for order_id in dict.fromkeys(order_ids)]
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


# -- products: (product row, [(sku row, stock rows or None when not given)]) ----------------

def _prepare_product(shop_id: str, product: Raw) -> tuple[Raw, list[tuple[Raw, Any]]]:
    skus = []
    for sku in product.get("skus") or []:
        stock = None
        if "inventory" in sku:
            # A product's inventory[] has available stock only; committed comes from
            # inventory search and is left as it is.
            stock = [{"sku_id": sku["id"], "warehouse_id": inv.get("warehouse_id") or "",
                      "shop_id": shop_id, "product_id": product["id"],
                      "available": inv.get("quantity")} for inv in sku["inventory"]]
        skus.append((records.sku_row(shop_id, product["id"], sku), stock))
    return records.product_row(shop_id, product), skus


def _write_products(conn: sqlite3.Connection, shop_id: str, entries: Sequence[Any]) -> Changes:
    products = _newest(conn, "products", entries, _first)
    now = int(time.time())
    n = upsert(conn, "products", [row for row, _ in products], ["id"])
    skus, stock = [], []
    for product, product_skus in products:
        # SKUs left out of the product were deleted from it, with their stock.
        kept = (product["id"], id_list([sku["id"] for sku, _ in product_skus]))
        conn.execute("DELETE FROM skus WHERE product_id = ? AND id NOT IN "
                     "(SELECT value FROM json_each(?))", kept)
        conn.execute("DELETE FROM stock WHERE product_id = ? AND sku_id NOT IN "
                     "(SELECT value FROM json_each(?))", kept)
        for sku, sku_stock in product_skus:
            skus.append(sku)
            if sku_stock is None:
                continue
            conn.execute(
                "DELETE FROM stock WHERE sku_id = ? AND warehouse_id NOT IN "
                "(SELECT value FROM json_each(?))",
                (sku["id"], id_list([row["warehouse_id"] for row in sku_stock])),
            )
            stock += [{**row, "updated_at": now} for row in sku_stock]
    upsert(conn, "skus", skus, ["id"], keep_if_null=["variant"])
    upsert(conn, "stock", stock, ["sku_id", "warehouse_id"])
    return Changes.of(shop_id, products=n, skus=len(skus), stock=len(stock))


# -- inventory search: (sku id, raw answer, stock rows) -------------------------------------

def _prepare_inventory(shop_id: str, entry: Raw) -> list[tuple[str, str, list[Raw]]]:
    return [
        (sku["id"], dumps(sku), [
            {"sku_id": sku["id"], "warehouse_id": w.get("warehouse_id") or "",
             "shop_id": shop_id, "product_id": entry.get("product_id"),
             "available": w.get("available_quantity"),
             "committed": w.get("committed_quantity")}
            for w in sku.get("warehouse_inventory") or []])
        for sku in entry.get("skus") or []
    ]


def _write_inventory(conn: sqlite3.Connection, shop_id: str, entries: Sequence[Any]) -> Changes:
    now = int(time.time())
    skus = [sku for entry in entries for sku in entry]
    conn.executemany("UPDATE skus SET inventory = ? WHERE id = ?",
                     [(raw, sku_id) for sku_id, raw, _ in skus])
    stock = [{**row, "updated_at": now} for _, _, rows in skus for row in rows]
    upsert(conn, "stock", stock, ["sku_id", "warehouse_id"])
    return Changes.of(shop_id, stock=len(stock))


# -- one row per object --------------------------------------------------------------------

def _rows_writer(table: str, *, timed: bool) -> Callable[..., Changes]:
    def write(conn: sqlite3.Connection, shop_id: str, rows: Sequence[Raw]) -> Changes:
        if timed:
            rows = _newest(conn, table, rows, lambda row: row)
        return Changes.of(shop_id, **{table: upsert(conn, table, rows, ["id"])})

    return write


@dataclass(frozen=True)
class _Kind:
    prepare: Callable[[str, Raw], Any]
    write: Callable[[sqlite3.Connection, str, Sequence[Any]], Changes]


KINDS: dict[str, _Kind] = {
    "orders": _Kind(_prepare_order, _write_orders),
    "packages": _Kind(_prepare_package, _write_packages),
    "products": _Kind(_prepare_product, _write_products),
    "inventory": _Kind(_prepare_inventory, _write_inventory),
    "product_details": _Kind(details.prepare, details.write),
    "warehouses": _Kind(records.warehouse_row, _rows_writer("warehouses", timed=False)),
    "returns": _Kind(records.return_row, _rows_writer("returns", timed=True)),
    "cancellations": _Kind(records.cancellation_row,
                           _rows_writer("cancellations", timed=True)),
    "statements": _Kind(records.statement_row, _rows_writer("statements", timed=False)),
}
RESOURCES = tuple(KINDS)


def prepare_page(shop_id: str, resource: str, items: Sequence[Raw]) -> PreparedPage:
    """Rows for one page of API objects (no database: safe on any thread)."""
    try:
        kind = KINDS[resource]
    except KeyError:
        raise ValueError(f"unknown resource {resource!r}; one of {', '.join(RESOURCES)}") from None
    return PreparedPage(shop_id, resource, tuple(kind.prepare(shop_id, item) for item in items))


def write_pages(conn: sqlite3.Connection, pages: Sequence[PreparedPage]) -> Changes:
    """Write prepared pages of one shop and resource (call inside a transaction)."""
    entries = [entry for page in pages for entry in page.entries]
    if not entries:
        return Changes()
    first = pages[0]
    if any((p.shop_id, p.resource) != (first.shop_id, first.resource) for p in pages):
        raise ValueError("write_pages takes pages of one shop and one resource")
    return KINDS[first.resource].write(conn, first.shop_id, entries)
