"""A stock spreadsheet (CSV file or pasted block) read into a per-row report; nothing applied.

Each quantity in the file becomes one report line: matched (will change), unchanged, invalid
value, unknown SKU or ambiguous. Only the matched lines become changes, and only when the
seller confirms them. Reading never raises: a file that can't be understood gives a report with
a `problem` sentence and no lines.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tiktok_desktop.services.stock_edits import Change, StockCell
from tiktok_desktop.services.stock_match import (
    AMBIGUOUS,
    ID_CHANGED,
    ID_UNKNOWN,
    INVALID,
    MATCHED,
    UNCHANGED,
    UNKNOWN,
    Found,
    StockIndex,
    clean,
    clean_id,
    flag_repeats,
    fold,
    is_number_like,
)
from tiktok_desktop.services.stock_values import QuantityRefused, parse_quantity

if TYPE_CHECKING:
    from tiktok_desktop.services.price_edits import PriceCell, PriceChange
    from tiktok_desktop.services.price_import import PriceLine

STATUSES = (MATCHED, UNCHANGED, INVALID, UNKNOWN, AMBIGUOUS)
# What the seller reads for each status: the preview's Result column and its counts.
WORDS = {MATCHED: "Will change", UNCHANGED: "Unchanged", INVALID: "Refused",
         UNKNOWN: "Not found", AMBIGUOUS: "Unclear"}
LEFT_OUT = ((INVALID, "refused"), (UNKNOWN, "not found in this shop"), (AMBIGUOUS, "unclear"))
HEADER_SEARCH_ROWS = 20  # Seller Center's template puts its header on row 3, under notes

_SKU_ID = {"sku id", "sku_id", "skuid", "sku id(optional)", "sku id (optional)"}
_SELLER_SKU = {"seller sku", "seller_sku", "sellersku", "sku", "seller sku code"}
_PRODUCT_ID = {"product id", "product_id"}
_WAREHOUSE = {"warehouse", "warehouse name", "warehouse id", "warehouse_id"}
_QUANTITY = {"quantity", "qty", "stock", "new stock", "new value", "new quantity", "available",
             "total quantity", "new"}
_PER_WAREHOUSE = re.compile(
    r"^(?:total\s+)?(?:quantity|qty|stock|available)\s+(?:in|at|@)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class ImportLine:
    """One quantity of the file and what would happen to it."""

    row: int  # the line number in the file (the header is a line too), 1-based
    sku: str  # as the file names it: seller SKU, else SKU ID
    warehouse: str
    status: str
    message: str = ""
    old: int | None = None
    new: int | None = None
    change: Change | None = None
    id_passed_over: str = ""  # matched by seller SKU instead of its SKU ID (see Found)


@dataclass(frozen=True)
class ImportReport:
    lines: tuple[ImportLine, ...] = ()
    notes: tuple[str, ...] = ()  # about the file as a whole (an ignored column, …)
    problem: str | None = None  # the file could not be read at all
    prices: tuple[PriceLine, ...] = ()  # a batch-edit workbook's prices (price_import)

    def count(self, status: str) -> int:
        return self._counts.get(status, 0)

    @functools.cached_property
    def _counts(self) -> Counter[str]:
        """Lines per status, counted once (a 200,000-row file is asked several times)."""
        return Counter(line.status for line in self.lines)

    @property
    def changes(self) -> list[Change]:
        """What confirming applies: the matched lines."""
        return [line.change for line in self.lines if line.change is not None]

    @property
    def price_changes(self) -> list[PriceChange]:
        return [line.change for line in self.prices if line.change is not None]

    @functools.cached_property
    def problems(self) -> list[ImportLine]:
        return [line for line in self.lines if line.status in (INVALID, UNKNOWN, AMBIGUOUS)]

    def summary(self) -> str:
        """The counts, adding up: "16 stock numbers matched: 3 will change, 13 unchanged.
        2 left out: 1 refused, 1 not found in this shop." """
        if self.problem:
            return self.problem
        if not self.lines and not self.prices:
            return "No stock numbers to read: the quantity columns are empty."
        changed, unchanged = self.count(MATCHED), self.count(UNCHANGED)
        text = (f"{_numbers(changed + unchanged)} matched: {changed:,} will change, "
                f"{unchanged:,} unchanged.")
        left_out = [f"{self.count(s):,} {words}" for s, words in LEFT_OUT if self.count(s)]
        if left_out:
            text += f" {len(self.problems):,} left out: {', '.join(left_out)}."
        if self.prices:
            statuses = [line.status for line in self.prices]
            changed, unchanged = statuses.count(MATCHED), statuses.count(UNCHANGED)
            prices = "1 price" if changed + unchanged == 1 else f"{changed + unchanged:,} prices"
            text += f" {prices} matched: {changed:,} will change, {unchanged:,} unchanged."
            if len(statuses) > changed + unchanged:
                text += f" {len(statuses) - changed - unchanged:,} left out."
        return text


