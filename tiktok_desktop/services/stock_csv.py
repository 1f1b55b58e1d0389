"""Stock as a CSV file: export the table, read a file back (any spreadsheet's CSV).

The export has Seller Center's batch-edit shape: one row per SKU, one `Quantity in <warehouse
name>` column per warehouse, so export → edit in a spreadsheet → import round-trips. It is UTF-8
with a byte-order mark (Excel otherwise reads it as the local code page). Ids are plain text; an
"Excel-safe" file writes ids and seller SKUs as `="…"` instead, so Excel keeps them as text rather
than turning 1729500000000000001 into 1.7295E+18 or "00123" into 123 (other programs show the
`="…"` as it is, hence not by default). A file a spreadsheet changed still imports: rows whose
ids were shortened are matched by seller SKU (stock_match).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from tiktok_desktop.services.file_reading import cannot_open, read_at_most
from tiktok_desktop.services.stock_edits import StockCell
from tiktok_desktop.services.stock_import import ImportReport, read_table

MAX_FILE_BYTES = 50 * 1024 * 1024
TOO_LARGE = ImportReport(problem="This file is too large for a stock list (over 50 MB).")
HEADER = ("Product ID", "Product name", "SKU ID", "Variation", "Seller SKU")


def export_name(shop: str, *, filtered: bool, with_edits: bool, day: date) -> str:
    """'stock-<shop>-filtered-with-edits-2026-12-06.csv': which rows and which numbers."""
    words = re.sub(r"[^\w-]+", "-", shop.casefold()).strip("-_")
    parts = ["stock", words, "filtered" if filtered else "all",
             "with-edits" if with_edits else "without-edits", day.isoformat()]
    return "-".join(p for p in parts if p) + ".csv"


def as_text(value: str) -> str:
    """A cell spreadsheets keep as text: `="value"`."""
    return '="' + value.replace('"', '""') + '"' if value else ""


def quantity_column(name: str) -> str:
    return f"Quantity in {name}"


def _warehouse_columns(cells: Iterable[StockCell]) -> dict[str, str]:
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
    columns = _warehouse_columns(cells)
    kept = as_text if excel_safe else str
    skus: dict[str, dict[str, StockCell]] = {}
    for cell in cells:
        skus.setdefault(cell.sku_id, {})[cell.warehouse_id] = cell
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*HEADER, *columns.values()])
    for by_warehouse in skus.values():
        first = next(iter(by_warehouse.values()))
        quantities = []
        for wid in columns:
            cell = by_warehouse.get(wid)
            number = None if cell is None else cell.current if with_edits else cell.available
            quantities.append("" if number is None else str(number))
        writer.writerow([kept(first.product_id), first.product, kept(first.sku_id),
                         first.variant, kept(first.seller_sku), *quantities])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def decode(data: bytes) -> str:
    """The text of a CSV file as spreadsheets save it: UTF-8 (with or without a BOM), UTF-16
    (Excel's "Unicode text"), else Windows-1252 (older Excel on Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """Comma, or the semicolon / tab some spreadsheets (and locales) write instead."""
    head = "\n".join(text.splitlines()[:20])
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def table_of(text: str, delimiter: str | None = None) -> list[list[str]]:
    """Rows of cells; raises csv.Error for text the csv module can't split."""
    text = text.replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _delimiter(text))
    return [list(row) for row in reader]


def read_import(data: bytes, cells: Sequence[StockCell]) -> ImportReport:
    """The report for a CSV file's bytes; never raises (see ImportReport.problem)."""
    if len(data) > MAX_FILE_BYTES:
        return TOO_LARGE
    try:
        table = table_of(decode(data))
    except csv.Error as error:
        return ImportReport(problem=f"This file can't be read as CSV ({error}). Save it from "
                                    "your spreadsheet as “CSV UTF-8” and try again.")
    if not any(any(c.strip() for c in row) for row in table):
        return ImportReport(problem="This file is empty.")
    return read_table(table, cells)


def read_import_file(path: Path, cells: Sequence[StockCell]) -> ImportReport:
    """The report for a CSV file; never raises, never reads a huge one (file_reading.py)."""
    try:
        data = read_at_most(path, MAX_FILE_BYTES)
    except OSError as error:
        return ImportReport(problem=cannot_open(error))
    return TOO_LARGE if data is None else read_import(data, cells)
