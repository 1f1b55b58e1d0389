"""What the editing tables' views share: the table set up like a spreadsheet (cells selected,
typing edits the new-value column, pictures beside the products), their actions, and the rows
a paste goes into."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QSplitter,
    QTableView,
    QWidget,
)

from tiktok_desktop.ui.editing.cell_model import CellTableModel
from tiktok_desktop.ui.pictures import THUMBNAIL_PX


def table_action(owner: QWidget, text: str, slot: Callable[[], object] | None,
                 *keys: QKeySequence | QKeySequence.StandardKey | str, tip: str = "") -> QAction:
    """An action of the table's widget: its shortcuts work while the focus is in it (so a
    search box or a detail pane elsewhere keeps Ctrl+C and Ctrl+A for its own text)."""
    action = QAction(text, owner)
    action.setIconText(text)  # a tool button would drop the "…" that says "asks first"
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(tip or text)
    if slot is not None:
        action.triggered.connect(slot)
    owner.addAction(action)
    return action


def set_up_table(table: QTableView, model: CellTableModel,
                 delegate: QAbstractItemDelegate) -> None:
    """Cells selected one by one, typing or F2 edits the new-value column (through `delegate`),
    rows tall enough for the products' pictures, sorting by any column."""
    table.setModel(model)
    table.setItemDelegateForColumn(model.NEW, delegate)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
    table.setSortingEnabled(True)
    picture_rows(table)
    table.horizontalHeader().setSortIndicatorShown(False)


def picture_rows(table: QTableView) -> None:
    """One line a row, tall enough for a product's picture; the last column takes the room."""
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(
        max(table.fontMetrics().height() + 8, THUMBNAIL_PX + 4))
    table.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
    table.horizontalHeader().setStretchLastSection(True)


def list_beside_detail(splitter: QSplitter, listing: QWidget, detail: QWidget) -> None:
    """A list and the detail of its current row side by side, the list wider."""
    splitter.addWidget(listing)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    char = splitter.fontMetrics().averageCharWidth()
    splitter.setSizes([char * 120, char * 60])


def selected_rows(table: QTableView) -> list[int]:
    """The rows with a selected cell, top to bottom."""
    model = table.selectionModel()
    return sorted({index.row() for index in model.selectedIndexes()}) if model else []


def rows_from_selection(table: QTableView, model: CellTableModel) -> list:
    """The cells from the first selected row (or the current one) to the bottom: where a
    pasted column goes."""
    rows = selected_rows(table)
    current = table.currentIndex()
    first = rows[0] if rows else (current.row() if current.isValid() else None)
    return model.cells(range(first, model.rowCount())) if first is not None else []
