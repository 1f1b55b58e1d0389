"""The main window: welcome page, the shop's tabs, syncing and polling, notifications, the
status bar, remembered geometry and columns, and its --smoke steps — over a fake session
whose sync writes orders straight into a real cache."""

from __future__ import annotations

import functools
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QTabWidget
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parent / "orders"))

from orders_samples import NOW, SHOP, fill_by_hand, order

from tiktok_desktop.api.errors import NetworkError
from tiktok_desktop.logs import LogBuffer
from tiktok_desktop.services import ConnectionState
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.sync import ResourceProgress, SyncProgress, SyncResult
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.app import AppContext, StartupOptions
from tiktok_desktop.ui.crash import CrashHandler
from tiktok_desktop.ui.edit_menu import ITEMS
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.main_window import SCREEN_KEY, TABS, MainWindow, open_main_window
from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.orders.columns import COLUMN_KEYS
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.shortcuts_dialog import EVERYWHERE, ShortcutsDialog
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

YEAR = 365 * 24 * 3600


class FakeSession:
    """A signed-in demo shop whose sync writes `next_orders` into the cache."""

    is_demo = True
    shop_name = "Demo Shop"
    rescued = None

    def __init__(self, store_path: Path) -> None:
        self.shop_id = SHOP
        self.store_path = store_path
        self.syncs = 0
        self.next_orders: list[dict] = []
        self.fail_with: BaseException | None = None
        self.online = True
        self.authorization_expires_at = int(time.time()) + YEAR
        self.closed = False

    @functools.cached_property
    def cache(self) -> CacheLanes:
        return CacheLanes(self.store_path)

    def sync(self, progress=None, cancel=None) -> SyncResult:
        self.syncs += 1
        if self.fail_with is not None:
            raise self.fail_with
        written, self.next_orders = self.next_orders, []
        with Store.open(self.store_path) as store:
            new = [o["id"] for o in written if o["id"] not in store.orders.existing(
                [o["id"] for o in written])]
            changes = store.save_page(SHOP, "orders", written, None) if written else Changes()
            store.shops.mark_synced(SHOP, int(time.time()))
        resources = (ResourceProgress("orders", len(written), 1, 1, True),)
        if progress is not None:
            progress(SyncProgress("orders", len(written), 1, 1, 0.1, 0.1, resources))
        return SyncResult(resources, changes, tuple(new), 1, 0.2, False)

    def connection(self) -> ConnectionState:
        return ConnectionState(self.online, int(time.time()) + 3600,
                               self.authorization_expires_at)

    def note_failure(self, error: BaseException) -> None:
        self.online = False

    def push_stock(self, progress=None, cancel=None, *, resume=False):
        raise AssertionError("these tests push no stock")

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def session(tmp_path: Path) -> FakeSession:
    path = tmp_path / "cache.sqlite3"
    fill_by_hand(path)
    return FakeSession(path)


@pytest.fixture
def context(qapp, tmp_path: Path) -> AppContext:
    return AppContext(qapp, StartupOptions(data_dir=tmp_path), Settings.open(tmp_path),
                      ImmediateTaskRunner(), LogBuffer(), CrashHandler(tmp_path))


def make_window(qtbot: QtBot, context: AppContext, session: FakeSession) -> MainWindow:
    window = MainWindow(context, open_session=lambda data_dir: session)
    window.ask_about_unpushed = lambda count: "keep"  # type: ignore[method-assign]  # no dialog
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, context, session):
    made = make_window(qtbot, context, session)
    yield made
    made.close_session()


@pytest.fixture
def shop_window(qtbot, window):
    window.welcome.demo_card.button.click()
    qtbot.waitUntil(lambda: window.tabs.count() == len(TABS))  # the later tabs come after
    return window


def orders_tab(window: MainWindow) -> OrdersTab:
    tab = window.tab(OrdersTab)
    assert isinstance(tab, OrdersTab)
    return tab


def test_without_a_shop_the_welcome_page_offers_the_demo_shop(window):
    assert window.pages.currentWidget() is window.welcome
    assert window.windowTitle() == "Welcome"
    assert window.welcome.demo_card.button.text() == "Explore the demo shop"
    assert not window.sync_action.isEnabled()
    assert not window.status.shop.isVisibleTo(window)


