"""The seller's own shops, as the main window offers them: connecting one (ui/connect_dialog.py),
switching between them and the demo shop (Shop → Open shop, Ctrl+Shift+S), reconnecting one
whose authorization ended (the banner above the tabs), disconnecting one, and the Preferences
dialog that does all three.

Connected shops are remembered in the settings (ui/settings.py, no secrets); their sign-in is
in the keychain, or for this session only in `memory` when the computer has no keychain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from tiktok_desktop.services.accounts import TIKTOK, AppDetails, Hosts
from tiktok_desktop.services.credentials import Keychain, MemoryVault
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.settings import ConnectedShop

if TYPE_CHECKING:
    from tiktok_desktop.ui.connect_dialog import ConnectDialog, Connected
    from tiktok_desktop.ui.main_window import MainWindow
    from tiktok_desktop.ui.preferences import PreferencesDialog

DEMO = "demo"  # the demo shop's place in the shop switcher
DEMO_NAME = "Demo shop"
BANNER_STYLE = ("QFrame#signInBanner { background: #fdecea; border: 1px solid #f1b0a8; "
                "border-radius: 6px; }")


class SignInBanner(QFrame):
    """Above the tabs while the open shop's authorization has ended: only reconnecting helps."""

    reconnect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInBanner")
        self.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.button = QPushButton("Reconnect…", self)
        self.button.clicked.connect(self.reconnect_requested)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()

    def show_for(self, shop_name: str | None) -> None:
        """Shown for `shop_name`; hidden with None."""
        if shop_name:
            self.text.setText(
                f"<b>{shop_name}</b> is no longer connected to this app: its authorization was "
                "revoked or has ended. Your local copy stays; reconnect to keep orders and stock "
                "up to date.")
        self.setVisible(bool(shop_name))


