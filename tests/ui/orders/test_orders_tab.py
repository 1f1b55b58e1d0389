"""The Orders tab: status tabs with counts, search as you type, the scanner, dates, sorting, the
detail pane, and refreshing after a sync without losing the seller's place."""

from __future__ import annotations

from datetime import date, datetime

from orders_samples import HAND_MADE, HOUR, NOW, SHOP, make_tab, order, order_id
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.orders.columns import COLUMN_KEYS
from tiktok_desktop.ui.settings import Settings


def shown_ids(tab: OrdersTab) -> list[str]:
    return list(tab.model.order_ids)


def column_texts(tab: OrdersTab, key: str) -> list[str]:
    column = COLUMN_KEYS.index(key)
    return [tab.model.index(row, column).data() for row in range(tab.model.rowCount())]


def tab_texts(tab: OrdersTab) -> list[str]:
    bar = tab.filters.status_tabs
    return [bar.tabText(i) for i in range(bar.count())]


def search(qtbot: QtBot, tab: OrdersTab, text: str) -> None:
    """Type into the search box and wait for the short pause that starts the search."""
    tab.filters.search.clear()
    with qtbot.waitSignal(tab.filters.search_changed, timeout=2000):
        qtbot.keyClicks(tab.filters.search, text)


def test_every_order_newest_first_with_counts_per_status(tab):
    assert shown_ids(tab) == [o["id"] for o in sorted(HAND_MADE, key=lambda o: -o["create_time"])]
    assert tab_texts(tab) == ["All (7)", "Unpaid (1)", "On hold (1)", "To ship (3)",
                              "Ship today / overdue (1)", "Awaiting collection (0)",
                              "In transit (1)", "Delivered (0)", "Completed (0)", "Cancelled (1)"]
    assert tab.filters.summary.text() == "7 orders"


def test_a_status_tab_shows_only_its_orders(tab):
    tab.filters.status_tabs.setCurrentIndex(3)  # To ship
    assert sorted(shown_ids(tab)) == [order_id(1), order_id(2), order_id(7)]
    assert set(column_texts(tab, "status")) == {"To ship"}
    assert tab.filters.summary.text() == "3 orders"
    tab.filters.set_status("Cancelled")
    assert shown_ids(tab) == [order_id(6)]


def test_search_as_you_type_finds_buyer_product_sku_and_tracking(qtbot, tab):
    search(qtbot, tab, "bob")
    assert shown_ids(tab) == [order_id(2)]
    search(qtbot, tab, "wool so")  # product words, the last one still being typed
    assert sorted(shown_ids(tab)) == sorted(order_id(n) for n in (1, 2, 4, 7))
    search(qtbot, tab, "TEE-BLK")  # a seller SKU
    assert order_id(2) not in shown_ids(tab) and order_id(5) in shown_ids(tab)
    search(qtbot, tab, "94001118992")  # the start of a tracking number
    assert shown_ids(tab) == [order_id(5)]


def test_counts_follow_the_search_once_the_typing_pauses(qtbot, tab):
    search(qtbot, tab, "wool")
    qtbot.waitUntil(lambda: tab_texts(tab)[:4] == ["All (4)", "Unpaid (1)", "On hold (0)",
                                                    "To ship (3)"])


def test_a_search_that_finds_nothing_says_so(qtbot, tab):
    search(qtbot, tab, "zebra")
    assert tab.model.rowCount() == 0
    assert tab.table.empty_note.isVisibleTo(tab)
    assert "zebra" in tab.table.empty_note.text()
    assert tab.detail.order_id is None


def test_a_scanned_order_number_opens_that_order_even_outside_the_status_tab(qtbot, tab):
    tab.filters.set_status("Cancelled")
    tab.filters.search.setText(order_id(5))
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert tab.filters.status == "All"  # the filter that hid it was lifted
    assert tab.detail.order_id == order_id(5)
    assert tab.table.currentIndex().row() == tab.model.row_of(order_id(5))
    assert tab.filters.search.selectedText() == order_id(5)  # the next scan replaces it


def test_a_scanned_tracking_number_opens_its_order(qtbot, tab):
    with qtbot.waitSignal(tab.order_shown) as shown:
        tab.filters.search.setText("9400111899223344556677")
        qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert shown.args == [order_id(5)]


def test_a_scan_lifts_a_date_range_that_hides_the_order(qtbot, tab):
    tab.filters.dates.setCurrentText("Today")
    tab.filters.search.setText(order_id(6))  # placed 20 days ago
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert tab.filters.dates.currentText() == "Any time"
    assert tab.detail.order_id == order_id(6)


def test_enter_without_an_exact_match_opens_the_first_order_found(qtbot, tab):
    tab.filters.search.setText("gina")
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert shown_ids(tab) == [order_id(7)]
    assert tab.detail.order_id == order_id(7)