def test_exploring_the_demo_shop_opens_its_tabs_and_syncs(shop_window, session, context):
    window = shop_window
    assert window.pages.currentWidget() is window.shop_page
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Orders", "Listings", "Inventory", "Fulfillment", "Requests", "Money"]
    assert isinstance(window.tabs.widget(1), ListingsTab)
    assert isinstance(window.tabs.widget(2), InventoryTab)
    assert window.windowTitle() == "Demo shop"
    assert "Demo shop" in window.status.shop.text()
    assert "Online" in window.status.connection.text()
    assert window.status.synced.text() == "Synced just now"
    assert context.settings.shop_choice == "demo"
    assert session.syncs == 1
    assert orders_tab(window).model.rowCount() == 7


@pytest.mark.parametrize("how", ["--demo", "chosen before"])
def test_the_demo_shop_opens_at_once_with_demo_or_when_chosen_before(qtbot, context, session,
                                                                    how):
    if how == "--demo":
        context = AppContext(context.app, StartupOptions(demo=True, data_dir=Path("x")),
                             context.settings, context.tasks, context.log_buffer,
                             context.crash_handler)
    else:
        context.settings.shop_choice = "demo"
    window = open_main_window(context, lambda data_dir: session)
    qtbot.addWidget(window)
    assert window.pages.currentWidget() is window.shop_page
    assert window.windowTitle() == "Demo shop"
    window.close_session()


def test_menus_and_shortcuts(shop_window):
    assert shop_window.sync_action.shortcut() == QKeySequence("F5")
    assert shop_window.find_action.shortcut() == QKeySequence("Ctrl+F")
    titles = [a.text() for a in shop_window.menuBar().actions()]
    assert titles == ["&Shop", "&Edit", "&View", "&Help"]


def test_sync_now_pulls_and_the_orders_tab_shows_what_arrived(qtbot, shop_window, session):
    session.next_orders = [order(500, created=NOW + 60)]  # the newest order
    shop_window.sync_action.trigger()
    assert session.syncs == 2
    tab = orders_tab(shop_window)
    assert tab.model.order_id(0) == order(500)["id"]
    qtbot.waitUntil(lambda: tab.filters.status_tabs.tabText(0) == "All (8)")


def test_find_puts_the_cursor_in_the_search_box(shop_window):
    shop_window.find_action.trigger()
    assert shop_window.focusWidget() is orders_tab(shop_window).filters.search


def test_new_orders_are_announced(shop_window, session, monkeypatch):
    announced: list[tuple] = []
    monkeypatch.setattr(shop_window.notifier, "announce",
                        lambda ids, shop: announced.append((tuple(ids), shop)))
    session.next_orders = [order(500), order(501)]
    shop_window.sync_now()
    assert announced == [((order(500)["id"], order(501)["id"]), "Demo shop")]


def test_no_notification_when_the_seller_turned_them_off(shop_window, session, context,
                                                         monkeypatch):
    context.settings.notify_new_orders = False
    monkeypatch.setattr(shop_window.notifier, "announce",
                        lambda ids, shop: pytest.fail("announced"))
    session.next_orders = [order(500)]
    shop_window.sync_now()


def test_without_a_system_tray_the_news_goes_to_the_message_area(shop_window, qtbot):
    assert not shop_window.notifier.uses_tray  # offscreen has no tray
    with qtbot.waitSignal(messages.bus().posted) as posted:
        shop_window.notifier.announce(["1", "2", "3"], "Demo shop")
    message = posted.args[0]
    assert message.text == "3 new orders in Demo shop."
    assert message.action.label == "Open the newest"
    with qtbot.waitSignal(shop_window.notifier.open_requested) as opened:
        message.action.run()
    assert opened.args == ["3"]


def test_a_failed_sync_says_offline_and_why(shop_window, session):
    session.fail_with = NetworkError("connection refused")
    shop_window.sync_now()
    assert "Offline" in shop_window.status.connection.text()
    assert "Can't reach TikTok Shop" in shop_window.status.latest.toolTip()
    assert not shop_window.status.progress.isVisibleTo(shop_window)


def test_an_authorization_ending_soon_is_shown(shop_window, session):
    session.authorization_expires_at = int(time.time()) + 12 * 24 * 3600 + 60
    shop_window.sync_now()
    assert "Sign-in ends in 12 days" in shop_window.status.connection.text()
    ends = time.strftime("%Y-%m-%d", time.localtime(session.authorization_expires_at))
    assert ends in shop_window.status.connection.toolTip()
    assert "reconnect" in shop_window.status.connection.toolTip()


