"""Buyers' requests where the seller works on their orders: a line on the order in the Orders tab's
detail ("Buyer asked to cancel — answer within 1 d 4 h", or where a return stands), and the
Fulfillment tab holding back a package whose buyer asked to cancel until the seller answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot
from requests_samples import (
    NOW,
    SHOP,
    AnsweringSession,
    cancellation,
    order,
    order_id,
    package_id,
)

from tiktok_desktop.services.shipping import ShipOptions
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.fulfillment.queue_model import RED, STATE
from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab
from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.orders.detail import OrderDetailPane
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner


@dataclass
class ShippingSession(AnsweringSession):
    """The cached shop, recording what the Fulfillment tab asks to ship."""

    asked: list[Any] = field(default_factory=list)

    def ship_options(self, tiktok_package: str | None, delivery_option_ids: Any) -> ShipOptions:
        self.asked.append(tiktok_package)
        return ShipOptions()


@pytest.fixture
def shipping(session: AnsweringSession) -> ShippingSession:
    return ShippingSession(session.store_path)


@pytest.fixture
def heard() -> Iterator[list[messages.Message]]:
    found: list[messages.Message] = []
    messages.bus().posted.connect(found.append)
    yield found
    messages.bus().posted.disconnect(found.append)


def detail_text(qtbot: QtBot, session: AnsweringSession, n: int) -> str:
    pane = OrderDetailPane(clock=lambda: NOW)
    qtbot.addWidget(pane)
    pane.show_order(session.cache.gui().orders.detail(order_id(n)))
    return pane.toPlainText()


def test_the_order_says_the_buyer_asked_to_cancel_and_by_when(
        qtbot: QtBot, session: AnsweringSession, new_york: None) -> None:
    text = detail_text(qtbot, session, 1)
    assert ("Buyer asked to cancel — answer within 1 d 4 h (by Sat 16 Jan 2027, 07:00 EST)\n"
            "Answer it in the Requests tab.") in text
    assert "Buyer asked to cancel — overdue by 3 h: answer now" in detail_text(qtbot, session, 2)
    assert ("Buyer asked to return it — answer within 5 h"
            in detail_text(qtbot, session, 4))
    assert ("The buyer's return came back: check it — answer within 1 d 6 h"
            in detail_text(qtbot, session, 6))
    waiting = detail_text(qtbot, session, 7)
    assert "Return and refund: approved, waiting for the buyer to send it back" in waiting
    assert "Answer it in the Requests tab" not in waiting
    assert "Return and refund: refunded" in detail_text(qtbot, session, 8)
    assert "Cancellation: not cancelled (rejected or withdrawn)" in detail_text(qtbot, session, 10)
    assert "Buyer asked" not in detail_text(qtbot, session, 3)


def test_the_orders_tab_shows_the_answer_once_the_request_changes(
        qtbot: QtBot, session: AnsweringSession, new_york: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tab = OrdersTab(session, ImmediateTaskRunner(), Settings.open(tmp_path),  # type: ignore[arg-type]
                    clock=lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    tab.open_scanned(order_id(1))
    assert "Buyer asked to cancel" in tab.detail.toPlainText()
    with Store.open(session.store_path) as store:
        answered = cancellation(1, "CANCELLATION_REQUEST_CANCELLED")
        answered["update_time"] = NOW
        store.save_page(SHOP, "cancellations", [answered], None)
    tab.refresh(Changes.of(SHOP, cancellations=1))
    text = tab.detail.toPlainText()
    assert "Cancellation: not cancelled (rejected or withdrawn)" in text
    assert "Buyer asked to cancel" not in text
    tab.shop_closing()


@pytest.fixture
def fulfillment(qtbot: QtBot, shipping: ShippingSession, tmp_path) -> Iterator[FulfillmentTab]:  # type: ignore[no-untyped-def]
    tab = FulfillmentTab(shipping, ImmediateTaskRunner(), Settings.open(tmp_path),  # type: ignore[arg-type]
                         clock=lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1400, 700)
    with qtbot.waitSignal(tab.queue_read):
        tab.show()
    yield tab
    tab.shop_closing()


def state_of(tab: FulfillmentTab, n: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    row = tab.model.row_of(package_id(n))
    assert row is not None
    return tab.model.index(row, STATE).data(role)


def test_fulfillment_holds_a_package_whose_buyer_asked_to_cancel(
        fulfillment: FulfillmentTab, shipping: ShippingSession,
        heard: list[messages.Message]) -> None:
    tab = fulfillment
    assert state_of(tab, 1) == state_of(tab, 2) == "Buyer asked to cancel: answer first"
    assert state_of(tab, 3) == "To arrange"
    brush = state_of(tab, 1, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == RED
    assert state_of(tab, 1, Qt.ItemDataRole.ToolTipRole) == (
        "The buyer asked to cancel this order. Answer the request in the Requests tab within "
        "1 d 4 h: approve it and the order is cancelled; reject it and the package ships as "
        "usual.")
    assert "overdue by 3 h" in state_of(tab, 2, Qt.ItemDataRole.ToolTipRole)
    assert "2 held: the buyer asked to cancel" in tab.counts.text()
    tab.select_all_to_arrange()
    assert tab.selected_ids() == [package_id(3)]
    tab.select([package_id(1)])
    assert not tab.arrange_button.isEnabled()
    tab.select([package_id(1), package_id(3)])
    assert tab.arrange_button.isEnabled()
    tab.ask_how_to_ship = lambda chosen, options: None  # type: ignore[method-assign]
    tab.arrange()
    assert heard[-1].level is messages.Level.WARNING
    assert heard[-1].text == (
        "1 package is not shipped: the buyer asked to cancel (order 576000000000000001). "
        "Answer in the Requests tab first: approve and the order is cancelled; reject and it "
        "can ship.")
    assert shipping.asked == [package_id(3)]  # only the other one goes on


def test_a_package_ships_again_once_the_cancellation_is_rejected(
        qtbot: QtBot, fulfillment: FulfillmentTab, shipping: ShippingSession) -> None:
    with Store.open(shipping.store_path) as store:
        answered = cancellation(1, "CANCELLATION_REQUEST_CANCELLED")  # read back after the
        answered["update_time"] = NOW                                # seller's rejection
        store.save_page(SHOP, "cancellations", [answered], None)
        # The order itself still says the buyer asked (it is read back by the next sync);
        # the newer request says it was answered.
        assert store.orders.detail(order_id(1)).raw["is_buyer_request_cancel"] is True
        asked_only = order(3, "AWAITING_SHIPMENT", asked_to_cancel=True)  # its request has
        asked_only["update_time"] = NOW                                   # not synced yet
        store.save_page(SHOP, "orders", [asked_only], None)
    with qtbot.waitSignal(fulfillment.queue_read):
        fulfillment.refresh(Changes.of(SHOP, cancellations=1))
    assert state_of(fulfillment, 1) == "To arrange"
    assert state_of(fulfillment, 3) == "Buyer asked to cancel: answer first"
    assert state_of(fulfillment, 3, Qt.ItemDataRole.ToolTipRole).startswith(
        "The buyer asked to cancel this order. Answer the request in the Requests tab:")