class OwnShops(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.hosts: Hosts = TIKTOK  # where real shops are reached (tests: a demo shop)
        self.memory = MemoryVault()  # sign-ins kept for this session only (no keychain)
        self.connect_dialog: ConnectDialog | None = None  # while open
        self.preferences: PreferencesDialog | None = None  # while open
        self.switch_menu = QMenu("&Open shop", window)
        self.switch_menu.aboutToShow.connect(self._fill_switch_menu)

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.window.settings

    def vault(self, shop: ConnectedShop) -> Keychain | MemoryVault:
        """Where a shop's sign-in is: this session's memory (no keychain), or the keychain."""
        return self.memory if self.memory.load(shop.account) is not None else Keychain()

    def open_key(self) -> str | None:
        """DEMO, the open connected shop's id, or None."""
        session = self.window.session
        return None if session is None else DEMO if session.is_demo else session.shop_id

    # -- connecting -----------------------------------------------------------------------------

    @Slot()
    def connect_new(self) -> None:
        self.connect_shop(None)

    def connect_shop(self, prefill: AppDetails | None) -> None:
        """The connect dialog; the shops chosen there are remembered and the first opens."""
        from tiktok_desktop.ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.window.tasks, self.settings.redirect_port, self.memory,
                               hosts=self.hosts, prefill=prefill, parent=self.window)
        dialog.connected.connect(self._connected)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._connect_dialog_closed)
        self.connect_dialog = dialog
        dialog.open()

    @Slot()
    def _connect_dialog_closed(self) -> None:
        self.connect_dialog = None

    @Slot(object)
    def _connected(self, connected: Connected) -> None:
        details = connected.details
        for shop in connected.shops:
            self.settings.remember_shop(ConnectedShop(
                shop.id, shop.name, shop.region, shop.cipher, details.app_key,
                details.service_id, details.market, connected.account))
        self.settings.sync()
        names = ", ".join(s.name for s in connected.shops)
        where = (" Your sign-in is kept until you quit (no keychain)." if connected.in_memory
                 else "")
        messages.info(f"Connected: {names}.{where}")
        self._refresh_preferences()
        self.switch_to(connected.shops[0].id, reopen=True)

    @Slot()
    def reconnect_open_shop(self) -> None:
        key = self.open_key()
        if key not in (None, DEMO):
            self.reconnect(key)

    @Slot(str)
    def reconnect(self, shop_id: str) -> None:
        """The connect dialog again, the shop's app details filled in (its secret too, while the
        keychain still has it)."""
        shop = self.settings.connected_shop(shop_id)
        if shop is None:
            return
        vault = self.vault(shop)
        known = AppDetails(shop.app_key, "", shop.service_id, shop.market)  # type: ignore[arg-type]

        def read_details(control: object) -> AppDetails:
            from tiktok_desktop.services.accounts import Account

            saved = vault.load(shop.account)
            if not saved:
                return known
            return AppDetails(shop.app_key, Account.from_json(saved).app_secret,
                              shop.service_id, shop.market)  # type: ignore[arg-type]

        self.window.tasks.run(read_details, name="Reading the shop's sign-in", parent=self,
                              on_done=self.connect_shop,
                              on_failed=lambda error: self.connect_shop(known))

    # -- switching ------------------------------------------------------------------------------

    @Slot()
    def show_switcher(self) -> None:
        """Ctrl+Shift+S: the shop list where the pointer is."""
        self._fill_switch_menu()
        self.switch_menu.popup(QCursor.pos())

    @Slot()
    def _fill_switch_menu(self) -> None:
        menu = self.switch_menu
        menu.clear()
        group = QActionGroup(menu)
        current = self.open_key()
        shops = [(DEMO, DEMO_NAME), *((s.shop_id, s.name) for s in self.settings.connected_shops())]
        for key, name in shops:
            action = QAction(name, menu, checkable=True)
            action.setChecked(key == current)
            action.setData(key)
            action.triggered.connect(self._switch_chosen)
            group.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.window.connect_action)

    @Slot()
    def _switch_chosen(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.switch_to(str(action.data()))

    def switch_to(self, key: str, *, reopen: bool = False) -> None:
        """Open the demo shop (DEMO) or a connected shop instead of the one open (edits not
        pushed yet are asked about first)."""
        window = self.window
        if (key == self.open_key() and not reopen) or window.opening:
            return
        if not window.may_close_shop(lambda: self.switch_to(key, reopen=reopen)):
            return
        window.close_session()
        if key == DEMO:
            window.open_demo_shop()
        else:
            window.open_own_shop(key)

    # -- disconnecting --------------------------------------------------------------------------

    @Slot()
    def disconnect_open_shop(self) -> None:
        key = self.open_key()
        if key not in (None, DEMO):
            self.disconnect(key)

    @Slot(str)
    def disconnect(self, shop_id: str) -> None:
        """Remove a connected shop's sign-in and, on a second confirmation, its local copy."""
        shop = self.settings.connected_shop(shop_id)
        if shop is None or not self.confirm_disconnect(shop.name):
            return
        window = self.window
        is_open = self.open_key() == shop_id
        if is_open and not window.may_close_shop(lambda: self.disconnect(shop_id)):
            return
        delete_data = self.confirm_delete_data(shop.name)
        if is_open:
            window.close_session()
            self.settings.shop_choice = None
            window.show_welcome()
        self.settings.forget_shop(shop_id)
        self.settings.sync()
        shared = any(s.account == shop.account for s in self.settings.connected_shops())
        vault, data_dir = self.vault(shop), window.context.options.data_dir

        def forget(control: object) -> None:
            from tiktok_desktop.services.accounts import forget_shop_data

            if not shared:  # another shop of the same sign-in still needs it
                vault.forget(shop.account)
            if delete_data:
                forget_shop_data(data_dir, shop_id)

        window.tasks.run(forget, name=f"Disconnecting {shop.name}",
                         on_done=lambda _: messages.info(f"{shop.name} was disconnected."))
        self._refresh_preferences()

    def confirm_disconnect(self, name: str) -> bool:
        """Asked in a dialog (tests replace this method)."""
        answer = QMessageBox.question(
            self.window, "Disconnect this shop",
            f"Disconnect {name} from this app? Its sign-in is removed from this computer's "
            "keychain; you can connect it again at any time.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def confirm_delete_data(self, name: str) -> bool:
        """The second confirmation: also delete the local copy? (tests replace this method)"""
        answer = QMessageBox.question(
            self.window, "Delete the local copy too?",
            f"Also delete {name}'s orders, listings and stock history kept on this computer? "
            "Keep them if you may connect the shop again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- preferences ----------------------------------------------------------------------------

    @Slot()
    def show_preferences(self) -> None:
        from tiktok_desktop.ui.preferences import PreferencesDialog

        data_dir = self.window.context.options.data_dir or self.settings.path.parent
        key = self.open_key()
        dialog = PreferencesDialog(self.settings, data_dir, data_dir / "logs",
                                   open_shop_id=None if key == DEMO else key,
                                   parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.connect_requested.connect(self.connect_new)
        dialog.reconnect_requested.connect(self.reconnect)
        dialog.disconnect_requested.connect(self.disconnect)
        dialog.applied.connect(self.window.preferences_applied)
        dialog.finished.connect(self._preferences_closed)
        self.preferences = dialog
        dialog.open()

    @Slot()
    def _preferences_closed(self) -> None:
        self.preferences = None

    def _refresh_preferences(self) -> None:
        if self.preferences is not None:
            key = self.open_key()
            self.preferences.set_shops(self.settings.connected_shops(),
                                       None if key == DEMO else key)
