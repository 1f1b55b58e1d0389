"""Buyers' requests in the cache, made by hand for exact assertions: a request in every state,
deadlines relative to NOW (one overdue, one soon), their orders and packages, and the products
with their pictures. The demo shop's own requests are used by test_requests_demo.py."""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox.png import encode_rgb
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.request_answers import APPROVE, Answer, AnswerResult, AnswersResult
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui.requests import RequestsTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

SHOP = "7000000000000000002"
NOW = 1_800_000_000  # Fri 15 Jan 2027, 08:00 UTC
MINUTE, HOUR = 60, 3600
DAY = 24 * HOUR
TEE_SKU, MUG_SKU = "1729500000000000001", "1729500000000000002"
TEE, MUG = "1729000000000000001", "1729000000000000002"
CANCEL_REASONS = (("seller_reject_apply_product_has_been_packed", "The order has already been "
                                                                  "packed"),
                  ("seller_reject_apply_buyer_agreed_to_keep", "The buyer agreed to keep the "
                                                               "order"))
RETURN_REASONS = (("seller_reject_return_item_used", "The item was used or damaged by the "
                                                     "buyer"),
                  ("seller_reject_return_no_evidence", "The buyer gave no evidence"))


def order_id(n: int) -> str:
    return f"{576000000000000000 + n}"


def package_id(n: int) -> str:
    return f"{1150000000000000000 + n}"


def line_id(n: int, unit: int = 1) -> str:
    return f"{577000000000000000 + n * 10 + unit}"


def _line(n: int, unit: int, sku: str) -> dict[str, Any]:
    tee = sku == TEE_SKU
    return {"id": line_id(n, unit), "sku_id": sku, "product_id": TEE if tee else MUG,
            "product_name": "Cotton tee" if tee else "Enamel mug",
            "sku_name": "Black, M" if tee else "", "seller_sku": "TEE-BLK-M" if tee else "MUG-01",
            "sale_price": "12.50" if tee else "9.00", "currency": "USD",
            "display_status": "AWAITING_SHIPMENT", "package_id": package_id(n)}


def order(n: int, status: str, *, asked_to_cancel: bool = False,
          units: Sequence[str] = (TEE_SKU, TEE_SKU)) -> dict[str, Any]:
    return {"id": order_id(n), "status": status, "is_on_hold_order": False,
            "create_time": NOW - 3 * DAY, "update_time": NOW - 2 * DAY,
            "paid_time": NOW - 3 * DAY + 30, "rts_sla_time": NOW + DAY + 4 * HOUR,
            "buyer_nickname": f"buyer_{n}", "is_buyer_request_cancel": asked_to_cancel,
            "line_items": [_line(n, unit, sku) for unit, sku in enumerate(units, 1)],
            "payment": {"currency": "USD", "total_amount": "25.00"},
            "delivery_option_name": "Standard Shipping", "shipping_type": "TIKTOK"}


def package(n: int) -> dict[str, Any]:
    return {"id": package_id(n), "status": "PROCESSING", "tracking_number": "",
            "order_line_item_ids": [line_id(n, 1), line_id(n, 2)],
            "orders": [{"id": order_id(n)}], "create_time": NOW - DAY,
            "update_time": NOW - DAY}


def _items(n: int, prefix: str, skus: Sequence[str]) -> list[dict[str, Any]]:
    return [{f"{prefix}_line_item_id": f"8{n:03d}{unit}", "order_line_item_id": line_id(n, unit),
             "sku_id": sku, "seller_sku": "TEE-BLK-M" if sku == TEE_SKU else "MUG-01",
             "sku_name": "Black, M" if sku == TEE_SKU else "",
             "product_name": "Cotton tee" if sku == TEE_SKU else "Enamel mug",
             "product_image": {"url": f"https://p16.example/{sku}.png", "width": 600,
                               "height": 600},
             "refund_amount": {"currency": "USD", "refund_total": "12.50"}}
            for unit, sku in enumerate(skus, 1)]


