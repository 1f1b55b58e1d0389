"""Buyers' requests as the cache holds them: cancellations and returns (refunds, returns and
refunds, replacements) in one shape, read from the raw objects the sync mirrors (tables
`returns` and `cancellations`, see migrations.py).

A request "needs an answer" while TikTok lists a `seller_next_action_response` for it: that
action and its deadline (a UTC epoch) are what the seller must do, and by when. It is "open"
while it still moves (waiting for the seller or for the buyer), "closed" once it has ended.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store.records import next_action
from tiktok_desktop.store.sql import id_list

CANCEL, RETURN = "cancel", "return"  # the two tables a request comes from
REQUEST_ANSWER = "request_answer"  # the outbox kind of the seller's answers (target: the id)
# What the seller filters by: a cancellation, a refund without a return, a return and refund,
# a replacement.
TYPES = ("cancel", "refund", "return", "replacement")
_TYPE_OF = {"CANCEL": "cancel", "BUYER_CANCEL": "cancel", "REFUND": "refund",
            "RETURN_AND_REFUND": "return", "REPLACEMENT": "replacement"}
PENDING_CANCELLATION = "CANCELLATION_REQUEST_PENDING"
# Statuses of a request that still moves (the seller's or the buyer's turn); the rest have ended.
OPEN_STATUSES = (
    PENDING_CANCELLATION, "RETURN_OR_REFUND_REQUEST_PENDING", "AWAITING_BUYER_SHIP",
    "BUYER_SHIPPED_ITEM", "AWAITING_BUYER_RESPONSE", "REPLACEMENT_REQUEST_PENDING",
)
_OPEN = (f"(next_action IS NOT NULL OR coalesce(status, '') IN "
         f"(SELECT value FROM json_each('{json.dumps(OPEN_STATUSES)}')))")


@dataclass(frozen=True)
class RequestItem:
    """One SKU of a request, units totalled (the API lists one line per order line item)."""

    sku_id: str
    product_id: str | None  # from the cached SKU: its picture is the product's
    product_name: str
    sku_name: str
    seller_sku: str
    quantity: int
    image_url: str | None


@dataclass(frozen=True)
class BuyerRequest:
    kind: str  # CANCEL | RETURN: which table, which endpoints answer it
    id: str
    order_id: str
    request_type: str  # CANCEL, BUYER_CANCEL, REFUND, RETURN_AND_REFUND, REPLACEMENT
    status: str
    role: str  # who asked: BUYER | SELLER | SYSTEM
    next_action: str | None  # SELLER_RESPOND_CANCEL, …; None: nothing for the seller to do
    deadline: int | None  # answer by (UTC epoch)
    reason: str  # the buyer's reason as they picked it
    refund: str | None  # refund_total
    currency: str | None
    items: tuple[RequestItem, ...]
    create_time: int
    update_time: int
    raw: Mapping[str, Any]

    @property
    def needs_answer(self) -> bool:
        return self.next_action is not None

    @property
    def type_key(self) -> str:
        """cancel | refund | return | replacement (TYPES)."""
        return _TYPE_OF.get(self.request_type, CANCEL if self.kind == CANCEL else "return")

    @property
    def closed(self) -> bool:
        return not self.needs_answer and self.status not in OPEN_STATUSES

    @property
    def stage(self) -> tuple[str | None, int | None]:
        """What the shop waits for from the seller: the same request asks again at each stage
        (approve the return, then confirm the package that came back)."""
        return self.next_action, self.deadline

    @property
    def product_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.product_id for i in self.items if i.product_id))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _items(raw: Mapping[str, Any], key: str,
           products: Mapping[str, str]) -> tuple[RequestItem, ...]:
    grouped: dict[str, list[Any]] = {}
    for line in raw.get(key) or ():
        sku_id = str(line.get("sku_id") or line.get("order_line_item_id") or "")
        image = line.get("product_image") or {}
        entry = grouped.setdefault(sku_id, [
            _text(line.get("product_name")), _text(line.get("sku_name")),
            _text(line.get("seller_sku")), 0,
            image.get("url") if isinstance(image, dict) else None])
        entry[3] += 1
    return tuple(RequestItem(sku, products.get(sku), name, variant, seller_sku, count, url)
                 for sku, (name, variant, seller_sku, count, url) in grouped.items())


def _sku_ids(raw: Mapping[str, Any]) -> list[str]:
    lines = (raw.get("cancel_line_items") or []) + (raw.get("return_line_items") or [])
    return [str(line["sku_id"]) for line in lines if line.get("sku_id")]


def request_of(kind: str, raw: Mapping[str, Any],
               products: Mapping[str, str] | None = None) -> BuyerRequest:
    """A request from its raw API object (Search Returns / Search Cancellations)."""
    products = products or {}
    action, deadline = next_action(raw)
    refund = raw.get("refund_amount") or {}
    if kind == CANCEL:
        ident, kind_of, status = raw.get("cancel_id"), raw.get("cancel_type"), raw.get(
            "cancel_status")
        reason = raw.get("cancel_reason_text") or raw.get("cancel_reason")
        items = _items(raw, "cancel_line_items", products)
    else:
        ident, kind_of, status = raw.get("return_id"), raw.get("return_type"), raw.get(
            "return_status")
        reason = raw.get("return_reason_text") or raw.get("return_reason")
        items = _items(raw, "return_line_items", products)
    return BuyerRequest(
        kind=kind, id=str(ident), order_id=_text(raw.get("order_id")),
        request_type=_text(kind_of), status=_text(status), role=_text(raw.get("role")),
        next_action=action, deadline=deadline, reason=_text(reason),
        refund=refund.get("refund_total"), currency=refund.get("currency"), items=items,
        create_time=int(raw.get("create_time") or 0),
        update_time=int(raw.get("update_time") or 0), raw=raw)


def sort_key(request: BuyerRequest) -> tuple:
    """Waiting for the seller first, soonest deadline first; then the newest."""
    if request.needs_answer:
        return (0, request.deadline or 0, request.id)
    return (1, -request.update_time, request.id)


class Requests:
    """Request queries on one connection (use from the thread that opened the Store)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _read(self, where: str, params: Sequence[Any]) -> list[BuyerRequest]:
        found = [(CANCEL, json.loads(r[0])) for r in self._conn.execute(
            f"SELECT raw FROM cancellations WHERE {where}", params)]
        found += [(RETURN, json.loads(r[0])) for r in self._conn.execute(
            f"SELECT raw FROM returns WHERE {where}", params)]
        products = self._products_of([s for _, raw in found for s in _sku_ids(raw)])
        return sorted((request_of(kind, raw, products) for kind, raw in found), key=sort_key)

    def _products_of(self, sku_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(sku_ids))
        if not wanted:
            return {}
        return dict(self._conn.execute(
            "SELECT id, product_id FROM skus WHERE id IN (SELECT value FROM json_each(?))",
            (id_list(wanted),)))

    def open(self, shop_id: str) -> list[BuyerRequest]:
        """Requests still moving (the seller's turn or the buyer's), most urgent first."""
        return self._read(f"shop_id = ? AND {_OPEN}", (shop_id,))

    def closed(self, shop_id: str) -> list[BuyerRequest]:
        """Requests that have ended, newest first."""
        return self._read(f"shop_id = ? AND NOT {_OPEN}", (shop_id,))

    def closed_counts(self, shop_id: str) -> dict[str, int]:
        """How many ended requests there are of each type (TYPES), without reading them."""
        counts = dict.fromkeys(TYPES, 0)
        for table, column in (("cancellations", "cancel_type"), ("returns", "return_type")):
            for kind_of, n in self._conn.execute(
                    f"SELECT {column}, count(*) FROM {table} WHERE shop_id = ? AND NOT {_OPEN} "
                    f"GROUP BY {column}", (shop_id,)):
                key = _TYPE_OF.get(kind_of or "", CANCEL if table == "cancellations" else "return")
                counts[key] += n
        return counts

    def waiting_count(self, shop_id: str) -> int:
        """How many requests wait for the seller's answer: not those answered already while
        the cache still has them as they were (indexed: fine on the GUI thread)."""
        return sum(self._conn.execute(
            f"""SELECT count(*) FROM {table} r WHERE r.shop_id = :shop
                AND r.next_action IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM outbox o WHERE o.shop_id = :shop AND o.kind = :kind
                    AND o.target = r.id AND o.state = 'done'
                    AND json_extract(o.payload, '$.next_action') = r.next_action)""",
            {"shop": shop_id, "kind": REQUEST_ANSWER}).fetchone()[0]
            for table in ("cancellations", "returns"))

    def for_order(self, order_id: str) -> list[BuyerRequest]:
        """The order's requests, newest first (indexed: fine on the GUI thread)."""
        found = self._read("order_id = ?", (order_id,))
        return sorted(found, key=lambda r: (-r.create_time, r.id))

    def get(self, request_ids: Sequence[str]) -> dict[str, BuyerRequest]:
        """These requests by id (cancellations and returns alike)."""
        if not request_ids:
            return {}
        return {r.id: r for r in self._read("id IN (SELECT value FROM json_each(?))",
                                            (id_list(list(request_ids)),))}
