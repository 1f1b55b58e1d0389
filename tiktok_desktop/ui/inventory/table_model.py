"""The Inventory table: one row per SKU and warehouse, over the cache and the outbox.

The tab loads the rows of the current search and warehouse from the cache (an indexed query)
and the open edits from the outbox; the model (ui/editing/cell_model.py) keeps them as
immutable StockCells, applies the quick filters (low stock, out of stock, edited, failed) in
memory, and answers `data()` from them without touching the database. Product pictures come
decoded (pictures.py) and become one pixmap per product, kept for every later repaint.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QBrush

from tiktok_desktop.services.stock_edits import StockCell
from tiktok_desktop.services.stock_values import parse_quantity
from tiktok_desktop.ui.editing.cell_model import CellTableModel
from tiktok_desktop.ui.editing.rows_model import LOW_STOCK, OUT_OF_STOCK, status_text

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


class StockTableModel(CellTableModel):
    COLUMNS = COLUMNS
    PRODUCT, NEW, STATUS = PRODUCT, NEW, STATUS
    RIGHT_ALIGNED = frozenset({AVAILABLE, COMMITTED, NEW})
    NEW_TIP = "Type a number, paste from a spreadsheet, or use the buttons above."

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = Show.ALL
        self._threshold = 5
        self._totals: dict[str, int] = {}  # SKU id → stock across its warehouses

    def load(self, cells: Sequence[StockCell], show: Show | None = None,
             low_stock_threshold: int | None = None) -> None:
        self._show = show or self._show
        self._threshold = self._threshold if low_stock_threshold is None else low_stock_threshold
        super().load(cells)

    def set_filter(self, show: Show, low_stock_threshold: int) -> None:
        self._show, self._threshold = show, low_stock_threshold
        self.refilter()

    @property
    def low_stock_threshold(self) -> int:
        return self._threshold

    def refiltered(self) -> None:
        self._totals = sku_totals(self._loaded)

    def keep(self, cell: StockCell) -> bool:
        return _keep(cell, self._show, self._threshold, self._totals.get(cell.sku_id))

    def text(self, cell: StockCell, column: int) -> str:
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

    def parse(self, cell: StockCell, value: object) -> int:
        return parse_quantity(value)

    def background(self, cell: StockCell, column: int) -> QBrush | None:
        total = self._totals.get(cell.sku_id)
        if column == AVAILABLE and total is not None:
            if total == 0:
                return QBrush(OUT_OF_STOCK)
            if total <= self._threshold:
                return QBrush(LOW_STOCK)
        return super().background(cell, column)

    def tooltip(self, cell: StockCell, column: int) -> str | None:
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
            return self.text(cell, column) or None
        return None

    def sort_key(self, cell: StockCell, column: int) -> tuple:
        if column == AVAILABLE:
            return (cell.available is None, cell.available or 0)
        if column == COMMITTED:
            return (cell.committed is None, cell.committed or 0)
        if column == NEW:
            return (cell.edit is None, cell.current or 0)
        return super().sort_key(cell, column)
