"""The Requests tab: buyers' cancellations and returns/refunds in one list, the ones waiting for
the seller's answer first, soonest deadline first; approve or reject them, one or a selection
(answering.py), with each request's result.

Why a tab of its own: a request has a deadline the seller must meet (48 hours for a
cancellation), like a package's ship-by; it needs the same daily glance as Fulfillment, and its
count in the tab title ("Requests (3)") is what brings the seller there. The Orders tab shows an
order's requests in its detail pane, and Fulfillment holds back a package whose buyer asked to
cancel — each a click away from here.

The list, the counts and the pictures are read together in the background, when the tab is on
screen (a hidden tab marks itself stale and reads when shown); the count of requests waiting —
the tab title's — is an indexed count on the GUI thread, so it follows every sync even while the
tab is hidden. The latest read wins. Countdowns move on every minute.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.request_answers import Answer, AnswersResult
from tiktok_desktop.services.request_words import TYPE_FILTERS
from tiktok_desktop.store import Changes
from tiktok_desktop.store.requests import TYPES, BuyerRequest
from tiktok_desktop.ui import cache_ops
from tiktok_desktop.ui.editing.table import list_beside_detail, picture_rows
from tiktok_desktop.ui.orders.filter_bar import SEARCH_PAUSE_MS, SearchBox
from tiktok_desktop.ui.orders.selection import selected_rows
from tiktok_desktop.ui.pictures import THUMBNAIL_PX
from tiktok_desktop.ui.requests.answering import Answering
from tiktok_desktop.ui.requests.detail import RequestDetailPane
from tiktok_desktop.ui.requests.listing import (
    ALL,
    SHOW_WORDS,
    SHOWS,
    Listing,
    read_listing,
)
from tiktok_desktop.ui.requests.model import ITEMS, RequestsModel
from tiktok_desktop.ui.scanner import mark_scan_target
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

WATCHED = ("returns", "cancellations", "orders", "skus", "product_images")
TICK_MS = 60_000
SHOW_KEY, TYPE_KEY = "requests/show", "requests/type"
LAYOUT_KEY, SPLIT_KEY = "requests/columns", "requests/split"
COLUMN_CHARS = (20, 20, 34, 40, 10, 22, 21, 17, 30)  # "10 h 24 min left" whole


class RequestsSession(Protocol):
    """What the tab needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes

    def answer_requests(self, answers: Sequence[Answer] = (),
                        cancel: threading.Event | None = None) -> AnswersResult: ...

    def reject_reasons(self, request_ids: Sequence[str], cancel: threading.Event | None = None
                       ) -> dict[str, tuple[tuple[str, str], ...]]: ...


