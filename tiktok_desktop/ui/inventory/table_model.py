"""The Inventory table: one row per SKU and warehouse, over the cache and the outbox.

The tab loads the rows of the current search and warehouse from the cache (an indexed query)
and the open edits from the outbox; the model keeps them as immutable StockCells, applies the
quick filters (low stock, out of stock, edited, failed) in memory, and answers `data()` from
them without touching the database. Typing into the New value column does not change the model:
it emits `changes_requested`, which the tab turns into an undoable command. Product pictures come
decoded (pictures.py) and become one pixmap per product, kept for every later repaint.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from tiktok_desktop.services.stock_edits import CellEdit, Change, Key, StockCell
from tiktok_desktop.services.stock_values import QuantityRefused, parse_quantity
from tiktok_desktop.ui.editing.rows_model import (
    CELL_ROLE,
    CONFLICT,
    EDITED,
    FAILED,
    LOW_STOCK,
    OUT_OF_STOCK,
    status_text,
)
from tiktok_desktop.ui.inventory.pictures import Pictures, Thumbnails

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Product", "Variant", "Seller SKU", "Warehouse", "Available", "Committed",
           "New value", "Status")
PRODUCT, VARIANT, SELLER_SKU, WAREHOUSE, AVAILABLE, COMMITTED, NEW, STATUS = range(len(COLUMNS))


class Show(enum.Enum):
    """The quick filter over the rows of the current search."""

    ALL = "All stock"
    LOW = "Low stock"
    OUT = "Out of stock"
    EDITED = "Edited, not pushed"
    FAILED = "Failed"
    CONFLICTS = "Conflicts"


def sku_totals(cells: Sequence[StockCell]) -> dict[str, int]:
    """Each SKU's stock across its warehouses: what buyers can order (TikTok Shop sells from
    any of them), and so what low and out of stock are about."""
    totals: dict[str, int] = {}
    for cell in cells:
        if cell.available is not None:
            totals[cell.sku_id] = totals.get(cell.sku_id, 0) + cell.available
    return totals


def _keep(cell: StockCell, show: Show, threshold: int, total: int | None) -> bool:
    if show is Show.ALL:
        return True
    if show is Show.LOW:
        return total is not None and 0 < total <= threshold
    if show is Show.OUT:
        return total == 0
    state = cell.edit.state if cell.edit is not None else None
    if show is Show.EDITED:
        return state in ("pending", "sent")
    if show is Show.FAILED:
        return state == "failed"
    return state == "conflict"


def new_value_text(cell: StockCell) -> str:
    """'12 → 40' for a set-to edit, '+10 → 95' for an amount added; blank otherwise (the
    Available column has the stock)."""
    edit = cell.edit
    if edit is None:
        return ""
    if cell.delta is not None:
        return f"{cell.delta:+,} → {cell.current:,}"
    old = edit.based_on if edit.based_on is not None else cell.available
    return f"{edit.new:,}" if old is None else f"{old:,} → {edit.new:,}"


def _edit_tooltip(cell: StockCell, sending: bool) -> str:
    text = f"{new_value_text(cell)}\n{status_text(cell, sending)}"
    if cell.delta is not None:
        verb = "added to" if cell.delta > 0 else "taken off"
        text += (f"\n{abs(cell.delta):,} will be {verb} whatever the shop has when you push: "
                 "sales meanwhile are kept.")
    return text


class StockTableModel(QAbstractTableModel):
    changes_requested = Signal(object)  # list[Change]: the seller typed a new value
    refused = Signal(str)  # the message for an entry that is not a stock number

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loaded: list[StockCell] = []  # the current search, before the quick filter
        self._cells: list[StockCell] = []
        self._row_of: dict[Key, int] = {}
        self._show = Show.ALL
        self._threshold = 5
        self._totals: dict[str, int] = {}  # SKU id → stock across its warehouses
        self.sending = False  # a push is under way: waiting edits read "Sending…"
        self._bold = QFont()
        self._bold.setBold(True)
        self.thumbnails = Thumbnails()

    def set_sending(self, sending: bool) -> None:
        self.sending = sending
        if self._cells:
            self.dataChanged.emit(self.index(0, STATUS), self.index(len(self._cells) - 1, STATUS))

    # -- contents -------------------------------------------------------------------------------

    def load(self, cells: Sequence[StockCell], show: Show | None = None,
             low_stock_threshold: int | None = None) -> None:
        self._loaded = list(cells)
        self._show = show or self._show
        self._threshold = self._threshold if low_stock_threshold is None else low_stock_threshold
        self._refilter()

    def update(self, cells: Sequence[StockCell]) -> None:
        """New numbers for the same rows (a sync, a push in progress): repaint in place, keeping
        the selection and the scroll position; other rows mean a reload."""
        if [c.key for c in cells] != [c.key for c in self._loaded]:
            self.load(cells)
            return
        self._loaded = list(cells)
        self._totals = sku_totals(self._loaded)
        by_key = {c.key: c for c in cells}
        self._cells = [by_key[c.key] for c in self._cells]
        if self._cells:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._cells) - 1, len(COLUMNS) - 1))

    def set_filter(self, show: Show, low_stock_threshold: int) -> None:
        self._show, self._threshold = show, low_stock_threshold
        self._refilter()

    @property
    def low_stock_threshold(self) -> int:
        return self._threshold

    def _refilter(self) -> None:
        self.beginResetModel()
        self._totals = sku_totals(self._loaded)
        self._cells = [c for c in self._loaded
                       if _keep(c, self._show, self._threshold, self._totals.get(c.sku_id))]
        self._row_of = {c.key: i for i, c in enumerate(self._cells)}
        self.endResetModel()

    def set_edits(self, edits: dict[Key, CellEdit | None]) -> None:
        """Replace the edits of these cells (None: no edit) and repaint their rows.

        Rows stay where they are even if the quick filter would now hide them: a row that
        vanished while the seller works on it would be lost from sight."""
        self._loaded = [replace(c, edit=edits[c.key]) if c.key in edits else c
                        for c in self._loaded]
        for key, edit in edits.items():
            row = self._row_of.get(key)
            if row is not None:
                self._cells[row] = replace(self._cells[row], edit=edit)
                self.dataChanged.emit(self.index(row, NEW), self.index(row, STATUS))

    def apply_local(self, changes: Iterable[Change]) -> None:
        """Show changes at once, before the outbox has them (ids and states follow)."""
        edits: dict[Key, CellEdit | None] = {}
        for change in changes:
            edits[change.key] = (None if change.drops_edit else CellEdit(
                -1, change.new, change.based_on, "pending", delta=change.delta))
        self.set_edits(edits)

    def picture_links(self) -> dict[str, str]:
        """Product id → the link of the picture held (what a read need not decode again)."""
        return self.thumbnails.links()

    def set_pictures(self, pictures: Pictures) -> None:
        """Take in newly decoded pictures and repaint the pictures' column."""
        if self.thumbnails.take(pictures) and self._cells:
            self.dataChanged.emit(self.index(0, PRODUCT), self.index(len(self._cells) - 1, PRODUCT),
                                  [Qt.ItemDataRole.DecorationRole])

    def cell(self, row: int) -> StockCell:
        return self._cells[row]

    def cells(self, rows: Iterable[int] | None = None) -> list[StockCell]:
        if rows is None:
            return list(self._cells)
        return [self._cells[r] for r in rows]

    def loaded_cells(self) -> list[StockCell]:
        return list(self._loaded)

    def row_of(self, key: Key) -> int | None:
        return self._row_of.get(key)

    # -- Qt ---------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == NEW:
                return "Type a number, paste from a spreadsheet, or use the buttons above."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NEW:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        cell, column = self._cells[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(cell, column)
        if role == Qt.ItemDataRole.EditRole:
            return "" if column == NEW and cell.current is None else (
                str(cell.current) if column == NEW else self._display(cell, column))
        if role == CELL_ROLE:
            return cell
        if role == Qt.ItemDataRole.DecorationRole and column == PRODUCT:
            return self.thumbnails.get(cell.product_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (AVAILABLE, COMMITTED, NEW):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(cell, column)
        if role == Qt.ItemDataRole.FontRole and column == NEW and cell.edit is not None:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell, column)
        return None

    def _display(self, cell: StockCell, column: int) -> str:
        if column == PRODUCT:
            return cell.product
        if column == VARIANT:
            return cell.variant
        if column == SELLER_SKU:
            return cell.seller_sku
        if column == WAREHOUSE:
            return cell.warehouse
        if column == AVAILABLE:
            return "" if cell.available is None else f"{cell.available:,}"
        if column == COMMITTED:
            return "" if cell.committed is None else f"{cell.committed:,}"
        if column == NEW:
            return new_value_text(cell)
        return status_text(cell, self.sending)

    def _background(self, cell: StockCell, column: int) -> QBrush | None:
        if column in (NEW, STATUS) and cell.edit is not None:
            colour = {"failed": FAILED, "conflict": CONFLICT}.get(cell.edit.state, EDITED)
            return QBrush(colour)
        total = self._totals.get(cell.sku_id)
        if column == AVAILABLE and total is not None:
            if total == 0:
                return QBrush(OUT_OF_STOCK)
            if total <= self._threshold:
                return QBrush(LOW_STOCK)
        return None

    def _tooltip(self, cell: StockCell, column: int) -> str | None:
        if column in (NEW, STATUS) and cell.edit is not None:
            return _edit_tooltip(cell, self.sending)
        total = self._totals.get(cell.sku_id)
        if column == AVAILABLE and total is not None:
            across = f"{total:,} in all warehouses"
            if total == 0:
                return f"Out of stock: {across}"
            if total <= self._threshold:
                return f"Low stock: {across}, fewer than {self._threshold + 1:,}"
            return across
        if column == PRODUCT:
            return f"{cell.product}\nSKU ID {cell.sku_id}"
        if column in (VARIANT, SELLER_SKU, WAREHOUSE):  # whole, when the column elides it
            return self._display(cell, column) or None
        return None

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != NEW:
            return False
        cell = self._cells[index.row()]
        if str(value).strip() == "" and cell.edit is None:
            return False  # left empty: nothing to change
        try:
            new = parse_quantity(value)
        except QuantityRefused as refused:
            self.refused.emit(f"{cell.label}: {refused}")
            return False
        if new == cell.current:
            return False
        self.changes_requested.emit([Change.of(cell, new)])
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        def key(cell: StockCell) -> tuple:
            if column == AVAILABLE:
                return (cell.available is None, cell.available or 0)
            if column == COMMITTED:
                return (cell.committed is None, cell.committed or 0)
            if column == NEW:
                return (cell.edit is None, cell.current or 0)
            return (self._display(cell, column).casefold(),)

        self.layoutAboutToBeChanged.emit()
        before = [c.key for c in self._cells]
        persistent = self.persistentIndexList()
        self._cells.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._row_of = {c.key: i for i, c in enumerate(self._cells)}
        self.changePersistentIndexList(persistent, [
            self.index(self._row_of[before[i.row()]], i.column()) for i in persistent])
        self.layoutChanged.emit()