def test_the_status_bar_shows_progress_while_syncing(qtbot, window):
    bar = window.status
    bar.set_shop("Demo shop", demo=True)
    bar.sync_started()
    assert bar.progress.isVisibleTo(window) and bar.synced.text() == "Syncing…"
    resources = (ResourceProgress("orders", 1200, 12, 12, False),)
    bar.sync_progressed(SyncProgress("orders", 1200, 12, 12, 3.0, 1.0, resources))
    assert bar.progress.value() == 75
    assert bar.synced.text() == "Syncing orders… 1,200 items so far"
    bar.sync_ended(int(time.time()) - 120)
    assert not bar.progress.isVisibleTo(window)
    assert bar.synced.text() == "Synced 2 minutes ago"


def test_polling_follows_the_setting(context, qtbot, session):
    context.settings.poll_interval_minutes = 3
    window = make_window(qtbot, context, session)
    window.open_demo_shop()
    assert window.sync is not None
    assert window.sync.poll.isActive() and window.sync.poll.interval() == 3 * 60_000
    window.close_session()


def test_the_window_remembers_its_size_and_the_order_columns(qtbot, context, session):
    first = make_window(qtbot, context, session)
    first.open_demo_shop()
    first.resize(760, 580)  # within the offscreen screen (800 x 800): no clamping
    size = (first.width(), first.height())
    header = orders_tab(first).table.horizontalHeader()
    orders_tab(first).table.choose_column(COLUMN_KEYS.index("buyer"), False)  # header menu
    first.close()
    first.close_session()
    second = make_window(qtbot, context, session)
    second.open_demo_shop()
    assert (second.width(), second.height()) == size
    header = orders_tab(second).table.horizontalHeader()
    assert header.isSectionHidden(COLUMN_KEYS.index("buyer"))
    second.close_session()


def test_a_window_that_filled_a_smaller_screen_fills_this_one(qtbot, context, session):
    first = make_window(qtbot, context, session)
    first.resize(620, 460)
    first.close()
    context.settings.set_ui_choice(SCREEN_KEY, "640x480")  # saved on a small laptop screen
    second = make_window(qtbot, context, session)
    screen = second.screen().availableGeometry()  # offscreen: 800 x 800
    assert second.width() >= screen.width() * 0.9 and second.height() >= screen.height() * 0.9
    second.close()
    context.settings.set_ui_choice(SCREEN_KEY, f"{screen.width()}x{screen.height()}")
    third = make_window(qtbot, context, session)  # the same screen: the size as it was left
    assert (third.width(), third.height()) == (second.width(), second.height())
    third.close()


def test_leaving_the_demo_shop_goes_back_to_the_welcome_page(shop_window, session, context):
    shop_window.leave_demo_action.trigger()
    assert session.closed
    assert shop_window.pages.currentWidget() is shop_window.welcome
    assert shop_window.tabs.count() == 0
    assert context.settings.shop_choice is None
    assert shop_window.welcome.demo_card.button.isEnabled()


def test_a_shop_that_fails_to_open_is_explained_on_the_welcome_page(qtbot, context):
    def fail(data_dir: Path) -> FakeSession:
        raise NetworkError("connection refused")

    window = MainWindow(context, open_session=fail)
    qtbot.addWidget(window)
    window.welcome.demo_card.button.click()
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.demo_card.note.isVisibleTo(window)
    assert "Can't reach TikTok Shop" in window.welcome.demo_card.note.text()


def test_smoke_steps_finish_after_a_sync_and_a_visit_to_every_tab(qtbot, window, monkeypatch):
    visited: list[int] = []
    monkeypatch.setattr(window.tabs, "setCurrentIndex",
                        lambda i: (visited.append(i), QTabWidget.setCurrentIndex(window.tabs, i)))
    finished: list[str | None] = []
    window.run_smoke(finished.append)
    qtbot.waitUntil(lambda: bool(finished))
    assert finished == [None]
    assert window.tabs.count() == len(TABS) and visited == list(range(len(TABS)))
    assert orders_tab(window).detail.order_id is not None


def test_smoke_fails_with_the_reason_when_the_sync_fails(qtbot, window, session):
    session.fail_with = NetworkError("connection refused")
    finished: list[str | None] = []
    window.run_smoke(finished.append)
    qtbot.waitUntil(lambda: bool(finished))
    assert finished[0] is not None and finished[0].startswith("the sync failed: Can't reach")


def add_unpushed_edits(session: FakeSession, count: int) -> None:
    from tiktok_desktop.store.outbox import STOCK

    with Store.open(session.store_path) as store:
        for n in range(count):
            store.outbox.add(SHOP, STOCK, f"sku-{n}:wh", {"quantity": n}, based_on=99)