class RequestsTab(QWidget):
    title = "Requests"
    changed = Signal(object)  # Changes the answers wrote to the cache, for the other tabs
    title_changed = Signal(str)  # "Requests (3)": the tab's title with its count
    needs_answer_changed = Signal(int)  # requests waiting for the seller's answer
    listed = Signal()  # the table shows the answer to the latest question
    request_shown = Signal(str)  # the detail pane shows this request now

    def __init__(self, session: RequestsSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.settings = session, tasks, settings
        self.shop_id = session.shop_id
        self._clock = clock
        self.store = session.cache.gui()  # the window's connection: the count, a scan
        self.model = RequestsModel(self, clock)
        self.table = QTableView(self)
        self.detail = RequestDetailPane(self, clock)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.shows = QTabBar(self)
        self.kinds = QComboBox(self)
        self.search = SearchBox(self)
        self.summary = QLabel(self)
        self.answering = Answering(self)
        self._needs_answer = 0
        self._reads = 0  # the latest read wins
        self._select: str | None = None  # a request to select once listed
        self._next_row: int | None = None  # after answers: the row that takes the answered's
        self._stale = True
        self._closed = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._build()
        self._restore_state()
        self._connect()
        self._ticker.start()
        self.count_waiting()
        self.reload()
        self.answering.finish_left_over(self.store)

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.shows.setExpanding(False)
        self.shows.setDrawBase(False)
        self.shows.setElideMode(Qt.TextElideMode.ElideNone)
        for show in SHOWS:
            self.shows.addTab(SHOW_WORDS[show])
        self.kinds.addItem("Every kind", ALL)
        for kind in TYPES:
            self.kinds.addItem(TYPE_FILTERS[kind], kind)
        self.kinds.setToolTip("Show one kind of request")
        mark_scan_target(self.search)
        self.search.setPlaceholderText("Search by order or request number, SKU, product or "
                                       "reason — or scan an order")
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(self.shows)
        filters.addWidget(self.kinds)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.summary)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        picture_rows(self.table)
        char = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate(COLUMN_CHARS):
            self.table.setColumnWidth(column, char * chars
                                      + (THUMBNAIL_PX + 8 if column == ITEMS else 0))
        list_beside_detail(self.splitter, self.table, self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(filters)
        layout.addLayout(self.answering.row())
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.shows.currentChanged.connect(self.reload)
        self.kinds.currentIndexChanged.connect(self.reload)
        self.search.textChanged.connect(self._pause.start)  # a read once typing pauses
        self._pause.timeout.connect(self.reload)
        self.search.returnPressed.connect(self._scanned)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self.answering.selection_changed)
        self.answering.answered.connect(self._answered)
        self._ticker.timeout.connect(self.tick)

    def _restore_state(self) -> None:
        """The filter and kind of the last session (not the search), the columns, the split.
        Read before the signals are connected: one read at the end of __init__."""
        show = self.settings.ui_choice(SHOW_KEY)
        if show in SHOWS:
            self.shows.setCurrentIndex(SHOWS.index(show))
        found = self.kinds.findData(self.settings.ui_choice(TYPE_KEY))
        if found >= 0:
            self.kinds.setCurrentIndex(found)
        columns = self.settings.ui_state(LAYOUT_KEY)
        if columns is not None:
            self.table.horizontalHeader().restoreState(columns)
        split = self.settings.ui_state(SPLIT_KEY)
        if split is not None:
            self.splitter.restoreState(split)

    def save_state(self) -> None:
        self.settings.set_ui_choice(SHOW_KEY, self.current_filter)
        self.settings.set_ui_choice(TYPE_KEY, self.kind if self.kind != ALL else None)
        self.settings.set_ui_state(LAYOUT_KEY, self.table.horizontalHeader().saveState())
        self.settings.set_ui_state(SPLIT_KEY, self.splitter.saveState())

    # -- the filters ----------------------------------------------------------------------------

    @property
    def current_filter(self) -> str:
        """NEEDS, WAITING, CLOSED or ALL."""
        return SHOWS[max(0, self.shows.currentIndex())]

    @property
    def kind(self) -> str:
        return self.kinds.currentData() or ALL

    def set_filter(self, show: str) -> None:
        self.shows.setCurrentIndex(SHOWS.index(show))

    def set_kind(self, kind: str) -> None:
        self.kinds.setCurrentIndex(max(0, self.kinds.findData(kind)))

    # -- the count in the title -----------------------------------------------------------------

    @property
    def needs_answer_count(self) -> int:
        """Requests waiting for the seller's answer (answered ones not counted)."""
        return self._needs_answer

    def tab_title(self) -> str:
        return f"{self.title} ({self._needs_answer:,})" if self._needs_answer else self.title

    def count_waiting(self) -> None:
        """Count the requests waiting (indexed, on the GUI thread) and say so if it changed."""
        if self._closed:
            return
        count = self.store.requests.waiting_count(self.shop_id)
        if count != self._needs_answer:
            self._needs_answer = count
            self.needs_answer_changed.emit(count)
            self.title_changed.emit(self.tab_title())

    # -- reading --------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Read the list for the filters as they are (in the background) — now if the tab is
        on screen, else when it is shown. The selected request stays selected while listed."""
        if self._closed:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._reads += 1
        number, shop_id = self._reads, self.shop_id
        show, kind, search = self.current_filter, self.kind, self.search.text().strip()
        held, ratio = self.model.picture_links(), self.table.devicePixelRatioF()

        def shown(listing: Listing) -> None:
            if number == self._reads and not self._closed:
                self._show(listing)

        cache_ops.read(self, self.tasks, self.session,
                       lambda store: read_listing(store, shop_id, show, kind, search, held,
                                                  ratio),
                       name="Reading buyers' requests", on_done=shown)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _show(self, listing: Listing) -> None:
        selected = self._select or self.detail.request_id
        chosen = [r.id for r in self.selected_requests()]
        self._select = None
        self.model.set_pictures(listing.pictures)
        self.model.show(listing.rows, listing.states)
        for number, show in enumerate(SHOWS):
            count = listing.counts.get(show, 0)
            self.shows.setTabText(number, f"{SHOW_WORDS[show]} ({count:,})")
        shown = len(listing.rows)
        self.summary.setText(f"{shown:,} request{'' if shown == 1 else 's'}")
        rows = [r for r in map(self.model.row_of, chosen) if r is not None]
        row = self.model.row_of(selected)
        after, self._next_row = self._next_row, None
        if row is None and after is not None and self.model.rowCount():
            row = min(after, self.model.rowCount() - 1)  # answered: on to the next one
        if row is not None:
            self.select_row(row)
            if len(rows) > 1:
                self._select_rows(rows)
        else:
            self.table.selectionModel().clear()
            self.detail.show_request(None)
        self.answering.selection_changed()
        self.listed.emit()

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_detail(self.model.request(current.row()) if current.isValid() else None)

    def _show_detail(self, request: BuyerRequest | None) -> None:
        if request is None:
            self.detail.show_request(None)
            return
        pictures = {p: self.model.picture(p) for p in request.product_ids}
        self.detail.show_request(request, self.model.state(request.id),
                                 self.model.results.get(request.id),
                                 {p: pixmap for p, pixmap in pictures.items() if pixmap})
        self.request_shown.emit(request.id)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        already = self.table.currentIndex().row() == row
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        if already:  # no signal: the row was current already
            self._show_detail(self.model.request(row))

    def select(self, *request_ids: str) -> None:
        """Select these requests (those listed), the first one current."""
        rows = [r for r in map(self.model.row_of, request_ids) if r is not None]
        if rows:
            self.select_row(rows[0])
            self._select_rows(rows)

    def _select_rows(self, rows: Sequence[int]) -> None:
        selection = self.table.selectionModel()
        for row in rows:
            selection.select(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)

    def selected_requests(self) -> list[BuyerRequest]:
        return [self.model.request(r) for r in selected_rows(self.table)
                if r < self.model.rowCount()]

    # -- upkeep ---------------------------------------------------------------------------------

    @Slot(object)
    def refresh(self, changes: Changes) -> None:
        """A sync (or another tab) wrote to the cache: count again, and read again if the
        requests (or their orders, pictures) changed."""
        if self._closed or self.shop_id not in changes.shop_ids:
            return
        if changes.touches("returns", "cancellations", "outbox"):
            self.count_waiting()
        if changes.touches(*WATCHED):
            self.reload()

    def _answered(self, result: AnswersResult) -> None:
        current = self.table.currentIndex()
        self._next_row = current.row() if current.isValid() else None
        self.count_waiting()
        if result.changes:
            self.changed.emit(result.changes)  # the other tabs (and this one, via the window)
        self.reload()

    @Slot()
    def tick(self) -> None:
        """Countdowns move on."""
        self.model.tick()
        self.detail.tick()

    # -- scanning -------------------------------------------------------------------------------

    @Slot()
    def _scanned(self) -> None:
        self.take_scan(self.search.text().strip())

    def take_scan(self, code: str) -> bool:
        """A scanned or typed order or request number: select its request (filters that would
        hide it are lifted). False when no request has it."""
        if not code:
            return False
        found = self.store.requests.for_order(code) or list(
            self.store.requests.get([code]).values())
        if not found:
            return False
        target = found[0]
        blockers = [w.blockSignals(True) for w in (self.shows, self.kinds, self.search)]
        try:
            self.set_filter(ALL)
            self.set_kind(ALL)
            self.search.setText(code)
        finally:
            for widget, blocked in zip((self.shows, self.kinds, self.search), blockers,
                                       strict=True):
                widget.blockSignals(blocked)
        self.search.selectAll()
        self._select = target.id
        self.reload()
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def shop_closing(self) -> None:
        """The shop is closing (its session closes the connections): answers on their way
        are ignored from now on."""
        self._closed = True
        self._ticker.stop()
        self._pause.stop()
