"""Connecting a real shop end to end against the demo shop, which plays TikTok: its consent page
redirects to the app's loopback listener (http://localhost:PORT/callback), as TikTok's does. The
test plays the seller's browser over HTTP."""

from __future__ import annotations

import random
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_app import edit_stock

from tiktok_desktop.logs import LogBuffer
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.accounts import Account, Hosts, cache_path
from tiktok_desktop.services.credentials import SERVICE
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.app import AppContext, StartupOptions
from tiktok_desktop.ui.connect_dialog import ConnectDialog
from tiktok_desktop.ui.crash import CrashHandler
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.main_window import MainWindow, open_main_window
from tiktok_desktop.ui.own_shops import DEMO
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

WAIT_MS = 30_000
YEAR = 366 * 24 * 3600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shop_on(port: int, seed: int) -> DemoShop:
    return DemoShop(DemoShopConfig(seed=seed, orders=30, products=5,
                                   redirect_url=f"http://localhost:{port}/callback"))


class Browser:
    """The seller's browser: opens the consent page and approves (or declines) at once."""

    def __init__(self, answer: str = "approve") -> None:
        self.answer = answer
        self.opened: list[str] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, url: str) -> None:
        self.opened.append(url)

        def visit() -> None:
            with httpx.Client(follow_redirects=True, timeout=10) as http:
                http.get(f"{url}&{self.answer}=1")

        thread = threading.Thread(target=visit, daemon=True)
        thread.start()
        self.threads.append(thread)


@dataclass
class App:
    window: MainWindow
    settings: Settings
    data_dir: Path
    heard: list[messages.Message]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def shop(port: int) -> Iterator[DemoShop]:
    with shop_on(port, seed=6) as running:
        yield running


@pytest.fixture
def app(qtbot: QtBot, qapp: QApplication, tmp_path: Path, port: int) -> Iterator[App]:
    tasks = TaskRunner()
    settings = Settings.open(tmp_path)
    settings.redirect_port = port
    context = AppContext(qapp, StartupOptions(data_dir=tmp_path), settings, tasks, LogBuffer(),
                         CrashHandler(tmp_path))
    window = open_main_window(context)
    window.ask_about_unpushed = lambda count: "keep"  # type: ignore[method-assign]
    heard: list[messages.Message] = []
    messages.bus().posted.connect(heard.append)
    qtbot.addWidget(window)
    window.show()
    try:
        yield App(window, settings, tmp_path, heard)
    finally:
        messages.bus().posted.disconnect(heard.append)
        window.close_session()
        tasks.shutdown()


def open_dialog(qtbot: QtBot, app: App, shop: DemoShop, browser: Browser) -> ConnectDialog:
    app.window.shops.hosts = Hosts.local(shop.base_url)
    app.window.shops.connect_new()
    dialog = app.window.shops.connect_dialog
    dialog.open_browser = browser  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: dialog.authorize_button.isEnabled(), timeout=WAIT_MS)
    return dialog


def fill(dialog: ConnectDialog, shop: DemoShop) -> None:
    dialog.inputs["app_key"].setText(shop.app_key)
    dialog.inputs["app_secret"].setText(shop.app_secret)
    dialog.inputs["service_id"].setText(shop.service_id)


def connect(qtbot: QtBot, app: App, shop: DemoShop) -> None:
    """The whole flow, approved: the shop opens and its first sync ends."""
    dialog = open_dialog(qtbot, app, shop, Browser())
    fill(dialog, shop)
    dialog.authorize_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.shops_page, timeout=WAIT_MS)
    dialog.add_button.click()
    wait_open(qtbot, app, shop.world.shop.id)


def wait_open(qtbot: QtBot, app: App, shop_id: str) -> None:
    window = app.window
    qtbot.waitUntil(lambda: window.session is not None and window.session.shop_id == shop_id
                    and window.all_tabs_built, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.sync is not None and not window.sync.running
                    and window.status._synced_at is not None, timeout=WAIT_MS)


