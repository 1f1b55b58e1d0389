"""The main window: the welcome page until a shop is open, then the shop's tabs.

Shops: the demo shop, and the seller's own shops connected through ui/connect_dialog.py (kept in
the settings, their sign-in in the keychain). Shop → Open shop (Ctrl+Shift+S) switches between
them; the shop open last opens at the next start. Preferences (Ctrl+,) connect, reconnect and
disconnect them. A shop whose authorization ended shows a banner with Reconnect.

Start-up (`ui/app.py`) calls `open_main_window(context)` and shows what it returns.

Adding a tab is one line in TABS: its title and "module:Class", a widget class taking
`(session, tasks, settings)`. The first tab is built as the shop opens; the others just after,
so their modules load while the first tab's orders are read. A tab may offer
`refresh(changes)` (called with what every sync wrote — it re-reads only if affected),
`settings_changed()` (after Preferences were applied),
`focus_search()` (Ctrl+F), `save_state()` (at close) and `shop_closing()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.accounts import TIKTOK, Hosts
from tiktok_desktop.store import Changes
from tiktok_desktop.store.outbox import PRICE, STOCK
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.background_sync import BackgroundSync, SyncOutcome
from tiktok_desktop.ui.edit_menu import EditMenu
from tiktok_desktop.ui.notify import NewOrderNotifier
from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.own_shops import DEMO_NAME, OwnShops, SignInBanner
from tiktok_desktop.ui.scanner import ScanCatcher
from tiktok_desktop.ui.settings import ConnectedShop
from tiktok_desktop.ui.smoke import SmokeSteps
from tiktok_desktop.ui.status import ShopStatusBar
from tiktok_desktop.ui.welcome import WelcomePage

if TYPE_CHECKING:  # the services load with the shop (the demo shop's server is big to import)
    from tiktok_desktop.services import ConnectionState, ShopSession
    from tiktok_desktop.store import RescueReport
    from tiktok_desktop.ui.app import AppContext
    from tiktok_desktop.ui.editing.editor import CellEditor

PUSH, KEEP, CANCEL = "push", "keep", "cancel"  # what to do with edits not pushed yet
GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
SCREEN_KEY = "main_window/screen"  # the screen's free area the geometry was saved on: "WxH"
LAST_TAB_KEY = "main_window/tab"  # the tab open at the last close, open again at the start
DEMO_TITLE = DEMO_NAME
REPAIRING = "Repairing the local copy of your shop"
RESETTING = "Resetting the demo shop"


@dataclass(frozen=True)
class TabSpec:
    title: str
    widget: str  # "package.module:Class", imported when the tab is built

    def make(self, session: ShopSession, window: MainWindow) -> QWidget:
        module, name = self.widget.split(":")
        widget_class = getattr(importlib.import_module(module), name)
        return widget_class(session, window.tasks, window.settings)


TABS: tuple[TabSpec, ...] = (
    TabSpec("Orders", "tiktok_desktop.ui.orders:OrdersTab"),
    TabSpec("Listings", "tiktok_desktop.ui.listings:ListingsTab"),
    TabSpec("Inventory", "tiktok_desktop.ui.inventory:InventoryTab"),
    TabSpec("Fulfillment", "tiktok_desktop.ui.fulfillment.tab:FulfillmentTab"),
    TabSpec("Requests", "tiktok_desktop.ui.requests:RequestsTab"),
    TabSpec("Money", "tiktok_desktop.ui.money:MoneyTab"),
)

OpenSession = Callable[[Path | None], "ShopSession"]


def open_demo_session(data_dir: Path | None) -> ShopSession:
    """Start the demo shop in-process and sign in to it (services/demo.py)."""
    from tiktok_desktop.services import open_demo_session as open_demo

    return open_demo(data_dir)


def reset_demo_shop(data_dir: Path | None) -> None:
    """Forget the demo shop's world and the app's cache of it (services/demo.py)."""
    from tiktok_desktop.services.demo import reset_demo_shop as reset

    reset(data_dir)


def open_main_window(context: AppContext, open_session: OpenSession = open_demo_session,
                     hosts: Hosts = TIKTOK) -> MainWindow:
    """The seam start-up calls (see ui/app.py). With --demo, --smoke, or the demo shop chosen
    at an earlier start, the demo shop opens at once; with a connected shop open last, that
    shop; else the welcome page. `hosts`: where real shops are reached (tests: a demo shop)."""
    window = MainWindow(context, open_session)
    window.shops.hosts = hosts
    settings = context.settings
    if context.options.demo or context.options.smoke or settings.shop_choice == "demo":
        window.open_demo_shop()
    elif settings.shop_choice == "own" and settings.current_shop_id is not None:
        window.open_own_shop(settings.current_shop_id)
    return window


class MainWindow(QMainWindow):
    tabs_built = Signal()  # every tab of the open shop exists now

    def __init__(self, context: AppContext, open_session: OpenSession = open_demo_session) -> None:
        super().__init__()
        self.context, self.tasks, self.settings = context, context.tasks, context.settings
        self._open_session = open_session
        self.shops = OwnShops(self)
        self.session: ShopSession | None = None
        self.sync: BackgroundSync | None = None
        self.opening = False
        self._doing = "Opening the demo shop"  # what is being opened, for its failure
        self._opening_shop: ConnectedShop | None = None  # a connected shop being opened
        self._then: Callable[[], None] | None = None  # after "Push now": quit or leave
        self._pushing: list[tuple[QWidget, CellEditor]] = []  # the pushes "Push now" started
        self._pushed: list[object] = []  # their results so far
        self.pages = QStackedWidget(self)
        self.welcome = WelcomePage(self)
        self.waiting = QLabel("Opening the demo shop…", self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.shop_page = self._build_shop_page()
        for page in (self.welcome, self.waiting, self.shop_page):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self.status = ShopStatusBar(self)
        self.setStatusBar(self.status)
        self.notifier = NewOrderNotifier(self, context.app.windowIcon())
        self.smoke = SmokeSteps(self)
        self.scanner = ScanCatcher(self)
        self.scanner.scanned.connect(self.take_scan)
        self._build_menus()
        self.welcome.demo_requested.connect(self.open_demo_shop)
        self.welcome.connect_requested.connect(self.shops.connect_new)
        self.notifier.open_requested.connect(self.show_order)
        messages.bus().posted.connect(self.status.show_message)
        # Queued: the failure that found the damage finishes first, then the shop closes.
        messages.bus().cache_damaged.connect(self.repair_cache,
                                             Qt.ConnectionType.QueuedConnection)
        context.app.aboutToQuit.connect(self.close_session)  # after the task runner stopped
        self.show_welcome()
        self._default_size()
        self._restore_size()
        state = self.settings.ui_state(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def _build_shop_page(self) -> QWidget:
        """The open shop: a banner when its sign-in ended, then its tabs."""
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.banner = SignInBanner(page)
        self.banner.reconnect_requested.connect(self.shops.reconnect_open_shop)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        return page

    def _default_size(self) -> None:
        """Most of the screen on a first start (a laptop's 1366 px too): orders need width."""
        screen = self.screen().availableGeometry()
        self.resize(min(1600, int(screen.width() * 0.9)), min(1000, int(screen.height() * 0.9)))

    def _restore_size(self) -> None:
        """The size of the last session, unless it filled a smaller screen than this one (a
        laptop's, before the monitor was plugged in): then most of this screen, as at first."""
        geometry = self.settings.ui_state(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            return
        width, _, height = (self.settings.ui_choice(SCREEN_KEY) or "").partition("x")
        if not (width.isdigit() and height.isdigit()) or self.isMaximized():
            return
        screen = self.screen().availableGeometry()
        filled = self.width() >= 0.85 * int(width) and self.height() >= 0.85 * int(height)
        larger = screen.width() > 1.1 * int(width) or screen.height() > 1.1 * int(height)
        if filled and larger:
            self._default_size()

    # -- menus ----------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        shop = bar.addMenu("&Shop")
        self.sync_action = self._action("&Sync now", self.sync_now, "F5")
        shop.addMenu(self.shops.switch_menu)
        self.switch_action = self._action("Switch shop", self.shops.show_switcher,
                                          "Ctrl+Shift+S")
        self.connect_action = self._action("&Connect a shop…", self.shops.connect_new)
        self.disconnect_action = self._action("&Disconnect this shop…",
                                              self.shops.disconnect_open_shop)
        self.leave_demo_action = self._action("&Leave the demo shop", self.leave_demo_shop)
        self.reset_demo_action = self._action("&Reset the demo shop…", self.reset_demo_shop)
        self.preferences_action = self._action("&Preferences…", self.shops.show_preferences,
                                               QKeySequence.StandardKey.Preferences)
        if self.preferences_action.shortcut().isEmpty():  # no platform default (e.g. X11)
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        shop.addAction(self.sync_action)
        shop.addSeparator()
        shop.addAction(self.connect_action)
        shop.addAction(self.disconnect_action)
        shop.addAction(self.leave_demo_action)
        shop.addAction(self.reset_demo_action)
        shop.addSeparator()
        shop.addAction(self.preferences_action)
        shop.addSeparator()
        quit_action = self._action("&Quit", self.close, "Ctrl+Q")  # asks about unpushed edits
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        shop.addAction(quit_action)
        self.find_action = self._action("&Find…", self.focus_search, "Ctrl+F")
        self.edit_menu = EditMenu(bar.addMenu("&Edit"), self, self.open_tab,
                                  [self.find_action])
        self.view_menu = bar.addMenu("&View")
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts, "F1"))
        help_menu.addSeparator()
        about = self._action("&About TikTok Shop Desktop", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)
        for action in (self.sync_action, self.find_action, quit_action, self.switch_action,
                       self.preferences_action):
            self.addAction(action)  # shortcuts work even with the menu bar hidden

    def _shop_actions_enabled(self, open_: bool) -> None:
        for action in (self.sync_action, self.find_action):
            action.setEnabled(open_)
        demo = bool(open_ and self.session and self.session.is_demo)
        self.leave_demo_action.setVisible(demo)
        self.reset_demo_action.setVisible(demo)
        self.disconnect_action.setVisible(bool(open_ and not demo))
        self.view_menu.menuAction().setVisible(open_)

    # -- opening and leaving a shop -------------------------------------------------------------

    def show_welcome(self) -> None:
        self.pages.setCurrentWidget(self.welcome)
        self.setWindowTitle("Welcome")
        self.status.set_shop(None)
        self._shop_actions_enabled(False)

    @Slot()
    def open_demo_shop(self) -> None:
        """Start the demo shop and sign in to it, in the background."""
        data_dir, open_session = self.context.options.data_dir, self._open_session
        self._open(lambda: open_session(data_dir), DEMO_TITLE, "Opening the demo shop")

    def open_own_shop(self, shop_id: str) -> None:
        """Open a connected shop from its keychain entry, in the background."""
        shop = self.settings.connected_shop(shop_id)
        if shop is None:
            self.show_welcome()
            return
        from tiktok_desktop.services.accounts import open_shop_session
        from tiktok_desktop.services.session import ShopIdentity

        identity = ShopIdentity(shop.shop_id, shop.name, shop.cipher, shop.region)
        data_dir, hosts = self.context.options.data_dir, self.shops.hosts
        vault = self.shops.vault(shop)
        self._opening_shop = shop
        self._open(lambda: open_shop_session(data_dir, identity, shop.app_key, shop.account,
                                             vault, hosts),
                   shop.name, f"Opening {shop.name}")

    def _open(self, opener: Callable[[], ShopSession], title: str, doing: str) -> None:
        if self.opening or self.session is not None:
            return
        self.opening = True
        self._doing = doing
        if self.pages.currentWidget() is not self.welcome or self.context.options.demo:
            self._show_waiting(f"{doing}…")
        self.setWindowTitle(title)

        def open_shop(control: object) -> tuple[ShopSession, ConnectionState]:
            session = opener()
            return session, session.connection()

        self.tasks.run(open_shop, name=doing, on_done=self._session_opened,
                       on_failed=self._session_failed)

    def _show_waiting(self, text: str) -> None:
        self.waiting.setText(text)
        self.pages.setCurrentWidget(self.waiting)

    def _session_opened(self, opened: tuple[ShopSession, ConnectionState]) -> None:
        session, connection = opened
        self.opening, self._opening_shop = False, None
        self.session = session
        if session.rescued is not None:
            self._tell_rescued(session.rescued)
        self.settings.shop_choice = "demo" if session.is_demo else "own"
        if not session.is_demo:
            self.settings.current_shop_id = session.shop_id
        self.setWindowTitle(DEMO_TITLE if session.is_demo else session.shop_name)
        self.status.set_shop(DEMO_TITLE if session.is_demo else session.shop_name,
                             demo=session.is_demo)
        shop = session.cache.gui().shops.get(session.shop_id)  # one indexed read
        self.status.set_synced_at(shop.last_synced_at if shop else None)
        self._show_connection(connection)
        self._add_tabs(session)
        self.pages.setCurrentWidget(self.shop_page)
        self._shop_actions_enabled(True)
        self.sync = BackgroundSync(session, self.tasks, self.settings.poll_interval_minutes, self)
        self.sync.started.connect(self.status.sync_started)
        self.sync.progressed.connect(self.status.sync_progressed)
        self.sync.changed.connect(self.announce_changes)
        self.sync.finished.connect(self._sync_finished)
        self.sync.start_polling()
        self.sync.sync_now()
        # Damage where no screen reads yet would surface later, mid-task: look for it now.
        cache_ops.read(self.tabs.widget(0), self.tasks, session, lambda store: store.check(),
                       name="Checking the local copy of your shop", on_done=lambda _: None)

    def _session_failed(self, error: BaseException, doing: str | None = None) -> None:
        self.opening = False
        doing = doing or self._doing
        self.show_welcome()
        shown = messages.report_failure(error, doing=doing)
        text = shown.text if shown else f"{doing} failed. See the log."
        own = self._opening_shop is not None
        (self.welcome.connect_card if own else self.welcome.demo_card).show_problem(text)
        self._opening_shop = None
        self.smoke.failed(text)

    def _add_tabs(self, session: ShopSession) -> None:
        """The first tab now, the others once it is up (see the module docstring)."""
        self.view_menu.clear()
        self._add_tab(session, 0)
        QTimer.singleShot(0, lambda: self._add_later_tabs(session))

    def _add_later_tabs(self, session: ShopSession) -> None:
        """Tabs built now read the cache as it is: what a sync wrote meanwhile is in it."""
        if session is not self.session:  # the shop closed in between
            return
        for number in range(1, len(TABS)):
            self._add_tab(session, number)
        self._connect_price_files()
        last = self.settings.ui_choice(LAST_TAB_KEY)
        titles = [spec.title for spec in TABS]
        if last in titles and not self.context.options.smoke:
            self.tabs.setCurrentIndex(titles.index(last))
        self.tabs_built.emit()

    @property
    def all_tabs_built(self) -> bool:
        return self.session is not None and self.tabs.count() == len(TABS)

    def _connect_price_files(self) -> None:
        """The Inventory tab's batch-edit workbook carries prices: they go through the
        Listings tab's price editor (one undoable step there, reviewed and pushed there)."""
        from tiktok_desktop.ui.inventory import InventoryTab
        from tiktok_desktop.ui.listings import ListingsTab

        inventory, listings = self.tab(InventoryTab), self.tab(ListingsTab)
        if inventory is not None and listings is not None:
            inventory.files.prices = listings.prices.editor

    def _add_tab(self, session: ShopSession, number: int) -> None:
        spec = TABS[number]
        tab = spec.make(session, self)
        self.tabs.addTab(tab, spec.title)
        changed = getattr(tab, "changed", None)  # what a tab wrote, for the other tabs
        if changed is not None:
            changed.connect(self.announce_changes)
        retitle = getattr(tab, "title_changed", None)  # "Requests (3)": a count in the title
        if retitle is not None:
            retitle.connect(lambda text, tab=tab: self.tabs.setTabText(self.tabs.indexOf(tab),
                                                                       text))
            self.tabs.setTabText(self.tabs.indexOf(tab), tab.tab_title())  # counted already
        go = self._action(spec.title, lambda: self.tabs.setCurrentWidget(tab),
                          f"Ctrl+{number + 1}")
        self.view_menu.addAction(go)

    @Slot()
    def leave_demo_shop(self) -> None:
        """Back to the welcome page; the next start asks again."""
        if not self.may_close_shop(self.leave_demo_shop):
            return
        self.settings.shop_choice = None
        self.close_session()
        self.welcome.demo_card.set_busy(False)
        self.show_welcome()

    @Slot()
    def close_session(self) -> None:
        """Stop syncing, let the tabs go, let the edits already typed reach the cache, and close
        the session (which stops the demo shop)."""
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        self._save_tab_states()
        while self.tabs.count():
            tab = self.tabs.widget(0)
            self.tabs.removeTab(0)
            closing = getattr(tab, "shop_closing", None)
            if closing is not None:
                closing()
            tab.deleteLater()
        session, self.session = self.session, None
        if session is not None:
            self.tasks.wait_for_writes()  # queued edits still need the session's connections
            session.close()  # closes sockets and stops the demo shop's server: quick
        self.status.sync_ended(None)

    @Slot()
    def repair_cache(self) -> None:
        """The cache file is damaged: close the shop, rescue the cache in the background (the
        seller's edits and stock history are kept), then open the shop again: its first sync
        downloads the rest."""
        session = self.session
        if session is None:  # already being repaired, or no shop open
            return
        self.close_session()
        self._show_waiting(f"{REPAIRING}…")
        self.tasks.run(lambda control: session.rescue_cache(), name=REPAIRING,
                       on_done=self._cache_repaired,
                       on_failed=lambda error: self._session_failed(error, REPAIRING))

    def _cache_repaired(self, report: RescueReport) -> None:
        self._tell_rescued(report)
        if self.settings.shop_choice == "own" and self.settings.current_shop_id:
            self.open_own_shop(self.settings.current_shop_id)
        else:
            self.open_demo_shop()

    def _tell_rescued(self, report: RescueReport) -> None:
        # A warning, even when nothing was lost: it stays in the status bar (an info fades
        # within seconds, while the shop is still reopening, and the seller never learns why).
        messages.warning(report.sentence)

    @Slot()
    def reset_demo_shop(self) -> None:
        """Start the demo shop over, after the seller confirmed: a new world, a new cache."""
        if self.session is None or not self.session.is_demo or not self.confirm_reset(
                self.unpushed_edits()):
            return
        self.close_session()
        self._show_waiting("Starting a new demo shop…")
        data_dir = self.context.options.data_dir
        self.tasks.run(lambda control: reset_demo_shop(data_dir), name=RESETTING,
                       on_done=self._demo_shop_reset,
                       on_failed=lambda error: self._session_failed(error, RESETTING))

    def _demo_shop_reset(self, _: None) -> None:
        messages.info("The demo shop was started over: new orders, listings and stock.")
        self.open_demo_shop()

    def confirm_reset(self, unpushed: int) -> bool:
        """Asked in a dialog (tests replace this method)."""
        lose = (f" The {unpushed:,} stock {'change' if unpushed == 1 else 'changes'} not pushed "
                "yet will be lost too." if unpushed else "")
        answer = QMessageBox.question(
            self, "Reset the demo shop",
            "Start the demo shop over with new orders, listings and stock? Everything you did in "
            f"it (pushed stock, history) is forgotten.{lose}",
            QMessageBox.StandardButton.Reset | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Reset

    # -- stock and price edits not pushed yet --------------------------------------------------

    def unpushed_edits(self) -> int:
        """Stock and price edits made here that the shop hasn't got yet (indexed counts)."""
        if self.session is None:
            return 0
        outbox, shop_id = self.session.cache.gui().outbox, self.session.shop_id
        return sum(outbox.count(shop_id, kind=kind) for kind in (STOCK, PRICE))

    def may_close_shop(self, then: Callable[[], None]) -> bool:
        """Before quitting or leaving the shop: with edits not pushed yet, the seller chooses
        to push them now (then `then` runs once every push has ended well), keep them for next
        time, or cancel. True when closing may go on now."""
        count = self.unpushed_edits()
        if not count or self._then is not None:
            return True
        choice = self.ask_about_unpushed(count)
        if choice == KEEP:
            return True
        if choice == PUSH:
            self._pushing = self._waiting_editors()
            if self._pushing:
                self._then = then
                self.tabs.setCurrentWidget(self._pushing[0][0])
                for _tab, editor in self._pushing:
                    editor.pusher.finished.connect(self._push_before_closing_ended)
                    editor.push()
        return False

    def _waiting_editors(self) -> list[tuple[QWidget, CellEditor]]:
        """The editing tables with edits not pushed yet (Inventory, the Listings' prices),
        each with its tab."""
        from tiktok_desktop.ui.inventory import InventoryTab
        from tiktok_desktop.ui.listings import ListingsTab

        assert self.session is not None
        outbox, shop_id = self.session.cache.gui().outbox, self.session.shop_id
        inventory, listings = self.tab(InventoryTab), self.tab(ListingsTab)
        found: list[tuple[QWidget, CellEditor]] = []
        if inventory is not None and outbox.count(shop_id, kind=STOCK):
            found.append((inventory, inventory.editor))
        if listings is not None and outbox.count(shop_id, kind=PRICE):
            found.append((listings, listings.prices.editor))
        return found

    def ask_about_unpushed(self, count: int) -> str:
        """PUSH, KEEP or CANCEL, asked in a dialog (tests replace this method)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Changes not pushed",
                          f"{count:,} stock or price {'change is' if count == 1 else 'changes are'}"
                          " not in your shop yet.", parent=self)
        box.setInformativeText("Push them now, or keep them on this computer: the Inventory "
                               "and Listings tabs show them as not pushed the next time you "
                               "open the app.")
        push = box.addButton("Push now", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep for next time", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(push)
        box.exec()
        clicked = box.clickedButton()
        return PUSH if clicked is push else KEEP if clicked is keep else CANCEL

    @Slot(object)
    def _push_before_closing_ended(self, result: object) -> None:
        self._pushed.append(result)
        if len(self._pushed) < len(self._pushing):
            return  # the other push is still on its way
        for _tab, editor in self._pushing:
            editor.pusher.finished.disconnect(self._push_before_closing_ended)
        results, self._pushed, self._pushing = self._pushed, [], []
        then, self._then = self._then, None
        settled = all(result is not None and not any(
            getattr(result, name, 0) for name in ("left", "failed", "conflicts"))
            for result in results)
        if then is not None and settled:
            then()  # all in the shop: go on; otherwise stay, with the push's message showing

    # -- syncing --------------------------------------------------------------------------------

    @Slot()
    def sync_now(self) -> None:
        if self.sync is not None and not self.sync.sync_now():
            messages.info("A sync is already running.")

    @Slot(object)
    def announce_changes(self, changes: Changes) -> None:
        """Tell every tab what was written; each re-reads only if it is affected."""
        for index in range(self.tabs.count()):
            refresh = getattr(self.tabs.widget(index), "refresh", None)
            if refresh is not None:
                refresh(changes)

    @Slot(object)
    def _sync_finished(self, outcome: SyncOutcome) -> None:
        self.status.sync_ended(outcome.synced_at)
        self._show_connection(outcome.connection)
        result = outcome.result
        if result is not None and result.new_order_ids and self.settings.notify_new_orders:
            self.notifier.announce(result.new_order_ids, self.windowTitle())
        self.smoke.sync_finished(outcome)

    def _show_connection(self, connection: ConnectionState | None) -> None:
        """The status bar's link state, and the banner when only a new sign-in helps."""
        self.status.set_connection(connection)
        ended = bool(connection and connection.needs_sign_in and self.session
                     and not self.session.is_demo)
        self.banner.show_for(self.session.shop_name if ended and self.session else None)

    @Slot()
    def preferences_applied(self) -> None:
        """The new sync interval now; tabs that read settings (`settings_changed`) read again."""
        if self.sync is not None:
            self.sync.set_interval(self.settings.poll_interval_minutes)
        for index in range(self.tabs.count()):
            changed = getattr(self.tabs.widget(index), "settings_changed", None)
            if changed is not None:
                changed()

    # -- the rest -------------------------------------------------------------------------------

    def open_tab(self) -> QWidget | None:
        """The tab the seller sees, if a shop is open."""
        return self.tabs.currentWidget() if self.pages.currentWidget() is self.shop_page else None

    def tab(self, kind: type[QWidget]) -> QWidget | None:
        return next((self.tabs.widget(i) for i in range(self.tabs.count())
                     if isinstance(self.tabs.widget(i), kind)), None)

    @Slot(str)
    def take_scan(self, code: str) -> None:
        """A scanned code, from anywhere in the window: the open tab takes it if it can (a
        package to ship, a SKU); else the Orders tab opens the order it names."""
        take = getattr(self.tabs.currentWidget(), "take_scan", None)
        if self.session is None or (take is not None and take(code)):
            return
        self.show_order(code)

    @Slot(str)
    def show_order(self, order_id: str) -> None:
        orders = self.tab(OrdersTab)
        if isinstance(orders, OrdersTab):
            self.tabs.setCurrentWidget(orders)
            orders.filters.search.setText(order_id)
            orders.open_scanned(order_id)

    @Slot()
    def focus_search(self) -> None:
        focus = getattr(self.tabs.currentWidget(), "focus_search", None)
        if focus is not None:
            focus()

    @Slot()
    def show_shortcuts(self) -> None:
        from tiktok_desktop.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self, self.tabs if self.open_tab() is not None else None)
        dialog.setModal(False)
        dialog.show()

    @Slot()
    def show_about(self) -> None:
        from tiktok_desktop.ui.about import AboutDialog  # licences: read when asked for

        dialog = AboutDialog(self)
        dialog.setModal(False)
        dialog.show()

    def run_smoke(self, finish: Callable[[str | None], None]) -> None:
        """--smoke (see ui/app.py): sync the demo shop, show every tab, then finish."""
        self.smoke.start(finish)

    def _save_tab_states(self) -> None:
        if 0 <= self.tabs.currentIndex() < len(TABS):  # its title, without a count in it
            self.settings.set_ui_choice(LAST_TAB_KEY, TABS[self.tabs.currentIndex()].title)
        for index in range(self.tabs.count()):
            save = getattr(self.tabs.widget(index), "save_state", None)
            if save is not None:
                save()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close_shop(self.close):
            event.ignore()
            return
        self.settings.set_ui_state(GEOMETRY_KEY, self.saveGeometry())
        screen = self.screen().availableGeometry()
        self.settings.set_ui_choice(SCREEN_KEY, f"{screen.width()}x{screen.height()}")
        self.settings.set_ui_state(STATE_KEY, self.saveState())
        self._save_tab_states()
        if self.sync is not None:
            self.sync.stop()
        self.notifier.hide()
        self.settings.sync()
        super().closeEvent(event)

