"""The Listings tab: every product's state at a glance — the listing health, status tabs with
counts, search (title, seller SKU, any part of a product id; a scanned SKU or id selects its
product), sort by any column, quick filters, and the current product's detail. "Edit prices"
swaps the list for the price table of the same listings (prices.py): one row per SKU, edited
like the stock table.

The list, the counts, the health and the pictures are read together in the background (a shop
has a few thousand products); so is a product's detail. Only the exact lookup of a scanned code
(indexed) runs on the GUI thread. The latest read wins: an answer to an older question is
dropped. Activate… and Deactivate… change the selected listings through the session, in the
background (status_change.py); nothing else here writes the cache or talks to the network.

The main window connects its "cache changed" announcement to `refresh(changes)` and calls
`save_state()` at close (status tab, quick filter, columns and the split, in the settings).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.listing_status import StatusChangeResult
from tiktok_desktop.store import Changes, ListingDetail, ListingQuery, ListingRow, Store
from tiktok_desktop.store.listings import (
    ALL,
    STATUS_TABS,
    ListingHealth,
    Scanned,
    Show,
    status_name,
)
from tiktok_desktop.ui import cache_ops
from tiktok_desktop.ui.column_fit import ColumnFitter
from tiktok_desktop.ui.editing.table import list_beside_detail, picture_rows, table_action
from tiktok_desktop.ui.listings.detail import ListingDetailPane
from tiktok_desktop.ui.listings.filters import ListingFilters
from tiktok_desktop.ui.listings.model import PRODUCT, TITLES, ListingsModel
from tiktok_desktop.ui.listings.price_kind import PriceSession
from tiktok_desktop.ui.listings.prices import PricesView
from tiktok_desktop.ui.listings.status_change import StatusChanges
from tiktok_desktop.ui.orders.selection import selected_rows, shown_columns
from tiktok_desktop.ui.pictures import THUMBNAIL_PX, Pictures, read_pictures
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

WATCHED = ("products", "skus", "stock", "product_details", "product_images")
SALES = ("orders", "order_line_items")  # what "no sales in 30 days" reads
STATUS_KEY = "listings/status"
SHOW_KEY = "listings/show"
LAYOUT_KEY = "listings/columns"
FITTED_KEY = "listings/columns_fitted"  # "yes": the widths were the default fitted to the window
SPLIT_KEY = "listings/split"
VIEW_KEY = "listings/view"  # "prices": the price table was open
FIRST = "first"  # Enter without an exact match selects the first listing found
COLUMN_CHARS = (40, 24, 6, 18, 8, 17)
_ONE_LINE = str.maketrans("\t\r\n", "   ")


class ListingsSession(PriceSession, Protocol):
    """What the tab needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes

    def change_listing_status(self, action: str | None, product_ids: Sequence[str] = (),
                              cancel: threading.Event | None = None) -> StatusChangeResult: ...


@dataclass(frozen=True)
class Answer:
    """One background read: the rows, the status tabs' counts, the health, new pictures."""

    rows: list[ListingRow]
    counts: dict[str, int]
    health: ListingHealth
    pictures: Pictures


