"""The detail pane beside the Orders table: one order as a seller reads it before packing.

Line items grouped by SKU with quantities (the API lists one line item per unit), the buyer and
address exactly as masked by TikTok Shop, the buyer's message, what the buyer paid, packages
with tracking, and the ship-by deadline as a countdown. Text is selectable: an order number or a
tracking number can be copied.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from tiktok_desktop.services.request_words import order_note
from tiktok_desktop.store import LineGroup, OrderDetail, PackageInfo
from tiktok_desktop.ui.formatting import Urgency, countdown, date_time_long, money
from tiktok_desktop.ui.orders.columns import (
    SHIPPED_BY,
    WAITING_TO_SHIP,
    item_line,
    order_status,
    status_name,
)
from tiktok_desktop.ui.orders.earned import earned_html

RED = "#c62828"
MUTED = "#6b6b6b"
# A package's status in words; PROCESSING covers both "to ship" and "shipped, not collected
# yet", told apart by its tracking number (PackageInfo.has_shipped).
PACKAGE_STATUS = {"TO_FULFILL": "Not shipped yet", "PROCESSING": "Not shipped yet",
                  "FULFILLING": "On its way", "COMPLETED": "Delivered", "CANCELLED": "Cancelled"}
SHIPPED_NOT_COLLECTED = "Shipped, waiting for the carrier to collect it"
# What the buyer paid, line by line (payment fields of §8.1); discounts are taken off.
PAYMENT_LINES: tuple[tuple[str, str, bool], ...] = (
    ("original_total_product_price", "Products", False),
    ("seller_discount", "Your discount", True),
    ("platform_discount", "TikTok discount", True),
    ("original_shipping_fee", "Shipping", False),
    ("shipping_fee_seller_discount", "Your shipping discount", True),
    ("shipping_fee_platform_discount", "TikTok shipping discount", True),
    ("tax", "Tax", False),
    ("retail_delivery_fee", "Retail delivery fee", False),
    ("small_order_fee", "Small order fee", False),
    ("buyer_service_fee", "Service fee", False),
)
ALWAYS_SHOWN = {"original_total_product_price", "original_shipping_fee"}
STYLE = f"""
h2 {{ margin: 0; }}
h3 {{ margin-top: 14px; margin-bottom: 4px; }}
.muted {{ color: {MUTED}; }}
.urgent {{ color: {RED}; font-weight: bold; }}
td {{ padding: 1px 6px 1px 0; }}
td.amount {{ white-space: nowrap; }}
"""


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _deadline(detail: OrderDetail, now: int) -> str:
    order = detail.order
    if order.status == "ON_HOLD":
        return ('<p class="muted">On hold: not shippable yet (the buyer can still cancel '
                "freely). It moves to To ship by itself.</p>")
    if order.status not in WAITING_TO_SHIP:
        return ""
    due = countdown(order.ship_by, now)
    if due is None:
        return ""
    style = "urgent" if due.urgency in (Urgency.SOON, Urgency.OVERDUE) else ""
    return (f'<p><span class="{style}">{escape(due.text)}</span> '
            f'<span class="muted">(ship by {escape(date_time_long(order.ship_by))})</span></p>')


def _requests(detail: OrderDetail, now: int) -> str:
    """The buyer's cancellations and returns of the order: what the seller must answer, and by
    when, or where each stands (answered in the Requests tab)."""
    lines = []
    for request in detail.requests:
        text, urgency = order_note(request, now)
        style = "urgent" if urgency in (Urgency.SOON, Urgency.OVERDUE) else ""
        by = (f' <span class="muted">(by {escape(date_time_long(request.deadline))})</span>'
              if request.needs_answer and request.deadline else "")
        lines.append(f'<span class="{style}">{escape(text)}</span>{by}'
                     if request.needs_answer else f"{escape(text)}")
    if not lines:
        return ""
    answer = ('<br><span class="muted">Answer it in the Requests tab.</span>'
              if any(r.needs_answer for r in detail.requests) else "")
    return f"<p>{'<br>'.join(lines)}{answer}</p>"


def _items(groups: tuple[LineGroup, ...]) -> str:
    units = sum(g.quantity for g in groups)
    rows = []
    for group in groups:
        name = escape(group.product_name or "Unnamed product")
        variant = f"<br>{escape(group.sku_name)}" if group.sku_name else ""
        sku = (f'<br><span class="muted">SKU {escape(group.seller_sku)}</span>'
               if group.seller_sku else "")
        each = money(group.unit_price, group.currency)
        total = money(_amount(group.unit_price) * group.quantity, group.currency)
        rows.append(
            f'<tr><td valign="top" class="amount"><b>{group.quantity} ×</b></td>'
            f'<td valign="top">{name}{variant}{sku}</td>'
            f'<td valign="top" align="right" class="amount muted">{escape(each)}</td>'
            f'<td valign="top" align="right" class="amount">{escape(total)}</td></tr>')
    heading = f"Items ({units} unit{'' if units == 1 else 's'})"
    return f'<h3>{heading}</h3><table width="100%">{"".join(rows)}</table>'


def _buyer(detail: OrderDetail) -> str:
    raw, address = detail.raw, detail.recipient_address
    lines = [f"<b>{escape(str(raw.get('buyer_nickname') or 'Buyer'))}</b>"]
    who = ", ".join(escape(str(address[k])) for k in ("name", "phone_number") if address.get(k))
    if who:
        lines.append(who)
    if address.get("full_address"):
        lines.append(escape(str(address["full_address"])))
    delivery = [str(raw[k]) for k in ("delivery_option_name",) if raw.get(k)]
    if raw.get("shipping_type") in SHIPPED_BY:
        delivery.append(f"shipped by {SHIPPED_BY[raw['shipping_type']]}")
    if delivery:
        lines.append(f'<span class="muted">{escape(" · ".join(delivery))}</span>')
    return "<h3>Buyer</h3><p>" + "<br>".join(lines) + "</p>"


def _message(detail: OrderDetail) -> str:
    if not detail.buyer_message.strip():
        return ""
    text = escape(detail.buyer_message.strip()).replace("\n", "<br>")
    return f"<h3>Buyer message</h3><p>“{text}”</p>"


def _payment(payment: Mapping[str, Any], raw: Mapping[str, Any]) -> str:
    currency = payment.get("currency")
    rows = []
    for key, label, taken_off in PAYMENT_LINES:
        amount = _amount(payment.get(key))
        if key not in ALWAYS_SHOWN and amount == 0:
            continue
        rows.append(f'<tr><td>{label}</td><td align="right" class="amount">'
                    f"{escape(money(-amount if taken_off else amount, currency))}</td></tr>")
    rows.append(f'<tr><td><b>Buyer paid</b></td><td align="right" class="amount"><b>'
                f"{escape(money(payment.get('total_amount'), currency))}</b></td></tr>")
    method = (f'<p class="muted">Paid with {escape(str(raw["payment_method_name"]))}</p>'
              if raw.get("payment_method_name") else "")
    return f'<h3>Payment</h3><table width="100%">{"".join(rows)}</table>{method}'


def _package_state(package: PackageInfo) -> str:
    if package.status == "PROCESSING" and package.has_shipped:
        return SHIPPED_NOT_COLLECTED
    return PACKAGE_STATUS.get(package.status or "", status_name(package.status))


def _contents(line_item_ids: set[str], groups: tuple[LineGroup, ...]) -> list[str]:
    """"2 × Cotton tee (Black, M)" for each SKU with units among these line items."""
    return [item_line(replace(group, quantity=held))
            for group in groups if (held := len(line_item_ids.intersection(group.line_item_ids)))]


def _packages(packages: tuple[PackageInfo, ...], groups: tuple[LineGroup, ...]) -> str:
    if not packages:
        return '<h3>Packages</h3><p class="muted">Not shipped yet.</p>'
    rows = []
    for number, package in enumerate(packages, 1):
        tracking = (f"{escape(package.shipping_provider_name or 'Tracking')}: "
                    f"<b>{escape(package.tracking_number)}</b>" if package.tracking_number
                    else '<span class="muted">no tracking number yet</span>')
        items = "".join(f"<br>{escape(line)}"
                        for line in _contents(set(package.line_item_ids), groups))
        title = f"Package {number} of {len(packages)}" if len(packages) > 1 else "Package"
        rows.append(f"<p><b>{title}</b> · {escape(_package_state(package))}<br>"
                    f'<span class="muted">{escape(package.id)}</span><br>{tracking}{items}</p>')
    packed = {i for p in packages if p.status != "CANCELLED" for i in p.line_item_ids}
    waiting = _contents({i for g in groups for i in g.line_item_ids} - packed, groups)
    if waiting and any(p.line_item_ids for p in packages):  # a package says what it holds
        rows.append("<p><b>Not in a package yet</b>"
                    + "".join(f"<br>{escape(line)}" for line in waiting) + "</p>")
    return "<h3>Packages</h3>" + "".join(rows)


def _cancelled(detail: OrderDetail) -> str:
    if detail.order.status != "CANCELLED":
        return ""
    by = str(detail.raw.get("cancellation_initiator") or "").lower()
    reason = detail.order.cancel_reason or "no reason given"
    who = f" by the {escape(by)}" if by in ("buyer", "seller") else ""
    return f'<p class="urgent">Cancelled{who}: {escape(reason)}</p>'


def order_html(detail: OrderDetail, now: int) -> str:
    """The pane's contents for one order (times in the seller's zone)."""
    order = detail.order
    placed = f"Placed {escape(date_time_long(order.create_time))}"
    return (
        f"<style>{STYLE}</style>"
        f"<h2>Order {escape(order.id)}</h2>"
        f"<p><b>{escape(order_status(order.status, detail.packages))}</b> · {placed}</p>"
        + _cancelled(detail) + _requests(detail, now) + _deadline(detail, now)
        + _items(detail.items)
        + _buyer(detail) + _message(detail) + _payment(detail.payment, detail.raw)
        + earned_html(detail)
        + _packages(detail.packages, detail.items)
    )


NOTHING_SELECTED = (f'<p align="center" style="color: {MUTED}; margin-top: 40px;">'
                    "Select an order to see its items, buyer, payment and packages.</p>")


class OrderDetailPane(QTextBrowser):
    """Shows the order it is given; `show_order(None)` shows a hint instead."""

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._clock = clock
        self._detail: OrderDetail | None = None
        self._html = NOTHING_SELECTED
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        self.setHtml(NOTHING_SELECTED)

    def event(self, event: QEvent) -> bool:
        """Ctrl+C and Ctrl+A act on the pane's text while it has the focus, not on the tab's
        selected orders (a read-only text view leaves them to the window's shortcuts)."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and (
                event.matches(QKeySequence.StandardKey.Copy)
                or event.matches(QKeySequence.StandardKey.SelectAll)):
            event.accept()
            return True
        return super().event(event)

    @property
    def order_id(self) -> str | None:
        return self._detail.order.id if self._detail else None

    def show_order(self, detail: OrderDetail | None) -> None:
        html = NOTHING_SELECTED if detail is None else order_html(detail, int(self._clock()))
        same = detail is not None and self._detail is not None and (
            detail.order.id == self._detail.order.id)
        self._detail = detail
        if html == self._html:  # a refresh that changed nothing here: no new layout
            return
        scroll = self.verticalScrollBar().value()
        self._html = html
        self.setHtml(html)
        if same:  # the same order refreshed (a sync, the countdown): stay where the seller was
            self.verticalScrollBar().setValue(scroll)

    def tick(self) -> None:
        """Move the countdown on (called every minute)."""
        if self._detail is not None:
            self.show_order(self._detail)
