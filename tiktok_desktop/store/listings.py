"""Listings: what the Listings tab reads — each product with its status, SKUs, prices and stock,
the status tabs' counts, the listing health and one product's detail.

Every read is a handful of queries over the shop's products (a few thousand at most): the SKUs'
prices and the stock are summed per product in the same statement, never one query per product.
"No sales in 30 days" looks at the cached orders placed since then (their create_time index)
and the line items of those orders (their order index).
"""

from __future__ import annotations

import enum
import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from tiktok_desktop.store.sql import contains

# The product statuses (reference §8.2) in the seller's words, in the order of the status tabs.
STATUS_NAMES: dict[str, str] = {
    "ACTIVATE": "Live",
    "PENDING": "In review",
    "FAILED": "Failed review",
    "SELLER_DEACTIVATED": "Deactivated by you",
    "PLATFORM_DEACTIVATED": "Deactivated by TikTok",
    "FREEZE": "Frozen",
    "DRAFT": "Draft",
    "DELETED": "Deleted",
}
ALL = "All"  # every listing but the deleted ones, as Seller Center's "All" counts them
STATUS_TABS: tuple[str, ...] = (ALL, *STATUS_NAMES.values())
_STATUS_OF_TAB = {name: status for status, name in STATUS_NAMES.items()}
NO_SALES_DAYS = 30
DAY = 24 * 3600
MIN_ID_PART = 4  # fewer digits of an id would match a large share of the shop


def status_name(status: str | None) -> str:
    """"Live" for ACTIVATE; an unknown status as TikTok spells it, in plain case."""
    if not status:
        return ""
    return STATUS_NAMES.get(status, status.replace("_", " ").capitalize())


class Show(enum.Enum):
    """The quick filter above the table."""

    EVERYTHING = "Every listing"
    OUT_OF_STOCK = "Out of stock"
    FAILING_REVIEW = "Failing review"
    NO_SALES = f"No sales in {NO_SALES_DAYS} days"


SORT_KEYS = ("title", "status", "skus", "price", "stock", "updated")


@dataclass(frozen=True)
class ListingQuery:
    shop_id: str
    status: str = ALL  # a STATUS_TABS label
    search: str = ""
    show: Show = Show.EVERYTHING
    sort: str = "title"  # one of SORT_KEYS
    descending: bool = False
    now: int | None = None  # "no sales in 30 days" counts back from here (None: the clock)


@dataclass(frozen=True)
class ListingRow:
    product_id: str
    title: str
    status: str  # TikTok's (ACTIVATE, …); status_name() says it in words
    sku_count: int
    price_min: Decimal | None
    price_max: Decimal | None
    currency: str | None
    total_stock: int | None  # available across warehouses; None: no stock known yet
    updated: int | None
    picture_url: str | None

    @property
    def status_name(self) -> str:
        return status_name(self.status)


class Scanned(NamedTuple):
    """The product a scanned code names, and its status (a deleted one is in its own tab)."""

    product_id: str
    status: str | None


@dataclass(frozen=True)
class ListingHealth:
    live: int = 0
    in_review: int = 0
    failing_review: int = 0
    out_of_stock: int = 0  # live listings with no stock left in any warehouse


@dataclass(frozen=True)
class WarehouseStock:
    warehouse: str  # its name (its id when the name is not known)
    available: int | None


@dataclass(frozen=True)
class SkuLine:
    sku_id: str
    variant: str
    seller_sku: str
    price: str | None
    currency: str | None
    stock: tuple[WarehouseStock, ...]

    @property
    def total_stock(self) -> int:
        return sum(s.available or 0 for s in self.stock)


@dataclass(frozen=True)
class PriceRow:
    """A SKU's price, with what the price table shows beside it."""

    sku_id: str
    product_id: str
    product: str
    variant: str
    seller_sku: str
    status: str  # the listing's
    price: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class ReviewFailure:
    """One of Get Product's audit_failed_reasons[]: where the listing failed, why, and what
    TikTok suggests."""

    position: str
    reasons: tuple[str, ...]
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class ListingDetail:
    row: ListingRow
    skus: tuple[SkuLine, ...]
    review_failures: tuple[ReviewFailure, ...] = field(default_factory=tuple)


_STOCKED = """stocked AS (
        SELECT product_id, sum(available) AS total FROM stock
        WHERE shop_id = :shop GROUP BY product_id)"""

