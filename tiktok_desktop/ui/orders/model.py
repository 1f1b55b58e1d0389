"""The Orders table model: the ordered ids of the current query, rows read lazily in blocks.

With 100,000 orders in the cache the model holds only the id list. A row is read from the cache
(one indexed query per block of BLOCK rows) the first time the view asks for it, turned into
display texts once, and kept in a bounded cache of blocks. `data()` only indexes a tuple.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from tiktok_desktop.store import OrderRow
from tiktok_desktop.ui.formatting import Urgency
from tiktok_desktop.ui.orders.columns import (
    COLUMNS,
    SHIP_BY,
    DisplayRow,
    display_row,
    missing_row,
)

BLOCK = 100  # about three screens: one read costs a few ms, even while a sync writes
MAX_BLOCKS = 120  # 12,000 rows kept: many screens either way of any scroll position
URGENT = QColor("#c62828")
ON_HOLD = QColor("#8a8a8a")

ReadRows = Callable[[Sequence[str]], list[OrderRow]]
Index = QModelIndex | QPersistentModelIndex


class OrdersModel(QAbstractTableModel):
    """Rows of one query; `show(ids)` swaps the list, `forget_rows()` re-reads after a sync."""

    sort_requested = Signal(str, bool)  # column key, descending: the tab re-queries

    def __init__(self, read_rows: ReadRows, parent: QObject | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._read_rows = read_rows
        self._clock = clock
        self._ids: list[str] = []
        self._row_of: dict[str, int] | None = None  # built on first lookup by id
        self._blocks: OrderedDict[int, list[DisplayRow]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        self._urgent = QBrush(URGENT)
        self._on_hold = QBrush(ON_HOLD)

    # -- contents -------------------------------------------------------------------------------

    def show(self, ids: list[str]) -> None:
        """Show these orders, in this order (a new query's answer)."""
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._blocks.clear()
        self.endResetModel()

    def forget_rows(self) -> None:
        """Cached rows are out of date (countdowns moved on, or the cache changed in place):
        read them again when next painted."""
        self._blocks.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    @property
    def order_ids(self) -> list[str]:
        return self._ids

    def order_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, order_id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {order_id: row for row, order_id in enumerate(self._ids)}
        return self._row_of.get(order_id)

    def display(self, row: int) -> DisplayRow:
        block_number = row // BLOCK
        block = self._blocks.get(block_number)
        if block is None:
            block = self._load_block(block_number)
        else:
            self._blocks.move_to_end(block_number)
        return block[row - block_number * BLOCK]

    def _load_block(self, block_number: int) -> list[DisplayRow]:
        ids = self._ids[block_number * BLOCK:(block_number + 1) * BLOCK]
        now = int(self._clock())
        found = {row.id: row for row in self._read_rows(ids)}
        block = [display_row(found[i], now) if i in found else missing_row(i) for i in ids]
        self._blocks[block_number] = block
        if len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    # -- Qt's model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row).texts[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if column == SHIP_BY and role == Qt.ItemDataRole.ForegroundRole:
            shown = self.display(row)
            if shown.urgency in (Urgency.SOON, Urgency.OVERDUE):
                return self._urgent
            return self._on_hold if shown.status == "ON_HOLD" else None
        if column == SHIP_BY and role == Qt.ItemDataRole.FontRole:
            return self._bold if self.display(row).urgency is Urgency.OVERDUE else None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[row]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The cache sorts (by an index): ask the tab to query again in that order."""
        if 0 <= column < len(COLUMNS):
            self.sort_requested.emit(COLUMNS[column].key,
                                     order == Qt.SortOrder.DescendingOrder)


_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGNMENTS = tuple(_RIGHT if c.right_aligned else _LEFT for c in COLUMNS)


def _alignment(column: int) -> int:
    return _ALIGNMENTS[column] if 0 <= column < len(_ALIGNMENTS) else _LEFT
