"""--smoke, the main window's part: open the demo shop, sync it, show every tab, open an order.

Start-up (`ui/app.py`) waits for the first paint and the self-check, then calls
`MainWindow.run_smoke(finish)`; these steps call `finish(None)` when all went well, or
`finish("reason")` at the first step that did not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from tiktok_desktop.ui import messages
from tiktok_desktop.ui.orders import OrdersTab

if TYPE_CHECKING:
    from tiktok_desktop.ui.background_sync import SyncOutcome
    from tiktok_desktop.ui.main_window import MainWindow

Finish = Callable[[str | None], None]


class SmokeSteps(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._finish: Finish | None = None
        self._outcome: SyncOutcome | None = None  # the first sync's, even if it came early
        self._problem: str | None = None

    def start(self, finish: Finish) -> None:
        self._finish = finish
        if self._problem is not None:
            self._end(self._problem)
        elif self._outcome is not None:
            self._check_sync(self._outcome)
        elif self._window.session is None and not self._window.opening:
            self._window.open_demo_shop()

    def sync_finished(self, outcome: SyncOutcome) -> None:
        if self._outcome is not None:
            return
        self._outcome = outcome
        if self._finish is not None:
            self._check_sync(outcome)

    def failed(self, reason: str) -> None:
        """The shop could not be opened."""
        self._problem = f"the demo shop did not open: {reason}"
        if self._finish is not None:
            self._end(self._problem)

    def _check_sync(self, outcome: SyncOutcome) -> None:
        if outcome.error is not None:
            described = messages.describe_failure(outcome.error)
            self._end(f"the sync failed: {described or repr(outcome.error)}")
            return
        result = outcome.result
        if result is None or not result.complete:
            errors = "; ".join(result.errors) if result is not None else "it was stopped"
            self._end(f"the sync did not complete: {errors or 'cancelled'}")
            return
        self._visit_tabs()

    @Slot()
    def _visit_tabs(self) -> None:
        if not self._window.all_tabs_built:
            self._window.tabs_built.connect(self._visit_tabs)
            return
        tabs = self._window.tabs
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            if tabs.widget(index).grab().isNull():
                self._end(f"the {tabs.tabText(index)} tab did not paint")
                return
        orders = self._window.tab(OrdersTab)
        if not isinstance(orders, OrdersTab):
            self._end("there is no Orders tab")
            return
        tabs.setCurrentWidget(orders)
        if orders.lists.pending:
            orders.listed.connect(self._open_first_order)
        else:
            QTimer.singleShot(0, self._open_first_order)

    @Slot()
    def _open_first_order(self) -> None:
        orders = self._window.tab(OrdersTab)
        assert isinstance(orders, OrdersTab)
        if orders.lists.pending:  # the answer to an older question: wait for the latest
            return
        if orders.model.rowCount() == 0:
            self._end("the Orders tab shows no orders after a full sync")
            return
        orders.order_shown.connect(self._order_shown)
        orders.select_row(0)

    @Slot(str)
    def _order_shown(self, order_id: str) -> None:
        self._end(None)

    def _end(self, reason: str | None) -> None:
        finish, self._finish = self._finish, None
        if finish is not None:
            finish(reason)
