"""A block pasted from Excel, Google Sheets or LibreOffice, turned into stock changes.

Spreadsheets copy cells as tab-separated text (a cell with a tab or a line break is quoted).
Rows are matched one of two ways:
- by Seller SKU (or SKU ID): when the block has a header naming that column, or when its first
  column holds the shop's SKUs; the numbers come from `Quantity…` columns or the last column;
- by position: one column of numbers goes into the New value column from the selected row down
  (one number into every selected row).
A block matched by SKU that names no warehouse goes to the warehouse the table shows, or the
shop's only one; in a shop with several, shown all at once, the seller chooses in a preview
(WarehouseNeeded, then `paste_report`): never a guess.
Either all of the block applies or none of it: a problem refuses the paste with a message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from tiktok_desktop.services.stock_edits import Change, EditRefused, StockCell
from tiktok_desktop.services.stock_import import (
    Columns,
    ImportReport,
    find_header,
    read_table,
)
from tiktok_desktop.services.stock_match import StockIndex, clean
from tiktok_desktop.services.stock_values import QuantityRefused, parse_quantity, quantity_or_none

SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class Pasted:
    changes: list[Change]
    how: str  # "by Seller SKU" / "by position", for the message after pasting


class WarehouseNeeded(EditRefused):
    """The block names no warehouse and the shop has several: the seller chooses one.
    `warehouses`: the shop's, id -> name."""

    def __init__(self, warehouses: dict[str, str]) -> None:
        super().__init__("Nothing was pasted: choose the warehouse these numbers are for.")
        self.warehouses = warehouses


def parse_block(text: str) -> list[list[str]]:
    """The cells of a copied block (tab-separated; quoted cells may hold tabs and newlines)."""
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text.strip():
        return []
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    except csv.Error:  # a stray quote the csv module won't accept: split plainly
        rows = [line.split("\t") for line in text.split("\n")]
    return [row or [""] for row in rows]  # an empty line is an empty cell: it keeps its place


def _problem_text(problems: Sequence[str], total: int) -> str:
    shown = "; ".join(p.rstrip(".") for p in problems[:SHOWN_PROBLEMS])  # one sentence
    more = f" (and {total - SHOWN_PROBLEMS} more)" if total > SHOWN_PROBLEMS else ""
    return f"Nothing was pasted: {shown}{more}."


def _keyed(block: list[list[str]], index: StockIndex, cols: Columns | None) -> Pasted:
    report = read_table(block, index, cols=cols)
    if report.problem:
        raise EditRefused(report.problem)
    problems = report.problems
    if problems:
        raise EditRefused(_problem_text(
            [f"row {p.row}, {p.sku or '?'}: {p.message or p.status}" for p in problems],
            len(problems)))
    return Pasted(report.changes, "by Seller SKU")


def _headerless_columns(block: list[list[str]], index: StockIndex) -> Columns | None:
    """First column SKUs, last column numbers, a warehouse column between if one matches."""
    width = max(len(row) for row in block)
    if width < 2 or not any(index.is_known_key(row[0]) for row in block if row):
        return None
    cols = Columns(header_row=-1, sku_id=0, seller_sku=0, quantity=width - 1)
    for column in range(1, width - 1):
        values = [clean(row[column]) for row in block if column < len(row) and clean(row[column])]
        if values and all(index.warehouse(v) for v in values):
            cols.warehouse = column
    return cols


def _number_column(block: list[list[str]]) -> list[str]:
    """The block's only column, or its only column of stock numbers."""
    width = max(len(row) for row in block)
    if width == 1:
        return [row[0] if row else "" for row in block]
    numeric = [c for c in range(width)
               if all(not clean(row[c]) or quantity_or_none(row[c]) is not None
                      for row in block if c < len(row))
               and any(c < len(row) and clean(row[c]) for row in block)]
    if len(numeric) != 1:
        raise EditRefused(
            "Nothing was pasted: copy one column of numbers, or include a Seller SKU column "
            "so rows can be matched.")
    return [row[numeric[0]] if numeric[0] < len(row) else "" for row in block]


def _positional(values: list[str], below: Sequence[StockCell],
                selected: Sequence[StockCell]) -> Pasted:
    filled = [(i, v) for i, v in enumerate(values) if clean(v)]
    if len(values) == 1 and len(selected) > 1:
        targets: Sequence[StockCell] = selected
        values, filled = values * len(selected), [(i, values[0]) for i in range(len(selected))]
    elif len(selected) > 1 and len(values) == len(selected):
        targets = selected
    else:
        targets = below
    if len(values) > len(targets):
        raise EditRefused(
            f"Nothing was pasted: {len(values)} rows were copied but only {len(targets)} "
            "rows are there to take them (from the selected row down).")
    problems = []
    changes = []
    for i, text in filled:
        try:
            new = parse_quantity(text)
        except QuantityRefused as refused:
            problems.append(f"row {i + 1} ({targets[i].label}): {refused}")
            continue
        if new != targets[i].current:
            changes.append(Change.of(targets[i], new))
    if problems:
        raise EditRefused(_problem_text(problems, len(problems)))
    return Pasted(changes, "by position")


def _keyed_columns(block: list[list[str]], index: StockIndex) -> Columns | None:
    """Where a block matched by SKU keeps its SKUs and numbers; None: match by position."""
    header = find_header(block[:1], index)
    return header if header is not None else _headerless_columns(block, index)


def _asks_warehouse(cols: Columns, index: StockIndex, warehouse_id: str | None) -> bool:
    """Numbers without a warehouse, in a shop with several, while the table shows them all."""
    return (warehouse_id is None and cols.quantity is not None and cols.warehouse is None
            and len(index.warehouse_label) > 1)


def paste(text: str, *, below: Sequence[StockCell], selected: Sequence[StockCell],
          shop: Sequence[StockCell] | StockIndex, warehouse_id: str | None = None) -> Pasted:
    """The changes a paste makes; EditRefused (nothing applied) when any part is wrong,
    WarehouseNeeded when the seller has to say which warehouse first.

    `below`: the table's rows from the first selected row down, as shown; `selected`: the
    selected rows; `shop`: every cell of the shop, for matching by SKU; `warehouse_id`: the
    warehouse the table shows (rows matched by SKU without a warehouse go there).
    """
    block = parse_block(text)
    if not block:
        raise EditRefused("Nothing was pasted: the clipboard holds no cells.")
    index = shop if isinstance(shop, StockIndex) else StockIndex(shop)
    keyed = _keyed_columns(block, index)
    if keyed is not None:
        if _asks_warehouse(keyed, index, warehouse_id):
            raise WarehouseNeeded(dict(index.warehouse_label))
        keyed.default_warehouse = warehouse_id
        return _keyed(block, index, keyed)
    if not below and not selected:
        raise EditRefused("Nothing was pasted: select the row where the numbers go first.")
    return _positional(_number_column(block), below, selected)


def paste_report(text: str, shop: Sequence[StockCell] | StockIndex,
                 warehouse_id: str) -> ImportReport:
    """The preview of a block matched by SKU once the seller chose its warehouse (after
    WarehouseNeeded): what each row would do. Apply its changes only when it has no problems."""
    block = parse_block(text)
    index = shop if isinstance(shop, StockIndex) else StockIndex(shop)
    keyed = _keyed_columns(block, index) if block else None
    if keyed is None:
        return ImportReport(problem="The clipboard holds no Seller SKUs to match.")
    keyed.default_warehouse = warehouse_id
    return read_table(block, index, cols=keyed)
