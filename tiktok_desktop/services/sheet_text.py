"""Spreadsheets as text: CSV and tab-separated files, read and written.

Reading takes what Excel, Google Sheets, LibreOffice and Seller Center save: UTF-8 with or
without a byte-order mark, UTF-16 ("Unicode text": tab-separated, with a BOM), Shift-JIS (a
Japanese Excel's "CSV"), else Windows-1252 / Latin-1; comma, semicolon or tab between cells
(sniffed, or Excel's `sep=;` first line); NUL characters dropped. The file is streamed: a
200,000-row export is never held as one string.

Writing follows stock_csv's conventions: UTF-8 with a BOM (Excel otherwise reads the local code
page), CRLF; an "Excel-safe" file writes ids and long numbers as `="…"` (as_text) so Excel keeps
them as text; a cell that would start a formula (=, +, -, @) gets a `'` in front, so a buyer's
message can never run as a formula in the seller's Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from tiktok_desktop.services.sheet_source import Counted, SheetRefused, Source, Watch

SAMPLE_BYTES = 64 * 1024  # what the encoding and delimiter are guessed from
DELIMITERS = (",", ";", "\t")
_KANA = re.compile(r"[\u3040-\u30ff]")  # hiragana and katakana: text is Japanese
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\r?\n?$", re.IGNORECASE)


def _as_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined, read as Latin-1 does."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("sheets-latin1", _as_latin1)


def _decodes(stream: io.BufferedIOBase | io.BytesIO, encoding: str) -> bool:
    """Whether the whole stream decodes in `encoding` (read in chunks; rewound after)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0:400:2], head[1:400:2]
    if len(head) >= 8 and odd.count(0) > len(odd) * 0.6 and not even.count(0):
        return "utf-16-le"
    if len(head) >= 8 and even.count(0) > len(even) * 0.6 and not odd.count(0):
        return "utf-16-be"
    return None


def text_encoding(stream: io.BufferedIOBase | io.BytesIO) -> tuple[str, str]:
    """(the encoding to read a text file with, the errors handler)."""
    head = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "replace"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "replace"
    wide = _utf16_without_bom(head)
    if wide:
        return wide, "replace"
    if _decodes(stream, "utf-8"):
        return "utf-8", "strict"
    try:  # not final: the sample may end inside a character
        sample = codecs.getincrementaldecoder("cp932")().decode(head, final=False)
    except UnicodeDecodeError:
        sample = ""
    if _KANA.search(sample) and _decodes(stream, "cp932"):
        return "cp932", "strict"
    return "cp1252", "sheets-latin1"


def decode_text(data: bytes) -> str:
    """The text of a spreadsheet's text file (see text_encoding)."""
    encoding, errors = text_encoding(io.BytesIO(data))
    return data.decode(encoding, errors=errors)