def test_escape_clears_the_search(qtbot, tab):
    search(qtbot, tab, "bob")
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Escape)
    assert tab.filters.search.text() == ""
    assert len(shown_ids(tab)) == len(HAND_MADE)


def test_date_presets_and_custom_dates(tab, monkeypatch):
    today = datetime.fromtimestamp(NOW).date()
    monkeypatch.setattr("tiktok_desktop.ui.orders.filter_bar.date", _FixedDate.on(today))
    tab.filters.dates.setCurrentText("Last 7 days")
    assert order_id(6) not in shown_ids(tab) and order_id(5) not in shown_ids(tab)
    assert order_id(1) in shown_ids(tab)
    tab.filters.dates.setCurrentText("Custom dates")
    placed = QDate(datetime.fromtimestamp(HAND_MADE[5]["create_time"]).date())
    tab.filters.date_from.setDate(placed)
    tab.filters.date_to.setDate(placed)
    assert shown_ids(tab) == [order_id(6)]


class _FixedDate(date):
    fixed: date

    @classmethod
    def on(cls, day: date) -> type[_FixedDate]:
        return type("FixedDate", (cls,), {"fixed": day})

    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return cls.fixed


def test_clicking_a_header_sorts_by_that_column(qtbot, tab):
    total = COLUMN_KEYS.index("total")
    tab.table.sortByColumn(total, Qt.SortOrder.AscendingOrder)
    amounts = [float(t.lstrip("$")) for t in column_texts(tab, "total")]
    assert amounts == sorted(amounts)
    tab.table.sortByColumn(COLUMN_KEYS.index("buyer"), Qt.SortOrder.DescendingOrder)
    buyers = column_texts(tab, "buyer")
    assert buyers == sorted(buyers, reverse=True)


def test_selecting_an_order_shows_its_detail(qtbot, tab):
    with qtbot.waitSignal(tab.order_shown):
        tab.table.selectRow(tab.model.row_of(order_id(1)))
    text = tab.detail.toPlainText()
    assert f"Order {order_id(1)}" in text
    assert "Items (3 units)" in text
    assert "2 ×" in text and "Cotton tee" in text and "SKU TEE-BLK-M" in text
    assert "Please <b>gift</b> wrap" in text  # the buyer's words, not markup
    assert "M*** K***" in text and "(+1)213-***-1234" in text
    assert "Ship within 1 d 4 h" in text


def test_the_ship_by_column_counts_down(tab):
    texts = dict(zip(shown_ids(tab), column_texts(tab, "ship_by"), strict=True))
    assert texts[order_id(1)] == "1 d 4 h left"
    assert texts[order_id(7)] == "3 h overdue"
    assert texts[order_id(4)] == ""  # unpaid: no deadline yet
    assert texts[order_id(5)] == ""  # shipped


def test_every_minute_the_countdowns_move_on_without_resetting_the_view(
        qtbot, shop, tasks, settings):
    now = [NOW]
    tab = OrdersTab(shop, tasks, settings, clock=lambda: now[0])
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    tab.select_row(tab.model.row_of(order_id(1)))
    ship_by = COLUMN_KEYS.index("ship_by")
    row = tab.model.row_of(order_id(1))
    assert tab.model.index(row, ship_by).data() == "1 d 4 h left"
    now[0] += 5 * HOUR
    with qtbot.assertNotEmitted(tab.model.modelReset):
        tab.tick()
    assert tab.model.index(row, ship_by).data() == "23 h left"
    assert tab.detail.order_id == order_id(1) and "23 h" in tab.detail.toPlainText()
    tab.shop_closing()


def test_a_sync_that_adds_orders_keeps_the_selected_order_and_the_place(qtbot, tab, shop):
    tab.select_row(tab.model.row_of(order_id(5)))
    with Store.open(shop.store_path) as store:
        store.save_page(SHOP, "orders", [order(100 + n, created=NOW - 5 * HOUR - n)
                                         for n in range(300)], None)
    tab.refresh(Changes.of(SHOP, orders=300))
    assert tab.model.rowCount() == len(HAND_MADE) + 300
    assert tab.detail.order_id == order_id(5)
    assert tab.table.currentIndex().row() == tab.model.row_of(order_id(5))
    qtbot.waitUntil(lambda: tab_texts(tab)[0] == f"All ({len(HAND_MADE) + 300})")


def test_a_sync_keeps_the_order_at_the_top_of_a_scrolled_view(qtbot, tab, shop):
    with Store.open(shop.store_path) as store:
        store.save_page(SHOP, "orders", [order(100 + n, created=NOW - 5 * HOUR - n)
                                         for n in range(300)], None)
    tab.refresh(Changes.of(SHOP, orders=300))
    tab.table.scrollTo(tab.model.index(150, 0), tab.table.ScrollHint.PositionAtTop)
    top = tab.model.order_id(tab.table.rowAt(0))
    assert top == tab.model.order_id(150)
    with Store.open(shop.store_path) as store:  # two new orders arrive at the top
        store.save_page(SHOP, "orders", [order(900, created=NOW), order(901, created=NOW)],
                        None)
    tab.refresh(Changes.of(SHOP, orders=2))
    assert tab.model.order_id(tab.table.rowAt(0)) == top


