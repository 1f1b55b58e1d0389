"""What the editing tables' views share: the table set up like a spreadsheet (cells selected,
typing edits the new-value column, pictures beside the products), their actions, and the rows
a paste goes into."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QTableView, QWidget

from tiktok_desktop.ui.editing.cell_model import CellTableModel
from tiktok_desktop.ui.inventory.pictures import THUMBNAIL_PX


def table_action(owner: QWidget, text: str, slot: Callable[[], object],
                 *keys: QKeySequence | QKeySequence.StandardKey | str, tip: str = "") -> QAction:
    """An action of the table's widget: its shortcuts work while the focus is in it."""
    action = QAction(text, owner)
    action.setIconText(text)  # a tool button would drop the "…" that says "asks first"
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(tip or text)
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
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(
        max(table.fontMetrics().height() + 8, THUMBNAIL_PX + 4))
    table.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSortIndicatorShown(False)


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