def answer(window: MainWindow, choice: str) -> list[int]:
    """Answer the question about unpushed edits with `choice`; returns the counts asked about."""
    asked: list[int] = []
    window.ask_about_unpushed = lambda count: asked.append(count) or choice  # type: ignore
    return asked


def test_leaving_with_unpushed_edits_can_keep_them_for_next_time(shop_window, session):
    add_unpushed_edits(session, 3)
    asked = answer(shop_window, "keep")
    shop_window.leave_demo_action.trigger()
    assert asked == [3] and session.closed
    with Store.open(session.store_path) as store:
        assert store.outbox.count(SHOP) == 3  # kept: they show as not pushed at the next start


def test_cancel_keeps_the_window_and_the_shop_open(qtbot, shop_window, session):
    add_unpushed_edits(session, 2)
    asked = answer(shop_window, "cancel")
    shop_window.close()
    assert asked == [2] and shop_window.isVisible() and not session.closed
    shop_window.leave_demo_action.trigger()
    assert shop_window.session is not None


def test_push_now_pushes_then_leaves(qtbot, shop_window, session, monkeypatch):
    from tiktok_desktop.sync.edit_push import PushResult

    add_unpushed_edits(session, 2)
    pushed: list[bool] = []

    def push_stock(progress=None, cancel=None, *, resume=False) -> PushResult:
        with Store.open(session.store_path) as store:
            ids = [item.id for item in store.outbox.items(SHOP)]
            store.outbox.claim(ids)
            store.outbox.mark_done(ids)
        pushed.append(resume)
        return PushResult(2, 2, 0, 0)

    monkeypatch.setattr(session, "push_stock", push_stock, raising=False)
    answer(shop_window, "push")
    shop_window.leave_demo_action.trigger()
    qtbot.waitUntil(lambda: session.closed)
    assert pushed == [False]
    assert shop_window.pages.currentWidget() is shop_window.welcome


def test_nothing_is_asked_when_every_edit_is_in_the_shop(shop_window, session):
    asked = answer(shop_window, "cancel")
    shop_window.leave_demo_action.trigger()
    assert asked == [] and session.closed


def test_reset_the_demo_shop_asks_then_starts_a_new_one(qtbot, shop_window, session, context,
                                                       monkeypatch):
    reset: list[Path | None] = []
    monkeypatch.setattr("tiktok_desktop.ui.main_window.reset_demo_shop", reset.append)
    add_unpushed_edits(session, 2)
    asked: list[int] = []
    shop_window.confirm_reset = lambda unpushed: asked.append(unpushed) or False  # type: ignore
    shop_window.reset_demo_action.trigger()
    assert asked == [2] and reset == [] and not session.closed  # "Cancel": nothing happens

    shop_window.confirm_reset = lambda unpushed: True  # type: ignore[method-assign]
    session.closed, session.syncs = False, 0
    shop_window.reset_demo_action.trigger()
    assert session.closed and reset == [context.options.data_dir]
    qtbot.waitUntil(lambda: shop_window.all_tabs_built)  # the new shop is open
    assert shop_window.session is session and session.syncs == 1


def test_the_reset_is_offered_only_in_the_demo_shop(shop_window):
    assert shop_window.reset_demo_action.isVisible()
    shop_window.leave_demo_action.trigger()
    assert not shop_window.reset_demo_action.isVisible()


def test_a_damaged_cache_is_repaired_and_the_shop_opened_again(qtbot, shop_window, session,
                                                             monkeypatch):
    from tiktok_desktop.store import RescueReport

    rescued: list[bool] = []

    def rescue_cache() -> RescueReport:
        session.close()
        rescued.append(True)
        return RescueReport(session.store_path, session.store_path.with_name("x.sqlite3"),
                            edits_rescued=3)

    monkeypatch.setattr(session, "rescue_cache", rescue_cache, raising=False)
    heard: list[messages.Message] = []
    messages.bus().posted.connect(heard.append)
    try:
        session.fail_with = sqlite3.DatabaseError("database disk image is malformed")
        shop_window.sync_now()
        session.fail_with = None
        qtbot.waitUntil(lambda: rescued == [True] and shop_window.all_tabs_built)
    finally:
        messages.bus().posted.disconnect(heard.append)
    texts = [m.text for m in heard]
    assert any("damaged" in t and "delete" not in t for t in texts)
    assert any("your 3 unpushed edits were kept" in t for t in texts)
    assert shop_window.session is session and session.syncs == 3  # the failed one, then anew


