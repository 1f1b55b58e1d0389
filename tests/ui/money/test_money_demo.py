"""The Money tab on the demo shop with the real task runner: statements over months after a
sync, recent statements' orders loaded by themselves in the background, an older statement
fetched when opened and kept for offline reading, and the order's detail saying what it
earned."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services"))
from demo_sessions import synced_session

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.ui.money import MoneyTab
from tiktok_desktop.ui.orders.detail import order_html
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

WAIT_MS = 30_000


@pytest.fixture
def session(tmp_path: Path) -> Iterator[ShopSession]:
    config = DemoShopConfig(seed=33, orders=300, products=60, rate_limit=0)
    with DemoShop(config) as shop, synced_session(shop, tmp_path, "money") as opened:
        opened.demo_shop = shop  # type: ignore[attr-defined]
        yield opened


def test_statements_and_their_orders_on_the_real_runner(qtbot: QtBot, tmp_path: Path,
                                                        session: ShopSession) -> None:
    tasks = TaskRunner()
    tab = MoneyTab(session, tasks, Settings.open(tmp_path))
    qtbot.addWidget(tab)
    tab.resize(1300, 850)
    tab.show()
    changes = []
    tab.changed.connect(changes.append)
    try:
        payouts = tab.payouts
        payouts.range.set_preset("Last 90 days")
        qtbot.waitUntil(lambda: payouts.model.rowCount() > 30, timeout=WAIT_MS)
        months = {payouts.model.data(payouts.model.index(r, 0)).rsplit(" ", 2)[1]
                  for r in range(payouts.model.rowCount())}
        assert len(months) >= 2  # statements over months
        # Recent statements are loaded one at a time in the background, then announced.
        qtbot.waitUntil(lambda: not payouts.filling and payouts.fill_note.text() == "",
                        timeout=WAIT_MS)
        assert changes and any(c.touches("statement_transactions") for c in changes)
        with session.cache.using("parallel") as store:
            assert store.finance.unfetched(session.shop_id) == []
            row = store.conn.execute(
                "SELECT order_id FROM statement_transactions WHERE type = 'ORDER' "
                "LIMIT 1").fetchone()
            detail = store.orders.detail(row[0])
        assert detail.earnings.settled
        assert "You earned" in order_html(detail, 0) and "statement of" in order_html(detail, 0)
        # Opening a statement shows its orders from the cache, adjustments included.
        world = session.demo_shop.world  # type: ignore[attr-defined]
        adjusted = next(s for s in sorted(world.statements, key=lambda s: -s.statement_time)
                        if s.adjustment)
        first = date.fromtimestamp(adjusted.statement_time - 86_400)
        with qtbot.waitSignal(payouts.listed, timeout=WAIT_MS):
            payouts.range.set_dates(first, date.today())
        assert payouts.model.find(adjusted.id) is not None
        with qtbot.waitSignal(payouts.opened, timeout=WAIT_MS,
                              check_params_cb=lambda shown: shown == adjusted.id):
            payouts.select_statement(adjusted.id)
        pane = payouts.pane
        qtbot.waitUntil(lambda: pane.model.rowCount() == len(adjusted.order_ids) + 1,
                        timeout=WAIT_MS)
        assert "adjustment" in pane.note.text()
        # The sales page has its figures from the same cache.
        tab.pages.setCurrentWidget(tab.sales)
        qtbot.waitUntil(lambda: tab.sales.report is not None, timeout=WAIT_MS)
        assert tab.sales.report.has_orders and tab.sales.top_model.rowCount() > 0
    finally:
        tab.shop_closing()
        tasks.shutdown()