# The SKUs are reached from the shop's products (their product index), the stock summed per
# product from the shop's part of its index: one statement for the whole list.
_ROWS = f"""
    WITH {_STOCKED}
    SELECT p.id, coalesce(p.title, ''), coalesce(p.status, ''), count(k.id),
        min(CAST(k.price AS REAL)), max(CAST(k.price AS REAL)), max(k.currency), stocked.total,
        p.update_time, i.url
    FROM products p
    LEFT JOIN skus k ON k.product_id = p.id
    LEFT JOIN stocked ON stocked.product_id = p.id
    LEFT JOIN product_images i ON i.product_id = p.id AND i.image IS NOT NULL
"""

_SOLD = """
    SELECT DISTINCT li.product_id FROM orders o
    JOIN order_line_items li ON li.order_id = o.id
    WHERE o.shop_id = :shop AND o.create_time >= :since AND o.status != 'CANCELLED'
        AND li.product_id IS NOT NULL
"""

_ORDER_BY = {
    "title": "p.title COLLATE NOCASE",
    "status": "p.status",
    "skus": "count(k.id)",
    "price": "min(CAST(k.price AS REAL))",
    "stock": "stocked.total",
    "updated": "p.update_time",
}


def _price(text: str | None) -> Decimal | None:
    """A cached price string as a Decimal (None when missing or not a number)."""
    try:
        return None if text is None else Decimal(text)
    except ArithmeticError:
        return None


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def _row(r: tuple) -> ListingRow:
    return ListingRow(r[0], r[1], r[2], r[3], _decimal(r[4]), _decimal(r[5]), r[6], r[7], r[8],
                      r[9])


def _is_id_part(text: str) -> bool:
    return len(text) >= MIN_ID_PART and text.isascii() and text.isdigit()