def test_connecting_a_shop_keeps_its_sign_in_in_the_keychain_and_opens_it(
        qtbot: QtBot, app: App, shop: DemoShop, memory_keyring, caplog) -> None:
    caplog.set_level("DEBUG")
    assert app.window.welcome.connect_card.isVisibleTo(app.window)
    connect(qtbot, app, shop)
    window, identity = app.window, shop.world.shop
    assert not window.session.is_demo and window.windowTitle() == identity.name
    [saved] = app.settings.connected_shops()
    assert (saved.shop_id, saved.app_key, saved.cipher) == (identity.id, shop.app_key,
                                                            identity.cipher)
    assert app.settings.current_shop_id == identity.id and app.settings.shop_choice == "own"
    entry = Account.from_json(memory_keyring.secrets[(SERVICE, saved.account)])
    assert entry.app_secret == shop.app_secret
    orders = window.session.cache.gui().conn.execute(
        "SELECT count(*) FROM orders WHERE shop_id = ?", (identity.id,)).fetchone()[0]
    assert orders == 30  # the first sync
    assert cache_path(app.data_dir, identity.id).exists()
    # A stock edit pushed to the shop, Preferences applied, then quit.
    inventory = window.tab(InventoryTab)
    sku_id, warehouse, value = edit_stock(qtbot, inventory, random.Random(4))
    with qtbot.waitSignal(inventory.editor.pusher.finished, timeout=WAIT_MS):
        inventory.editor.push()
    assert shop.world.skus[sku_id][1].available[warehouse] == value
    window.shops.show_preferences()
    preferences = window.shops.preferences
    preferences.poll_spin.setValue(2)
    preferences.low_stock_spin.setValue(40)
    preferences.accept()
    assert window.sync.poll.interval() == 2 * 60_000
    assert inventory.filters.threshold.value() == 40
    window.close_session()
    # No secret anywhere in the data folder (cache, settings, logs) or the captured logs.
    secrets = [shop.app_secret, entry.tokens.access_token, entry.tokens.refresh_token]
    for path in app.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in secrets), path
    assert not any(s in caplog.text for s in secrets)


def test_the_shop_open_last_opens_at_the_next_start(
        qtbot: QtBot, app: App, shop: DemoShop, qapp: QApplication) -> None:
    connect(qtbot, app, shop)
    app.window.close_session()
    tasks = TaskRunner()
    context = AppContext(qapp, StartupOptions(data_dir=app.data_dir),
                         Settings.open(app.data_dir), tasks, LogBuffer(),
                         CrashHandler(app.data_dir))
    window = open_main_window(context, hosts=Hosts.local(shop.base_url))
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.session is not None and window.all_tabs_built,
                        timeout=WAIT_MS)
        assert window.session.shop_id == shop.world.shop.id
    finally:
        window.close_session()
        tasks.shutdown()


def test_a_declined_consent_says_so(qtbot: QtBot, app: App, shop: DemoShop) -> None:
    dialog = open_dialog(qtbot, app, shop, Browser("deny"))
    fill(dialog, shop)
    dialog.authorize_button.click()
    qtbot.waitUntil(lambda: dialog.waiting_problem.isVisibleTo(dialog), timeout=WAIT_MS)
    assert "did not authorize" in dialog.waiting_problem.text()
    dialog.pasted.setText(f"http://localhost:1/callback?code=null&error=access_denied"
                          f"&state={dialog._state}")
    dialog.use_button.click()
    assert "did not authorize" in dialog.waiting_problem.text()
    assert app.settings.connected_shops() == []


def test_fields_are_checked_before_anything_is_sent(qtbot: QtBot, app: App,
                                                   shop: DemoShop) -> None:
    browser = Browser()
    dialog = open_dialog(qtbot, app, shop, browser)
    dialog.inputs["app_key"].setText("6abc 123")
    dialog.inputs["service_id"].setText("x")
    dialog.authorize_button.click()
    assert dialog.problems["app_key"].isVisibleTo(dialog)
    assert "spaces" in dialog.problems["app_key"].text()
    assert "Required" in dialog.problems["app_secret"].text()
    assert dialog.problems["service_id"].isVisibleTo(dialog)
    assert browser.opened == [] and dialog.pages.currentWidget() is dialog.details_page


