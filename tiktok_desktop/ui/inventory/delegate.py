"""Typing a stock number into the New value column: refused at entry unless it is one."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
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
    QWidget,
)

from tiktok_desktop.services.stock_values import QuantityRefused, parse_quantity
from tiktok_desktop.ui.inventory.table_model import CELL_ROLE

Index = QModelIndex | QPersistentModelIndex


class NewValueDelegate(QStyledItemDelegate):
    """A plain line edit holding the current number; an entry that isn't a whole number from 0
    to 99,999 is not written, and `refused` carries the message saying why."""

    refused = Signal(str)
    entered = Signal()  # Enter wrote the number: the table moves down, as a spreadsheet does

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
        editor.setPlaceholderText("0 – 99,999")
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
            parse_quantity(text)
        except QuantityRefused as refused:
            label = f"{cell.label}: " if cell is not None else ""
            self.refused.emit(f"{label}{refused}")
            return
        model.setData(index, text, Qt.ItemDataRole.EditRole)