class Listings:
    """Listing queries on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _where(self, query: ListingQuery, params: dict[str, Any], *,
               with_status: bool) -> list[str]:
        clauses = ["p.shop_id = :shop"]
        params["shop"] = query.shop_id
        if with_status:
            status = _STATUS_OF_TAB.get(query.status)
            if status is None:
                clauses.append("p.status IS NOT 'DELETED'")
            else:
                clauses.append("p.status = :status")
                params["status"] = status
        text = query.search.strip()
        if text:
            params["like"], params["exact"] = contains(text), text
            found = ["p.title LIKE :like ESCAPE '\\'", "p.id = :exact",
                     "EXISTS (SELECT 1 FROM skus k WHERE k.product_id = p.id AND "
                     "(k.seller_sku LIKE :like ESCAPE '\\' OR k.id = :exact))"]
            if _is_id_part(text):
                found.append("p.id LIKE :like ESCAPE '\\'")
            clauses.append(f"({' OR '.join(found)})")
        if query.show is Show.OUT_OF_STOCK:
            clauses.append("stocked.total = 0")
        elif query.show is Show.FAILING_REVIEW:
            clauses.append("p.status = 'FAILED'")
        elif query.show is Show.NO_SALES:
            clauses.append(f"p.id NOT IN ({_SOLD})")
            now = int(time.time()) if query.now is None else query.now
            params["since"] = now - NO_SALES_DAYS * DAY
        return clauses

    def rows(self, query: ListingQuery) -> list[ListingRow]:
        """The products of the status tab, search and quick filter, in the asked order (ties
        by title, then id, so the order never jumps)."""
        params: dict[str, Any] = {}
        where = " AND ".join(self._where(query, params, with_status=True))
        direction = "DESC" if query.descending else "ASC"
        order = _ORDER_BY[query.sort]
        sql = (f"{_ROWS} WHERE {where} GROUP BY p.id "
               f"ORDER BY {order} IS NULL, {order} {direction}, p.title COLLATE NOCASE, p.id")
        return [_row(r) for r in self._conn.execute(sql, params)]

    def counts(self, query: ListingQuery) -> dict[str, int]:
        """Listings per status tab for the query's search and quick filter (its tab aside)."""
        params: dict[str, Any] = {}
        where = " AND ".join(self._where(query, params, with_status=False))
        sql = (f"WITH {_STOCKED} SELECT p.status, count(*) FROM products p "
               f"LEFT JOIN stocked ON stocked.product_id = p.id WHERE {where} GROUP BY p.status")
        per_status: Mapping[str, int] = dict(self._conn.execute(sql, params).fetchall())
        counts = {name: per_status.get(status, 0) for status, name in STATUS_NAMES.items()}
        counts[ALL] = sum(n for status, n in per_status.items() if status != "DELETED")
        return counts

    def health(self, shop_id: str) -> ListingHealth:
        """How many listings are live, in review, failing review, and live but out of stock."""
        live, review, failed, empty = self._conn.execute(
            f"WITH {_STOCKED} "
            "SELECT count(*) FILTER (WHERE p.status = 'ACTIVATE'), "
            "count(*) FILTER (WHERE p.status = 'PENDING'), "
            "count(*) FILTER (WHERE p.status = 'FAILED'), "
            "count(*) FILTER (WHERE p.status = 'ACTIVATE' AND stocked.total = 0) "
            "FROM products p LEFT JOIN stocked ON stocked.product_id = p.id "
            "WHERE p.shop_id = :shop", {"shop": shop_id}).fetchone()
        return ListingHealth(live, review, failed, empty)

    def lookup(self, shop_id: str, code: str) -> Scanned | None:
        """The product a scanned code names exactly: its product id, a seller SKU or a SKU id
        of one of its SKUs (all indexed; typed in another case, the search lists it)."""
        code = code.strip()
        if not code:
            return None
        row = self._conn.execute(
            "SELECT id, status FROM products WHERE id = :code AND shop_id = :shop "
            "UNION ALL SELECT p.id, p.status FROM skus k JOIN products p ON p.id = k.product_id "
            "WHERE k.shop_id = :shop AND (k.seller_sku = :code OR k.id = :code) LIMIT 1",
            {"shop": shop_id, "code": code}).fetchone()
        return None if row is None else Scanned(*row)

    def price_rows(self, shop_id: str,
                   product_ids: Sequence[str] | None = None) -> list[PriceRow]:
        """The SKUs of these products (None: all but the deleted), in the order given (products
        by title otherwise), each product's SKUs by variant."""
        sql = ("SELECT k.id, p.id, coalesce(p.title, ''), coalesce(k.variant, ''), "
               "coalesce(k.seller_sku, ''), coalesce(p.status, ''), k.price, k.currency "
               "FROM products p JOIN skus k ON k.product_id = p.id WHERE p.shop_id = :shop ")
        params: dict[str, Any] = {"shop": shop_id}
        if product_ids is None:
            sql += "AND p.status IS NOT 'DELETED' ORDER BY p.title COLLATE NOCASE, p.id, "
        else:
            params["ids"] = json.dumps(list(product_ids))
            sql += ("AND p.id IN (SELECT value FROM json_each(:ids)) ORDER BY (SELECT key FROM "
                    "json_each(:ids) WHERE value = p.id), ")
        sql += "k.variant, k.seller_sku, k.id"
        return [PriceRow(*r[:6], _price(r[6]), r[7]) for r in self._conn.execute(sql, params)]

    def detail(self, shop_id: str, product_id: str) -> ListingDetail | None:
        """One product: its row, its SKUs with stock per warehouse, and why it failed review
        (from the cached Get Product answer)."""
        found = self._conn.execute(
            f"{_ROWS} WHERE p.shop_id = :shop AND p.id = :product GROUP BY p.id",
                                   {"shop": shop_id, "product": product_id}).fetchone()
        if found is None:
            return None
        stock: dict[str, list[WarehouseStock]] = {}
        for sku_id, name, available in self._conn.execute(
                "SELECT s.sku_id, coalesce(w.name, s.warehouse_id), s.available FROM stock s "
                "LEFT JOIN warehouses w ON w.id = s.warehouse_id "
                "WHERE s.shop_id = ? AND s.product_id = ? "
                "ORDER BY coalesce(w.is_default, 0) DESC, w.name, s.warehouse_id",
                (shop_id, product_id)):
            stock.setdefault(sku_id, []).append(WarehouseStock(name, available))
        skus = tuple(
            SkuLine(sku_id, variant, seller_sku, price, currency, tuple(stock.get(sku_id, ())))
            for sku_id, variant, seller_sku, price, currency in self._conn.execute(
                "SELECT id, coalesce(variant, ''), coalesce(seller_sku, ''), price, currency "
                "FROM skus WHERE product_id = ? ORDER BY variant, seller_sku, id", (product_id,)))
        raw = self._conn.execute("SELECT raw FROM product_details WHERE product_id = ?",
                                 (product_id,)).fetchone()
        failures = review_failures(json.loads(raw[0])) if raw and raw[0] else ()
        return ListingDetail(_row(found), skus, failures)


def review_failures(product: Mapping[str, Any]) -> tuple[ReviewFailure, ...]:
    """Get Product's audit_failed_reasons[] in full (odd entries left out, never guessed)."""
    failures = []
    for item in product.get("audit_failed_reasons") or []:
        if not isinstance(item, Mapping):
            continue
        texts = [tuple(str(t) for t in item.get(key) or [] if t)
                 for key in ("reasons", "suggestions")]
        if any(texts):
            failures.append(ReviewFailure(str(item.get("position") or ""), *texts))
    return tuple(failures)
