"""The Orders table view: one line per order, columns the seller can move, hide and sort.

The column layout (order, widths, hidden columns, sort) is kept in the settings under
`orders/columns`. When the list is empty a sentence in the middle of the table says why.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QWidget,
)

from tiktok_desktop.ui.orders.columns import COLUMNS, FLEXIBLE
from tiktok_desktop.ui.orders.model import OrdersModel
from tiktok_desktop.ui.sort_arrow import arrows_as_the_list_reads

DEFAULT_SORT = ("create_time", Qt.SortOrder.DescendingOrder)
KEYS = [c.key for c in COLUMNS]
STEP_ASIDE = ("tracking_number", "buyer")  # hidden in that order when a new layout is narrow
CELL_PADDING = 16  # margins of a cell and room for the sort arrow


class OrdersTable(QTableView):
    def __init__(self, model: OrdersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fit_flexible = True  # a new layout: the Items column takes the room left
        self._fitting = False
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size hints
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        header.sectionResized.connect(self._section_resized)
        arrows_as_the_list_reads(header)
        self.apply_default_layout()
        self.setSortingEnabled(True)
        self.empty_note = QLabel(self.viewport())
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet("color: #6b6b6b;")
        self.empty_note.hide()

    def apply_default_layout(self) -> None:
        metrics, header = self.fontMetrics(), self.horizontalHeader()
        self._fitting = True
        try:
            for section, column in enumerate(COLUMNS):
                header.setSectionHidden(section, not column.shown)
                wide = max(metrics.horizontalAdvance(column.sample),
                           metrics.horizontalAdvance(column.title) + CELL_PADDING)
                self.setColumnWidth(section, wide + CELL_PADDING)
        finally:
            self._fitting = False
        key, order = DEFAULT_SORT
        header.setSortIndicator(KEYS.index(key), order)
        self._fit_flexible = True
        self._fit_flexible_column()

    def _fit_flexible_column(self) -> None:
        """A new layout: give the Items column what the other columns leave of the width. On a
        narrow window (1024 px with the detail pane) the columns the detail pane also shows
        step aside first, tracking number then buyer, so the ones a seller scans a list by
        (order, status, dates, items, total) show without scrolling; they come back when
        there is room."""
        header = self.horizontalHeader()
        flexible = KEYS.index(FLEXIBLE)
        least = self.fontMetrics().averageCharWidth() * 16  # "2 × Cotton tee (Bl…"
        self._fitting = True  # not the seller's doing: keep fitting on the next resize
        try:
            for key in STEP_ASIDE:
                header.setSectionHidden(KEYS.index(key), not COLUMNS[KEYS.index(key)].shown)
            for key in STEP_ASIDE:
                if self._room_for_items() >= least:
                    break
                header.setSectionHidden(KEYS.index(key), True)
            self.setColumnWidth(flexible, max(self._room_for_items(), least))
        finally:
            self._fitting = False

    def _room_for_items(self) -> int:
        header = self.horizontalHeader()
        flexible = KEYS.index(FLEXIBLE)
        return self.viewport().width() - sum(
            header.sectionSize(s) for s in range(len(COLUMNS))
            if s != flexible and not header.isSectionHidden(s))

    def save_layout(self) -> QByteArray:
        """The columns and the sort; see `fitted` for whether the widths are the seller's."""
        return self.horizontalHeader().saveState()

    @property
    def fitted(self) -> bool:
        """The widths are the default, fitted to the window (not the seller's own)."""
        return self._fit_flexible

    def restore_layout(self, state: QByteArray | None, *, fitted: bool = False) -> bool:
        """Put back a saved layout; False (and the default kept) when there is none or it is
        from a different set of columns. `fitted`: it was the default layout — only its sort
        comes back, the widths are fitted afresh to this window (columns stepped aside on a
        small screen come back on a big one)."""
        header = self.horizontalHeader()
        if state is None or not header.restoreState(state):
            return False
        if header.count() != len(COLUMNS):
            self.apply_default_layout()
            return False
        if fitted:
            sort = header.sortIndicatorSection(), header.sortIndicatorOrder()
            self.apply_default_layout()
            header.setSortIndicator(*sort)
            return True
        self._fit_flexible = False
        return True

    @property
    def sort_key(self) -> tuple[str, bool]:
        """The column key and direction the header shows (what the query sorts by)."""
        header = self.horizontalHeader()
        section = header.sortIndicatorSection()
        key = KEYS[section] if 0 <= section < len(COLUMNS) else DEFAULT_SORT[0]
        return key, header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def show_empty_note(self, text: str) -> None:
        """A sentence in the middle of an empty table ("" hides it)."""
        self.empty_note.setText(text)
        self.empty_note.setVisible(bool(text))
        self._place_note()

    def _place_note(self) -> None:
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        self.empty_note.setGeometry(area)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_note()
        if self._fit_flexible:
            self._fit_flexible_column()

    @Slot(int, int, int)
    def _section_resized(self, section: int, old: int, new: int) -> None:
        """Once the seller sizes a column, the layout is theirs: no more automatic fitting."""
        if not self._fitting and self.isVisible():
            self._fit_flexible = False

    def choose_column(self, section: int, shown: bool) -> None:
        """The seller shows or hides a column: the layout is theirs from now on."""
        self._fit_flexible = False
        self.horizontalHeader().setSectionHidden(section, not shown)

    @Slot(QPoint)
    def _choose_columns(self, where: QPoint) -> None:
        header = self.horizontalHeader()
        menu = QMenu(self)
        for section, column in enumerate(COLUMNS):
            action = QAction(column.title, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.toggled.connect(lambda on, s=section: self.choose_column(s, on))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Default columns", self.apply_default_layout)
        menu.popup(header.mapToGlobal(where))
