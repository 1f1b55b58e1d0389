"""The Orders table model: the ordered ids of the current query, rows read lazily in blocks.

With 100,000 orders in the cache the model holds only the id list. A row is read from the cache
(one indexed query per block of BLOCK rows), turned into display texts once, and kept in a
bounded cache of blocks. `data()` only indexes a tuple.

The rows of the screen to show come with each answer (`Listing`), read on the query's thread:
a refresh during a sync neither reads on the GUI thread nor repaints rows that did not change
(same orders in the same order: only changed rows are announced). Rows scrolled to later are
read when first painted.
"""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
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
    ITEMS,
    SHIP_BY,
    DisplayRow,
    display_row,
    missing_row,
)

BLOCK = 100  # about three screens: one read costs a few ms, even while a sync writes
MAX_BLOCKS = 120  # 12,000 rows kept: many screens either way of any scroll position
DISPLAY, ALIGNMENT, FOREGROUND, FONT, ORDER_ID, TOOLTIP = (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.UserRole,
    Qt.ItemDataRole.ToolTipRole)
URGENT = QColor("#c62828")
ON_HOLD = QColor("#8a8a8a")

ReadRows = Callable[[Sequence[str]], list[OrderRow]]
Index = QModelIndex | QPersistentModelIndex
Block = list[DisplayRow]


@dataclass(frozen=True)
class Listing:
    """A query's answer: the order ids in order, the blocks of rows of the screen to show
    (by block number), and the rows of the orders the tab asked to find."""

    ids: list[str]
    blocks: dict[int, Block] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)


def read_listing(read_rows: ReadRows, ids: list[str], *, top: str | None, rows: int,
                 find: Sequence[str], now: int) -> Listing:
    """On the query's thread: the blocks that show `rows` rows from order `top` (from the
    first row when it is None or not listed) and around each order of `find` (the view may
    scroll to it), and where those orders are."""
    found: dict[str, int] = {}
    for order_id in {*find, *([top] if top is not None else [])}:
        with contextlib.suppress(ValueError):  # not listed (any more)
            found[order_id] = ids.index(order_id)
    first = found.get(top, 0) if top is not None else 0
    spans = [(first, first + rows)] + [(found[i] - rows, found[i] + rows) for i in find
                                       if i in found]
    numbers = sorted({n for start, end in spans
                      for n in range(max(0, start) // BLOCK, min(len(ids), end) // BLOCK + 1)
                      if n * BLOCK < len(ids)})
    return Listing(ids, {n: read_block(read_rows, ids, n, now) for n in numbers}, found)


def read_block(read_rows: ReadRows, ids: Sequence[str], number: int, now: int) -> Block:
    wanted = ids[number * BLOCK:(number + 1) * BLOCK]
    found = {row.id: row for row in read_rows(wanted)}
    return [display_row(found[i], now) if i in found else missing_row(i) for i in wanted]


class OrdersModel(QAbstractTableModel):
    """Rows of one query; `show(listing)` swaps in a new answer."""

    sort_requested = Signal(str, bool)  # column key, descending: the tab re-queries

    def __init__(self, read_rows: ReadRows, parent: QObject | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._read_rows = read_rows
        self._clock = clock
        self._ids: list[str] = []
        self._row_of: dict[str, int] | None = None  # built on first lookup by id
        self._blocks: OrderedDict[int, Block] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        self._urgent = QBrush(URGENT)
        self._on_hold = QBrush(ON_HOLD)

    # -- contents -------------------------------------------------------------------------------

    def show(self, listing: Listing) -> None:
        """Show the answer to a new query (the view starts afresh)."""
        self.beginResetModel()
        self._ids = listing.ids
        self._row_of = None
        self._blocks = OrderedDict(listing.blocks)
        self.endResetModel()

    def refresh(self, listing: Listing) -> None:
        """Show a new answer to the same query (after a sync, or as countdowns move on)
        without starting the view afresh: rows come or go at the end, and only rows read
        ahead (the screen) whose order or texts changed are announced, so a sync that changed
        orders out of sight repaints nothing. Rows are places here, not orders: the tab puts
        the selection back on its order."""
        before, after = len(self._ids), len(listing.ids)
        if after > before:
            self.beginInsertRows(QModelIndex(), before, after - 1)
        elif after < before:
            self.beginRemoveRows(QModelIndex(), after, before - 1)
        stale = self._blocks
        self._ids = listing.ids
        self._row_of = None
        self._blocks = OrderedDict(listing.blocks)  # blocks out of sight: read again if shown
        if after > before:
            self.endInsertRows()
        elif after < before:
            self.endRemoveRows()
        changed = [number * BLOCK + i for number, block in listing.blocks.items()
                   for i, row in enumerate(block)
                   if number not in stale or i >= len(stale[number]) or stale[number][i] != row]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0),
                                  self.index(max(changed), len(COLUMNS) - 1))

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

    def _load_block(self, block_number: int) -> Block:
        block = read_block(self._read_rows, self._ids, block_number, int(self._clock()))
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
        return self._value(index.row(), index.column(), role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan) -> None:
        """Every role of one cell in one call: the view asks for seven per painted cell, and
        each call into Python costs more than the answer."""
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        for role_data in roleDataSpan:
            value = self._value(row, column, role_data.role())
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _value(self, row: int, column: int, role: int) -> Any:
        if role == DISPLAY:
            return self.display(row).texts[column]
        if role == ALIGNMENT:
            return _alignment(column)
        if column == SHIP_BY and role == FOREGROUND:
            shown = self.display(row)
            if shown.urgency in (Urgency.SOON, Urgency.OVERDUE):
                return self._urgent
            return self._on_hold if shown.status == "ON_HOLD" else None
        if column == SHIP_BY and role == FONT:
            return self._bold if self.display(row).urgency is Urgency.OVERDUE else None
        if role == ORDER_ID:
            return self._ids[row]
        if column == ITEMS and role == TOOLTIP:  # asked on hover only
            tip = self.display(row).items_tip  # as markup: a product named "<b>…" shows as is
            return f"<p>{'<br>'.join(map(escape, tip.splitlines()))}</p>" if tip else None
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
