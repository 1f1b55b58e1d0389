"""Spreadsheets the seller opens and saves: the one place files become rows of text, and rows
become files. Qt-free; every importer and exporter reads and writes through here.

Reading (`read_rows`, `read_table`) takes a path or bytes, whatever Excel, Google Sheets or
Seller Center made of it: CSV or tab-separated text in any encoding spreadsheets save
(sheet_text), or an .xlsx workbook (sheet_xlsx; a named sheet such as `Template` or
`Shipping info` when there is one). `read_table` finds the header in the first rows by the
columns the caller names, in English or the seller's language (sheet_headers), drops the notes
Seller Center puts under it, and keeps the named columns of each row. Values are read with
sheet_values (ids, money, dates). Progress is reported and the cancel flag looked at every few
thousand rows; a file over the size limit is never read.

A file that can't be used raises SheetRefused, whose `str()` names the row, the column and the
reason for the seller; nothing of it is used. Cancelling raises SheetCancelled.

Writing (`write_sheet`, `sheet_bytes`): CSV (UTF-8 with a BOM, CRLF) or .xlsx by the file's
suffix, the same table either way; ids as text.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tiktok_desktop.services import sheet_text, sheet_xlsx
from tiktok_desktop.services.sheet_headers import (
    HEADER_SEARCH_ROWS,
    NOTE_ROWS,
    Columns,
    HeaderNotFound,
    Required,
    column_letter,
    find_header,
    is_note_row,
    no_header,
)
from tiktok_desktop.services.sheet_source import (
    HTML,
    XLS,
    XLSX,
    FileTooLarge,
    Progress,
    SheetCancelled,
    SheetProgress,
    SheetRefused,
    Watch,
    megabytes,
    open_source,
)
from tiktok_desktop.services.sheet_values import (
    DateRefused,
    IdRefused,
    Money,
    MoneyRefused,
    clean,
    parse_datetimes,
    parse_id,
    parse_money,
)

__all__ = [
    "MAX_BYTES", "FileTooLarge", "HeaderNotFound", "Row", "SheetCancelled", "SheetProgress",
    "SheetRefused", "Table", "megabytes", "read_rows", "read_table", "rows_of", "sheet_bytes",
    "write_sheet",
]

MAX_BYTES = 256 * 1024 * 1024  # a 200,000-row order export as CSV is ~150 MB
OLD_EXCEL = ("This is an Excel 97-2003 workbook (.xls), which can't be read here. Open it in "
             "Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8.")
WEB_PAGE = ("This file is a web page, not a spreadsheet (some sites name those .xls). Open it "
            "in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8.")
EMPTY = "This file is empty."
XLSX_SUFFIXES = (".xlsx", ".xlsm")


# -- reading -------------------------------------------------------------------------------------

def rows_of(source: Path | bytes, *, sheet: str | Sequence[str] | None = None,
            max_bytes: int = MAX_BYTES, progress: Progress | None = None,
            cancel: threading.Event | None = None) -> Iterator[list[str]]:
    """The rows of a file as lists of text cells, streamed: a workbook's sheet named `sheet`
    (the first of the names that it has), else its first. The n-th row given is the file's
    row n (a CSV's record n). SheetRefused, FileTooLarge, SheetCancelled as they come."""
    opened = open_source(source, max_bytes)
    watch = Watch(progress, cancel)
    try:
        if opened.kind == XLS:
            raise SheetRefused(OLD_EXCEL)
        if opened.kind == HTML:
            raise SheetRefused(WEB_PAGE)
        if opened.kind == XLSX:
            book = sheet_xlsx.Workbook(opened)
            try:
                names = book.find(sheet)
                if not names:
                    raise SheetRefused("This workbook has no sheets.")
                yield from book.rows(names[0], watch)
            finally:
                book.close()
        else:
            yield from sheet_text.csv_rows(opened, watch)
        watch.done()
    finally:
        opened.close()


def read_rows(source: Path | bytes, *, sheet: str | Sequence[str] | None = None,
              max_bytes: int = MAX_BYTES, progress: Progress | None = None,
              cancel: threading.Event | None = None) -> list[list[str]]:
    """Every row of a file (see rows_of), read whole."""
    return list(rows_of(source, sheet=sheet, max_bytes=max_bytes, progress=progress,
                        cancel=cancel))


@dataclass(frozen=True, slots=True, eq=False)
class Row:
    """One row of data: its number in the file and the cells of the columns asked for."""

    number: int  # as the spreadsheet numbers it (the header's row is counted)
    cells: tuple[str, ...]
    index: Mapping[str, int]  # column name -> its place in `cells` (shared by every row)

    def __getitem__(self, name: str) -> str:
        """The cell's text, trimmed (and any `="…"` taken off); "" for a column not there."""
        return clean(self.raw(name))

    def raw(self, name: str) -> str:
        """The cell exactly as the file has it."""
        place = self.index.get(name)
        return self.cells[place] if place is not None and place < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    """The data of a file: its rows under the header, notes and blank rows left out."""

    rows: tuple[Row, ...]
    header_row: int  # as the spreadsheet numbers it
    names: tuple[str, ...]  # the header's cells, as written
    columns: Mapping[str, int]  # each column asked for and found -> its place in the file
    sheet: str | None = None  # the workbook sheet read; None for a text file
    skipped: tuple[int, ...] = ()  # rows dropped as notes under the header, or by `skip`

    def has(self, name: str) -> bool:
        return name in self.columns

    def column(self, name: str) -> str:
        """How a message names a column: its letter and its header as written."""
        place = self.columns[name]
        written = clean(self.names[place]) if place < len(self.names) else name
        return f"{column_letter(place)} (“{written or name}”)"

    def refusal(self, row: Row | int, name: str, reason: str) -> SheetRefused:
        """The refusal of the whole file for one cell, naming its row and column."""
        number = row.number if isinstance(row, Row) else row
        return SheetRefused(reason, row=number, column=self.column(name))

    def values(self, name: str) -> list[str]:
        return [row[name] for row in self.rows]

    def ids(self, name: str) -> list[str | None]:
        """The column's ids, or the file refused at the first that isn't one. (To fall back
        to another column for an id a spreadsheet shortened, use parse_id row by row.)"""
        out = []
        for row in self.rows:
            try:
                out.append(parse_id(row.raw(name)))
            except IdRefused as refused:
                raise self.refusal(row, name, str(refused)) from None
        return out

    def money(self, name: str, currency: str | None = None) -> list[Money | None]:
        """The column's amounts, or the file refused at the first that isn't one."""
        out = []
        for row in self.rows:
            try:
                out.append(parse_money(row.raw(name), currency))
            except MoneyRefused as refused:
                raise self.refusal(row, name, str(refused)) from None
        return out

    def datetimes(self, name: str, *, day_first: bool | None = None) -> list[datetime | None]:
        """The column's dates and times (day or month first as the column shows), or the file
        refused at the first that can't be read without a guess."""
        try:
            return parse_datetimes([row.raw(name) for row in self.rows], day_first=day_first)
        except DateRefused as refused:
            raise self.refusal(self.rows[refused.index], name, str(refused)) from None


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _table(rows: Iterator[list[str]], first: list[list[str]], header_index: int,
           names: tuple[str, ...], columns: dict[str, int], *, all_columns: bool,
           skip: Callable[[Row], bool] | None, sheet: str | None) -> Table:
    places = list(range(len(names))) if all_columns else list(columns.values())
    index = dict(columns) if all_columns else {name: i for i, name in enumerate(columns)}
    kept: list[Row] = []
    skipped: list[int] = []
    number = header_index + 1
    for cells in _chain(first[header_index + 1:], rows):
        number += 1
        if _blank(cells):
            continue
        if not kept and number - header_index - 1 <= NOTE_ROWS and is_note_row(cells):
            skipped.append(number)
            continue
        width = len(cells)
        row = Row(number, tuple(cells) if all_columns else
                  tuple(cells[p] if p < width else "" for p in places), index)
        if skip is not None and skip(row):
            skipped.append(number)
            continue
        kept.append(row)
    return Table(tuple(kept), header_index + 1, names, columns, sheet, tuple(skipped))


def _chain(first: list[list[str]], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield from first
    yield from rest


def read_table(source: Path | bytes, columns: Columns, *, required: Required | None = None,
               sheet: str | Sequence[str] | None = None, skip: Callable[[Row], bool] | None = None,
               all_columns: bool = False, max_bytes: int = MAX_BYTES,
               progress: Progress | None = None, cancel: threading.Event | None = None) -> Table:
    """The rows under the header naming `columns` (all of them, or the `required` ones; a
    tuple in `required` means any one of its names), found in the first rows of the file (of a
    workbook's sheet named `sheet` when it has one, else of whichever has it). Rows keep the named
    columns' cells only, unless `all_columns`. Notes under the header are dropped, and rows
    `skip` says are no data. SheetRefused when no header is found or the file can't be read."""
    names = sheet if not isinstance(sheet, str) else [sheet]
    watch = Watch(progress, cancel)
    opened = open_source(source, max_bytes)
    try:
        if opened.kind in (XLS, HTML):
            raise SheetRefused(OLD_EXCEL if opened.kind == XLS else WEB_PAGE)
        if opened.kind != XLSX:
            return _read_text_table(sheet_text.csv_rows(opened, watch), columns, required,
                                    skip, all_columns, watch)
        book = sheet_xlsx.Workbook(opened)
        try:
            return _read_book_table(book, names, columns, required, skip, all_columns, watch)
        finally:
            book.close()
    finally:
        opened.close()


def _read_text_table(rows: Iterator[list[str]], columns: Columns, required: Required | None,
                     skip: Callable[[Row], bool] | None, all_columns: bool,
                     watch: Watch) -> Table:
    first = _first_rows(rows)
    if not first or all(_blank(row) for row in first):
        raise SheetRefused(EMPTY)
    header = find_header(first, columns, required)
    if header is None:
        raise HeaderNotFound(no_header(first, columns, required))
    table = _table(rows, first, header.index, header.names, header.columns,
                   all_columns=all_columns, skip=skip, sheet=None)
    watch.done()
    return table


def _read_book_table(book: sheet_xlsx.Workbook, names: Sequence[str] | None, columns: Columns,
                     required: Required | None, skip: Callable[[Row], bool] | None,
                     all_columns: bool, watch: Watch) -> Table:
    looked: list[tuple[str, list[list[str]]]] = []
    for name in book.find(names):
        rows = book.rows(name, watch)
        first = _first_rows(rows)
        header = find_header(first, columns, required)
        if header is None:
            rows.close()
            looked.append((name, first))
            continue
        watch.rows = len(first)
        table = _table(rows, first, header.index, header.names, header.columns,
                       all_columns=all_columns, skip=skip, sheet=name)
        watch.done()
        return table
    if not looked or all(_blank(row) for _, first in looked for row in first):
        raise SheetRefused(EMPTY)
    name, first = next(((n, f) for n, f in looked if not all(_blank(r) for r in f)), looked[0])
    why = no_header(first, columns, required)
    raise HeaderNotFound(why if len(book.names) == 1 else f"In sheet “{name}”: {why}")


def _first_rows(rows: Iterator[list[str]]) -> list[list[str]]:
    first = []
    for row in rows:
        first.append(row)
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    return first


# -- writing -------------------------------------------------------------------------------------

def _positions(header: Sequence[str], text_columns: Iterable[str | int]) -> frozenset[int]:
    places = {name: i for i, name in enumerate(header)}
    return frozenset(c if isinstance(c, int) else places[c] for c in text_columns
                     if isinstance(c, int) or c in places)


def sheet_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, kind: str = "csv",
                sheet: str = "Sheet1", text_columns: Iterable[str | int] = (),
                excel_safe: bool = False, notes: Sequence[str] = ()) -> bytes:
    """A table as a file's bytes: "csv" (UTF-8 with a BOM, CRLF; `excel_safe`: ids written
    `="…"`) or "xlsx" (one sheet named `sheet`; ids as text cells). `text_columns`: the
    columns (names or places) holding ids and other digits that are text. `notes`: lines
    written above the header, one cell each (Seller Center's templates have one)."""
    places = _positions(header, text_columns)
    if kind == "xlsx":
        out = io.BytesIO()
        sheet_xlsx.write_xlsx(out, header, rows, sheet=sheet, text_columns=places,
                              watch=Watch(None, None), notes=notes)
        return out.getvalue()
    return sheet_text.csv_bytes(header, rows, text_columns=places, excel_safe=excel_safe,
                                notes=notes)


def write_sheet(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], *,
                sheet: str = "Sheet1", text_columns: Iterable[str | int] = (),
                excel_safe: bool = False, notes: Sequence[str] = (),
                progress: Progress | None = None, cancel: threading.Event | None = None) -> int:
    """Write the table to `path`, as .xlsx when its name ends so, else as CSV (see
    sheet_bytes; `notes` above the header), row by row; the file appears whole or not at all
    (cancelled: not at all). The number of rows written; SheetRefused when the file can't be
    written (open in Excel on Windows, a folder that is read-only, a full disk),
    SheetCancelled."""
    places = _positions(header, text_columns)
    watch = Watch(progress, cancel)
    # Beside the file, made as any new file is (the seller's usual permissions), then renamed.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with temporary.open("xb") as file:
            if path.exists():
                shutil.copymode(path, temporary)
            if path.suffix.lower() in XLSX_SUFFIXES:
                sheet_xlsx.write_xlsx(file, header, rows, sheet=sheet, text_columns=places,
                                      watch=watch, notes=notes)
            else:
                text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
                sheet_text.write_csv(text, header, rows, text_columns=places,
                                     excel_safe=excel_safe, watch=watch, notes=notes)
                text.flush()
                text.detach()
        watch.done()
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, PermissionError):
            raise SheetRefused(f"“{path.name}” can't be written: it may be open in another "
                               "program (close it there), or this folder can't be written "
                               "to. Try again, or choose another folder.") from None
        if isinstance(error, OSError):
            raise SheetRefused(f"“{path.name}” can't be written "
                               f"({error.strerror or error}).") from None
        raise
    return watch.rows