def _numbers(n: int) -> str:
    return f"{n:,} stock number" if n == 1 else f"{n:,} stock numbers"


@dataclass
class Columns:
    """Where a table keeps what the import needs (column numbers)."""

    header_row: int  # -1: the table has no header row
    sku_id: int | None = None
    seller_sku: int | None = None
    product_id: int | None = None
    warehouse: int | None = None
    quantity: int | None = None
    per_warehouse: dict[int, str] = field(default_factory=dict)  # column -> warehouse id
    default_warehouse: str | None = None  # for a quantity without a warehouse (chosen, shown)
    left_out: list[str] = field(default_factory=list)  # stock columns of unknown warehouses

    @property
    def notes(self) -> list[str]:
        return [f"Column “{name}” names no warehouse of this shop; it was left out."
                for name in self.left_out]


def _name(header: str) -> str:
    return fold(clean(header).rstrip("*").strip())


def _columns(header: Sequence[str], row: int, index: StockIndex) -> Columns | None:
    cols = Columns(row)
    for i, raw in enumerate(header):
        name = _name(raw)
        per = _PER_WAREHOUSE.match(name)
        if name in _SKU_ID and cols.sku_id is None:
            cols.sku_id = i
        elif name in _SELLER_SKU and cols.seller_sku is None:
            cols.seller_sku = i
        elif name in _PRODUCT_ID and cols.product_id is None:
            cols.product_id = i
        elif name in _WAREHOUSE and cols.warehouse is None:
            cols.warehouse = i
        elif name in _QUANTITY and cols.quantity is None:
            cols.quantity = i
        elif per:
            warehouse = index.warehouse(clean(raw)[per.start(1):].strip())
            if warehouse is None:
                cols.left_out.append(clean(raw))
            else:
                cols.per_warehouse[i] = warehouse
    if cols.sku_id is None and cols.seller_sku is None:
        return None
    if cols.quantity is None and not cols.per_warehouse and not cols.left_out:
        return None
    return cols


def has_quantities(cols: Columns) -> bool:
    return cols.quantity is not None or bool(cols.per_warehouse)


def find_header(table: Sequence[Sequence[str]], index: StockIndex) -> Columns | None:
    """The first row naming a SKU column and stock columns; else the first one whose stock
    columns all name warehouses this shop doesn't have (read_table says so)."""
    unusable = None
    for row, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        cols = _columns(cells, row, index)
        if cols is not None and has_quantities(cols):
            return cols
        unusable = unusable or cols
    return unusable


