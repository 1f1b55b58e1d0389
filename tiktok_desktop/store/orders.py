"""What the Orders tab reads: counts per status filter, sorted id lists, rows, order detail."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from tiktok_desktop.store.finance import Finance, OrderEarnings
from tiktok_desktop.store.requests import BuyerRequest, Requests
from tiktok_desktop.store.search import (
    few_matches,
    few_number_matches,
    lookup_order,
    match_expression,
    number_parts,
    number_rowids,
    searched_text,
)
from tiktok_desktop.store.sql import id_list

TO_SHIP = ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING")
# The orders to ship whose ship-by falls before the end of today (OrderQuery.due_before).
DUE_TODAY = "Ship today / overdue"
# The tab's status filters, in display order, and the API statuses each one shows.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "All": (),
    "Unpaid": ("UNPAID",),
    "On hold": ("ON_HOLD",),
    "To ship": TO_SHIP,
    DUE_TODAY: TO_SHIP,
    "Awaiting collection": ("AWAITING_COLLECTION",),
    "In transit": ("IN_TRANSIT",),
    "Delivered": ("DELIVERED",),
    "Completed": ("COMPLETED",),
    "Cancelled": ("CANCELLED",),
}

# Sortable columns (OrderRow field names, "total" sorts by the amount in minor units) and the
# column each sorts by. Ties are broken by status, create_time and id: the same sequence as the
# covering index per column (migration 1), so a sorted id list is read from one index.
SORT_COLUMNS: dict[str, str] = {
    name: name
    for name in (
        "id", "status", "create_time", "update_time", "paid_time", "ship_by", "buyer",
        "recipient", "item_count", "item_summary", "currency", "tracking_number",
        "shipping_provider", "delivery_option_name", "shipping_type", "cancel_reason",
    )
} | {"total": "total_minor", "total_amount": "total_minor"}
_TIE_BREAK = ("status", "create_time", "id")
_ALWAYS_SET = frozenset(_TIE_BREAK)  # every order has them: no second read for the blanks


def end_of_today(now: float | None = None) -> int:
    """The next midnight on this computer's clock after `now` (default: now), as Unix seconds."""
    today = date.today() if now is None else datetime.fromtimestamp(now).date()
    return int(datetime.combine(today + timedelta(days=1), time()).astimezone().timestamp())


def in_status_filter(label: str, status: str | None, ship_by: int | None,
                     due_before: int) -> bool:
    """Whether the status filter `label` shows an order (what _where asks of the cache)."""
    statuses = STATUS_FILTERS[label]
    if statuses and status not in statuses:
        return False
    return label != DUE_TODAY or (ship_by is not None and ship_by < due_before)


@dataclass(frozen=True)
class OrderQuery:
    """One view of the Orders tab. Dates: Unix seconds, create_time in [created_from, created_to).

    `status` is a key of STATUS_FILTERS; `sort` a key of SORT_COLUMNS. `due_before` ends
    "today" for the DUE_TODAY filter and its count (None: the next midnight on this computer).
    `search` holds what is searched (searched_text: at most 20 words, no control characters),
    so a "no orders match" note shows the seller exactly that."""

    shop_id: str
    status: str = "All"
    created_from: int | None = None
    created_to: int | None = None
    search: str = ""
    sort: str = "create_time"
    descending: bool = True
    due_before: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "search", searched_text(self.search))


@dataclass(frozen=True)
class LineGroup:
    """The line items of one SKU in an order (the API gives one line item per unit)."""

    sku_id: str | None
    product_id: str | None
    product_name: str | None
    sku_name: str | None
    seller_sku: str | None
    sku_image: str | None
    quantity: int
    unit_price: str | None
    currency: str | None
    line_item_ids: tuple[str, ...]


# Ship Package gives a package its tracking number; its status stays PROCESSING until the
# carrier collects it (reference §7, §8.3).
_ON_ITS_WAY = frozenset({"FULFILLING", "COMPLETED"})


