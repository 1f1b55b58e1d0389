"""The Orders tab: status tabs with counts, search (also by barcode scanner), the table and the
detail pane, over the local cache.

Queries run in the background (`OrderLists`), and bring the rows of the screen to show; rows
scrolled to later and one order's detail are read on the GUI thread (indexed, a few
milliseconds). The main window announces what a sync wrote through `refresh(changes)`: the tab
asks again only when orders changed, keeping the selected order and the scroll position; the
countdowns move on the same way every minute.

Several orders can be selected (click, Shift+click, Ctrl+click, Ctrl+A): `selected_order_ids()`
gives them to actions on a selection, a refresh keeps them selected while they are listed, and
Ctrl+C (`copy_action`) copies them as the table shows them.

"Export orders…" (`export_action`) writes the orders listed, as the filters and search show
them, as Seller Center's order export (services/order_export.py), CSV or .xlsx, in the
background.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services import order_export
from tiktok_desktop.services.cache_lanes import PARALLEL, CacheLanes
from tiktok_desktop.services.own_process import run_in_own_process
from tiktok_desktop.services.sheets import SheetRefused
from tiktok_desktop.store import Changes, OrderQuery
from tiktok_desktop.store.orders import end_of_today, in_status_filter
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.editing.table import table_action
from tiktok_desktop.ui.file_choice import SHEET_FILTER, FileChoice
from tiktok_desktop.ui.file_progress import run_with_progress
from tiktok_desktop.ui.orders.detail import OrderDetailPane
from tiktok_desktop.ui.orders.filter_bar import (
    CUSTOM,
    DATE_PRESETS,
    STATUS_LABELS,
    OrderFilters,
)
from tiktok_desktop.ui.orders.model import Listing, OrdersModel
from tiktok_desktop.ui.orders.queries import OrderLists
from tiktok_desktop.ui.orders.selection import select_rows, selected_rows, shown_columns
from tiktok_desktop.ui.orders.table import OrdersTable
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskControl, TaskRunner

WATCHED = ("orders", "order_line_items", "packages",
           "statement_fetches")  # the detail's "You earned" (ui/orders/earned.py)
# The detail's line about the buyer's requests (store/requests.py): an answer or a sync moves it.
WATCHED += ("returns", "cancellations")
FIRST = "first"  # Enter without an exact match opens the first order found
TICK_MS = 60_000  # countdowns move on every minute
LAYOUT_KEY = "orders/columns"
FITTED_KEY = "orders/columns_fitted"  # "yes": the widths were the default fitted to the window
STATUS_KEY = "orders/status"
DATES_KEY = "orders/dates"
SPLIT_KEY = "orders/split"


def same_view(a: OrderQuery, b: OrderQuery) -> bool:
    """The same filters, search and sort, whichever day ends "today"."""
    return replace(a, due_before=None) == replace(b, due_before=None)


class OrdersSession(Protocol):
    """What the tab needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes


