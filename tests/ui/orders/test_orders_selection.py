"""Several orders at once (click, Shift+click, Ctrl+click, Ctrl+A), kept selected through a sync,
copied with Ctrl+C as a spreadsheet takes them; and the "Ship today / overdue" tab."""

from __future__ import annotations

from orders_samples import HAND_MADE, HOUR, NOW, SHOP, CachedShop, make_tab, order, order_id
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.orders import DUE_TODAY, end_of_today
from tiktok_desktop.ui.formatting import date_time
from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.orders.columns import COLUMN_KEYS
from tiktok_desktop.ui.orders.selection import select_rows
from tiktok_desktop.ui.tasks import TaskRunner

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def click(qtbot: QtBot, tab: OrdersTab, n: int,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    index = tab.model.index(tab.model.row_of(order_id(n)), 0)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     tab.table.visualRect(index).center())


def focus_table(qtbot: QtBot, tab: OrdersTab) -> None:
    tab.activateWindow()  # shortcuts go to the focused widget of the active window
    qtbot.waitActive(tab)
    tab.table.setFocus()


def select(tab: OrdersTab, *numbers: int) -> None:
    rows = [tab.model.row_of(order_id(n)) for n in numbers]
    tab.select_row(rows[0])
    select_rows(tab.table, rows)


def add_orders(tab: OrdersTab, shop: CachedShop, orders: list[dict]) -> None:
    with Store.open(shop.store_path) as store:
        store.save_page(SHOP, "orders", orders, None)
    tab.refresh(Changes.of(SHOP, orders=len(orders)))


def test_click_shift_click_and_ctrl_click_select_several_orders(qtbot, tab):
    # Newest first: orders 1, 2, 3, 4, 7, 5, 6.
    click(qtbot, tab, 1)
    click(qtbot, tab, 3, SHIFT)
    click(qtbot, tab, 5, CTRL)
    assert tab.selected_order_ids() == [order_id(1), order_id(2), order_id(3), order_id(5)]
    assert tab.detail.order_id == order_id(5)  # the pane shows the order clicked last
    click(qtbot, tab, 2, CTRL)  # Ctrl+click again: out of the selection
    assert tab.selected_order_ids() == [order_id(1), order_id(3), order_id(5)]
    click(qtbot, tab, 4)  # a plain click: that order alone
    assert tab.selected_order_ids() == [order_id(4)]


def test_ctrl_a_selects_every_order_listed(qtbot, tab):
    focus_table(qtbot, tab)
    qtbot.keyClick(tab.table, Qt.Key.Key_A, CTRL)
    assert tab.selected_order_ids() == list(tab.model.order_ids)
    assert len(tab.selected_order_ids()) == len(HAND_MADE)
    assert tab.edit_actions()["select_all"] is tab.select_all_action


def test_the_selection_stays_through_a_sync_that_adds_orders_above(qtbot, tab, shop):
    select(tab, 2, 5, 6)
    add_orders(tab, shop, [order(100 + n, created=NOW - n) for n in range(150)])  # on top
    assert tab.model.rowCount() == len(HAND_MADE) + 150
    assert tab.selected_order_ids() == [order_id(2), order_id(5), order_id(6)]
    assert tab.detail.order_id == order_id(2)
    tab.tick()  # the countdowns move on the same way
    assert tab.selected_order_ids() == [order_id(2), order_id(5), order_id(6)]


def test_orders_that_leave_the_list_leave_the_selection_the_rest_stays(qtbot, tab, shop):
    tab.filters.set_status("To ship")
    select(tab, 1, 2, 7)
    with Store.open(shop.store_path) as store:  # shipped elsewhere: no longer "To ship"
        store.conn.execute("UPDATE orders SET status = 'IN_TRANSIT' WHERE id = ?",
                           (order_id(1),))
    tab.refresh(Changes.of(SHOP, orders=1))
    assert tab.selected_order_ids() == [order_id(2), order_id(7)]
    assert tab.detail.order_id == order_id(2)  # the one shown left: the first kept is shown


