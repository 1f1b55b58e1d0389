"""A read-only table of plain rows for the Inventory tab's dialogs (review, import, conflicts,
history): text per cell, numbers right-aligned, a colour per row."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
CELL_ROLE = Qt.ItemDataRole.UserRole + 1  # an editing table's cell (StockCell, PriceCell)
# "+24", "-117", "1,299.00", "-35%": amounts and changes written out, aligned like numbers
# (plain digits stay left: they are ids and SKUs)
_NUMBER = re.compile(r"^[+−-][\d,]+(?:\.\d+)?%?$|^[\d,]+(?:\.\d+%?|%)$")

# The tab's colours, shared by its dialogs so a state looks the same everywhere.
EDITED = QColor("#fff4c2")  # waiting to be pushed
FAILED = QColor("#fbd5d5")
CONFLICT = QColor("#ffe0b3")
LOW_STOCK = QColor("#fde9d9")
OUT_OF_STOCK = QColor("#f6c9c9")
DONE = QColor("#dff2e1")


# The roles answered, as plain ints: data() is called for every cell and role a view measures.
_DISPLAY, _ALIGNMENT, _BACKGROUND, _TOOLTIP = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole))
_ROLES = frozenset((_DISPLAY, _ALIGNMENT, _BACKGROUND, _TOOLTIP))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

_STATE_WORDS = {"pending": "Not pushed yet", "sent": "Sending…"}


def status_text(cell: Any, sending: bool = False) -> str:
    """The edit's state in words; `sending`: a push is under way, and takes the waiting ones."""
    edit = cell.edit
    if edit is None:
        return ""
    if edit.state in ("failed", "conflict"):
        return edit.message or ("Failed" if edit.state == "failed" else "Changed elsewhere")
    if sending and edit.state == "pending":
        return _STATE_WORDS["sent"]
    return _STATE_WORDS.get(edit.state, edit.state)


@dataclass(frozen=True)
class Row:
    cells: tuple[object, ...]  # str or int (ints are right-aligned and sort as numbers)
    colour: QColor | None = None
    tooltip: str = ""
    data: object = None  # what the row stands for (a StockCell, a report line, …)


@dataclass(frozen=True)
class Columns:
    """How a dialog shows one measure's lines (stock, prices): its title, its column headers
    and a row per line."""

    title: str
    headers: Sequence[str]
    row: Callable[..., Row]


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], rows: Sequence[Row] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> Row:
        return self._rows[number]

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in _ROLES or not index.isValid():  # Qt asks for many more, per cell
            return None
        row = self._rows[index.row()]
        value = row.cells[index.column()] if index.column() < len(row.cells) else ""
        if role == _DISPLAY:
            return f"{value:,}" if isinstance(value, int) else ("" if value is None else value)
        if role == _ALIGNMENT:
            if isinstance(value, int) or (isinstance(value, str) and _NUMBER.match(value)):
                return _RIGHT
            return None
        if role == _BACKGROUND:
            return None if row.colour is None else QBrush(row.colour)
        return row.tooltip or None


def hide_empty_columns(view: QTableView, model: RowsModel) -> None:
    """Hide columns with nothing in them (e.g. Variant for listings without variants)."""
    for column in range(model.columnCount()):
        empty = all(row.cells[column] in ("", None) for row in model.rows
                    if column < len(row.cells))
        view.setColumnHidden(column, empty and model.rowCount() > 0)


def rows_view(model: RowsModel, parent: QWidget | None = None) -> QTableView:
    """A read-only, row-selecting view of `model`, sized to its contents."""
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    # Widths from the first rows: measuring thousands (a big import's preview) holds the window.
    view.horizontalHeader().setResizeContentsPrecision(100)
    view.resizeColumnsToContents()
    return view