def test_a_busy_port_names_the_way_out(qtbot: QtBot, app: App, shop: DemoShop,
                                       port: int) -> None:
    dialog = open_dialog(qtbot, app, shop, Browser())
    fill(dialog, shop)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        dialog.authorize_button.click()
        qtbot.waitUntil(lambda: dialog.details_problem.isVisibleTo(dialog), timeout=WAIT_MS)
    assert f"Port {port} is in use" in dialog.details_problem.text()
    assert "Preferences" in dialog.details_problem.text()


def test_pasted_codes_replayed_and_expired_ones_and_an_app_store_code(
        qtbot: QtBot, app: App, shop: DemoShop) -> None:
    browser = Browser("nothing")  # the browser is on another computer: nothing comes back
    dialog = open_dialog(qtbot, app, shop, browser)
    fill(dialog, shop)
    dialog.authorize_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.waiting_page,
                    timeout=WAIT_MS)
    asked: list[bool] = []
    dialog.confirm_unverified_code = lambda: asked.append(True) or False  # type: ignore
    code = shop.authorize(state=dialog._state)
    dialog.pasted.setText(f"http://localhost:9/callback?code={code}&state=someone-else")
    dialog.use_button.click()
    assert "did not come from this app" in dialog.waiting_problem.text()
    # An App Store install's code (no state): only after the seller confirms.
    dialog.pasted.setText(code)
    dialog.use_button.click()
    assert asked == [True] and dialog.pages.currentWidget() is dialog.waiting_page
    dialog.confirm_unverified_code = lambda: True  # type: ignore[method-assign]
    shop.world.advance_clock(31 * 60)  # codes last 30 minutes
    dialog.use_button.click()
    qtbot.waitUntil(lambda: "30 minutes" in dialog.waiting_problem.text(), timeout=WAIT_MS)
    fresh = shop.authorize(state=dialog._state)
    dialog.pasted.setText(f"http://localhost:9/callback?code={fresh}&state={dialog._state}")
    dialog.use_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.shops_page, timeout=WAIT_MS)
    dialog.back_to_details()
    dialog.authorize()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.waiting_page,
                    timeout=WAIT_MS)
    dialog.pasted.setText(f"http://localhost:9/callback?code={fresh}&state={dialog._state}")
    dialog.use_button.click()  # the same code again: TikTok takes a code once
    qtbot.waitUntil(lambda: "works once" in dialog.waiting_problem.text(), timeout=WAIT_MS)


class NoKeychain(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("no keychain here")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("no keychain here")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("no keychain here")


def test_without_a_keychain_the_sign_in_is_kept_in_memory_only_if_the_seller_agrees(
        qtbot: QtBot, app: App, shop: DemoShop, memory_keyring) -> None:
    keyring.set_keyring(NoKeychain())
    app.window.shops.hosts = Hosts.local(shop.base_url)
    app.window.shops.connect_new()
    dialog = app.window.shops.connect_dialog
    dialog.open_browser = Browser()  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: dialog.keychain_note.isVisibleTo(dialog), timeout=WAIT_MS)
    assert "no usable keychain" in dialog.keychain_note.text()
    assert not dialog.authorize_button.isEnabled()
    dialog.memory_ok.setChecked(True)
    fill(dialog, shop)
    dialog.authorize_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.shops_page, timeout=WAIT_MS)
    dialog.add_button.click()
    wait_open(qtbot, app, shop.world.shop.id)
    [saved] = app.settings.connected_shops()
    assert app.window.shops.memory.load(saved.account) is not None
    assert memory_keyring.secrets == {}
    assert any("kept until you quit" in m.text for m in app.heard)


