"""Tracking numbers for the packages a seller ships with their own carrier, from a spreadsheet's
CSV: a package id or order id, the tracking number and the carrier on each line.

The header is found within the first rows by its names (in any order, any case); ids come back
as typed even when a spreadsheet quoted them (`="…"`) or added `.0`. An id a spreadsheet turned
into a number (`1.72906E+18`) cannot be trusted any more: that line is refused with the reason.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tiktok_desktop.services.file_reading import cannot_open, read_at_most
from tiktok_desktop.services.stock_csv import decode, table_of

MAX_FILE_BYTES = 5 * 1024 * 1024
HEADER_ROWS = 5  # the header may sit under a title or a hint row
NAMES = {
    "package": ("package id", "package", "package number"),
    "order": ("order id", "order", "order number"),
    "tracking": ("tracking number", "tracking id", "tracking", "tracking no"),
    "carrier": ("carrier", "shipping provider", "shipping provider name", "courier",
                "shipping carrier"),
}
SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


@dataclass(frozen=True)
class TrackingLine:
    row: int  # 1-based, as the spreadsheet numbers it
    package_id: str
    order_id: str
    tracking_number: str
    carrier: str


@dataclass(frozen=True)
class TrackingFile:
    lines: tuple[TrackingLine, ...] = ()
    problems: tuple[str, ...] = ()  # lines refused, each with its row and reason
    problem: str | None = None  # the whole file could not be read


TOO_LARGE = TrackingFile(problem="This file is too large for a tracking list (over 5 MB).")


def clean_id(text: str) -> str:
    """An id as typed, from what a spreadsheet wrote: `="123"`, `123.0`, ` 123\\t`."""
    text = text.strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.strip()


def _header(table: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    for number, row in enumerate(table[:HEADER_ROWS]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            name = " ".join(cell.strip().lower().replace("_", " ").split())
            for key, names in NAMES.items():
                if name in names and key not in found:
                    found[key] = column
        if "tracking" in found and ("package" in found or "order" in found):
            return number, found
    return None


def read_tracking_file(path: Path) -> TrackingFile:
    """The lines of a tracking CSV file; never raises, never reads a huge one."""
    try:
        data = read_at_most(path, MAX_FILE_BYTES)
    except OSError as error:
        return TrackingFile(problem=cannot_open(error))
    return TOO_LARGE if data is None else read_tracking(data)


def read_tracking(data: bytes) -> TrackingFile:
    """The lines of a tracking CSV; never raises (see TrackingFile.problem)."""
    if len(data) > MAX_FILE_BYTES:
        return TOO_LARGE
    try:
        table = table_of(decode(data))
    except csv.Error as error:
        return TrackingFile(problem=f"This file can't be read as CSV ({error}).")
    header = _header(table)
    if header is None:
        return TrackingFile(problem="No header with a tracking number column and a package "
                                    "or order id column was found in the first rows.")
    start, columns = header

    def cell(row: Sequence[str], key: str) -> str:
        column = columns.get(key)
        return row[column] if column is not None and column < len(row) else ""

    lines, problems = [], []
    for number, row in enumerate(table[start + 1:], start=start + 2):
        if not any(c.strip() for c in row):
            continue
        package, order = clean_id(cell(row, "package")), clean_id(cell(row, "order"))
        tracking, carrier = cell(row, "tracking").strip(), cell(row, "carrier").strip()
        if SCIENTIFIC.fullmatch(package or order):
            problems.append(f"Row {number}: the id {package or order} was turned into a number "
                            "by a spreadsheet; type it as text and save again.")
        elif not (package or order):
            problems.append(f"Row {number}: no package or order id.")
        elif not tracking:
            problems.append(f"Row {number}: no tracking number.")
        else:
            lines.append(TrackingLine(number, package, order, tracking, carrier))
    return TrackingFile(tuple(lines), tuple(problems))
