"""What the Fulfillment tab reads and keeps: the packages to ship (most urgent first), their
items, the label files downloaded for them, and the print jobs (for a one-click reprint).

A package is "to arrange" while it waits to ship without a tracking number, "arranged" once
shipment was arranged (it has one: a label can be printed) until the carrier collects it. Its
items come from its `order_line_item_ids` (one line item per unit), read from the cached orders.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.sql import id_list, immediate

ON_HOLD_S = 3600  # US/UK orders are on hold for an hour after payment: nothing to ship yet
# The buyer asked to cancel order `o` and the seller has not answered: a cancellation request
# waits for the seller, or the order says the buyer asked and no request newer than the order
# is cached yet (the sync brings orders before their requests). Its deadline, 0 when none.
_CANCEL_ASKED = """
    coalesce((SELECT min(coalesce(c.deadline, 0)) FROM cancellations c
              WHERE c.order_id = o.id AND c.next_action IS NOT NULL),
             CASE WHEN coalesce(json_extract(o.raw, '$.is_buyer_request_cancel'), 0)
                  AND NOT EXISTS (SELECT 1 FROM cancellations c WHERE c.order_id = o.id
                                  AND c.update_time >= o.update_time) THEN 0 END)
"""

_QUEUE = f"""
    SELECT p.id, p.tracking_number, p.shipping_provider_name, p.raw, o.id, o.status,
        o.shipping_type, o.delivery_option_name, o.ship_by, o.paid_time, o.is_on_hold,
        json_extract(o.raw, '$.delivery_option_id'),
        (SELECT min(l.printed_at) FROM labels l WHERE l.package_id = p.id),
        EXISTS (SELECT 1 FROM labels l WHERE l.package_id = p.id), {_CANCEL_ASKED}
    FROM packages p
    JOIN package_orders po ON po.package_id = p.id
    JOIN orders o ON o.id = po.order_id
    WHERE p.shop_id = ? AND p.status = 'PROCESSING'
        AND o.status IN ('ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING',
                         'AWAITING_COLLECTION')
    ORDER BY o.ship_by IS NULL, o.ship_by, p.id