def test_an_ended_authorization_shows_reconnect_with_the_details_filled_in(
        qtbot: QtBot, app: App, shop: DemoShop) -> None:
    connect(qtbot, app, shop)
    window = app.window
    assert not window.banner.isVisibleTo(window)
    shop.world.advance_clock(YEAR)  # past the refresh token's end
    window.sync_now()
    qtbot.waitUntil(lambda: window.banner.isVisibleTo(window), timeout=WAIT_MS)
    assert "no longer connected" in window.banner.text.text()
    assert "Sign in again" in window.status.connection.text()
    assert any("authorization has ended" in m.text for m in app.heard)  # once, not per part
    window.banner.button.click()
    qtbot.waitUntil(lambda: window.shops.connect_dialog is not None, timeout=WAIT_MS)
    dialog = window.shops.connect_dialog
    qtbot.waitUntil(lambda: dialog.inputs["app_secret"].text() == shop.app_secret,
                    timeout=WAIT_MS)
    assert dialog.inputs["app_key"].text() == shop.app_key
    assert dialog.inputs["service_id"].text() == shop.service_id


def test_two_shops_switch_back_and_forth_and_one_is_disconnected(
        qtbot: QtBot, app: App, shop: DemoShop, port: int, memory_keyring) -> None:
    connect(qtbot, app, shop)
    with shop_on(port, seed=8) as second:
        connect(qtbot, app, second)
        first_id, second_id = shop.world.shop.id, second.world.shop.id
        assert {s.shop_id for s in app.settings.connected_shops()} == {first_id, second_id}
        window = app.window
        window.shops.hosts = Hosts.local(shop.base_url)
        window.shops._fill_switch_menu()  # Shop → Open shop, or Ctrl+Shift+S
        choices = [a for a in window.shops.switch_menu.actions() if a.isCheckable()]
        assert [a.data() for a in choices] == [DEMO, *sorted((first_id, second_id))]
        assert [a.data() for a in choices if a.isChecked()] == [second_id]  # the open one
        first_action = next(a for a in window.shops.switch_menu.actions()
                            if a.data() == first_id)
        first_action.trigger()
        wait_open(qtbot, app, first_id)
        window.shops.hosts = Hosts.local(second.base_url)
        window.shops.switch_to(second_id)
        wait_open(qtbot, app, second_id)
        window.shops.switch_to(DEMO)
        qtbot.waitUntil(lambda: window.session is not None and window.session.is_demo,
                        timeout=WAIT_MS)
        assert cache_path(app.data_dir, first_id) != cache_path(app.data_dir, second_id)
        window.shops.confirm_disconnect = lambda name: True  # type: ignore[method-assign]
        window.shops.confirm_delete_data = lambda name: True  # type: ignore[method-assign]
        account = app.settings.connected_shop(second_id).account
        window.shops.disconnect(second_id)
        qtbot.waitUntil(lambda: (SERVICE, account) not in memory_keyring.secrets,
                        timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not cache_path(app.data_dir, second_id).exists(),
                        timeout=WAIT_MS)
        assert [s.shop_id for s in app.settings.connected_shops()] == [first_id]
        window.preferences_action.trigger()  # Ctrl+,
        assert window.preferences_action.shortcut().toString()
        qtbot.waitUntil(lambda: window.shops.preferences is not None, timeout=WAIT_MS)
        assert window.shops.preferences.shop_list.count() == 1


@pytest.mark.parametrize("trouble", ["wrong secret", "missing scope", "no network"])
def test_each_failure_of_the_sign_in_ends_in_one_sentence(
        qtbot: QtBot, app: App, shop: DemoShop, trouble: str) -> None:
    dialog = open_dialog(qtbot, app, shop, Browser())
    fill(dialog, shop)
    expected = {"wrong secret": "did not accept this app's key or secret",
                "missing scope": "permission",
                "no network": "Can't reach TikTok Shop"}[trouble]
    if trouble == "wrong secret":
        dialog.inputs["app_secret"].setText("f" * 40)
    elif trouble == "missing scope":
        shop.world.revoke_scope("seller.authorization.info")
    else:
        dialog.hosts = Hosts(api=f"http://127.0.0.1:{free_port()}",
                             auth=f"http://127.0.0.1:{free_port()}", consent=shop.base_url)
    dialog.authorize_button.click()
    qtbot.waitUntil(lambda: dialog.waiting_problem.isVisibleTo(dialog), timeout=WAIT_MS)
    assert expected in dialog.waiting_problem.text()
    assert "." in dialog.waiting_problem.text() and app.settings.connected_shops() == []