def test_a_sync_that_changed_nothing_on_screen_repaints_nothing(qtbot, tab):
    tab.select_row(tab.model.row_of(order_id(2)))
    with qtbot.assertNotEmitted(tab.model.modelReset), qtbot.assertNotEmitted(
            tab.model.dataChanged):
        tab.refresh(Changes.of(SHOP, orders=1))
    assert tab.detail.order_id == order_id(2)


def test_an_order_that_leaves_the_view_leaves_the_selection_too(qtbot, tab, shop):
    tab.filters.set_status("To ship")
    tab.select_row(tab.model.row_of(order_id(2)))
    with Store.open(shop.store_path) as store:  # shipped elsewhere: no longer "To ship"
        store.conn.execute("UPDATE orders SET status = 'IN_TRANSIT' WHERE id = ?",
                           (order_id(2),))
    tab.refresh(Changes.of(SHOP, orders=1))
    assert order_id(2) not in shown_ids(tab)
    assert tab.detail.order_id is None
    assert not tab.table.selectionModel().hasSelection()


def test_changes_to_other_tables_or_shops_do_not_query_again(tab, tasks):
    asked = len(tasks.tasks)
    tab.refresh(Changes.of(SHOP, skus=4, stock=9))
    tab.refresh(Changes.of("another shop", orders=3))
    assert len(tasks.tasks) == asked


def test_the_column_layout_is_remembered(qtbot, tab, shop, tasks, settings):
    header = tab.table.horizontalHeader()
    buyer = COLUMN_KEYS.index("buyer")
    header.setSectionHidden(buyer, True)
    header.moveSection(COLUMN_KEYS.index("total"), 1)
    tab.table.setColumnWidth(COLUMN_KEYS.index("status"), 222)
    tab.save_state()
    again = make_tab(qtbot, shop, tasks, settings)
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(buyer)
    assert header.visualIndex(COLUMN_KEYS.index("total")) == 1
    assert again.table.columnWidth(COLUMN_KEYS.index("status")) == 222
    again.shop_closing()


def test_a_narrow_window_steps_tracking_then_buyer_aside(qtbot, tab):
    header = tab.table.horizontalHeader()
    tracking, buyer = COLUMN_KEYS.index("tracking_number"), COLUMN_KEYS.index("buyer")
    items = COLUMN_KEYS.index("item_summary")
    tab.resize(2400, 600)
    qtbot.waitUntil(lambda: not header.isSectionHidden(tracking))
    assert not header.isSectionHidden(buyer)
    tab.resize(1000, 600)  # the tab of a 1024 x 700 window
    qtbot.waitUntil(lambda: header.isSectionHidden(tracking))
    shown = [s for s in range(header.count()) if not header.isSectionHidden(s)]
    assert sum(header.sectionSize(s) for s in shown) <= tab.table.viewport().width()
    assert tab.table.columnWidth(items) >= tab.fontMetrics().averageCharWidth() * 16
    assert tab.table.fitted  # saved as the default: fitted afresh at the next start
    tab.resize(2400, 600)
    qtbot.waitUntil(lambda: not header.isSectionHidden(tracking))
    tab.table.choose_column(buyer, False)  # the seller's choice: kept, no more fitting
    tab.resize(1000, 600)
    qtbot.wait(50)
    assert not header.isSectionHidden(tracking) and header.isSectionHidden(buyer)
    assert not tab.table.fitted


def test_the_sort_comes_back_with_a_fitted_layout(qtbot, tab, shop, tasks, settings):
    tab.resize(1000, 600)  # tracking stepped aside
    header = tab.table.horizontalHeader()
    header.setSortIndicator(COLUMN_KEYS.index("total"), Qt.SortOrder.AscendingOrder)
    tab.save_state()
    again = make_tab(qtbot, shop, tasks, settings)
    again.resize(2400, 600)
    header = again.table.horizontalHeader()
    assert again.table.sort_key == ("total", False)
    qtbot.waitUntil(lambda: not header.isSectionHidden(COLUMN_KEYS.index("tracking_number")))
    again.shop_closing()


def test_the_status_tab_and_dates_come_back_but_not_the_search(
        qtbot, shop, tasks, settings, tab) -> None:
    tab.filters.set_status("To ship")
    tab.filters.dates.setCurrentText("Last 7 days")
    tab.filters.search.setText("maria")
    tab.save_state()
    again = make_tab(qtbot, shop, tasks, Settings.open(settings.path.parent))
    assert again.filters.status == "To ship"
    assert again.filters.dates.currentText() == "Last 7 days"
    assert again.filters.search.text() == ""
    again.shop_closing()