def sniff_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: the one that splits the first rows into the most columns, the
    same number in most rows (a delimiter inside quotes doesn't count). Comma when in doubt."""
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        counts: dict[int, int] = {}
        try:
            for n, row in enumerate(csv.reader(io.StringIO(sample), delimiter=delimiter)):
                if n >= 50:
                    break
                if len(row) > 1:
                    counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:
            continue
        if counts:
            width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
            score = (width - 1) * rows
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _plain_csv_error(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        limit = csv.field_size_limit()
        return f"a cell is longer than {limit:,} characters (its quotes may not pair up)"
    return "its quotes don't pair up"


def csv_rows(source: Source, watch: Watch) -> Iterator[list[str]]:
    """The rows of a text file, as lists of text cells, streamed; SheetRefused when it can't
    be split into cells (naming the row)."""
    encoding, errors = text_encoding(source.stream)  # type: ignore[arg-type]
    counted = Counted(source.stream, source.limit)
    text = io.TextIOWrapper(io.BufferedReader(counted, 1 << 16), encoding=encoding,
                            errors=errors, newline="")
    sample = text.read(SAMPLE_BYTES // 2)
    first, _, _ = sample.partition("\n")
    sep = _SEP_LINE.match(first + "\n")
    if sep:
        sample = sample[len(first) + 1:]
    delimiter = sep.group(1) if sep else sniff_delimiter(sample)
    lines = _lines(sample, text)
    reader = csv.reader(lines, delimiter=delimiter)
    size = max(source.size, 1)

    def fraction() -> float:
        return min(counted.count / size, 1.0)

    try:
        for row in reader:
            watch.row(fraction)
            yield row
    except csv.Error as error:
        raise SheetRefused(f"{_plain_csv_error(error)}, so the file can't be read as CSV. Save "
                           "it from your spreadsheet as “CSV UTF-8” and try again.",
                           row=watch.rows + 1) from None
    except UnicodeDecodeError:
        raise SheetRefused("the text is in an encoding that can't be read. Save the file from "
                           "your spreadsheet as “CSV UTF-8” and try again.",
                           row=watch.rows + 1) from None


def _lines(sample: str, rest: io.TextIOWrapper) -> Iterator[str]:
    """The text's lines (the sample read already, then the rest), NULs dropped."""
    tail = rest.readline()  # the sample may have stopped inside a line
    for line in io.StringIO(sample + tail, newline=""):
        yield line.replace("\x00", "")
    for line in rest:
        yield line.replace("\x00", "")


# -- writing -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@")
_FORMULA_CHARS = frozenset("=+-@")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_TEXT_FORMULA = re.compile(r'^="(?:[^"]|"")*"$')  # as_text's `="…"`: a text, nothing to run
MOST_EXACT_DIGITS = 15  # a spreadsheet keeps 15 significant digits of a number


def as_text(value: str) -> str:
    """A cell spreadsheets keep as text: `="value"`."""
    return '="' + value.replace('"', '""') + '"' if value else ""


def changes_in_a_spreadsheet(text: str) -> bool:
    """Digits a spreadsheet would turn into a number that is not the same text: a long id
    (1729…, over 15 digits) or one with leading zeros ("00123")."""
    return text.isdigit() and (len(text) > MOST_EXACT_DIGITS or (len(text) > 1
                                                                  and text[0] == "0"))


def cell_text(value: object) -> str:
    """A value as a CSV cell: numbers plainly, dates and times in ISO, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def defused(text: str) -> str:
    """Text that can't start a formula in a spreadsheet: `'` before =, +, -, @ (numbers such as
    -3.50 stay as they are, as does as_text's `="…"`). sheet_values.clean takes the `'` off
    again."""
    if (text.startswith(_FORMULA_START) and not _NUMBER.match(text)
            and not _TEXT_FORMULA.match(text)):
        return "'" + text
    return text


def csv_cells(row: Sequence[object], text_columns: frozenset[int], excel_safe: bool
              ) -> list[str]:
    cells = []
    for i, value in enumerate(row):
        text = value if type(value) is str else cell_text(value)
        if excel_safe and text and (i in text_columns or changes_in_a_spreadsheet(text)):
            cells.append(as_text(text))
        elif text[:1] in _FORMULA_CHARS:
            cells.append(defused(text))
        else:
            cells.append(text)
    return cells


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]], *,
              text_columns: Iterable[int] = (), excel_safe: bool = False,
              watch: Watch | None = None, notes: Sequence[str] = ()) -> None:
    """A table as CSV text (CRLF) into `out`, row by row. `text_columns` (positions): ids and
    the like, written `="…"` in an Excel-safe file (as are long numbers). `notes`: lines above
    the header, one cell each."""
    writer = csv.writer(out, lineterminator="\r\n")
    for note in notes:
        writer.writerow([defused(cell_text(note))])
    writer.writerow([defused(cell_text(name)) for name in header])
    keep = frozenset(text_columns)
    for row in rows:
        writer.writerow(csv_cells(row, keep, excel_safe))
        if watch is not None:
            watch.row(lambda: None)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *,
              text_columns: Iterable[int] = (), excel_safe: bool = False,
              notes: Sequence[str] = ()) -> bytes:
    """A table as a CSV file's bytes: UTF-8 with a byte-order mark, CRLF (see write_csv)."""
    out = io.StringIO(newline="")
    out.write("\ufeff")
    write_csv(out, header, rows, text_columns=text_columns, excel_safe=excel_safe, notes=notes)
    return out.getvalue().encode("utf-8")
