"""The Listings table model: one row per product of the current query, its texts made once.

A shop has a few thousand products at most, so the model holds every row of the answer (read in
the background) with its display texts; `data()` only indexes a tuple. Sorting asks the cache
again (`sort_requested`), so the order is the store's. Pictures come decoded
(ui/pictures.py) and become one pixmap per product, kept for every later repaint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPixmap

from tiktok_desktop.store import ListingRow
from tiktok_desktop.store.listings import SORT_KEYS
from tiktok_desktop.ui.formatting import date_time, money
from tiktok_desktop.ui.pictures import Pictures, Thumbnails

PRODUCT, STATUS, SKUS, PRICE, STOCK, UPDATED = range(6)
TITLES = ("Product", "Status", "SKUs", "Price", "Stock", "Last update")
NUMBERS = (SKUS, PRICE, STOCK)
PRODUCT_ID = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex
# Statuses a seller should look at: failed or taken down by TikTok, frozen.
WARNING = QColor("#c62828")
NEEDS_A_LOOK = {"FAILED", "PLATFORM_DEACTIVATED", "FREEZE"}


def price_range(row: ListingRow) -> str:
    """"$12.50" or "$12.50 – $14.00"."""
    low, high = money(row.price_min, row.currency), money(row.price_max, row.currency)
    return low if low == high else f"{low} – {high}"


def texts(row: ListingRow) -> tuple[str, ...]:
    stock = "" if row.total_stock is None else f"{row.total_stock:,}"
    return (row.title, row.status_name, f"{row.sku_count:,}", price_range(row), stock,
            date_time(row.updated))


class ListingsModel(QAbstractTableModel):
    sort_requested = Signal()  # a column header was clicked: ask the cache in that order

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ListingRow] = []
        self._texts: list[tuple[str, ...]] = []
        self._row_of: dict[str, int] = {}
        self.thumbnails = Thumbnails()
        self.sort_key, self.descending = "title", False

    # -- what it shows --------------------------------------------------------------------------

    def show(self, rows: Sequence[ListingRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = [texts(r) for r in self._rows]
        self._row_of = {r.product_id: n for n, r in enumerate(self._rows)}
        self.endResetModel()

    def row(self, number: int) -> ListingRow:
        return self._rows[number]

    def row_of(self, product_id: str | None) -> int | None:
        return self._row_of.get(product_id) if product_id else None

    def product_ids(self) -> list[str]:
        return [r.product_id for r in self._rows]

    def text(self, row: int, column: int) -> str:
        return self._texts[row][column]

    def picture_links(self) -> dict[str, str]:
        """Product id → the link of the picture held (what a read need not decode again)."""
        return self.thumbnails.links()

    def set_pictures(self, pictures: Pictures) -> None:
        """Take in newly decoded pictures and repaint the pictures' column."""
        if self.thumbnails.take(pictures) and self._rows:
            self.dataChanged.emit(self.index(0, PRODUCT), self.index(len(self._rows) - 1, PRODUCT),
                                  [Qt.ItemDataRole.DecorationRole])

    def picture(self, product_id: str) -> QPixmap | None:
        return self.thumbnails.get(product_id)

    # -- Qt's side ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TITLES)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[row][column]
        if role == Qt.ItemDataRole.DecorationRole and column == PRODUCT:
            return self.thumbnails.get(self._rows[row].product_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS \
                and self._rows[row].status in NEEDS_A_LOOK:
            return WARNING
        if role == PRODUCT_ID:
            return self._rows[row].product_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(TITLES):
            return TITLES[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the store sorts (the tab reads again in that order)."""
        if not 0 <= column < len(SORT_KEYS):
            return
        key, descending = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.sort_requested.emit()
