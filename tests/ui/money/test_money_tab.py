"""The Money tab over a cached shop (synchronous runner): statements of a range with their
totals, a statement opened fetches its transactions once and keeps them, the sales figures, the
CSV files; and what an order earned on the Orders tab's detail pane."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "store"))
from finance_samples import (
    DAY,
    NOV_1,
    SHOP,
    adjustment_transaction,
    order_transaction,
    sample_order,
    statement,
)

from tiktok_desktop.api.errors import NetworkError
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.payouts import StatementTransactions
from tiktok_desktop.store import Store
from tiktok_desktop.ui.money import MoneyTab
from tiktok_desktop.ui.orders.detail import OrderDetailPane
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

NOW = NOV_1 + 3 * DAY + 15 * 3600  # 4 Nov 2026, afternoon
ORDER = "576000000000000001"
FIRST = "7330000000000000001"


@dataclass
class CachedShop:
    store_path: Path
    shop_id: str = SHOP
    answers: dict[str, list[dict]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    offline: bool = False

    @functools.cached_property
    def cache(self) -> CacheLanes:
        return CacheLanes(self.store_path)

    def statement_transactions(self, statement_id: str, cancel=None) -> StatementTransactions:
        self.asked.append(statement_id)
        if self.offline:
            raise NetworkError("connection refused")
        return StatementTransactions(statement_id, tuple(self.answers.get(statement_id, [])),
                                     {"currency": "USD"})


@pytest.fixture
def shop(tmp_path: Path) -> CachedShop:
    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        store.shops.upsert([{"id": SHOP, "name": "Bloom & Co", "region": "US"}])
        store.save_page(SHOP, "statements", [
            statement(1, NOV_1, revenue="100.00", fee="-8.00", shipping="-2.00"),
            statement(2, NOV_1 + DAY, revenue="50.00", fee="-4.00", adjustment="3.50",
                      status="PROCESSING"),
            statement(3, NOV_1 - 200 * DAY, revenue="10.00", fee="-1.00"),  # April
        ], None)
        store.save_page(SHOP, "orders", [
            sample_order(1, created=NOV_1 - 5 * DAY),
            sample_order(2, created=NOW - 3600, prices=("12.00", "8.00")),
            sample_order(3, created=NOW - 3600, status="CANCELLED", prices=("70.00",)),
        ], None)
    answers = {FIRST: [order_transaction(1, ORDER, revenue="100.00", fee="-8.00",
                                         shipping="-2.00")],
               "7330000000000000002": [adjustment_transaction(2, "3.50")]}
    return CachedShop(path, answers=answers)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.open(tmp_path)


@pytest.fixture
def tab(qtbot: QtBot, shop: CachedShop, settings: Settings):
    widget = MoneyTab(shop, ImmediateTaskRunner(), settings, clock=lambda: NOW,
                      today=lambda: date(2026, 11, 4))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    yield widget
    widget.shop_closing()


def cells(model, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_statements_of_this_month_with_totals(tab: MoneyTab) -> None:
    payouts = tab.payouts
    assert tab.title == "Money" and payouts.range.preset == "This month"
    assert payouts.model.rowCount() == 2 and payouts.summary.text() == "2 statements"
    assert cells(payouts.model, 1)[:4] == ["Sun 1 Nov 2026", "$90.00", "$100.00", "−$8.00"]
    assert cells(payouts.model, 1)[7] == "Paid out Mon 2 Nov 2026"
    assert cells(payouts.model, 0)[7] == "Being paid out"
    text = payouts.totals.text()
    assert "2 statements: settlement $139.50" in text and "adjustments $3.50" in text
    assert "Paid out $90.00, being paid out $49.50" in text
    payouts.range.set_preset("Last 90 days")
    assert payouts.model.rowCount() == 2
    payouts.range.set_dates(date(2026, 4, 1), date(2026, 11, 30))
    assert payouts.model.rowCount() == 3 and payouts.range.preset == "Custom dates"


def test_recent_statements_are_fetched_once_and_kept(tab: MoneyTab, shop: CachedShop,
                                                     qtbot: QtBot) -> None:
    # Both recent statements were loaded by themselves as the tab opened; April's not.
    qtbot.waitUntil(lambda: not tab.payouts.filling)
    assert sorted(shop.asked) == [FIRST, "7330000000000000002"]
    pane = tab.payouts.pane
    assert pane.statement_id == "7330000000000000002"  # the newest is open
    assert cells(pane.model, 0)[0] == "Logistics reimbursement"
    with qtbot.waitSignal(tab.payouts.opened):
        assert tab.payouts.select_statement(FIRST)
    assert cells(pane.model, 0)[:2] == ["Order", ORDER]
    assert cells(pane.model, 0)[3] == "1 × Cotton tee (Black, M)"
    assert cells(pane.model, 0)[8] == "$90.00" and pane.note.text() == "1 order."
    tab.payouts.reload()
    assert sorted(shop.asked) == [FIRST, "7330000000000000002"]  # read from the cache now
    with Store.open(shop.store_path) as store:
        assert store.finance.order_earnings(ORDER).settled


def test_an_old_statement_is_fetched_when_opened_and_a_failure_offers_a_retry(
        tab: MoneyTab, shop: CachedShop) -> None:
    shop.offline = True
    shop.answers["7330000000000000003"] = [
        order_transaction(3, "576000000000000009", revenue="10.00", fee="-1.00")]
    tab.payouts.range.set_dates(date(2026, 4, 1), date(2026, 4, 30))  # opens it, offline
    assert tab.payouts.select_statement("7330000000000000003")
    pane = tab.payouts.pane
    assert "Couldn't load this statement's orders. Can't reach TikTok Shop" in pane.note.text()
    assert not pane.retry.isHidden()
    shop.offline = False
    pane.retry.click()
    assert pane.model.rowCount() == 1 and pane.retry.isHidden()
    assert shop.asked.count("7330000000000000003") == 2


def test_sales_figures_and_exports(tab: MoneyTab, tmp_path: Path) -> None:
    sales = tab.sales
    report = sales.report
    assert report is not None
    today = report.periods[0]
    assert today.now.orders == 1 and str(today.now.revenue) == "20.00"
    assert today.now.cancelled == 1
    assert "$20.00" in sales.cards[0].text() and "Not counted: 1 cancelled" in sales.cards[0].text()
    assert sales.top_model.rowCount() == 1
    assert cells(sales.top_model, 0)[4:] == ["3", "$40.00"]  # with 27 October's order
    if sales.chart.view is not None:
        assert sales.chart.series.barSets()[0].count() == 30
        assert "1 order, 2 units, $20.00" in sales.chart.day_text(29)
    daily, top = tmp_path / "daily.csv", tmp_path / "top.csv"
    from tiktok_desktop.services.sales import daily_csv, top_skus_csv

    sales.export_to(daily, daily_csv, report, "the daily sales")
    sales.export_to(top, top_skus_csv, report, "the top SKUs")
    assert daily.read_bytes().startswith(b"\xef\xbb\xbfDate,Orders,Units,Revenue,Currency\r\n")
    assert '"=""1729500000000000001"""' in top.read_text("utf-8-sig")
    statements = tmp_path / "statements.csv"
    tab.payouts.export_to(statements, tab.payouts.rows)
    lines = statements.read_text("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[1].startswith("2026-11-01,")  # oldest first


def test_the_tab_keeps_its_page_and_range(qtbot: QtBot, tab: MoneyTab, shop: CachedShop,
                                          settings: Settings) -> None:
    tab.pages.setCurrentWidget(tab.sales)
    tab.payouts.range.set_preset("Last month")
    tab.save_state()
    again = MoneyTab(shop, ImmediateTaskRunner(), settings, clock=lambda: NOW,
                     today=lambda: date(2026, 11, 4))
    qtbot.addWidget(again)
    assert again.pages.currentWidget() is again.sales
    assert again.payouts.range.preset == "Last month"
    assert again.payouts.model.rowCount() == 0  # nothing in October
    assert again.payouts.totals.text() == "No statements in this period."
    again.shop_closing()


def test_the_order_detail_says_what_the_order_earned(qtbot: QtBot, tab: MoneyTab,
                                                     shop: CachedShop) -> None:
    pane = OrderDetailPane(clock=lambda: NOW)
    qtbot.addWidget(pane)
    with Store.open(shop.store_path) as store:
        pane.show_order(store.orders.detail(ORDER))
        text = pane.toPlainText()
        assert "You earned\nRevenue\n$100.00\nTikTok Shop fees\n−$8.00" in text
        assert "Shipping you paid\n−$2.00\nYou earned\n$90.00" in text
        assert "Paid out 2 Nov 2026 (statement of 1 Nov 2026)" in text
        pane.show_order(store.orders.detail("576000000000000002"))  # placed today
        assert "You earned\nNot paid out yet. TikTok Shop pays" in pane.toPlainText()
        pane.show_order(store.orders.detail("576000000000000003"))  # cancelled
        assert "You earned" not in pane.toPlainText()
