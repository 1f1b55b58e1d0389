"""A scan reaches the right place from anywhere in the window: the order, the package to ship,
or the SKU — the search box showing just the code."""

from __future__ import annotations

from pathlib import Path

from demo_app import running_app
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.store import Changes
from tiktok_desktop.ui.fulfillment.queue_model import ITEMS
from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.orders import OrdersTab

CONFIG = DemoShopConfig(seed=12, orders=120, products=8)
WAIT_MS = 30_000


def scan(qtbot: QtBot, widget, code: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, code)  # as fast as a scanner
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_scans_from_any_tab_and_focus_go_where_they_belong(
        qtbot: QtBot, qapp, tmp_path: Path) -> None:
    with running_app(qtbot, qapp, tmp_path / "data", CONFIG) as app:
        window = app.window
        window.activateWindow()  # keys go to the focus widget, as on a desktop
        qtbot.waitActive(window)
        orders, inventory = app.tab(OrdersTab), app.tab(InventoryTab)
        fulfillment = app.tab(FulfillmentTab)
        window.tabs.setCurrentWidget(fulfillment)  # a hidden tab reads its queue when shown
        qtbot.waitUntil(lambda: orders.model.rowCount() > 0 and len(fulfillment.all) > 0,
                        timeout=WAIT_MS)
        window.tabs.setCurrentWidget(orders)
        fulfillment.refresh(Changes.of(window.session.shop_id, packages=1))
        assert fulfillment._stale and not fulfillment._reading  # hidden: read when shown
        store = window.session.cache.gui()
        shop_id = window.session.shop_id
        order_id = store.conn.execute(
            "SELECT id FROM orders WHERE shop_id = ? ORDER BY create_time LIMIT 1",
            (shop_id,)).fetchone()[0]

        # Focus on the orders table, old text in the search box: the scan replaces it.
        orders.filters.search.setText("hoodie")
        scan(qtbot, orders.table, order_id)
        qtbot.waitUntil(lambda: orders.detail.order_id == order_id, timeout=WAIT_MS)
        assert orders.filters.search.text() == order_id

        # From the Inventory tab, a seller SKU stays there; an order number goes to Orders.
        window.tabs.setCurrentWidget(inventory)
        sku = store.conn.execute("SELECT seller_sku FROM skus WHERE shop_id = ? LIMIT 1",
                                 (shop_id,)).fetchone()[0]
        scan(qtbot, inventory.table, sku)
        assert window.tabs.currentWidget() is inventory
        assert inventory.filters.search.text() == sku
        # The scan opens the SKU's count, ready to type; Escape leaves it, as a seller would.
        qtbot.waitUntil(lambda: inventory.table.state()
                        == QAbstractItemView.State.EditingState, timeout=WAIT_MS)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        another = store.conn.execute(
            "SELECT id FROM orders WHERE shop_id = ? ORDER BY create_time DESC LIMIT 1",
            (shop_id,)).fetchone()[0]
        window.tabs.setCurrentWidget(inventory)
        inventory.filters.search.setFocus()
        scan(qtbot, inventory.filters.search, another)
        qtbot.waitUntil(lambda: window.tabs.currentWidget() is orders
                        and orders.detail.order_id == another, timeout=WAIT_MS)

        # In the Fulfillment tab a scanned order number selects its package.
        window.tabs.setCurrentWidget(fulfillment)
        package = fulfillment.all[0]
        scan(qtbot, fulfillment.table, package.order_id)
        assert window.tabs.currentWidget() is fulfillment, window.tabs.currentWidget()
        assert fulfillment.selected_ids() == [package.id]
        assert fulfillment.search.text() == package.order_id
        assert app.crash_reports() == []


def test_the_last_tab_and_its_filters_come_back_at_the_next_start(
        qtbot: QtBot, qapp, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_app(qtbot, qapp, data, CONFIG) as app:
        fulfillment = app.tab(FulfillmentTab)
        app.window.tabs.setCurrentWidget(fulfillment)
        qtbot.waitUntil(lambda: fulfillment.model.rowCount() > 0, timeout=WAIT_MS)
        fulfillment.table.setColumnWidth(ITEMS, 333)  # the seller sizes a column
        fulfillment.state.setCurrentIndex(fulfillment.state.findData("to_arrange"))
        fulfillment.shipping.setCurrentIndex(fulfillment.shipping.findData("SELLER"))
    with running_app(qtbot, qapp, data, CONFIG) as app:
        fulfillment = app.tab(FulfillmentTab)
        assert app.window.tabs.currentWidget() is fulfillment
        assert fulfillment.state.currentData() == "to_arrange"
        assert fulfillment.shipping.currentData() == "SELLER"
        assert fulfillment.table.columnWidth(ITEMS) == 333
