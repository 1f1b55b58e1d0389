"""The detail pane beside the Requests table: one request as a seller reads it before answering —
where it stands, what to do and by when (in the seller's time), what each answer does, the
buyer's reason, the items with their pictures, the refund line by line, how a return travels,
and the seller's answer on its way. Text is selectable (an order number can be copied)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QPixmap, QTextDocument
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from tiktok_desktop.services.deadlines import when, zone_name
from tiktok_desktop.services.request_answers import AnswerResult
from tiktok_desktop.services.request_plans import AnswerState
from tiktok_desktop.services.request_words import action_name, dispute_name, status_name, type_name
from tiktok_desktop.store.requests import BuyerRequest
from tiktok_desktop.ui.formatting import Urgency, countdown, date_time_long, money
from tiktok_desktop.ui.orders.detail import MUTED, STYLE
from tiktok_desktop.ui.pictures import THUMBNAIL_PX
from tiktok_desktop.ui.requests.words import (
    approve_effect,
    item_line,
    reject_effect,
    result_text,
    state_text,
)

AMBER = "#b26a00"
PICTURE = "picture:"  # the scheme of a product picture in the pane's document
REFUND_LINES = (("refund_subtotal", "Items"), ("refund_shipping_fee", "Shipping"),
                ("refund_tax", "Tax"), ("retail_delivery_fee", "Retail delivery fee"),
                ("buyer_service_fee", "Service fee"))
HANDOVER = {"PICKUP": "picked up from the buyer", "DROP_OFF": "dropped off by the buyer"}


def _deadline(request: BuyerRequest, now: int) -> str:
    if not request.needs_answer:
        return ""
    if not request.deadline:
        return f"<p><b>{escape(action_name(request))}</b></p>"
    due = countdown(request.deadline, now, verb="Answer")
    assert due is not None
    colour = {Urgency.OVERDUE: "urgent", Urgency.SOON: "soon"}.get(due.urgency, "")
    zone = zone_name(request.deadline)
    by = when(request.deadline, now) + (f" {zone}" if zone else "")
    late = (" TikTok Shop may decide for the buyer once the deadline has passed."
            if due.urgency is Urgency.OVERDUE else "")
    return (f"<p><b>{escape(action_name(request))}</b><br>"
            f'<span class="{colour}">{escape(due.text)}</span> '
            f'<span class="muted">(by {escape(by)})</span>{escape(late)}</p>')


def _answers(request: BuyerRequest) -> str:
    if not request.needs_answer:
        return ""
    return (f"<p><b>If you approve:</b> {escape(approve_effect(request))}<br>"
            f"<b>If you reject:</b> {escape(reject_effect(request))}</p>")


def _items(request: BuyerRequest, pictures: Mapping[str, Any]) -> str:
    rows = []
    for item in request.items:
        picture = (f'<img src="{PICTURE}{escape(item.product_id)}" width="{THUMBNAIL_PX}" '
                   f'height="{THUMBNAIL_PX}">' if item.product_id in pictures else "")
        sku = (f'<br><span class="muted">SKU {escape(item.seller_sku)}</span>'
               if item.seller_sku else "")
        rows.append(f'<tr><td valign="top">{picture}</td>'
                    f'<td valign="top">{escape(item_line(item))}{sku}</td></tr>')
    units = sum(i.quantity for i in request.items)
    heading = f"Items ({units} unit{'' if units == 1 else 's'})"
    return f"<h3>{heading}</h3><table>{''.join(rows)}</table>" if rows else ""


def _refund(request: BuyerRequest) -> str:
    amounts = request.raw.get("refund_amount") or {}
    if not request.refund:
        return ""
    rows = [f'<tr><td>{label}</td><td align="right" class="amount">'
            f"{escape(money(amounts.get(key), request.currency))}</td></tr>"
            for key, label in REFUND_LINES if amounts.get(key) not in (None, "", "0", "0.00")]
    rows.append(f'<tr><td><b>Refund</b></td><td align="right" class="amount"><b>'
                f"{escape(money(request.refund, request.currency))}</b></td></tr>")
    return f"<h3>Refund</h3><table>{''.join(rows)}</table>"


def _travel(request: BuyerRequest) -> str:
    """How a return comes back, once there is something to say."""
    raw = request.raw
    lines = []
    if raw.get("handover_method") in HANDOVER:
        lines.append(f"The item is {HANDOVER[raw['handover_method']]}.")
    tracking = raw.get("return_tracking_number")
    if tracking:
        carrier = raw.get("return_provider_name") or "Tracking"
        lines.append(f"{carrier}: <b>{escape(str(tracking))}</b>")
    address = (raw.get("return_warehouse_address") or {}).get("full_address")
    if address:
        lines.append(f'<span class="muted">Back to {escape(str(address))}</span>')
    if raw.get("can_buyer_keep_item"):
        lines.append("The buyer keeps the item.")
    return "<h3>Return</h3><p>" + "<br>".join(lines) + "</p>" if lines else ""


def request_html(request: BuyerRequest, now: int, *, state: AnswerState | None = None,
                 result: AnswerResult | None = None,
                 pictures: Mapping[str, Any] | None = None) -> str:
    """The pane's contents for one request (times in the seller's zone)."""
    where = status_name(request)
    dispute = dispute_name(request)
    answer = ""
    if state is not None:
        style = "urgent" if state.state == "failed" else ""
        answer = f'<p class="{style}"><b>{escape(state_text(state))}</b></p>'
    elif result is not None:
        answer = f"<p><b>{escape(result_text(result))}</b></p>"
    asked = f"Asked {escape(date_time_long(request.create_time))}"
    changed = (f" · last change {escape(date_time_long(request.update_time))}"
               if request.update_time > request.create_time else "")
    return (
        f"<style>{STYLE} .soon {{ color: {AMBER}; font-weight: bold; }}</style>"
        f"<h2>{escape(type_name(request))} · order {escape(request.order_id)}</h2>"
        f"<p><b>{escape(where)}</b>"
        + (f"<br>{escape(dispute)}" if dispute else "") + "</p>"
        + answer + (_deadline(request, now) + _answers(request) if state is None else "")
        + f"<h3>Buyer's reason</h3><p>{escape(request.reason or 'None given')}</p>"
        + _items(request, pictures or {}) + _refund(request) + _travel(request)
        + f'<p class="muted">{asked}{changed}<br>Request {escape(request.id)}</p>'
    )


NOTHING_SELECTED = (f'<p align="center" style="color: {MUTED}; margin-top: 40px;">'
                    "Select a request to see what the buyer asks, and what each answer "
                    "does.</p>")


class RequestDetailPane(QTextBrowser):
    """Shows the request it is given; `show_request(None)` shows a hint instead."""

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._clock = clock
        self._shown: tuple[BuyerRequest, AnswerState | None, AnswerResult | None] | None = None
        self._pictures: dict[str, QPixmap] = {}
        self._html = NOTHING_SELECTED
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        self.setHtml(NOTHING_SELECTED)

    @property
    def request_id(self) -> str | None:
        return self._shown[0].id if self._shown else None

    def show_request(self, request: BuyerRequest | None, state: AnswerState | None = None,
                     result: AnswerResult | None = None,
                     pictures: Mapping[str, QPixmap] | None = None) -> None:
        same = request is not None and self._shown is not None and \
            self._shown[0].id == request.id
        self._shown = None if request is None else (request, state, result)
        self._pictures = {p: pixmap for p, pixmap in (pictures or {}).items() if pixmap}
        html = NOTHING_SELECTED if request is None else request_html(
            request, int(self._clock()), state=state, result=result, pictures=self._pictures)
        if html == self._html:
            return
        scroll = self.verticalScrollBar().value()
        self._html = html
        self.setHtml(html)
        if same:
            self.verticalScrollBar().setValue(scroll)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """The items' pictures, from the table's thumbnails (the rest as QTextBrowser does)."""
        name = url.toString() if isinstance(url, QUrl) else str(url)
        if kind == QTextDocument.ResourceType.ImageResource.value and name.startswith(PICTURE):
            return self._pictures.get(name[len(PICTURE):])
        return super().loadResource(kind, url)

    def tick(self) -> None:
        """Move the countdown on (called every minute)."""
        if self._shown is not None:
            self.show_request(*self._shown, pictures=self._pictures)
