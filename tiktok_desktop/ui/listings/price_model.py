"""The price table: one row per SKU of the listings shown, its price and its edit.

The Listings tab reads the SKUs of the products its filters list (status tab, search, quick
filter) with their open price edits; the shared model (ui/editing/cell_model.py) does the rest.
A listing that isn't live shows its status in words: TikTok Shop takes prices of live listings
only, so an edit there is refused at the push (the review says so first).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QBrush

from tiktok_desktop.api.money import money_text
from tiktok_desktop.services.price_edits import PriceCell
from tiktok_desktop.services.price_values import parse_price
from tiktok_desktop.store.listings import status_name
from tiktok_desktop.ui.editing.cell_model import CellTableModel
from tiktok_desktop.ui.editing.rows_model import FAILED, status_text

COLUMNS = ("Product", "Variant", "Seller SKU", "Listing", "Price", "New price", "Status")
PRODUCT, VARIANT, SELLER_SKU, LISTING, PRICE, NEW, STATUS = range(len(COLUMNS))


def new_price_text(cell: PriceCell) -> str:
    """'12.99 → 14.99' for an edited price; blank otherwise (the Price column has it)."""
    edit = cell.edit
    if edit is None:
        return ""
    old = edit.based_on if edit.based_on is not None else cell.available
    new = money_text(edit.new, cell.currency)
    return new if old is None else f"{money_text(old, cell.currency)} → {new}"


class PriceTableModel(CellTableModel):
    COLUMNS = COLUMNS
    PRODUCT, NEW, STATUS = PRODUCT, NEW, STATUS
    RIGHT_ALIGNED = frozenset({PRICE, NEW})
    NEW_TIP = ("Type a price, paste a column from a spreadsheet, or use the buttons above "
               "(live listings only)")

    def text(self, cell: PriceCell, column: int) -> str:
        if column == PRODUCT:
            return cell.product
        if column == VARIANT:
            return cell.variant
        if column == SELLER_SKU:
            return cell.seller_sku
        if column == LISTING:
            return status_name(cell.status)
        if column == PRICE:
            price = money_text(cell.available, cell.currency)
            return f"{price} {cell.currency}" if price and cell.currency else price
        if column == NEW:
            return new_price_text(cell)
        return status_text(cell, self.sending)

    def parse(self, cell: PriceCell, value: object) -> Decimal:
        return parse_price(value, cell.currency)

    def background(self, cell: PriceCell, column: int) -> QBrush | None:
        if column == LISTING and not cell.live:
            return QBrush(FAILED) if cell.edit is not None else None
        return super().background(cell, column)

    def tooltip(self, cell: PriceCell, column: int) -> str | None:
        if column in (NEW, STATUS) and cell.edit is not None:
            return f"{new_price_text(cell)}\n{status_text(cell, self.sending)}"
        if column == LISTING and not cell.live:
            return (f"{status_name(cell.status)}: TikTok Shop changes the price of live listings "
                    "only.")
        if column == PRODUCT:
            return f"{cell.product}\nSKU ID {cell.sku_id}"
        if column in (VARIANT, SELLER_SKU):  # whole, when the column elides it
            return self.text(cell, column) or None
        return None

    def sort_key(self, cell: PriceCell, column: int) -> tuple:
        if column == PRICE:
            return (cell.available is None, cell.available or 0)
        if column == NEW:
            return (cell.edit is None, cell.current or 0)
        return super().sort_key(cell, column)