class OrdersTab(QWidget):
    title = "Orders"
    order_shown = Signal(str)  # the detail pane shows this order now (tests and smoke wait on it)
    listed = Signal()  # the table shows the answer to the latest query

    def __init__(self, session: OrdersSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.shop_id = session.shop_id
        self.settings = settings
        self._cache, self._tasks = session.cache, tasks
        self.files = FileChoice(self, settings)
        self._clock = clock
        self.store = session.cache.gui()  # the window's connection, for rows and details
        self.lists = OrderLists(session.cache, tasks, self, clock)
        self.model = OrdersModel(self.store.orders.rows, self, clock)
        self.filters = OrderFilters(self)
        self.table = OrdersTable(self.model, self)
        self.detail = OrderDetailPane(self, clock)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._query: OrderQuery | None = None  # the latest asked
        self._shown: OrderQuery | None = None  # the one whose answer the table shows
        self._open_when_listed: str | None = None  # a scanned order (or FIRST), once listed
        self._listing = False  # the model is changing: the selection is put back after
        self._keep: tuple[str | None, str | None, bool] | None = None  # after a refresh
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self.copy_action = self._table_action(
            "Copy", QKeySequence.StandardKey.Copy,
            "Copy the selected orders with the column titles, to paste into a spreadsheet")
        self.select_all_action = self._table_action(
            "Select all", QKeySequence.StandardKey.SelectAll, "Select every order listed")
        self.export_action = QAction("Export orders…", self)
        self.export_action.setToolTip("Save the orders listed as Seller Center's order export "
                                      "(CSV or Excel), one row per SKU")
        self.addAction(self.export_action)
        self._build()
        self._restore_filters()
        self.table.restore_layout(settings.ui_state(LAYOUT_KEY),
                                  fitted=settings.ui_choice(FITTED_KEY) == "yes")
        split = settings.ui_state(SPLIT_KEY)
        if split is not None:
            self.splitter.restoreState(split)
        self._connect()
        self._ticker.start()
        self.ask()

    def _build(self) -> None:
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        width = self.fontMetrics().averageCharWidth()
        self.splitter.setSizes([width * 160, width * 48])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filters, 1)
        export = QToolButton(self)
        export.setDefaultAction(self.export_action)
        top.addWidget(export, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    def _table_action(self, text: str, key: QKeySequence.StandardKey, tip: str) -> QAction:
        """An action on the table's orders (ui/editing/table.py table_action)."""
        return table_action(self, text, None, key, tip=tip)

    def edit_actions(self) -> dict[str, QAction]:
        """The Edit menu's items this tab does (ui/edit_menu.py)."""
        return {"copy": self.copy_action, "select_all": self.select_all_action}

    def _connect(self) -> None:
        self.copy_action.triggered.connect(self.copy_selected)
        self.select_all_action.triggered.connect(self.table.selectAll)
        self.export_action.triggered.connect(self.export_orders)
        self.filters.changed.connect(self.ask)
        self.filters.search_changed.connect(self.ask)
        self.filters.scanned.connect(self.open_scanned)
        self.model.sort_requested.connect(self._sort_requested)
        self.lists.listed.connect(self._listed)
        self.lists.counted.connect(self._counted)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._ticker.timeout.connect(self.tick)

    # -- asking the cache -----------------------------------------------------------------------

    def current_query(self) -> OrderQuery:
        created_from, created_to = self.filters.created_range()
        sort, descending = self.table.sort_key
        return OrderQuery(self.shop_id, status=self.filters.status, created_from=created_from,
                          created_to=created_to, search=self.filters.search_text, sort=sort,
                          descending=descending, due_before=end_of_today(self._clock()))

    @Slot()
    def ask(self) -> None:
        """Query again if the filters changed (counts only if more than the tab or sort did)."""
        query = self.current_query()
        if query == self._query:
            return
        self._ask(query)

    def _ask(self, query: OrderQuery, *, recount: bool = False) -> None:
        previous, self._query = self._query, query
        counts_same = previous is not None and (
            previous.created_from, previous.created_to, previous.search, previous.due_before) == (
            query.created_from, query.created_to, query.search, query.due_before)
        keep = self._keep
        top = keep[1] if keep is not None and not keep[2] else None
        selected = [order_id for order_id in (self._open_when_listed, self.detail.order_id,
                                              keep[0] if keep else None)
                    if order_id and order_id != FIRST]
        rows = self.table.viewport().height() // self.table.verticalHeader().defaultSectionSize()
        self.lists.ask(query, with_counts=recount or not counts_same, counts_later=recount,
                       top=top, rows=rows + 1, find=selected)

    @Slot(str, bool)
    def _sort_requested(self, key: str, descending: bool) -> None:
        self.ask()

    @Slot(object)
    def refresh(self, changes: Changes) -> None:
        """A sync (or another tab) wrote to the cache: ask again if orders changed."""
        if not changes.touches(*WATCHED) or self.shop_id not in changes.shop_ids:
            return
        self._keep = self._position()
        self._ask(self.current_query(), recount=True)

    def _position(self) -> tuple[str | None, str | None, bool]:
        """The selected order, the order at the top of the view, and whether it is scrolled
        to the very top (then new orders should come into view)."""
        top_row = self.table.rowAt(0)
        at_top = self.table.verticalScrollBar().value() == 0
        return self.detail.order_id, self.model.order_id(top_row), at_top

    @Slot(object, object)
    def _listed(self, query: OrderQuery, listing: Listing) -> None:
        keep, self._keep = self._keep, None
        selected = self._open_when_listed or (keep[0] if keep else self.detail.order_id)
        self._open_when_listed = None
        # The same view answered anew (a sync, the countdowns, a new day): keep it as it was.
        again = self._shown is not None and same_view(query, self._shown)
        self._shown = query
        chosen = self.selected_order_ids() if again else []
        rows_before = self.model.rowCount()
        self._listing = True
        try:
            if again:
                self.model.refresh(listing)
            else:
                self.model.show(listing)
        finally:
            self._listing = False
        if selected == FIRST:
            selected = self.model.order_id(0)
            row = 0 if selected else None
        else:
            row = listing.found.get(selected) if selected else None
            if row is None and selected:  # chosen while the query ran: look it up here
                row = self.model.row_of(selected)
        # The scroll range for the new rows now, not at the next repaint (a refresh of the
        # same rows keeps the view, and repaints nothing that did not change).
        if not again:
            self.table.doItemsLayout()
        elif self.model.rowCount() != rows_before:
            self.table.updateGeometries()
        if keep is not None and not keep[2] and keep[1] in listing.found:
            top = listing.found[keep[1]]
            if top != self.table.rowAt(0):  # orders came or went above it: follow it
                self.table.scrollTo(self.model.index(top, 0),
                                    QAbstractItemView.ScrollHint.PositionAtTop)
        # Several orders selected: those still listed stay selected (an action may be next).
        kept = sorted(r for r in map(self.model.row_of, chosen) if r is not None) \
            if len(chosen) > 1 else []
        if row is None and kept:  # the current order left: the first one kept becomes it
            row = kept[0]
        if row is not None:
            self.select_row(row, scroll=keep is None)
            if kept:
                select_rows(self.table, kept)
        else:
            self.table.selectionModel().clear()
            self.detail.show_order(None)
        self._show_summary()
        self.listed.emit()

    @Slot(object, object)
    def _counted(self, query: OrderQuery, counts: dict[str, int]) -> None:
        self.filters.show_counts(counts)

    def _show_summary(self) -> None:
        shown = self.model.rowCount()
        query = self._query
        self.filters.show_summary(f"{shown:,} order{'' if shown == 1 else 's'}")
        if shown or query is None:
            self.table.show_empty_note("")
        elif query.search:
            self.table.show_empty_note(f"No orders match “{query.search}”"
                                       + ("" if query.status == "All" else
                                          f" in {query.status}") + ".")
        elif query.status != "All" or query.created_from is not None:
            self.table.show_empty_note("No orders here for these filters.")
        else:
            self.table.show_empty_note("No orders yet. They appear here as soon as the shop "
                                       "is synced (F5 syncs now).")

    # -- the selected orders --------------------------------------------------------------------

    def selected_order_ids(self) -> list[str]:
        """The selected orders in the table's order (for actions on several orders)."""
        ids = self.model.order_ids
        return [ids[row] for row in selected_rows(self.table)]

    @Slot()
    def copy_selected(self) -> None:
        """Ctrl+C: the selected orders as tab-separated text, a header line of the shown
        columns first, in the table's order (read in the background)."""
        order_ids = self.selected_order_ids()
        if order_ids:
            self.lists.copy(order_ids, shown_columns(self.table.horizontalHeader()))

    # -- exporting ------------------------------------------------------------------------------

    @Slot()
    def export_orders(self) -> None:
        """Ask where, then export the orders listed (as the filters and search show them)."""
        name = f"orders-{date.fromtimestamp(self._clock()).isoformat()}.csv"
        path = self.files.ask_save_path("Export orders", name, SHEET_FILTER)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the orders listed now to `path` (.xlsx by its suffix, else CSV)."""
        order_ids = list(self.model.order_ids)
        cache, shop_id = self._cache.path, self.shop_id

        def work(control: TaskControl) -> order_export.ExportResult:
            control.check()
            return run_in_own_process(order_export.export_cached_orders, path, cache, shop_id,
                                      order_ids, progress=control.progress,
                                      cancel=control.cancelled, stops_itself=True)

        run_with_progress(self._tasks, self, work, label=f"Exporting orders to {path.name}…",
                          name=f"Exporting orders to {path.name}", lane=PARALLEL, parent=self,
                          on_done=self._exported, on_failed=self._export_failed)

    def _exported(self, result: order_export.ExportResult) -> None:
        orders, rows = result.orders, result.rows
        messages.info(f"Exported {orders:,} order{'s' * (orders != 1)} "
                      f"({rows:,} row{'s' * (rows != 1)}) to {result.path.name}.")

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, SheetRefused):
            messages.error(f"Exporting orders failed. {error}")
        else:
            messages.report_failure(error, doing="Exporting orders")

    def select_row(self, row: int, *, scroll: bool = True) -> None:
        """Make this row the selected order and show it in the detail pane."""
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        already = self.table.currentIndex().row() == row
        self.table.selectionModel().setCurrentIndex(index, flags)  # shows it via the signal
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        if already:
            self._show_detail(self.model.order_id(row))

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._listing:
            return
        self._show_detail(self.model.order_id(current.row()) if current.isValid() else None)

    def _show_detail(self, order_id: str | None) -> None:
        detail = self.store.orders.detail(order_id) if order_id else None
        self.detail.show_order(detail)
        if detail is not None:
            self.order_shown.emit(detail.order.id)

    @Slot(str)
    def open_scanned(self, code: str) -> None:
        """Enter in the search box: an exact order id, package id or tracking number opens that
        order (filters that would hide it are lifted); otherwise the first match is opened."""
        order_id = self.store.orders.lookup(self.shop_id, code) if code else None
        if order_id is None:
            query = self.current_query()
            if query != self._query:
                self._open_when_listed = FIRST
                self._ask(query)
            elif self.model.rowCount():
                self.select_row(0)
            return
        self._lift_filters_hiding(order_id)
        self.filters.search.selectAll()  # the next scan replaces this one
        row = self.model.row_of(order_id)
        query = self.current_query()
        if row is not None and query == self._query:
            self.select_row(row)
            return
        self._open_when_listed = order_id
        self._ask(query)

    def _lift_filters_hiding(self, order_id: str) -> None:
        rows = self.store.orders.rows([order_id])
        if not rows:
            return
        order = rows[0]
        created_from, created_to = self.filters.created_range()
        blocker = self.filters.blockSignals(True)  # one query below, not one per change
        try:
            if not in_status_filter(self.filters.status, order.status, order.ship_by,
                                    end_of_today(self._clock())):
                self.filters.set_status("All")
            created = order.create_time or 0
            if (created_from is not None and created < created_from) or (
                    created_to is not None and created >= created_to):
                self.filters.set_any_time()
        finally:
            self.filters.blockSignals(blocker)

    # -- upkeep ---------------------------------------------------------------------------------

    @Slot()
    def tick(self) -> None:
        """Countdowns move on: read the rows in view again (in the background) and the detail
        pane's deadline."""
        if self._query is not None:
            self._keep = self._position()
            # After midnight "Ship today" means the new day (the rest of the view is the same).
            self._ask(replace(self._query, due_before=end_of_today(self._clock())))
        self.detail.tick()

    def focus_search(self) -> None:
        self.filters.focus_search()

    def _restore_filters(self) -> None:
        """The status tab and date range of the last session (not the search text: a stale
        search would hide new orders)."""
        status = self.settings.ui_choice(STATUS_KEY)
        if status in STATUS_LABELS:
            self.filters.set_status(status)
        dates = self.settings.ui_choice(DATES_KEY)
        if dates is not None and dates in DATE_PRESETS:
            self.filters.dates.setCurrentText(dates)

    def save_state(self) -> None:
        self.settings.set_ui_choice(STATUS_KEY, self.filters.status)
        preset = self.filters.dates.currentText()
        # Custom dates are not kept: the range would be stale by the next start.
        self.settings.set_ui_choice(DATES_KEY, preset if preset != CUSTOM else None)
        self.settings.set_ui_state(LAYOUT_KEY, self.table.save_layout())
        self.settings.set_ui_choice(FITTED_KEY, "yes" if self.table.fitted else None)
        self.settings.set_ui_state(SPLIT_KEY, self.splitter.saveState())

    def shop_closing(self) -> None:
        """The shop is closing (its session closes the connections): stop asking."""
        self._ticker.stop()
        self.lists.close()
