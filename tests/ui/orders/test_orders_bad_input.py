"""What a seller pastes into the Orders search (a page of text, control characters) is
searched in part, as the box shows; and the tab's questions never hold back the seller's stock
edits: a slow search still running, an edit made meanwhile reaches the outbox (a crash then
would otherwise lose it). Issue 17."""

from __future__ import annotations

import threading

from orders_samples import SHOP, CachedShop, order_id
from PySide6.QtGui import QGuiApplication

from tiktok_desktop.services.stock_edits import Change, stock_writer
from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.store.orders import Orders
from tiktok_desktop.store.search import MAX_SEARCH_CHARS
from tiktok_desktop.ui.orders import OrdersTab, queries
from tiktok_desktop.ui.orders.queries import OrderLists
from tiktok_desktop.ui.tasks import TaskRunner

EDIT = Change("1729500000000000001", "7068000000000000001", "1729000000000000001", new=5,
              based_on=10)


def waiting_edits(shop: CachedShop) -> int:
    with Store.open(shop.store_path) as store:
        return store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]


def slow_searches(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make order searches wait: (a search is running, let it go on)."""
    reading, release = threading.Event(), threading.Event()
    listing = Orders.ids

    def slow_ids(orders: Orders, query: OrderQuery) -> list[str]:
        reading.set()
        release.wait(10)
        return listing(orders, query)

    monkeypatch.setattr(Orders, "ids", slow_ids)
    return reading, release


def test_an_edit_reaches_the_outbox_while_a_slow_search_runs(qtbot, shop, monkeypatch):
    reading, release = slow_searches(monkeypatch)
    runner = TaskRunner()
    lists = OrderLists(shop.cache, runner)
    writer = stock_writer(shop.cache, SHOP)
    try:
        lists.ask(OrderQuery(SHOP, search="cotton tee"), with_counts=False)
        assert reading.wait(5)
        # As the Inventory tab queues an edit (ui/editing/commands.py).
        edit = runner.run(lambda control: writer.save([EDIT]), name="Saving stock edits",
                          lane="serial")
        qtbot.waitUntil(lambda: edit.finished, timeout=5000)
        assert lists.pending == 1  # the search is still running
        assert waiting_edits(shop) == 1
    finally:
        release.set()
    with qtbot.waitSignal(lists.listed, timeout=5000):
        pass
    runner.shutdown()
    shop.cache.close()


def test_a_pasted_page_is_cut_where_the_search_stops_reading(qtbot, tab: OrdersTab) -> None:
    QGuiApplication.clipboard().setText("bob\x00 " + "wool " * 5_000)
    with qtbot.waitSignal(tab.filters.search_changed, timeout=2000):
        tab.filters.search.paste()
    assert len(tab.filters.search.text()) == MAX_SEARCH_CHARS
    assert tab.current_query().search.split()[:2] == ["bob", "wool"]
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.order_id(0) == order_id(2)


def test_a_question_still_queued_when_the_shop_closes_is_skipped(qtbot, shop, monkeypatch):
    reading, release = slow_searches(monkeypatch)
    failures: list[BaseException] = []
    monkeypatch.setattr(queries.messages, "report_failure",
                        lambda error, doing=None: failures.append(error))
    runner = TaskRunner()
    lists = OrderLists(shop.cache, runner)
    closing = threading.Thread(target=shop.cache.close)
    try:
        lists.ask(OrderQuery(SHOP, search="cotton"), with_counts=False)
        assert reading.wait(5)
        lists.ask(OrderQuery(SHOP, search="wool"), with_counts=False)  # queued behind it
        lists.close()
        closing.start()  # as the window closes the session; it waits for the running read
        qtbot.waitUntil(lambda: shop.cache.closed, timeout=5000)
    finally:
        release.set()
    closing.join(10)
    qtbot.waitUntil(lambda: not runner.active_tasks, timeout=5000)
    assert failures == []
    runner.shutdown()
