"""The Preferences dialog: connected shops, sync, the low-stock line, the sign-in port, folders.

    dialog = PreferencesDialog(settings, data_dir, log_dir, open_shop_id=shop_id, parent=window)
    dialog.connect_requested.connect(window.connect_shop)        # the window does the work,
    dialog.disconnect_requested.connect(window.disconnect_shop)  # then calls dialog.set_shops()
    dialog.applied.connect(window.apply_preferences)
    dialog.open()

OK writes only the values the seller changed (so a value another part of the app wrote meanwhile
is not overwritten with the one shown when the dialog opened); Cancel and Escape write nothing.
The spin boxes' ranges are the ranges `Settings` accepts, so no value it would refuse reaches it.
Shop actions take effect at once, whatever button closes the dialog: they are not preferences.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, QLocale, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.redirect_listener import redirect_url
from tiktok_desktop.ui.settings import POLL_MINUTES, PORT_RANGE, ConnectedShop, Settings

LOW_STOCK_RANGE = (0, 100_000)  # as `Settings.low_stock_threshold` accepts
NO_SHOPS_TEXT = "No shop connected yet. The demo shop is always there to explore."
STOCK_NOTE = ("Each shop can have its own line in the Inventory tab; this is the line for shops "
              "without one.")
REDIRECT_NOTE = ("TikTok sends your browser back to this address after you authorize the app. It "
                 "must match the redirect URL registered for your app in Partner Center: change "
                 "both together.")
PORT_CHANGED_NOTE = ("Signing in will fail until the redirect URL in Partner Center is changed to "
                     "this one too.")


def shop_label(shop: ConnectedShop, open_shop_id: str | None) -> str:
    """"Maple & Co. — United States (open now)": the region code as a country name when Qt
    knows it, else the code itself (TikTok's "UK", say), else nothing."""
    territory = QLocale.codeToTerritory(shop.region) if shop.region else None
    if territory is not None and territory != QLocale.Country.AnyTerritory:
        where = QLocale.territoryToString(territory)
    else:
        where = shop.region
    text = f"{shop.name} — {where}" if where else shop.name
    return f"{text} (open now)" if shop.shop_id == open_shop_id else text


def _note(text: str) -> QLabel:
    # Plain text colour, not greyed out: these notes matter and must stay readable.
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _warning(text: str) -> QWidget:
    icon = QLabel()
    size = icon.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    icon.setPixmap(icon.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                   .pixmap(size, size))
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    widget = QWidget()
    row = QHBoxLayout(widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(icon)
    row.addWidget(_note(text), 1)
    return widget


def _spin(low_high: tuple[int, int], value: int, name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(*low_high)
    spin.setValue(value)
    spin.setGroupSeparatorShown(False)  # a port reads "50123", never "50,123"
    spin.setAccessibleName(name)
    return spin


def _sentence(before: str, spin: QSpinBox, after: str) -> QHBoxLayout:
    """"Check for new orders every [5] minutes": the spin box inside its sentence."""
    row = QHBoxLayout()
    label = QLabel(before)
    label.setBuddy(spin)
    row.addWidget(label)
    row.addWidget(spin)
    row.addWidget(QLabel(after))
    row.addStretch(1)
    return row


class PreferencesDialog(QDialog):
    """The seller's preferences over `Settings`. Show it with `open()` (never `exec()`)."""

    connect_requested = Signal()
    reconnect_requested = Signal(str)  # shop id
    disconnect_requested = Signal(str)  # shop id
    applied = Signal()  # after OK wrote the changes and synced them

    def __init__(self, settings: Settings, data_dir: Path, log_dir: Path, *,
                 open_shop_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.data_dir, self.log_dir = data_dir, log_dir
        self.setWindowTitle("Preferences")
        # What the dialog showed at the start: OK writes only what differs from it.
        self._initial: dict[str, int | bool] = {
            "poll_interval_minutes": settings.poll_interval_minutes,
            "notify_new_orders": settings.notify_new_orders,
            "low_stock_threshold": settings.low_stock_threshold,
            "redirect_port": settings.redirect_port,
        }
        self.tabs = QTabWidget()
        self.tabs.addTab(self._shops_page(), "Shops")
        self.tabs.addTab(self._sync_page(), "Sync and stock")
        self.tabs.addTab(self._sign_in_page(), "Sign-in")
        self.tabs.addTab(self._files_page(), "Files")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.set_shops(settings.connected_shops(), open_shop_id)

    # Pages

    def _shops_page(self) -> QWidget:
        self.shop_list = QListWidget()
        self.shop_list.setAccessibleName("Connected shops")
        self.shop_list.itemSelectionChanged.connect(self._update_shop_buttons)
        self.no_shops = QLabel(NO_SHOPS_TEXT)
        self.no_shops.setWordWrap(True)
        self.no_shops.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.connect_button = QPushButton("Connect a shop…")
        self.reconnect_button = QPushButton("Reconnect…")
        self.disconnect_button = QPushButton("Disconnect…")
        self.connect_button.clicked.connect(self._connect_clicked)
        self.reconnect_button.clicked.connect(self._reconnect_clicked)
        self.disconnect_button.clicked.connect(self._disconnect_clicked)
        for button in (self.connect_button, self.reconnect_button, self.disconnect_button):
            button.setAutoDefault(False)  # Enter means OK, not "connect another shop"
        buttons = QVBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.reconnect_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addStretch(1)
        shops = QVBoxLayout()
        shops.addWidget(self.shop_list, 1)
        shops.addWidget(self.no_shops, 1)
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addLayout(shops, 1)
        layout.addLayout(buttons)
        return page

    def _sync_page(self) -> QWidget:
        self.poll_spin = _spin(POLL_MINUTES, self._initial["poll_interval_minutes"],
                               "Minutes between checks for new orders")
        self.notify_check = QCheckBox("Show a desktop notification when new orders arrive")
        self.notify_check.setChecked(self._initial["notify_new_orders"])
        sync = QGroupBox("Sync")
        sync_layout = QVBoxLayout(sync)
        sync_layout.addLayout(_sentence("Check for new orders every", self.poll_spin, "minutes"))
        sync_layout.addWidget(self.notify_check)

        self.low_stock_spin = _spin(LOW_STOCK_RANGE, self._initial["low_stock_threshold"],
                                    "Low-stock line in units")
        stock = QGroupBox("Stock")
        stock_layout = QVBoxLayout(stock)
        stock_layout.addLayout(_sentence("Show stock as low at", self.low_stock_spin,
                                         "units or fewer"))
        stock_layout.addWidget(_note(STOCK_NOTE))

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(sync)
        layout.addWidget(stock)
        layout.addStretch(1)
        return page

    def _sign_in_page(self) -> QWidget:
        self.port_spin = _spin(PORT_RANGE, self._initial["redirect_port"],
                               "Port for the sign-in's redirect")
        self.port_spin.valueChanged.connect(self._port_changed)
        self.redirect_edit = QLineEdit()
        self.redirect_edit.setReadOnly(True)
        self.redirect_edit.setAccessibleName("Redirect URL")
        # Room for the longest URL (port 65535), so it never scrolls out of sight.
        width = self.redirect_edit.fontMetrics().horizontalAdvance(redirect_url(65535))
        self.redirect_edit.setMinimumWidth(width + 16)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip("Copy the redirect URL, to paste it in Partner Center")
        self.copy_button.clicked.connect(self.copy_redirect_url)
        self.port_changed_note = _warning(PORT_CHANGED_NOTE)
        url_row = QHBoxLayout()
        url_row.addWidget(self.redirect_edit, 1)
        url_row.addWidget(self.copy_button)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port_spin)
        port_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Port for the sign-in's redirect:", port_row)
        form.addRow("Redirect URL:", url_row)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(_note(REDIRECT_NOTE))
        layout.addWidget(self.port_changed_note)
        layout.addStretch(1)
        self._port_changed(self.port_spin.value())
        return page

    def _files_page(self) -> QWidget:
        self.data_label = self._path_label(self.data_dir)
        self.log_label = self._path_label(self.log_dir)
        self.open_data_button = QPushButton("Open folder")
        self.open_log_button = QPushButton("Open folder")
        self.open_data_button.setAccessibleName("Open your data folder")
        self.open_log_button.setAccessibleName("Open the logs folder")
        self.open_data_button.clicked.connect(self._open_data_clicked)
        self.open_log_button.clicked.connect(self._open_log_clicked)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, (title, label, button) in enumerate(
                (("Your data:", self.data_label, self.open_data_button),
                 ("Logs:", self.log_label, self.open_log_button))):
            button.setAutoDefault(False)
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(label, row, 1)
            grid.addWidget(button, row, 2)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(grid)
        layout.addStretch(1)
        return page

    @staticmethod
    def _path_label(path: Path) -> QLabel:
        label = QLabel(QDir.toNativeSeparators(str(path)))
        label.setTextFormat(Qt.TextFormat.PlainText)  # a folder name is never markup
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        label.setWordWrap(True)  # a long path wraps at its spaces instead of widening the dialog
        return label

    # Shops

    def set_shops(self, shops: list[ConnectedShop], open_shop_id: str | None) -> None:
        """Show these shops (after a connect, reconnect or disconnect); keeps the selection
        while the selected shop is still there."""
        selected = self.selected_shop_id()
        self.shop_list.clear()
        for shop in shops:
            item = QListWidgetItem(shop_label(shop, open_shop_id))
            item.setData(Qt.ItemDataRole.UserRole, shop.shop_id)
            self.shop_list.addItem(item)
            if shop.shop_id == selected:
                item.setSelected(True)
                self.shop_list.setCurrentItem(item)
        self.shop_list.setVisible(bool(shops))
        self.no_shops.setVisible(not shops)
        self._update_shop_buttons()

    def selected_shop_id(self) -> str | None:
        items = self.shop_list.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    @Slot()
    def _update_shop_buttons(self) -> None:
        selected = self.selected_shop_id() is not None
        self.reconnect_button.setEnabled(selected)
        self.disconnect_button.setEnabled(selected)

    @Slot()
    def _connect_clicked(self) -> None:
        self.connect_requested.emit()

    @Slot()
    def _reconnect_clicked(self) -> None:
        shop_id = self.selected_shop_id()
        if shop_id is not None:
            self.reconnect_requested.emit(shop_id)

    @Slot()
    def _disconnect_clicked(self) -> None:
        shop_id = self.selected_shop_id()
        if shop_id is not None:
            self.disconnect_requested.emit(shop_id)

    # Sign-in

    def redirect_url(self) -> str:
        return redirect_url(self.port_spin.value())

    @Slot(int)
    def _port_changed(self, port: int) -> None:
        self.redirect_edit.setText(redirect_url(port))
        self.port_changed_note.setVisible(port != self._initial["redirect_port"])

    @Slot()
    def copy_redirect_url(self) -> None:
        QGuiApplication.clipboard().setText(self.redirect_url())

    # Files

    def open_folder(self, path: Path) -> None:
        """Show the folder in the system's file manager (tests replace this)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    @Slot()
    def _open_data_clicked(self) -> None:
        self.open_folder(self.data_dir)

    @Slot()
    def _open_log_clicked(self) -> None:
        self.open_folder(self.log_dir)

    # OK

    def values(self) -> dict[str, int | bool]:
        """The values the dialog shows now, by their `Settings` attribute names."""
        return {
            "poll_interval_minutes": self.poll_spin.value(),
            "notify_new_orders": self.notify_check.isChecked(),
            "low_stock_threshold": self.low_stock_spin.value(),
            "redirect_port": self.port_spin.value(),
        }

    def changed_values(self) -> dict[str, int | bool]:
        return {name: value for name, value in self.values().items()
                if value != self._initial[name]}

    @Slot()
    def accept(self) -> None:
        for spin in (self.poll_spin, self.low_stock_spin, self.port_spin):
            spin.interpretText()  # text still being typed counts (an invalid one is dropped)
        for name, value in self.changed_values().items():
            setattr(self.settings, name, value)
        self.settings.sync()
        self.applied.emit()
        super().accept()
