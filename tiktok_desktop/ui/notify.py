"""A desktop notification when new orders arrive.

Where the desktop has a system tray, a tray icon shows the notification (clicking it brings the
window forward on the newest order). Without one (some Linux desktops, the offscreen platform)
the news goes to the app's message area and the taskbar entry asks for attention instead.
The seller can turn notifications off (Settings.notify_new_orders).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from tiktok_desktop.ui import messages

SHOWN_MS = 10_000


def new_orders_text(count: int, shop_name: str) -> tuple[str, str]:
    """The notification's title and body."""
    title = "A new order" if count == 1 else f"{count:,} new orders"
    return title, f"{shop_name}: {'it is' if count == 1 else 'they are'} in the Orders tab."


class NewOrderNotifier(QObject):
    open_requested = Signal(str)  # the order to show (the newest one announced)

    def __init__(self, window: QWidget, icon: QIcon) -> None:
        super().__init__(window)
        self._window = window
        self._latest: str | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(QApplication.applicationDisplayName())
            self.tray.messageClicked.connect(self._clicked)
            self.tray.activated.connect(self._activated)
            self.tray.show()

    @property
    def uses_tray(self) -> bool:
        return self.tray is not None and self.tray.supportsMessages()

    def announce(self, order_ids: Sequence[str], shop_name: str) -> None:
        """New orders arrived (ids newest last, as a sync reports them)."""
        if not order_ids:
            return
        self._latest = order_ids[-1]
        title, body = new_orders_text(len(order_ids), shop_name)
        if self.uses_tray:
            assert self.tray is not None
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, SHOWN_MS)
        else:
            label = "Open it" if len(order_ids) == 1 else "Open the newest"
            messages.info(f"{title} in {shop_name}.",
                          messages.MessageAction(label, self._clicked))
            QApplication.alert(self._window)

    @Slot()
    def _clicked(self) -> None:
        self._bring_forward()
        if self._latest:
            self.open_requested.emit(self._latest)

    @Slot(QSystemTrayIcon.ActivationReason)
    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._bring_forward()

    def _bring_forward(self) -> None:
        if self._window.isMinimized():
            self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def hide(self) -> None:
        """Take the tray icon away (the window is closing)."""
        if self.tray is not None:
            self.tray.hide()