@dataclass(frozen=True)
class PackageInfo:
    id: str
    status: str | None
    tracking_number: str | None
    shipping_provider_name: str | None
    line_item_ids: tuple[str, ...] = ()  # the order's line items in this package

    @property
    def has_shipped(self) -> bool:
        """Handed to the carrier (or on its way, or delivered)."""
        return self.status != "CANCELLED" and (
            bool(self.tracking_number) or self.status in _ON_ITS_WAY)


@dataclass(frozen=True)
class OrderRow:
    id: str
    shop_id: str
    status: str | None
    is_on_hold: bool
    create_time: int | None
    update_time: int | None
    paid_time: int | None
    ship_by: int | None
    buyer: str | None
    recipient: str | None
    item_count: int
    item_summary: str
    total_amount: str | None
    total_minor: int | None
    currency: str | None
    tracking_number: str | None
    shipping_provider: str | None
    delivery_option_name: str | None
    shipping_type: str | None
    cancel_reason: str | None
    # Read beside the columns by rows() and detail(): the line items by SKU, and the packages
    # of an order shipping in parts (PARTIALLY_SHIPPING; None for any other order).
    items: tuple[LineGroup, ...] = ()
    packages: tuple[PackageInfo, ...] | None = None


_ROW_COLUMNS = ", ".join(f.name for f in fields(OrderRow) if f.name not in ("items", "packages"))


@dataclass(frozen=True)
class OrderDetail:
    """Everything the detail pane shows. Mappings are the API's objects: read, never modify."""

    order: OrderRow
    items: tuple[LineGroup, ...]
    packages: tuple[PackageInfo, ...]
    payment: Mapping[str, Any]
    recipient_address: Mapping[str, Any]
    buyer_message: str
    raw: Mapping[str, Any]
    # The buyer's cancellations and returns of this order, newest first (store/requests.py).
    requests: tuple[BuyerRequest, ...] = ()
    # What the order earned, from the cached statement transactions (store/finance.py).
    earnings: OrderEarnings | None = None


def _row(values: Sequence[Any], items: tuple[LineGroup, ...] = (),
         packages: tuple[PackageInfo, ...] | None = None) -> OrderRow:
    v = list(values)
    v[3] = bool(v[3])  # is_on_hold
    v[10] = v[10] or 0  # item_count
    v[11] = v[11] or ""  # item_summary
    return OrderRow(*v, items, packages)


