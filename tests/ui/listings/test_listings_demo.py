"""The Listings tab in the real app on the demo shop (real task runner, real sync): a listing in
every state after the first sync, failed review with TikTok's reasons, live ones sold out, and
a scanned seller SKU selecting its product."""

from __future__ import annotations

from pathlib import Path

from demo_app import running_app
from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.store.listings import STATUS_TABS
from tiktok_desktop.ui.listings import ListingsTab

CONFIG = DemoShopConfig(seed=21, orders=80, products=50)
WAIT_MS = 30_000


def count(tab: ListingsTab, index: int) -> int:
    text = tab.filters.status_tabs.tabText(index)
    return int(text.rsplit("(", 1)[1].rstrip(")")) if "(" in text else 0


def test_the_demo_shop_has_a_listing_in_every_state(qtbot: QtBot, qapp, tmp_path: Path) -> None:
    with running_app(qtbot, qapp, tmp_path / "data", CONFIG) as app:
        window = app.window
        tab = app.tab(ListingsTab)
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: all(count(tab, i) > 0 for i in range(len(STATUS_TABS))),
                        timeout=WAIT_MS)
        health = tab.filters.health_buttons
        qtbot.waitUntil(lambda: not health["out_of_stock"].text().startswith("0 "),
                        timeout=WAIT_MS)

        health["failing_review"].click()
        qtbot.waitUntil(lambda: tab.model.rowCount() == count(tab, 3), timeout=WAIT_MS)
        failed = tab.model.row(0).product_id
        with qtbot.waitSignal(tab.product_shown, timeout=WAIT_MS):
            tab.select_row(0)
        # Get Product's answer arrives with the sync's product details.
        qtbot.waitUntil(lambda: "Why it failed review" in tab.detail.text.toPlainText(),
                        timeout=WAIT_MS)
        assert "TikTok suggests" in tab.detail.text.toPlainText()
        assert tab.detail.product_id == failed

        store = window.session.cache.gui()
        sku = store.conn.execute(
            "SELECT k.seller_sku, k.product_id FROM skus k JOIN products p ON p.id = k.product_id "
            "WHERE p.status = 'FREEZE' LIMIT 1").fetchone()
        with qtbot.waitSignal(tab.product_shown, timeout=WAIT_MS):
            assert tab.take_scan(sku[0])
        assert tab.detail.product_id == sku[1] and tab.filters.status == "All"
        assert app.problems == [] and app.crash_reports() == []