REFUND = {"currency": "USD", "refund_total": "25.00", "refund_subtotal": "23.00",
          "refund_shipping_fee": "0.00", "refund_tax": "2.00"}


def cancellation(n: int, status: str, *, deadline: int | None = None, role: str = "BUYER",
                 reason: str = "No longer needed") -> dict[str, Any]:
    return {"cancel_id": f"40360000000000000{n:02d}", "order_id": order_id(n),
            "cancel_type": "BUYER_CANCEL" if role == "BUYER" else "CANCEL",
            "cancel_status": status, "role": role,
            "cancel_reason": "buyer_cancel_paid_reason_no_longer_needed",
            "cancel_reason_text": reason, "refund_amount": REFUND,
            "cancel_line_items": _items(n, "cancel", (TEE_SKU, TEE_SKU)),
            "seller_next_action_response": [{"action": "SELLER_RESPOND_CANCEL",
                                             "deadline": deadline}] if deadline else [],
            "create_time": NOW - 20 * HOUR, "update_time": NOW - 20 * HOUR}


def a_return(n: int, kind: str, status: str, *, action: str = "", deadline: int = 0,
             reason: str = "Wrong size", **extra: Any) -> dict[str, Any]:
    return {"return_id": f"40350000000000000{n:02d}", "order_id": order_id(n),
            "return_type": kind, "return_status": status, "role": "BUYER",
            "return_reason": "ecom_order_delivered_refund_and_return_reason_wrong_size",
            "return_reason_text": reason, "refund_amount": REFUND,
            "return_line_items": _items(n, "return", (TEE_SKU, MUG_SKU)),
            "seller_next_action_response": [{"action": action, "deadline": deadline}]
            if action else [],
            "create_time": NOW - 30 * HOUR, "update_time": NOW - 30 * HOUR, **extra}


ORDERS = [
    order(1, "AWAITING_SHIPMENT", asked_to_cancel=True),
    order(2, "AWAITING_SHIPMENT", asked_to_cancel=True),
    order(3, "AWAITING_SHIPMENT"),
    *(order(n, "DELIVERED", units=(TEE_SKU, MUG_SKU)) for n in (4, 5, 6, 7)),
    order(8, "COMPLETED", units=(TEE_SKU, MUG_SKU)),
    order(9, "CANCELLED"),
    order(10, "IN_TRANSIT"),
]
PACKAGES = [package(1), package(2), package(3)]
CANCELLATIONS = [
    cancellation(1, "CANCELLATION_REQUEST_PENDING", deadline=NOW + DAY + 4 * HOUR),
    cancellation(2, "CANCELLATION_REQUEST_PENDING", deadline=NOW - 3 * HOUR,
                 reason="Ordered by mistake"),
    cancellation(9, "CANCELLATION_REQUEST_COMPLETE"),
    cancellation(10, "CANCELLATION_REQUEST_CANCELLED", reason="Found a better price"),
]
RETURNS = [
    a_return(4, "RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_PENDING",
             action="SELLER_RESPOND_RETURN", deadline=NOW + 5 * HOUR, reason="Wrong size"),
    a_return(5, "REFUND", "RETURN_OR_REFUND_REQUEST_PENDING", action="SELLER_RESPOND_REFUND",
             deadline=NOW + 2 * DAY, reason="Item arrived damaged", can_buyer_keep_item=True),
    a_return(6, "RETURN_AND_REFUND", "BUYER_SHIPPED_ITEM",
             action="SELLER_RESPOND_RECEIVE_PACKAGE", deadline=NOW + 30 * HOUR,
             reason="Not as described", return_tracking_number="9200190100000000000001",
             return_provider_name="USPS", handover_method="DROP_OFF"),
    a_return(7, "RETURN_AND_REFUND", "AWAITING_BUYER_SHIP", reason="Wrong size"),
    a_return(8, "RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_COMPLETE",
             reason="Item arrived damaged", arbitration_status="SUPPORT_BUYER"),
]


def cancel_id(n: int) -> str:
    return f"40360000000000000{n:02d}"


