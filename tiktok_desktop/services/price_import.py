"""The prices of Seller Center's batch-edit workbook (`Retail Price (Local Currency)`): read
into report lines beside the stock numbers (stock_import), and written by the workbook export
(stock_workbook).

Rows are matched to SKUs as the stock import matches them (stock_match: SKU ID, else the seller
SKU when a spreadsheet changed the id). A price that differs from the one the seller sees (the
shop's, or the edit not pushed yet) becomes a PriceChange; an empty price cell changes nothing.
A price that isn't one the shop takes refuses the whole file, with its row: a workbook is
applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from tiktok_desktop.services.price_edits import PriceCell, PriceChange
from tiktok_desktop.services.price_values import PriceRefused, parse_price
from tiktok_desktop.services.stock_match import (
    MATCHED,
    UNCHANGED,
    UNKNOWN,
    StockIndex,
    clean,
    clean_id,
    flag_repeats,
    fold,
)

PRICE_COLUMN = "Retail Price (Local Currency)"
_PRICE_NAMES = {fold(PRICE_COLUMN), "retail price"}


class PricesRefused(ValueError):
    """The file holds a price the shop would not take; `str()` names the row and the reason."""


@dataclass(frozen=True)
class PriceLine:
    """One price of the file and what would happen to it."""

    row: int  # 1-based, as the stock lines count
    sku: str  # as the file names it: seller SKU, else SKU ID
    status: str
    message: str = ""
    old: Decimal | None = None
    new: Decimal | None = None
    currency: str = ""
    change: PriceChange | None = None


def price_column(header: Sequence[str]) -> int | None:
    """Where the header row keeps the retail price, if it does."""
    for i, name in enumerate(header):
        if fold(clean(name).rstrip("*").strip()) in _PRICE_NAMES:
            return i
    return None


def _cell(cells: Sequence[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def read_prices(rows: Sequence[tuple[int, Sequence[str]]], column: int, sku_id: int | None,
                seller_sku: int | None, index: StockIndex,
                prices: Sequence[PriceCell]) -> list[PriceLine]:
    """The price lines of the data `rows` ((row number, cells), hint rows already left out);
    PricesRefused at the first price the shop would not take."""
    by_sku = {cell.sku_id: cell for cell in prices}
    lines: list[PriceLine] = []
    for number, cells in rows:
        text = _cell(cells, column)
        if not clean(text):
            continue
        named = clean_id(_cell(cells, seller_sku)) or clean_id(_cell(cells, sku_id))
        found = index.find(_cell(cells, sku_id), _cell(cells, seller_sku))
        cell = None if found.cells is None else by_sku.get(next(iter(found.cells.values())).sku_id)
        if cell is None:
            status = found.status if found.cells is None else UNKNOWN
            message = found.message if found.cells is None else f"{named} has no price here."
            lines.append(PriceLine(number, named, status, message))
            continue
        try:
            new = parse_price(text, cell.currency)
        except PriceRefused as refused:
            raise PricesRefused(f"Row {number}, column “{PRICE_COLUMN}” ({named}): {refused} "
                                "Nothing was imported: fix the price and import the file "
                                "again.") from None
        line = PriceLine(number, named, UNCHANGED, "", cell.current, new, cell.currency)
        if new != cell.current:
            line = replace(line, status=MATCHED, change=cell.change(new))
        lines.append(line)
    return flag_repeats(lines, _sku_key, "Priced on rows {rows} differently.")


def _sku_key(line: PriceLine) -> str:
    return line.change.sku_id if line.change else line.sku.casefold()