class Orders:
    """Order queries on one connection (use from the thread that opened the Store)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _where(self, query: OrderQuery, *,
               with_status: bool) -> tuple[str, str, dict[str, Any]]:
        """FROM and WHERE for the query's orders (as `o`), with their parameters."""
        tables = "orders o"
        clauses = ["o.shop_id = :shop"]
        params: dict[str, Any] = {"shop": query.shop_id}
        if query.status not in STATUS_FILTERS:
            raise ValueError(f"unknown status filter {query.status!r}")
        statuses = STATUS_FILTERS[query.status] if with_status else ()
        if statuses:
            names = [f"s{i}" for i in range(len(statuses))]
            clauses.append(f"o.status IN ({', '.join(':' + n for n in names)})")
            params.update(zip(names, statuses, strict=True))
        if with_status and query.status == DUE_TODAY:
            # A plain range on the column: read from an index (orders_by_status or _ship_by).
            clauses.append("o.ship_by < :due_before")
            params["due_before"] = (end_of_today() if query.due_before is None
                                    else query.due_before)
        if query.created_from is not None:
            clauses.append("o.create_time >= :created_from")
            params["created_from"] = query.created_from
        if query.created_to is not None:
            clauses.append("o.create_time < :created_to")
            params["created_to"] = query.created_to
        match = match_expression(query.search)
        if match:
            params["match"] = match
            if few_matches(self._conn, match):
                # CROSS JOIN keeps this order: the matches first, then their orders by rowid.
                tables = "order_search CROSS JOIN orders o ON o.rowid = order_search.rowid"
                clauses.append("order_search MATCH :match")
            else:
                clauses.append(
                    "o.rowid IN (SELECT rowid FROM order_search WHERE order_search MATCH :match)"
                )
        for i, (part, words) in enumerate(number_parts(query.search)):
            name = f"n{i}"
            params.update({f"{name}_part": part, f"{name}_words": words})
            if tables == "orders o" and few_number_matches(self._conn, part):
                # Start from the few orders with this number, as for few words above.
                tables = f"({number_rowids(name)}) AS {name} CROSS JOIN orders o " \
                         f"ON o.rowid = {name}.rowid"
            else:
                clauses.append(f"o.rowid IN ({number_rowids(name)})")
        return tables, " AND ".join(clauses), params

    def counts(self, query: OrderQuery) -> dict[str, int]:
        """Orders per status filter (all of STATUS_FILTERS, in order) for the query's dates and
        search; the query's own status filter is ignored."""
        tables, where, params = self._where(query, with_status=False)
        per_status = dict(self._conn.execute(
            f"SELECT o.status, count(*) FROM {tables} WHERE {where} GROUP BY o.status", params
        ).fetchall())
        counts = {
            label: sum(per_status.values()) if not statuses
            else sum(per_status.get(s, 0) for s in statuses)
            for label, statuses in STATUS_FILTERS.items()
        }
        if counts[DUE_TODAY]:  # so far the count of To ship: narrow it down to today's
            tables, where, params = self._where(replace(query, status=DUE_TODAY),
                                                with_status=True)
            counts[DUE_TODAY] = self._conn.execute(
                f"SELECT count(*) FROM {tables} WHERE {where}", params).fetchone()[0]
        return counts

    def ids(self, query: OrderQuery) -> list[str]:
        """Order ids matching the query, sorted (ties: by status, then create time, then id).
        Orders without a value in the sorted column (no ship-by once shipped, no payment yet)
        come after the others, whichever way: a seller sorts to see the dated ones."""
        if query.sort not in SORT_COLUMNS:
            raise ValueError(f"cannot sort orders by {query.sort!r}")
        tables, where, params = self._where(query, with_status=True)
        column = SORT_COLUMNS[query.sort]
        direction = " DESC" if query.descending else ""
        order_by = ", ".join(
            f"o.{name}{direction}" for name in dict.fromkeys((column, *_TIE_BREAK)))
        # Two index-ordered reads instead of ORDER BY (o.x IS NULL): that would sort them all.
        if column in _ALWAYS_SET:
            return self._joined(tables, where, order_by, params)
        return (self._joined(tables, f"{where} AND o.{column} IS NOT NULL", order_by, params)
                + self._joined(tables, f"{where} AND o.{column} IS NULL", order_by, params))

    def _joined(self, tables: str, where: str, order_by: str,
                params: dict[str, Any]) -> list[str]:
        # One string joined by SQLite, split at once: fetching 100,000 rows one by one holds
        # Python's lock (GIL) for ~90 ms in small pieces; this, ~45 ms and for a few of them.
        # Ids are digits, so a comma never occurs in one; the aggregate takes the rows in the
        # subquery's order (tests/store check it against a plain ordered SELECT).
        sql = (f"SELECT group_concat(id, ',') FROM (SELECT o.id AS id FROM {tables} "
               f"WHERE {where} ORDER BY {order_by})")
        joined = self._conn.execute(sql, params).fetchone()[0]
        return joined.split(",") if joined else []

    def rows(self, ids: Sequence[str]) -> list[OrderRow]:
        """Rows for a batch of ids, in the same order; ids no longer cached are left out."""
        found = {
            values[0]: values
            for values in self._conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM orders WHERE id IN "
                "(SELECT value FROM json_each(?))",
                (id_list(ids),),
            )
        }
        items = self._line_groups_of(list(found))
        return [self._order_row(found[i], items.get(i, ())) for i in ids if i in found]

    def _order_row(self, values: Sequence[Any], items: tuple[LineGroup, ...],
                   packages: tuple[PackageInfo, ...] | None = None) -> OrderRow:
        """The row with its items, and its packages when it ships in parts."""
        if values[2] != "PARTIALLY_SHIPPING":
            return _row(values, items)
        return _row(values, items, self._packages(values[0]) if packages is None else packages)

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these order ids are already cached (to tell new orders from updates)."""
        return {r[0] for r in self._conn.execute(
            "SELECT id FROM orders WHERE id IN (SELECT value FROM json_each(?))", (id_list(ids),)
        )}

    def lookup(self, shop_id: str, code: str) -> str | None:
        """Exact match for a barcode scanner: order id, package id or tracking number."""
        return lookup_order(self._conn, shop_id, code)

    def detail(self, order_id: str) -> OrderDetail | None:
        found = self._conn.execute(
            f"SELECT {_ROW_COLUMNS}, raw FROM orders WHERE id = ?", (order_id,)
        ).fetchone()
        if found is None:
            return None
        raw = json.loads(found[-1])
        items, packages = self._line_groups(order_id), self._packages(order_id)
        return OrderDetail(
            order=self._order_row(found[:-1], items, packages),
            items=items,
            packages=packages,
            payment=raw.get("payment") or {},
            recipient_address=raw.get("recipient_address") or {},
            buyer_message=raw.get("buyer_message") or "",
            raw=raw,
            requests=tuple(Requests(self._conn).for_order(order_id)),
            earnings=Finance(self._conn).order_earnings(order_id),
        )

    def _line_groups(self, order_id: str) -> tuple[LineGroup, ...]:
        return self._line_groups_of([order_id]).get(order_id, ())

    def _line_groups_of(self, order_ids: Sequence[str]) -> dict[str, tuple[LineGroup, ...]]:
        """Each order's line items grouped by SKU, in the order the API listed them."""
        groups: dict[str, list[LineGroup]] = {}
        for order_id, *values, line_ids in self._conn.execute(
            """SELECT order_id, sku_id, product_id, product_name, sku_name, seller_sku, sku_image,
                   count(*), sale_price, currency, json_group_array(id) FROM order_line_items
                WHERE order_id IN (SELECT value FROM json_each(?))
                GROUP BY order_id, coalesce(sku_id, id) ORDER BY order_id, min(rowid)""",
            (id_list(order_ids),),
        ):
            groups.setdefault(order_id, []).append(
                LineGroup(*values, tuple(json.loads(line_ids))))
        return {order_id: tuple(found) for order_id, found in groups.items()}

    def _packages(self, order_id: str) -> tuple[PackageInfo, ...]:
        """Packages of the order with the line items each holds: synced ones, then ones known
        only from its line items (before a package is synced, or when Search Packages is not
        allowed). A synced package names its line items; a line item may name its package."""
        lines = self._conn.execute(
            "SELECT id, package_id, package_status, tracking_number, shipping_provider_name "
            "FROM order_line_items WHERE order_id = ? ORDER BY rowid", (order_id,)).fetchall()
        packages = []
        for package_id, status, tracking, provider, named in self._conn.execute(
            """SELECT id, status, tracking_number, shipping_provider_name,
                      json_extract(raw, '$.order_line_item_ids') FROM packages
               WHERE id IN (SELECT package_id FROM package_orders WHERE order_id = :o
                            UNION SELECT package_id FROM order_line_items WHERE order_id = :o)
               ORDER BY create_time, id""",
            {"o": order_id},
        ):
            listed = set(json.loads(named)) if named else set()
            held = tuple(line[0] for line in lines if line[1] == package_id or line[0] in listed)
            packages.append(PackageInfo(package_id, status, tracking, provider, held))
        known = {p.id for p in packages}
        from_items: dict[str, PackageInfo] = {}
        for line_id, package_id, status, tracking, provider in lines:
            if package_id is None or package_id in known:
                continue
            seen = from_items.get(package_id)
            from_items[package_id] = (
                PackageInfo(package_id, status, tracking, provider, (line_id,)) if seen is None
                else replace(seen, line_item_ids=(*seen.line_item_ids, line_id)))
        return tuple(packages + list(from_items.values()))
