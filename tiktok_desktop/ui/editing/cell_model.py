"""What the editing tables' models share (stock: ui/inventory/table_model.py, prices:
ui/listings/price_model.py): immutable cells held in memory, a filter over them, their edits
shown at once, repaints in place, sorting that keeps the selection, and a new-value column
whose entries become change requests instead of model changes.

Typing a value does not change the model: it emits `changes_requested`, which the host turns
into an undoable command (ui/editing/commands.py); the command's `apply_local` shows it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from tiktok_desktop.services.cell_edits import CellChange, CellEdit
from tiktok_desktop.ui.editing.rows_model import CELL_ROLE, CONFLICT, EDITED, FAILED
from tiktok_desktop.ui.pictures import Pictures, Thumbnails

Index = QModelIndex | QPersistentModelIndex


class CellTableModel(QAbstractTableModel):
    """Subclasses give the columns, the text of a cell, the filter, the sort key and how an
    entry is read (`parse`: a ValueError says why it isn't a value)."""

    changes_requested = Signal(object)  # the changes the seller typed
    refused = Signal(str)  # the message for an entry that is not a value
    COLUMNS: tuple[str, ...] = ()
    PRODUCT = 0  # the column with the product's picture
    NEW = -1  # the editable column
    STATUS = -1  # the edit's state, in words
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    NEW_TIP = ""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loaded: list[Any] = []  # the rows read, before the filter
        self._cells: list[Any] = []
        self._row_of: dict[Hashable, int] = {}
        self.sending = False  # a push is under way: waiting edits read "Sending…"
        self._bold = QFont()
        self._bold.setBold(True)
        self.thumbnails = Thumbnails()

    # -- what subclasses say ----------------------------------------------------------------------

    def keep(self, cell: Any) -> bool:
        """The filter: is this loaded cell shown?"""
        return True

    def text(self, cell: Any, column: int) -> str:
        raise NotImplementedError

    def edit_text(self, cell: Any) -> str:
        """The new-value column's text when the editor opens: the current value, plain."""
        return "" if cell.current is None else str(cell.current)

    def parse(self, cell: Any, value: object) -> Any:
        raise NotImplementedError

    def sort_key(self, cell: Any, column: int) -> tuple:
        return (self.text(cell, column).casefold(),)

    def background(self, cell: Any, column: int) -> QBrush | None:
        if column in (self.NEW, self.STATUS) and cell.edit is not None:
            return QBrush({"failed": FAILED, "conflict": CONFLICT}.get(cell.edit.state, EDITED))
        return None

    def tooltip(self, cell: Any, column: int) -> str | None:
        return None

    def refiltered(self) -> None:
        """The loaded cells changed (load, update): recompute what the filter needs."""

    # -- contents -------------------------------------------------------------------------------

    def set_sending(self, sending: bool) -> None:
        self.sending = sending
        if self._cells:
            self.dataChanged.emit(self.index(0, self.STATUS),
                                  self.index(len(self._cells) - 1, self.STATUS))

    def load(self, cells: Sequence[Any]) -> None:
        self._loaded = list(cells)
        self.refilter()

    def update(self, cells: Sequence[Any]) -> None:
        """New values for the same rows (a sync, a push in progress): repaint in place, keeping
        the selection and the scroll position; other rows mean a reload."""
        if [c.key for c in cells] != [c.key for c in self._loaded]:
            self.load(cells)
            return
        self._loaded = list(cells)
        self.refiltered()
        by_key = {c.key: c for c in cells}
        self._cells = [by_key[c.key] for c in self._cells]
        if self._cells:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._cells) - 1, len(self.COLUMNS) - 1))

    def refilter(self) -> None:
        self.beginResetModel()
        self.refiltered()
        self._cells = [c for c in self._loaded if self.keep(c)]
        self._row_of = {c.key: i for i, c in enumerate(self._cells)}
        self.endResetModel()

    def set_edits(self, edits: dict[Any, CellEdit | None]) -> None:
        """Replace the edits of these cells (None: no edit) and repaint their rows.

        Rows stay where they are even if the filter would now hide them: a row that vanished
        while the seller works on it would be lost from sight."""
        self._loaded = [replace(c, edit=edits[c.key]) if c.key in edits else c
                        for c in self._loaded]
        for key, edit in edits.items():
            row = self._row_of.get(key)
            if row is not None:
                self._cells[row] = replace(self._cells[row], edit=edit)
                self.dataChanged.emit(self.index(row, self.NEW), self.index(row, self.STATUS))

    def apply_local(self, changes: Iterable[CellChange]) -> None:
        """Show changes at once, before the outbox has them (ids and states follow)."""
        self.set_edits({change.key: None if change.drops_edit else CellEdit(
            -1, change.new, change.based_on, "pending", delta=change.delta)
            for change in changes})

    def picture_links(self) -> dict[str, str]:
        """Product id → the link of the picture held (what a read need not decode again)."""
        return self.thumbnails.links()

    def set_pictures(self, pictures: Pictures) -> None:
        """Take in newly decoded pictures and repaint the pictures' column."""
        if self.thumbnails.take(pictures) and self._cells:
            self.dataChanged.emit(self.index(0, self.PRODUCT),
                                  self.index(len(self._cells) - 1, self.PRODUCT),
                                  [Qt.ItemDataRole.DecorationRole])

    def cell(self, row: int) -> Any:
        return self._cells[row]

    def cells(self, rows: Iterable[int] | None = None) -> list[Any]:
        if rows is None:
            return list(self._cells)
        return [self._cells[r] for r in rows]

    def loaded_cells(self) -> list[Any]:
        return list(self._loaded)

    def row_of(self, key: Hashable) -> int | None:
        return self._row_of.get(key)

    # -- Qt ---------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == self.NEW:
                return self.NEW_TIP
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.NEW:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        cell, column = self._cells[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(cell, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_text(cell) if column == self.NEW else self.text(cell, column)
        if role == CELL_ROLE:
            return cell
        if role == Qt.ItemDataRole.DecorationRole and column == self.PRODUCT:
            return self.thumbnails.get(cell.product_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(cell, column)
        if role == Qt.ItemDataRole.FontRole and column == self.NEW and cell.edit is not None:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(cell, column)
        return None

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.NEW:
            return False
        cell = self._cells[index.row()]
        if str(value).strip() == "" and cell.edit is None:
            return False  # left empty: nothing to change
        try:
            new = self.parse(cell, value)
        except ValueError as refused:
            self.refused.emit(f"{cell.label}: {refused}")
            return False
        if new == cell.current:
            return False
        self.changes_requested.emit([cell.change(new)])
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = [c.key for c in self._cells]
        persistent = self.persistentIndexList()
        self._cells.sort(key=lambda cell: self.sort_key(cell, column),
                         reverse=order == Qt.SortOrder.DescendingOrder)
        self._row_of = {c.key: i for i, c in enumerate(self._cells)}
        self.changePersistentIndexList(persistent, [
            self.index(self._row_of[before[i.row()]], i.column()) for i in persistent])
        self.layoutChanged.emit()