def _cell(cells: Sequence[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _is_hint_row(cells: Sequence[str], cols: Columns) -> bool:
    """Seller Center's rows of notes under the header ("Mandatory", "Uneditable"): their
    Product ID is not a number (not even one a spreadsheet shortened to 1.729E+18)."""
    product_id = clean_id(_cell(cells, cols.product_id))
    return bool(product_id) and not is_number_like(product_id)


def _line(row: int, named: str, warehouse: str, status: str, message: str) -> ImportLine:
    return ImportLine(row, named, warehouse, status, message)


def _quantity_line(row: int, named: str, cell: StockCell, text: str, found: Found) -> ImportLine:
    # Built once, not replaced: a 200,000-row file makes one per number.
    try:
        new = parse_quantity(text)
    except QuantityRefused as refused:
        return ImportLine(row, named, cell.warehouse, INVALID, str(refused), cell.current,
                          id_passed_over=found.id_passed_over)
    if new == cell.current:
        return ImportLine(row, named, cell.warehouse, UNCHANGED, "", cell.current, new,
                          id_passed_over=found.id_passed_over)
    return ImportLine(row, named, cell.warehouse, MATCHED, "", cell.current, new,
                      Change.of(cell, new), found.id_passed_over)


def _row_lines(number: int, cells: Sequence[str], cols: Columns,
               index: StockIndex) -> list[ImportLine]:
    sku_id, seller_sku = _cell(cells, cols.sku_id), _cell(cells, cols.seller_sku)
    named = clean_id(seller_sku) or clean_id(sku_id)
    wanted: list[tuple[str | None, str, str]] = []  # (warehouse id, its label, quantity text)
    for column, warehouse in cols.per_warehouse.items():
        if clean(_cell(cells, column)):
            wanted.append((warehouse, index.warehouse_label[warehouse], _cell(cells, column)))
    if cols.quantity is not None and clean(_cell(cells, cols.quantity)):
        text = clean(_cell(cells, cols.warehouse))
        wanted.append((index.warehouse(text) if text else None, text, _cell(cells, cols.quantity)))
    if not wanted:
        return []
    found = index.find(sku_id, seller_sku)
    if found.cells is None:
        return [_line(number, named, label, found.status, found.message)
                for _, label, _ in wanted]
    lines = []
    for warehouse, label, text in wanted:
        if warehouse is None and label:
            lines.append(_line(number, named, label, UNKNOWN,
                               f"No warehouse “{label}” in this shop."))
            continue
        if warehouse is None:  # the chosen warehouse, else the SKU's only one
            warehouse = cols.default_warehouse or (
                next(iter(found.cells)) if len(found.cells) == 1 else None)
            if warehouse is None:
                lines.append(_line(number, named, label, AMBIGUOUS,
                                   f"{named} is stocked in {len(found.cells)} warehouses; add a "
                                   "Warehouse column (or use Quantity in <warehouse> columns)."))
                continue
            label = index.warehouse_label.get(warehouse, warehouse)
        if warehouse not in found.cells:
            lines.append(_line(number, named, label, UNKNOWN,
                               f"{named} is not stocked in {label}; a warehouse can't be added "
                               "to a SKU here."))
        else:
            lines.append(_quantity_line(number, named, found.cells[warehouse], text, found))
    return lines


def _cell_key(line: ImportLine) -> tuple[str, str]:
    return line.change.key if line.change else (line.sku.casefold(), line.warehouse)


def read_table(table: Sequence[Sequence[str]], cells: Sequence[StockCell] | StockIndex,
               *, cols: Columns | None = None,
               prices: Sequence[PriceCell] | None = None,
               refuse_prices: bool = False) -> ImportReport:
    """The report for a table of text cells (rows of a CSV file or a pasted block); with the
    shop's `prices`, a `Retail Price (Local Currency)` column's too. Without them the column
    is left out, or with `refuse_prices` refuses the file (where prices can't be applied, a
    workbook is not applied in part)."""
    index = cells if isinstance(cells, StockIndex) else StockIndex(cells)
    cols = cols or find_header(table, index)
    if cols is None:
        return ImportReport(problem=(
            "No Seller SKU or SKU ID column with stock numbers was found. The first row should "
            "name the columns, e.g. “Seller SKU” and “Quantity in <warehouse>”, as in an "
            "exported file."))
    if not has_quantities(cols):
        named = ", ".join(f"“{name}”" for name in cols.left_out)
        ours = ", ".join(sorted(set(index.warehouse_label.values())))
        return ImportReport(problem=f"The stock columns ({named}) name no warehouse of this "
                                    f"shop. Its warehouses: {ours}.")
    lines: list[ImportLine] = []
    rows: list[tuple[int, Sequence[str]]] = []
    for i in range(cols.header_row + 1, len(table)):
        row = table[i]
        if not any(clean(c) for c in row) or _is_hint_row(row, cols):
            continue
        rows.append((i + 1, row))
        lines += _row_lines(i + 1, row, cols, index)
    lines = flag_repeats(lines, _cell_key, "Named on rows {rows} with different numbers.")
    notes = (*_matched_by_seller_sku(lines), *cols.notes)
    price_lines: tuple[PriceLine, ...] = ()
    if cols.header_row >= 0:
        from tiktok_desktop.services import price_import  # it imports this module

        column = price_import.price_column(table[cols.header_row])
        if column is not None and prices is None and refuse_prices and any(
                clean(_cell(row, column)) for _, row in rows):
            return ImportReport(problem="This file changes prices, which can't be applied "
                                        "here now. Nothing was imported.")
        if column is not None and prices is not None:
            try:
                price_lines = tuple(price_import.read_prices(
                    rows, column, cols.sku_id, cols.seller_sku, index, prices))
            except price_import.PricesRefused as refused:
                return ImportReport(problem=str(refused))
    return ImportReport(tuple(lines), notes, prices=price_lines)


def _matched_by_seller_sku(lines: Sequence[ImportLine]) -> list[str]:
    """Say so when rows were matched by seller SKU although they carry a SKU ID."""
    notes = []
    if any(line.id_passed_over == ID_CHANGED for line in lines):
        notes.append("Matched by seller SKU: the SKU IDs in this file were changed by a "
                     "spreadsheet.")
    unknown = {line.row for line in lines if line.id_passed_over == ID_UNKNOWN}
    if unknown:
        rows = f"{len(unknown):,} row" if len(unknown) == 1 else f"{len(unknown):,} rows"
        notes.append(f"Matched by seller SKU: {rows} with a SKU ID this shop doesn't have.")
    return notes