# -- the Edit menu and Help → Keyboard shortcuts ------------------------------------------------

def edit_menu(window: MainWindow) -> QMenu:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"]
    assert isinstance(menu, QMenu)
    menu.aboutToShow.emit()
    return menu


def items(menu: QMenu) -> dict[str, QAction]:
    return {a.text().split("\t")[0].replace("&", ""): a for a in menu.actions()
            if not a.isSeparator()}


def test_the_edit_menu_has_the_same_items_on_every_tab(shop_window):
    expected = [i.text.replace("&", "") for i in ITEMS if i is not None] + ["Find…"]
    for index in range(shop_window.tabs.count()):
        shop_window.tabs.setCurrentIndex(index)
        assert list(items(edit_menu(shop_window))) == expected


def test_on_the_inventory_tab_the_menu_holds_the_tab_s_own_actions(shop_window):
    tab = shop_window.tab(InventoryTab)
    shop_window.tabs.setCurrentWidget(tab)
    tab.table.setFocus()
    shown = items(edit_menu(shop_window))
    own = tab.edit_actions()
    for name, text in [("undo", "Undo"), ("fill_down", "Fill down"), ("add", "Add…"),
                       ("copy", "Copy"), ("select_all", "Select all")]:
        assert shown[text] is own[name]  # one action: its shortcut and its item agree
    assert shown["Fill down"].shortcut().toString() == "Ctrl+D"
    assert shown["Undo"].text() == "&Undo"  # Alt+E, U from the keyboard
    assert not shown["Cut"].isEnabled()  # stock numbers are not cut
    shown["Select all"].trigger()
    assert len(tab.table.selectionModel().selectedIndexes()) == (
        tab.model.rowCount() * tab.model.columnCount())


def test_copy_and_paste_act_on_the_search_box_when_it_has_the_focus(shop_window, qtbot):
    tab = shop_window.tab(InventoryTab)
    shop_window.tabs.setCurrentWidget(tab)
    search = tab.filters.search
    search.setFocus()
    search.setText("HOOD-GRY")
    search.selectAll()
    shown = items(edit_menu(shop_window))
    assert shown["Copy"] is not tab.edit_actions()["copy"]
    assert shown["Cut"].isEnabled()
    assert "\t" in shown["Copy"].text() and shown["Copy"].shortcut().isEmpty()  # no rival key
    shown["Cut"].trigger()
    assert search.text() == "" and QGuiApplication.clipboard().text() == "HOOD-GRY"
    shown["Paste"].trigger()
    assert search.text() == "HOOD-GRY"


def test_items_a_tab_does_not_do_are_greyed_out(shop_window):
    shop_window.tabs.setCurrentIndex(len(TABS) - 1)  # Fulfillment: no stock edits
    shop_window.tabs.currentWidget().setFocus()
    shown = items(edit_menu(shop_window))
    assert not shown["Fill down"].isEnabled() and not shown["Add…"].isEnabled()
    assert shown["Find…"].isEnabled()


def test_keyboard_shortcuts_lists_the_keys_where_they_work(shop_window):
    dialog = ShortcutsDialog(shop_window, shop_window.tabs)
    groups = {}
    for i in range(dialog.tree.topLevelItemCount()):
        group = dialog.tree.topLevelItem(i)
        groups[group.text(0)] = {group.child(j).text(1): group.child(j).text(0)
                                 for j in range(group.childCount())}
    assert groups[EVERYWHERE]["Sync now"] == "F5"
    assert groups[EVERYWHERE]["Go to Listings"] == "Ctrl+2"
    assert groups[EVERYWHERE]["Go to Inventory"] == "Ctrl+3"
    assert groups[EVERYWHERE]["Switch shop"] == "Ctrl+Shift+S"
    assert "Scan a barcode" in groups[EVERYWHERE].values()
    assert groups["Inventory"]["Fill down"] == "Ctrl+D"
    assert groups["Inventory"]["Write the number and move down"] == "Enter"
    dialog.close()


def test_unpushed_prices_are_asked_about_with_the_stock(shop_window, session):
    from tiktok_desktop.store.outbox import PRICE

    add_unpushed_edits(session, 2)
    with Store.open(session.store_path) as store:
        store.outbox.add(SHOP, PRICE, "sku-9", {"price": "12.99", "currency": "USD"},
                         based_on="10.00")
    asked = answer(shop_window, "keep")
    shop_window.leave_demo_action.trigger()
    assert asked == [3] and session.closed
