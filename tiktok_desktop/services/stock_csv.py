"""Stock as a spreadsheet: export the table as CSV, read a file back (any spreadsheet's CSV, or
Seller Center's batch-edit workbook: sheet `Template`).

The export has Seller Center's batch-edit shape: one row per SKU, one `Quantity in <warehouse
name>` column per warehouse, so export → edit in a spreadsheet → import round-trips. It is UTF-8
with a byte-order mark (Excel otherwise reads it as the local code page). Ids are plain text; an
"Excel-safe" file writes ids and seller SKUs as `="…"` instead, so Excel keeps them as text rather
than turning 1729500000000000001 into 1.7295E+18 or "00123" into 123 (other programs show the
`="…"` as it is, hence not by default). A file a spreadsheet changed still imports: rows whose
ids were shortened are matched by seller SKU (stock_match). Files are read and written by the
spreadsheet layer (sheets.py); this module knows the stock's shape.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tiktok_desktop.services.sheet_source import FileTooLarge, Progress, SheetRefused
from tiktok_desktop.services.sheet_text import as_text, csv_bytes, decode_text
from tiktok_desktop.services.sheets import read_rows
from tiktok_desktop.services.stock_edits import StockCell
from tiktok_desktop.services.stock_import import ImportReport, read_table

if TYPE_CHECKING:
    from tiktok_desktop.services.price_edits import PriceCell

__all__ = ["HEADER", "MAX_FILE_BYTES", "TOO_LARGE", "as_text", "csv_bytes", "decode",
           "export_csv", "export_name", "quantity_column", "read_import", "read_import_file",
           "warehouse_columns"]

MAX_FILE_BYTES = 50 * 1024 * 1024
TOO_LARGE = ImportReport(problem="This file is too large for a stock list (over 50 MB).")
HEADER = ("Product ID", "Product name", "SKU ID", "Variation", "Seller SKU")
SHEETS = ("Template",)  # Seller Center's batch-edit workbook keeps the stock there
decode = decode_text  # the text of a CSV file as spreadsheets save it (for tests and callers)


def export_name(shop: str, *, filtered: bool, with_edits: bool, day: date,
                suffix: str = ".csv") -> str:
    """'stock-<shop>-filtered-with-edits-2026-12-06.csv': which rows and which numbers."""
    words = re.sub(r"[^\w-]+", "-", shop.casefold()).strip("-_")
    parts = ["stock", words, "filtered" if filtered else "all",
             "with-edits" if with_edits else "without-edits", day.isoformat()]
    return "-".join(p for p in parts if p) + suffix


def quantity_column(name: str) -> str:
    return f"Quantity in {name}"


def warehouse_columns(cells: Iterable[StockCell]) -> dict[str, str]:
    """Warehouse id -> its column name; same-named warehouses get their id added."""
    names: dict[str, str] = {}
    for cell in cells:
        names.setdefault(cell.warehouse_id, cell.warehouse or cell.warehouse_id)
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    return {wid: quantity_column(name if counts[name.casefold()] == 1 else f"{name} ({wid})")
            for wid, name in names.items()}


def export_csv(cells: Sequence[StockCell], *, with_edits: bool = True,
               excel_safe: bool = False) -> bytes:
    """The cells as a CSV file's bytes: with the seller's edits not pushed yet (the new
    number where edited), or the shop's numbers as last synced."""
    columns = warehouse_columns(cells)
    skus: dict[str, dict[str, StockCell]] = {}
    for cell in cells:
        skus.setdefault(cell.sku_id, {})[cell.warehouse_id] = cell
    rows = []
    for by_warehouse in skus.values():
        first = next(iter(by_warehouse.values()))
        quantities = []
        for wid in columns:
            cell = by_warehouse.get(wid)
            number = None if cell is None else cell.current if with_edits else cell.available
            quantities.append("" if number is None else str(number))
        rows.append([first.product_id, first.product, first.sku_id, first.variant,
                     first.seller_sku, *quantities])
    return csv_bytes([*HEADER, *columns.values()], rows, text_columns=(0, 2, 4),
                     excel_safe=excel_safe)


def _report(read: Callable[[], list[list[str]]], cells: Sequence[StockCell],
            prices: Sequence[PriceCell] | None = None, refuse_prices: bool = False
            ) -> ImportReport:
    try:
        table = read()
    except FileTooLarge:
        return TOO_LARGE
    except SheetRefused as refused:
        return ImportReport(problem=str(refused))
    if not any(any(c.strip() for c in row) for row in table):
        return ImportReport(problem="This file is empty.")
    return read_table(table, cells, prices=prices, refuse_prices=refuse_prices)


def read_import(data: bytes, cells: Sequence[StockCell], *, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> ImportReport:
    """The report for a file's bytes (CSV, or an .xlsx workbook); never raises but
    SheetCancelled (see ImportReport.problem)."""
    return _report(lambda: read_rows(data, sheet=SHEETS, max_bytes=MAX_FILE_BYTES,
                                     progress=progress, cancel=cancel), cells)


def read_import_file(path: Path, cells: Sequence[StockCell], *,
                     progress: Progress | None = None,
                     cancel: threading.Event | None = None,
                     prices: Sequence[PriceCell] | None = None, refuse_prices: bool = False
            ) -> ImportReport:
    """The report for a file (CSV, or an .xlsx workbook); never raises but SheetCancelled,
    never reads a huge one. With the shop's `prices`, a batch-edit workbook's prices too."""
    return _report(lambda: read_rows(path, sheet=SHEETS, max_bytes=MAX_FILE_BYTES,
                                     progress=progress, cancel=cancel), cells, prices,
                   refuse_prices)