class ListingsTab(QWidget):
    title = "Listings"
    listed = Signal()  # the table shows the answer to the latest question
    changed = Signal(object)  # Changes this tab wrote to the cache (a push), for the others
    product_shown = Signal(str)  # the detail pane shows this product now

    def __init__(self, session: ListingsSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.settings = session, tasks, settings
        self.shop_id = session.shop_id
        self.store = session.cache.gui()  # the window's connection, for a scan's lookup
        shop = self.store.shops.get(self.shop_id)
        self.model = ListingsModel(self)
        self.filters = ListingFilters(self)
        self.table = QTableView(self)
        self.detail = ListingDetailPane(shop.region if shop else None, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.prices = PricesView(session, tasks, settings, self)
        self.views = QStackedWidget(self)  # the list, or the price table
        self.price_toggle = QPushButton("Edit prices", self)
        self._reads = 0  # the latest read of the list wins
        self._details = 0  # and of the detail
        self._select: str | None = None  # a product to select once listed
        self._shown_query: ListingQuery | None = None  # the question the table answers
        self._closed = False
        self.copy_action = self._table_action(
            "Copy", QKeySequence.StandardKey.Copy,
            "Copy the selected listings with the column titles, to paste into a spreadsheet")
        self.select_all_action = self._table_action(
            "Select all", QKeySequence.StandardKey.SelectAll, "Select every listing shown")
        self.status_changes = StatusChanges(self)
        self._build()
        self._restore_state()
        self._connect()
        self.reload()
        self.status_changes.finish_left_over(self.store)

    # -- layout ---------------------------------------------------------------------------------

    def _table_action(self, text: str, key: QKeySequence.StandardKey, tip: str) -> QAction:
        return table_action(self, text, None, key, tip=tip)

    def _build(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSortIndicator(PRODUCT, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        picture_rows(self.table)
        char = self.fontMetrics().averageCharWidth()
        wanted = {column: char * chars + (THUMBNAIL_PX + 8 if column == PRODUCT else 0)
                  for column, chars in enumerate(COLUMN_CHARS)}
        for column, width in wanted.items():
            self.table.setColumnWidth(column, width)
        # On a small window the titles give room (elided, whole in the tooltip).
        self.fitter = ColumnFitter(self.table, wanted, {PRODUCT: THUMBNAIL_PX + 8 + char * 14})
        self.views.addWidget(self.table)
        self.views.addWidget(self.prices)
        self.price_toggle.setCheckable(True)
        self.price_toggle.setToolTip("Edit the prices of the listings shown, SKU by SKU, "
                                     "as in a spreadsheet")
        list_beside_detail(self.splitter, self.views, self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.filters)
        buttons = self.status_changes.row()
        buttons.addWidget(self.price_toggle)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.copy_action.triggered.connect(self.copy_selected)
        self.select_all_action.triggered.connect(self.table.selectAll)
        self.filters.changed.connect(self.reload)
        self.filters.scanned.connect(self.open_scanned)
        self.model.sort_requested.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(
            self.status_changes.selection_changed)
        self.price_toggle.toggled.connect(self.show_prices)
        self.prices.product_chosen.connect(self._read_detail)
        self.prices.editor.changed.connect(self.changed)
        self.status_changes.changed.connect(lambda result: self.changed.emit(result.changes))

    def _restore_state(self) -> None:
        """The status tab and quick filter of the last session (not the search text: a stale
        search would hide listings), the columns and the split."""
        blocker = self.filters.blockSignals(True)  # one read, at the end of __init__
        try:
            status = self.settings.ui_choice(STATUS_KEY)
            if status in STATUS_TABS:
                self.filters.set_status(status)
            show = self.settings.ui_choice(SHOW_KEY)
            if show in Show.__members__:
                self.filters.set_quick_filter(Show[show])
        finally:
            self.filters.blockSignals(blocker)
        header = self.table.horizontalHeader()
        if self.fitter.restore(self.settings.ui_state(LAYOUT_KEY),
                               fitted=self.settings.ui_choice(FITTED_KEY) == "yes"):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        split = self.settings.ui_state(SPLIT_KEY)
        if split is not None:
            self.splitter.restoreState(split)
        self.price_toggle.setChecked(self.settings.ui_choice(VIEW_KEY) == "prices")

    def save_state(self) -> None:
        self.settings.set_ui_choice(STATUS_KEY, self.filters.status)
        self.settings.set_ui_choice(SHOW_KEY, self.filters.quick_filter.name)
        self.settings.set_ui_state(LAYOUT_KEY, self.table.horizontalHeader().saveState())
        self.settings.set_ui_choice(FITTED_KEY, "yes" if self.fitter.active else None)
        self.settings.set_ui_state(SPLIT_KEY, self.splitter.saveState())
        self.settings.set_ui_choice(VIEW_KEY, "prices" if self.editing_prices else None)

    # -- reading --------------------------------------------------------------------------------

    def current_query(self) -> ListingQuery:
        return ListingQuery(self.shop_id, status=self.filters.status,
                            search=self.filters.search_text, show=self.filters.quick_filter,
                            sort=self.model.sort_key, descending=self.model.descending)

    @Slot()
    def reload(self) -> None:
        """Read the list, counts and health for the filters as they are (in the background);
        the selected product stays selected while it is listed."""
        if self._closed:
            return
        self._reads += 1
        number, query = self._reads, self.current_query()
        held, pixel_ratio = self.model.picture_links(), self.table.devicePixelRatioF()

        def read(store: Store) -> Answer:
            rows = store.listings.rows(query)
            pictures = read_pictures(store, query.shop_id, [r.product_id for r in rows], held,
                                     pixel_ratio)
            return Answer(rows, store.listings.counts(query), store.listings.health(query.shop_id),
                          pictures)

        def shown(answer: Answer) -> None:
            if number == self._reads and not self._closed:
                self._shown_query = query
                self._show(answer)

        cache_ops.read(self, self.tasks, self.session, read, name="Reading listings",
                       on_done=shown)

    def _show(self, answer: Answer) -> None:
        selected = self._select or self.detail.product_id
        self._select = None
        if selected == FIRST:
            selected = answer.rows[0].product_id if answer.rows else None
        self.model.set_pictures(answer.pictures)
        self.model.show(answer.rows)
        if self.editing_prices:
            self.prices.show_products([r.product_id for r in answer.rows])
        self.filters.show_counts(answer.counts)
        self.filters.show_health(answer.health)
        shown = len(answer.rows)
        self.filters.summary.setText(f"{shown:,} listing{'' if shown == 1 else 's'}")
        row = self.model.row_of(selected)
        if row is not None:
            self.select_row(row)
        else:
            self._read_detail(None)
        self.listed.emit()

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._read_detail(self.model.row(current.row()).product_id if current.isValid() else None)

    def _read_detail(self, product_id: str | None) -> None:
        self._details += 1
        if product_id is None or self._closed:
            self.detail.show_listing(None)
            return
        number, shop_id = self._details, self.shop_id

        def shown(detail: ListingDetail | None) -> None:
            if number == self._details and not self._closed:
                self.detail.show_listing(detail)
                if detail is not None:
                    self.product_shown.emit(detail.row.product_id)

        cache_ops.read(self, self.tasks, self.session,
                       lambda store: store.listings.detail(shop_id, product_id),
                       name="Reading a listing", on_done=shown)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        already = self.table.currentIndex().row() == row
        self.table.selectionModel().setCurrentIndex(index, flags)  # the detail via the signal
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        if already:  # no signal: the row was current already
            self._read_detail(self.model.row(row).product_id)

    @Slot(object)
    def refresh(self, changes: Changes) -> None:
        """A sync (or another tab) wrote to the cache: read again if the listings changed, or
        the orders while "no sales in 30 days" is shown."""
        watched = WATCHED + (SALES if self.filters.quick_filter is Show.NO_SALES else ())
        if changes.touches(*watched) and self.shop_id in changes.shop_ids:
            self.reload()

    # -- prices ---------------------------------------------------------------------------------

    @property
    def editing_prices(self) -> bool:
        return self.price_toggle.isChecked()

    @Slot(bool)
    def show_prices(self, shown: bool) -> None:
        """The price table of the listings shown, or the list again."""
        self.views.setCurrentWidget(self.prices if shown else self.table)
        self.detail.setVisible(not shown)  # the price table has every SKU: it takes the room
        for button in (self.status_changes.activate_button,
                       self.status_changes.deactivate_button):
            button.setVisible(not shown)  # they act on the list's selection
        if shown:
            self.prices.show_products([self.model.row(r).product_id
                                       for r in range(self.model.rowCount())])

    # -- scanning and searching -----------------------------------------------------------------

    def take_scan(self, code: str) -> bool:
        """A scan from anywhere in the window: a product id, seller SKU or SKU id of this shop
        selects its product (filters that would hide it are lifted); anything else is not for
        this tab."""
        found = self.store.listings.lookup(self.shop_id, code)
        if found is None:
            return False
        self.filters.search.setText(code)
        self.prices.pick(code)
        self._reveal(found)
        return True

    @Slot(str)
    def open_scanned(self, code: str) -> None:
        """Enter in the search box: an exact code selects its product; else the first match."""
        found = self.store.listings.lookup(self.shop_id, code) if code else None
        self.filters.search.selectAll()  # the next scan replaces this one
        if found is not None:
            self.prices.pick(code)
            self._reveal(found)
            return
        self._select = FIRST
        self.reload()

    def _reveal(self, found: Scanned) -> None:
        """List and select this product: the status tab is All (Deleted for a deleted one)
        and the quick filter shows every listing, unless it is listed for this search."""
        row = self.model.row_of(found.product_id)
        if row is not None and self.current_query() == self._shown_query:
            self.select_row(row)
            return
        blocker = self.filters.blockSignals(True)
        try:
            self.filters.set_status(status_name("DELETED") if found.status == "DELETED" else ALL)
            self.filters.set_quick_filter(Show.EVERYTHING)
        finally:
            self.filters.blockSignals(blocker)
        self._select = found.product_id
        self.reload()

    def selected_product_ids(self) -> list[str]:
        return [self.model.row(r).product_id for r in selected_rows(self.table)]

    def titles(self) -> dict[str, str]:
        """Each listed product's title, by id."""
        return {self.model.row(r).product_id: self.model.row(r).title
                for r in range(self.model.rowCount())}

    # -- the Edit menu --------------------------------------------------------------------------

    def edit_actions(self) -> dict[str, QAction]:
        """The Edit menu's items this tab does (ui/edit_menu.py): the price table's while it
        is open."""
        if self.editing_prices:
            return dict(self.prices.edit_actions)
        return {"copy": self.copy_action, "select_all": self.select_all_action}

    @Slot()
    def copy_selected(self) -> None:
        """Ctrl+C: the selected listings as tab-separated text, a line of column titles first."""
        rows = selected_rows(self.table)
        if not rows:
            return
        columns = shown_columns(self.table.horizontalHeader())
        lines = ["\t".join(TITLES[c] for c in columns)]
        lines.extend("\t".join(self.model.text(r, c).translate(_ONE_LINE) for c in columns)
                     for r in rows)
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def focus_search(self) -> None:
        """Ctrl+F (the main window): to the search box, its text selected."""
        self.filters.focus_search()

    def shop_closing(self) -> None:
        """The shop is closing (its session closes the connections): answers on their way are
        ignored from now on."""
        self.prices.close_shop()
        self._closed = True

