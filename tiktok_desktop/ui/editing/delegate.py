"""Typing a value into an editing table's new-value column: refused at entry unless the
measure takes it (a stock number, a price in the shop's currency)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from tiktok_desktop.ui.editing.rows_model import CELL_ROLE

Index = QModelIndex | QPersistentModelIndex


class NewValueDelegate(QStyledItemDelegate):
    """A plain line edit holding the current value; an entry `check(cell, text)` refuses (a
    ValueError whose text says why) is not written, and `refused` carries that message."""

    refused = Signal(str)
    entered = Signal()  # Enter wrote the value: the table moves down, as a spreadsheet does

    def __init__(self, check: Callable[[object, str], object], placeholder: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check, self._placeholder = check, placeholder

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, QLineEdit) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
            self.entered.emit()
            return True
        return super().eventFilter(watched, event)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        editor.setMaxLength(20)
        editor.setPlaceholderText(self._placeholder)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        text = editor.text()
        cell = index.data(CELL_ROLE)
        if not text.strip():
            return  # emptied: leave the cell as it was
        try:
            self._check(cell, text)
        except ValueError as refused:
            label = f"{cell.label}: " if cell is not None else ""
            self.refused.emit(f"{label}{refused}")
            return
        model.setData(index, text, Qt.ItemDataRole.EditRole)


def move_down(table: QTableView) -> None:
    """Enter after typing a value: the next row, same column, as a spreadsheet does (unless the
    focus went elsewhere meanwhile, e.g. back to the search box after a scan's count)."""
    if not table.hasFocus():
        return
    current = table.currentIndex()
    below = current.siblingAtRow(current.row() + 1)
    if below.isValid():
        table.setCurrentIndex(below)
        table.selectionModel().select(below, QItemSelectionModel.SelectionFlag.ClearAndSelect)