def test_a_new_filter_keeps_only_the_current_order(qtbot, tab):
    select(tab, 1, 2)
    tab.filters.set_status("To ship")
    assert tab.selected_order_ids() == [order_id(1)]


def test_ctrl_c_copies_the_selected_rows_as_shown(qtbot, tab):
    header = tab.table.horizontalHeader()
    header.moveSection(header.visualIndex(COLUMN_KEYS.index("buyer")), 0)
    header.setSectionHidden(COLUMN_KEYS.index("ship_by"), True)
    header.setSectionHidden(COLUMN_KEYS.index("item_count"), False)  # Units
    select(tab, 2, 5)
    QGuiApplication.clipboard().clear()
    focus_table(qtbot, tab)
    qtbot.keyClick(tab.table, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == (
        "Buyer\tOrder\tStatus\tOrdered\tItems\tUnits\tTotal\tTracking\n"
        f"bob_builder\t{order_id(2)}\tTo ship\t{ordered(2)}\t1 × Wool socks (Grey)\t1\t$6.00\t\n"
        f"eve\t{order_id(5)}\tIn transit\t{ordered(5)}\t2 × Cotton tee (Black, M)\t2\t$25.00\t"
        "9400111899223344556677\n")
    assert tab.edit_actions()["copy"] is tab.copy_action


def ordered(n: int) -> str:
    return date_time(HAND_MADE[n - 1]["create_time"])


def test_ctrl_c_in_the_search_box_or_the_detail_copies_their_text(qtbot, tab):
    select(tab, 2, 5)
    focus_table(qtbot, tab)
    tab.filters.search.setFocus()
    tab.filters.search.setText("maria")
    tab.filters.search.selectAll()
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "maria"
    tab.detail.setFocus()
    tab.detail.selectAll()
    qtbot.keyClick(tab.detail, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text().startswith(f"Order {order_id(2)}")


def test_copying_on_the_real_task_runner(qtbot, shop, settings):
    runner = TaskRunner()
    tab = make_tab(qtbot, shop, runner, settings)
    qtbot.waitUntil(lambda: tab.model.rowCount() == len(HAND_MADE))
    select(tab, 1, 2)
    with qtbot.waitSignal(tab.lists.copied, timeout=5000) as copied:
        tab.copy_action.trigger()
    lines = copied.args[0].splitlines()
    assert lines[0].startswith("Order\tStatus\t") and len(lines) == 3
    assert QGuiApplication.clipboard().text() == copied.args[0]
    tab.shop_closing()
    runner.shutdown()


# -- the "Ship today / overdue" tab ------------------------------------------------------------

def test_ship_today_shows_overdue_and_due_today_not_tomorrow(qtbot, shop, tasks, settings):
    end = end_of_today(NOW)
    with Store.open(shop.store_path) as store:
        store.save_page(SHOP, "orders", [
            order(30, ship_by=end - 60),  # due later today
            order(31, ship_by=end + HOUR),  # due tomorrow
            order(32, status="PARTIALLY_SHIPPING", ship_by=NOW - HOUR),  # overdue
            order(33, status="ON_HOLD", ship_by=NOW - HOUR),  # can't ship yet
            order(34, status="IN_TRANSIT", ship_by=NOW - HOUR),  # shipped already
        ], None)
    tab = make_tab(qtbot, shop, tasks, settings)
    tab.filters.set_status(DUE_TODAY)
    # Order 7 (3 h overdue) from the hand-made ones, most urgent first when sorted by ship-by.
    assert sorted(tab.model.order_ids) == [order_id(n) for n in (7, 30, 32)]
    bar = tab.filters.status_tabs
    assert bar.tabText(bar.currentIndex()) == f"{DUE_TODAY} (3)"
    assert bar.tabText(3) == "To ship (6)"
    tab.shop_closing()


def test_a_scanned_order_due_later_opens_from_the_ship_today_tab(qtbot, tab):
    tab.filters.set_status(DUE_TODAY)
    assert order_id(1) not in tab.model.order_ids  # due tomorrow
    tab.filters.search.setText(order_id(1))
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert tab.filters.status == "All"
    assert tab.detail.order_id == order_id(1)
