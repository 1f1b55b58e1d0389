"""The status bar: which shop, how fresh its copy is, the link to TikTok Shop, and messages.

    [newest message …]   [Messages (2)]   Demo shop │ ● Online │ Synced 2 minutes ago │ [▓▓░ 45%]

Messages from the app's message channel go to the message list (ui/message_list.py): the
newest shows on the left, the button opens them all with their times and actions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from tiktok_desktop.ui.formatting import DAY, duration, time_ago
from tiktok_desktop.ui.message_list import LatestMessage, MessageList, MessagesButton
from tiktok_desktop.ui.messages import Message

if TYPE_CHECKING:  # types only: the services and sync packages load when a shop opens
    from tiktok_desktop.services import ConnectionState
    from tiktok_desktop.sync import SyncProgress

TICK_MS = 30_000  # "Synced 2 minutes ago" moves on
PROGRESS_EVERY_MS = 250
GREEN, GREY, AMBER, RED = "#2e7d32", "#757575", "#b26a00", "#c62828"
RESOURCE_NAMES = {"orders": "orders", "packages": "packages", "products": "listings",
                  "product_details": "listing details", "inventory": "stock",
                  "warehouses": "warehouses", "returns": "returns",
                  "cancellations": "cancellations", "statements": "payouts"}


class ShopStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._clock = clock
        self._synced_at: int | None = None
        self._syncing = False
        self.shop = QLabel(self)
        self.connection = QLabel(self)
        self.synced = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setFixedWidth(self.fontMetrics().averageCharWidth() * 18)
        self.progress.setFormat("%p%")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.messages = MessageList(self)
        self.latest = LatestMessage(self.messages, self)
        self.messages_button = MessagesButton(self.messages, self)
        self.latest.clicked.connect(self.messages_button.open_list)
        self.addWidget(self.latest, 1)
        for widget in (self.messages_button, self.shop, self.connection, self.synced,
                       self.progress):
            self.addPermanentWidget(widget)
        self.shop.hide()
        self.connection.hide()
        self.synced.hide()
        self._progress: SyncProgress | None = None  # the latest, not shown yet
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(PROGRESS_EVERY_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._show_synced)
        self._ticker.start()

    # -- the shop -------------------------------------------------------------------------------

    def set_shop(self, name: str | None, *, demo: bool = False) -> None:
        """The shop the window works on (None: no shop yet, the welcome page)."""
        self.shop.setText(f"<b>{name}</b>" if name else "")
        self.shop.setToolTip("A practice shop on this computer: nothing reaches TikTok" if demo
                             else "")
        for widget in (self.shop, self.connection, self.synced):
            widget.setVisible(bool(name))
        if not name:
            self.progress.hide()

    def set_connection(self, state: ConnectionState | None) -> None:
        if state is None:
            self.connection.setText("")
            return
        now = self._clock()
        ends = time.strftime("%Y-%m-%d", time.localtime(state.authorization_expires_at))
        if state.needs_sign_in:
            text, colour = "Sign in again", RED
            tip = ("The shop's authorization was revoked or has ended: reconnect it "
                   "(Shop → Preferences → Reconnect, or the banner above the tabs).")
        elif not state.online:
            text, colour = "Offline", GREY
            tip = (state.problem or "Can't reach TikTok Shop.") + (
                " The app keeps working from its local copy and tries again.")
        elif state.expiring_soon(now):
            left = max(0, int(state.authorization_expires_at - now))
            text = f"Sign-in ends in {duration(left) if left < DAY else f'{left // DAY} days'}"
            colour = AMBER
            tip = (f"Your shop's authorization ends on {ends}: before then, reconnect it "
                   "(Shop → Preferences → Reconnect) and approve the app again in TikTok, so "
                   "orders keep coming in.")
        elif state.problem:
            text, colour, tip = "Online, with a problem", AMBER, state.problem
        else:
            text, colour = "Online", GREEN
            tip = f"Connected to TikTok Shop. The authorization ends on {ends}."
        self.connection.setText(f'<span style="color: {colour};">●</span> {text}')
        self.connection.setToolTip(tip)

    # -- syncing --------------------------------------------------------------------------------

    def set_synced_at(self, at: int | None) -> None:
        self._synced_at = at
        self._show_synced()

    def sync_started(self) -> None:
        self._syncing = True
        self.progress.setRange(0, 0)  # busy until the first page says how far it is
        self.progress.setToolTip("")
        self.progress.show()
        self.synced.setText("Syncing…")

    def sync_progressed(self, progress: SyncProgress) -> None:
        """Show the latest progress, at most every PROGRESS_EVERY_MS: while a sync keeps every
        core busy, each repaint costs the GUI thread a wait for Python's lock."""
        self._progress = progress
        if not self._progress_timer.isActive():
            self._show_progress()
            self._progress_timer.start()

    @Slot()
    def _show_progress(self) -> None:
        progress, self._progress = self._progress, None
        if progress is None or not self._syncing:
            self._progress_timer.stop()
            return
        what = RESOURCE_NAMES.get(progress.resource, progress.resource)
        fraction = progress.fraction
        if fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 100)  # whole percents: QProgressBar repaints at once
            self.progress.setValue(int(fraction * 100))
        self.synced.setText(f"Syncing {what}… {progress.items:,} items so far")
        eta = f", about {duration(int(progress.eta_s))} left" if progress.eta_s else ""
        self.progress.setToolTip(f"{progress.items:,} items in {progress.requests:,} "
                                 f"requests{eta}")

    def sync_ended(self, synced_at: int | None) -> None:
        """The sync is over; `synced_at` when it completed (None: it stopped early)."""
        self._syncing = False
        self._progress = None
        self._progress_timer.stop()
        self.progress.hide()
        if synced_at is not None:
            self._synced_at = synced_at
        self._show_synced()

    @Slot()
    def _show_synced(self) -> None:
        if self._syncing:  # the progress says more
            return
        self.synced.setText(f"Synced {time_ago(self._synced_at, int(self._clock()))}"
                            if self._synced_at else "Not synced yet")

    # -- messages -------------------------------------------------------------------------------

    @Slot(object)
    def show_message(self, message: Message) -> None:
        self.messages.add(message)