def return_id(n: int) -> str:
    return f"40350000000000000{n:02d}"


def png(red: int) -> bytes:
    return encode_rgb(4, [bytes([red, 90, 40] * 4)] * 4)


def fill(path: Path) -> None:
    with Store.open(path) as store:
        store.shops.upsert([{"id": SHOP, "name": "Bloom & Co", "region": "US"}])
        store.save_page(SHOP, "products", [
            {"id": product, "title": title, "status": "ACTIVATE", "create_time": NOW - 90 * DAY,
             "update_time": NOW - 90 * DAY, "skus": [{"id": sku, "seller_sku": seller_sku}]}
            for product, title, sku, seller_sku in ((TEE, "Cotton tee", TEE_SKU, "TEE-BLK-M"),
                                                    (MUG, "Enamel mug", MUG_SKU, "MUG-01"))],
            None)
        for product, red in ((TEE, 200), (MUG, 40)):
            link = f"https://p16.example/{product}.png"
            store.save_page(SHOP, "product_details", [{
                "product_id": product, "product_update_time": NOW - 90 * DAY,
                "details": {"id": product, "main_images": [{"uri": product,
                                                             "thumb_urls": [link]}]},
                "image": {"url": link, "data": png(red)}}], None)
        store.save_page(SHOP, "orders", ORDERS, None)
        store.save_page(SHOP, "packages", PACKAGES, None)
        store.save_page(SHOP, "cancellations", CANCELLATIONS, None)
        store.save_page(SHOP, "returns", RETURNS, None)


@dataclass
class AnsweringSession:
    """The cached shop, answering requests as TikTok Shop would (the service is tested against
    the demo shop in tests/services/test_request_answers.py): an answered request no longer
    waits; one in `refuse` is refused with its message."""

    store_path: Path
    shop_id: str = SHOP
    refuse: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[Answer, ...]] = field(default_factory=list)
    reason_calls: list[tuple[str, ...]] = field(default_factory=list)

    @functools.cached_property
    def cache(self) -> CacheLanes:
        return CacheLanes(self.store_path)

    def answer_requests(self, answers: Sequence[Answer] = (),
                        cancel: threading.Event | None = None) -> AnswersResult:
        self.calls.append(tuple(answers))
        results, changes = [], Changes()
        with self.cache.using("serial") as store:
            for given in answers:
                if given.request_id in self.refuse:
                    results.append(AnswerResult(given.request_id, given.answer, "failed",
                                                self.refuse[given.request_id]))
                    continue
                request = store.requests.get([given.request_id])[given.request_id]
                raw = dict(request.raw)
                raw["seller_next_action_response"] = []
                raw["update_time"] = NOW + MINUTE
                approved = given.answer == APPROVE
                if request.kind == "cancel":
                    raw["cancel_status"] = ("CANCELLATION_REQUEST_COMPLETE" if approved
                                            else "CANCELLATION_REQUEST_CANCELLED")
                    changes |= store.save_page(SHOP, "cancellations", [raw], None)
                else:
                    raw["return_status"] = ("RETURN_OR_REFUND_REQUEST_SUCCESS" if approved
                                            else "REFUND_OR_RETURN_REQUEST_REJECT")
                    changes |= store.save_page(SHOP, "returns", [raw], None)
                results.append(AnswerResult(given.request_id, given.answer, "done"))
        return AnswersResult(tuple(results), None, changes)

    def reject_reasons(self, request_ids: Sequence[str], cancel: threading.Event | None = None
                       ) -> dict[str, tuple[tuple[str, str], ...]]:
        self.reason_calls.append(tuple(request_ids))
        return {r: CANCEL_REASONS if r.startswith("4036") else RETURN_REASONS
                for r in request_ids}


def make_tab(qtbot: QtBot, session: AnsweringSession, tasks: ImmediateTaskRunner,
             settings: Settings) -> RequestsTab:
    tab = RequestsTab(session, tasks, settings, clock=lambda: NOW)  # type: ignore[arg-type]
    qtbot.addWidget(tab)
    tab.resize(1500, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab
