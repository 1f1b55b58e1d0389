"""Excel workbooks (.xlsx), read and written with openpyxl.

Reading is openpyxl's read-only mode (streamed: a 200,000-row export is never loaded whole),
formulas as their saved values, every cell as the text Excel shows: 12 not 12.0, 1.72906E+18
for a number too long for a spreadsheet to keep whole (its digits are lost: sheet_values says
so), dates and times in ISO. Marketplace workbooks whose sheet views carry an `activePane` (or
`pane`) value outside the four the format allows, which openpyxl refuses, are repaired in memory
first: the attribute is rewritten (or dropped) in the zip entry, nothing else changes.

Writing is openpyxl's write-only mode: one named sheet, the header row bold and frozen, columns
as wide as their first rows, ids and numbers over 15 digits as text cells (Excel would round
them), and text never taken for a formula.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any, BinaryIO

from tiktok_desktop.logs import get_logger
from tiktok_desktop.services.sheet_source import SheetCancelled, SheetRefused, Source, Watch
from tiktok_desktop.services.sheet_text import MOST_EXACT_DIGITS

log = get_logger("services.sheets")

_WORKSHEET = re.compile(r"^xl/(?:worksheets|dialogsheets|chartsheets)/[^/]+\.xml$")
_PANE = re.compile(rb"""(\s)(activePane|pane)(\s*=\s*)(["'])([^"']*)\4""")
PANES = (b"bottomRight", b"topRight", b"bottomLeft", b"topLeft")
HEAD_LIMIT = 4 << 20  # a sheet's views come before its cells: look no further for them
DAMAGED = ("This Excel file can't be read: it is damaged, or was made by a program that wrote "
           "it in a way Excel itself would complain about. Open it in Excel, save it again as "
           "an Excel Workbook (.xlsx), and try again.")


# -- the activePane defect -----------------------------------------------------------------------

def _fixed_pane(match: re.Match[bytes]) -> bytes:
    space, name, equals, quote, value = match.groups()
    for allowed in PANES:
        if value.lower() == allowed.lower():
            return space + name + equals + quote + allowed + quote
    return b""  # no value to keep: the default applies (top left)


def _repaired_head(head: bytes) -> bytes | None:
    """The head of a sheet's XML with its pane attributes made valid; None if they were."""
    end = head.find(b"sheetData")
    views, rest = (head, b"") if end < 0 else (head[:end], head[end:])
    fixed = _PANE.sub(_fixed_pane, views)
    return None if fixed == views else fixed + rest


def _sheet_heads(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """The head (up to the cells) of each sheet whose pane attributes need repair."""
    repairs = {}
    for info in archive.infolist():
        if not _WORKSHEET.match(info.filename):
            continue
        with archive.open(info) as entry:
            head = b""
            while b"sheetData" not in head and len(head) < HEAD_LIMIT:
                chunk = entry.read(1 << 16)
                if not chunk:
                    break
                head += chunk
        if _repaired_head(head) is not None:
            repairs[info.filename] = head
    return repairs


def repaired(stream: BinaryIO) -> BinaryIO | None:
    """A copy of the workbook, in memory, with the pane attributes of its sheets repaired; None
    when nothing needs repair (or it is no zip: openpyxl says so)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            repairs = _sheet_heads(archive)
            if not repairs:
                return None
            log.info("repairing the pane attributes of %s", ", ".join(sorted(repairs)))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for info in archive.infolist():
                    _copy_entry(archive, copy, info, repairs.get(info.filename))
    except Exception as error:  # a damaged zip (bad CRC, bad deflate data, …): openpyxl says so
        log.info("no pane repair: %r", error)
        return None
    finally:
        stream.seek(0)
    out.seek(0)
    return out


def _copy_entry(archive: zipfile.ZipFile, copy: zipfile.ZipFile, info: zipfile.ZipInfo,
                head: bytes | None) -> None:
    target = zipfile.ZipInfo(info.filename, info.date_time)
    target.compress_type = zipfile.ZIP_DEFLATED
    target.external_attr = info.external_attr
    with archive.open(info) as source, copy.open(target, "w") as out:
        if head is not None:
            source.read(len(head))
            out.write(_repaired_head(head) or head)
        while chunk := source.read(1 << 20):
            out.write(chunk)


# -- reading -------------------------------------------------------------------------------------

def _number_text(value: float) -> str:
    """A number as Excel shows it in a General cell: 15 significant digits at most."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 10 ** MOST_EXACT_DIGITS:
        return str(int(value))
    text = f"{value:.15G}"
    if "E" in text:
        mantissa, _, exponent = text.partition("E")
        text = f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return text


def cell_text(value: object) -> str:
    """What a cell shows, as text: numbers without a needless ".0", dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        if value.microsecond:  # a time in days, as a binary fraction: round to the second
            value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _size_from_the_head(sheet: Any) -> None:
    """openpyxl's `ReadOnlyWorksheet._get_size`, stopping where the cells start. openpyxl's own
    reads a sheet that has no `<dimension>` (its own write-only files, other streaming writers)
    to the end before anything else: it waits for the end tag of the cells. For a 200,000-row
    export that is a quarter of the reading, while the workbook opens, with no progress and no
    cancel. Same result: the dimension the head gives, or none."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                ref = element.get("ref") or ""
                if re.fullmatch(r"[A-Za-z]{1,3}\d+(?::[A-Za-z]{1,3}\d+)?", ref):
                    (sheet._min_column, sheet._min_row, sheet._max_column,
                     sheet._max_row) = range_boundaries(ref)
                return
            if element.tag == DATA_TAG:
                return


def _openpyxl() -> Any:
    """openpyxl, imported when a workbook is first opened (~80 ms: not at the app's start),
    with its read-only sheets sized from their head (see _size_from_the_head)."""
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if openpyxl.__version__.startswith("3.1.") and getattr(
            ReadOnlyWorksheet._get_size, "__name__", "") == "_get_size":
        ReadOnlyWorksheet._get_size = _size_from_the_head  # type: ignore[method-assign]
    return openpyxl


class Workbook:
    """An open workbook to read: its sheet names and the text rows of any of them."""

    def __init__(self, source: Source) -> None:
        openpyxl = _openpyxl()
        stream = repaired(source.stream) or source.stream
        try:
            self.book: Any = openpyxl.load_workbook(stream, read_only=True, data_only=True,
                                                    keep_links=False)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            log.warning("openpyxl could not open %s: %r", source.name or "a workbook", error)
            raise SheetRefused(DAMAGED) from None
        self.names: list[str] = list(self.book.sheetnames)

    def find(self, wanted: str | Sequence[str] | None) -> list[str]:
        """The sheets to look in: those of the wanted names it has (any case), else all."""
        wanted = [wanted] if isinstance(wanted, str) else list(wanted or ())
        folded = {name.strip().casefold(): name for name in self.names}
        named = [folded[w.strip().casefold()] for w in wanted if w.strip().casefold() in folded]
        return list(dict.fromkeys(named)) or list(self.names)

    def rows(self, name: str, watch: Watch) -> Iterator[list[str]]:
        """The sheet's rows as text cells; a missing row is an empty one, so the n-th row
        given is the sheet's row n."""
        sheet = self.book[name]
        total = sheet.max_row if (sheet.max_row or 0) > 1 else None  # its <dimension>, if any
        sheet.reset_dimensions()  # some writers put "A1" there: read every row and column

        def fraction() -> float | None:
            return min(watch.rows / total, 1.0) if total else None

        try:
            for values in sheet.iter_rows(values_only=True):
                watch.row(fraction)
                yield [cell_text(value) for value in values]
        except (SheetRefused, SheetCancelled):
            raise
        except Exception as error:
            log.warning("openpyxl stopped in sheet %s at row %s: %r", name, watch.rows, error)
            raise SheetRefused(DAMAGED, row=watch.rows + 1) from None

    def close(self) -> None:
        self.book.close()


# -- writing -------------------------------------------------------------------------------------

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters a workbook can't hold
_TITLE = re.compile(r"[\[\]:*?/\\]")
WIDTH_ROWS = 100  # rows looked at for a column's width
WIDEST = 60


def sheet_title(name: str) -> str:
    return _TITLE.sub(" ", name).strip()[:31] or "Sheet1"


def _width(value: object) -> float:
    text = cell_text(value) if not isinstance(value, str) else value
    longest = max((len(line) + sum(1 for c in line if ord(c) > 0x2E80)
                   for line in text.splitlines() or [""]), default=0)
    return min(WIDEST, longest * 1.1 + 2)


def write_xlsx(target: str | IO[bytes], header: Sequence[str], rows: Iterable[Sequence[object]],
               *, sheet: str, text_columns: frozenset[int], watch: Watch,
               notes: Sequence[str] = ()) -> None:
    """The table as one sheet of a new workbook, written to `target` (a path or binary file);
    `notes`: lines above the header, one cell each (as Seller Center's templates have)."""
    from openpyxl import Workbook as NewWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = NewWorkbook(write_only=True)
    ws = book.create_sheet(sheet_title(sheet))
    rows = iter(rows)
    first = list(islice(rows, WIDTH_ROWS))
    for column, name in enumerate(header):
        widest = max([_width(name) * 1.15, *(_width(r[column]) for r in first if column < len(r))])
        ws.column_dimensions[get_column_letter(column + 1)].width = max(widest, 8)
    ws.freeze_panes = f"A{len(notes) + 2}"
    bold = Font(bold=True)

    def text_cell(text: str) -> object:
        text = _ILLEGAL.sub("", text)
        if (len(text) > 1 and text.startswith("=")) or text in ERROR_CODES:
            cell = WriteOnlyCell(ws, text)
            cell.data_type = "s"  # text, never a formula or an error value
            return cell
        return text

    def value(column: int, item: object) -> object:
        if isinstance(item, str):
            return text_cell(item)
        if item is None or isinstance(item, bool | datetime | date | time | timedelta):
            return item
        if column in text_columns:
            return text_cell(format(item, "f") if isinstance(item, Decimal) else str(item))
        if isinstance(item, int) and abs(item) >= 10 ** MOST_EXACT_DIGITS:
            return str(item)  # Excel would keep 15 digits of it
        if isinstance(item, int | float | Decimal):
            return item
        return text_cell(str(item))

    for note in notes:
        ws.append([text_cell(note)])
    heading = []
    for name in header:
        cell = WriteOnlyCell(ws, _ILLEGAL.sub("", name))
        cell.data_type = "s"
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    try:
        for row in chain(first, rows):
            ws.append([value(column, item) for column, item in enumerate(row)])
            watch.row(lambda: None)
    except BaseException:  # cancelled, or a row that can't be written: drop the sheet's rows
        with contextlib.suppress(Exception):
            ws.close()
            ws._writer.cleanup()  # openpyxl's temporary file, else left until the app exits
        raise
    book.save(target)