"""


@dataclass(frozen=True)
class PackageItem:
    """One SKU of a package, units totalled (the API gives one line item per unit)."""

    sku_id: str
    seller_sku: str
    product_name: str
    variant: str
    quantity: int


@dataclass(frozen=True)
class QueuedPackage:
    id: str
    order_id: str
    order_status: str
    shipping_type: str  # TIKTOK | SELLER
    delivery_option: str
    delivery_option_id: str
    tracking_number: str | None
    carrier: str | None
    ship_by: int | None
    shippable_at: int | None  # on hold until then (the first hour after payment)
    line_item_ids: tuple[str, ...]
    items: tuple[PackageItem, ...]
    has_label: bool
    printed_at: int | None
    # The buyer asked to cancel the order and the seller has not answered: it must not ship
    # before the answer (answer_by: the answer's deadline, None when TikTok gave none).
    cancel_requested: bool = False
    answer_by: int | None = None

    @property
    def arranged(self) -> bool:
        return bool(self.tracking_number)

    @property
    def shippable(self) -> bool:
        """Shipment can be arranged now: not arranged yet, not on hold, no cancellation asked."""
        return not self.arranged and not self.on_hold and not self.cancel_requested

    @property
    def on_hold(self) -> bool:
        return self.shippable_at is not None


@dataclass(frozen=True)
class Label:
    package_id: str
    document_type: str
    size: str
    path: str
    tracking_number: str | None
    fetched_at: int
    printed_at: int | None


@dataclass(frozen=True)
class PrintRecord:
    id: int
    printed_at: int
    printer: str
    size: str
    order_by: str
    package_ids: tuple[str, ...]
    pages: int


class Shipping:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def queue(self, shop_id: str, now: int | None = None) -> list[QueuedPackage]:
        """The packages waiting to ship or to be collected, most urgent first."""
        now = int(time.time()) if now is None else now
        rows = self._conn.execute(_QUEUE, (shop_id,)).fetchall()
        raws = {r[0]: json.loads(r[3]) for r in rows}
        line_ids = {pid: tuple(str(i) for i in raw.get("order_line_item_ids") or ())
                    for pid, raw in raws.items()}
        items = self._items([i for ids in line_ids.values() for i in ids])
        made = []
        for r in rows:
            paid, on_hold = r[9], r[5] == "ON_HOLD" or bool(r[10])
            shippable = (paid or now) + ON_HOLD_S if on_hold else None
            made.append(QueuedPackage(
                id=r[0], order_id=r[4], order_status=r[5], shipping_type=r[6] or "TIKTOK",
                delivery_option=r[7] or "", delivery_option_id=r[11] or "",
                tracking_number=r[1] or None, carrier=r[2] or None,
                ship_by=r[8], shippable_at=shippable, line_item_ids=line_ids[r[0]],
                items=_totals([items[i] for i in line_ids[r[0]] if i in items]),
                has_label=bool(r[13]), printed_at=r[12], cancel_requested=r[14] is not None,
                answer_by=r[14] or None))
        return made

    def cancel_requested(self, shop_id: str, package_ids: Sequence[str]) -> set[str]:
        """Those of these packages whose buyer asked to cancel the order, still unanswered."""
        return {r[0] for r in self._conn.execute(
            f"SELECT p.id FROM packages p JOIN package_orders po ON po.package_id = p.id "
            f"JOIN orders o ON o.id = po.order_id WHERE p.shop_id = ? "
            f"AND p.id IN (SELECT value FROM json_each(?)) AND {_CANCEL_ASKED} IS NOT NULL",
            (shop_id, id_list(package_ids)))}

    def _items(self, line_item_ids: Sequence[str]) -> dict[str, tuple[str, str, str, str]]:
        return {row[0]: (row[1] or "", row[2], row[3], row[4]) for row in self._conn.execute(
            "SELECT l.id, l.sku_id, coalesce(k.seller_sku, l.seller_sku, ''), "
            "coalesce(l.product_name, ''), coalesce(k.variant, l.sku_name, '') "
            "FROM order_line_items l LEFT JOIN skus k ON k.id = l.sku_id "
            "WHERE l.id IN (SELECT value FROM json_each(?))", (id_list(line_item_ids),))}

    # -- labels -----------------------------------------------------------------------------

    def save_label(self, shop_id: str, label: Label) -> Changes:
        self._conn.execute(
            "INSERT INTO labels (package_id, shop_id, document_type, size, path, "
            "tracking_number, fetched_at, printed_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL) "
            "ON CONFLICT (package_id, document_type, size) DO UPDATE SET path = excluded.path, "
            "tracking_number = excluded.tracking_number, fetched_at = excluded.fetched_at",
            (label.package_id, shop_id, label.document_type, label.size, label.path,
             label.tracking_number, label.fetched_at))
        return Changes.of(shop_id, labels=1)

    def labels(self, package_ids: Sequence[str], document_type: str,
               size: str) -> dict[str, Label]:
        return {r[0]: Label(*r) for r in self._conn.execute(
            "SELECT package_id, document_type, size, path, tracking_number, fetched_at, "
            "printed_at FROM labels WHERE package_id IN (SELECT value FROM json_each(?)) "
            "AND document_type = ? AND size = ?", (id_list(package_ids), document_type, size))}

    def record_print(self, shop_id: str, printer: str, size: str, order_by: str,
                     package_ids: Sequence[str], pages: int, at: int | None = None) -> Changes:
        """A print job, and its labels marked printed (the first time only)."""
        at = int(time.time()) if at is None else at
        with immediate(self._conn):
            self._conn.execute(
                "INSERT INTO print_jobs (shop_id, printed_at, printer, size, order_by, "
                "package_ids, pages) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (shop_id, at, printer, size, order_by, json.dumps(list(package_ids)), pages))
            self._conn.execute(
                "UPDATE labels SET printed_at = ? WHERE printed_at IS NULL AND package_id IN "
                "(SELECT value FROM json_each(?))", (at, id_list(package_ids)))
        return Changes.of(shop_id, labels=len(package_ids), print_jobs=1)

    def shipped_since(self, shop_id: str, since: int) -> int:
        """Packages this app arranged shipment for since `since` (e.g. today's midnight)."""
        return self._conn.execute(
            "SELECT count(*) FROM outbox WHERE shop_id = ? AND kind = 'ship' AND state = 'done' "
            "AND updated_at >= ?", (shop_id, since)).fetchone()[0]

    def note_arranged(self, shop_id: str, package_id: str, tracking_number: str) -> Changes:
        """Shipment was arranged: the queue shows the package as arranged at once (the next
        sync brings the shop's own copy of it)."""
        updated = self._conn.execute(
            "UPDATE packages SET tracking_number = ? WHERE id = ? AND shop_id = ? AND "
            "coalesce(tracking_number, '') = ''", (tracking_number, package_id, shop_id)).rowcount
        return Changes.of(shop_id, packages=updated)

    def print_jobs(self, shop_id: str, limit: int = 50) -> list[PrintRecord]:
        return [PrintRecord(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), r[6])
                for r in self._conn.execute(
                    "SELECT id, printed_at, printer, size, order_by, package_ids, pages "
                    "FROM print_jobs WHERE shop_id = ? ORDER BY printed_at DESC, id DESC "
                    "LIMIT ?", (shop_id, limit))]


def _totals(units: Sequence[tuple[str, str, str, str]]) -> tuple[PackageItem, ...]:
    counts: dict[str, list[Any]] = {}
    for sku_id, seller_sku, product, variant in units:
        entry = counts.setdefault(sku_id, [seller_sku, product, variant, 0])
        entry[3] += 1
    return tuple(PackageItem(sku, *values) for sku, values in counts.items())
