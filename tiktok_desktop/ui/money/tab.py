"""The Money tab: what the shop earns, in two pages — Payouts (TikTok Shop's statements in a date
range, their totals, and the orders and adjustments each paid for) and Sales (orders and revenue
today, 7 and 30 days against the period before, a daily chart, the top SKUs). Both export CSV.

One tab rather than two: both answer "what does my shop earn", the seller moves from one to
the other (a good week in Sales is the payout of next week), and the tab bar stays short.

The main window connects its "cache changed" announcement to `refresh(changes)` and calls
`save_state()` at close and `shop_closing()` when the shop closes. `changed` carries what the
tab wrote (statement transactions fetched), so the Orders tab's detail shows what an order
earned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, tzinfo
from typing import Protocol

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from tiktok_desktop.store import Changes
from tiktok_desktop.ui.money.payouts import PayoutSession, PayoutsView
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

STATEMENTS = ("statements",)
SALES = ("orders", "order_line_items", "returns")
PAGE_KEY = "money/page"
RANGE_KEY = "money/range"
SPLIT_KEY = "money/split"
PAGES = ("payouts", "sales")


class MoneySession(PayoutSession, Protocol):
    """What the tab needs of a ShopSession."""


class MoneyTab(QWidget):
    title = "Money"
    changed = Signal(object)  # Changes this tab wrote, for the other tabs

    def __init__(self, session: MoneySession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None, clock: Callable[[], float] = time.time,
                 tz: tzinfo | None = None, today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        from tiktok_desktop.ui.money.sales import SalesView  # Qt Charts: loaded with the tab

        self.session, self.settings = session, settings
        self.shop_id = session.shop_id
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.payouts = PayoutsView(session, tasks, settings, self, clock,
                                   today or (lambda: date.fromtimestamp(clock())))
        self.sales = SalesView(session, tasks, settings, self, clock, tz)
        self.pages.addTab(self.payouts, "Payouts")
        self.pages.addTab(self.sales, "Sales")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.pages)
        self._restore_state()
        self.payouts.changed.connect(self.changed)
        self.pages.currentChanged.connect(self._page_shown)
        self.payouts.reload()
        self.sales.reload()

    def _restore_state(self) -> None:
        page = self.settings.ui_choice(PAGE_KEY)
        if page in PAGES:
            self.pages.setCurrentIndex(PAGES.index(page))
        preset = self.settings.ui_choice(RANGE_KEY)
        if preset:
            blocker = self.payouts.range.blockSignals(True)
            try:
                self.payouts.range.set_preset(preset)
            finally:
                self.payouts.range.blockSignals(blocker)
        split = self.settings.ui_state(SPLIT_KEY)
        if split is not None:
            self.payouts.splitter.restoreState(split)

    def save_state(self) -> None:
        self.settings.set_ui_choice(PAGE_KEY, PAGES[max(0, self.pages.currentIndex())])
        preset = self.payouts.range.preset
        # Custom dates are not kept: the range would be stale by the next start.
        self.settings.set_ui_choice(RANGE_KEY, preset if preset in (
            "This month", "Last month", "Last 90 days") else None)
        self.settings.set_ui_state(SPLIT_KEY, self.payouts.splitter.saveState())

    @Slot(object)
    def refresh(self, changes: Changes) -> None:
        """A sync (or another tab) wrote to the cache: read again what it touched."""
        if self.shop_id not in changes.shop_ids:
            return
        if changes.touches(*STATEMENTS):
            self.payouts.reload()
        if changes.touches(*SALES):
            self.sales.reload()

    @Slot(int)
    def _page_shown(self, index: int) -> None:
        if self.pages.widget(index) is self.sales:
            self.sales.reload_if_stale()  # "today" moves on while the app stays open

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pages.currentWidget() is self.sales:
            self.sales.reload_if_stale()

    def shop_closing(self) -> None:
        """The shop is closing: answers on their way are ignored from now on."""
        self.payouts.close_shop()
        self.sales.close_shop()
