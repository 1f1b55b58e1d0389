"""Tracking numbers for the packages a seller ships with their own carrier, from a spreadsheet
(CSV, or a workbook such as Seller Center's tracking upload, sheet `Shipping info`): a package id
or order id, the tracking number and the carrier on each line.

The header is found within the first rows by its names (in any order, any case, English or the
seller's language: sheet_headers); ids come back as typed even when a spreadsheet quoted them
(`="…"`), added `.0` or a tab. An id a spreadsheet turned into a number (`1.72906E+18`) cannot be
trusted any more: that line is refused with the reason. Files are read by sheets.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from tiktok_desktop.services.sheet_headers import HeaderNotFound
from tiktok_desktop.services.sheet_source import (
    SHOWN_AT_MOST,
    FileTooLarge,
    Progress,
    SheetRefused,
)
from tiktok_desktop.services.sheet_values import IdRefused, parse_id
from tiktok_desktop.services.sheet_values import clean_id as clean_id
from tiktok_desktop.services.sheets import Row, Table, read_table

MAX_FILE_BYTES = 50 * 1024 * 1024  # as a stock file: To-Ship exports reach 200,000 orders
SHEETS = ("Shipping info",)  # Seller Center's tracking upload workbook
PACKAGE, ORDER, TRACKING = "Package ID", "Order ID", "Tracking ID"
CARRIER = "Shipping Provider Name"
NAMES = {
    PACKAGE: ("package", "package number"),
    ORDER: ("order", "order number"),
    TRACKING: ("tracking number", "tracking", "tracking no"),
    CARRIER: ("carrier", "shipping provider", "courier", "shipping carrier"),
}
NEEDED = [TRACKING, (PACKAGE, ORDER)]
NO_TRACKING = "no tracking number."  # a line left blank (an upload file not filled in whole)
NO_HEADER = ("No header with a tracking number column and a package or order id column was found "
             "in the first rows.")


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
    left_out: int = 0  # lines for other packages, left out by `read_tracking_for`


TOO_LARGE = TrackingFile(problem="This file is too large for a tracking list (over 50 MB).")


def _read(read: Callable[[], Table]) -> TrackingFile:
    try:
        table = read()
    except FileTooLarge:
        return TOO_LARGE
    except HeaderNotFound:
        return TrackingFile(problem=NO_HEADER)
    except SheetRefused as refused:
        return TrackingFile(problem=str(refused))
    lines, problems = [], []
    for row in table.rows:
        line = _line(row)
        if isinstance(line, str):
            problems.append(f"Row {row.number}: {line}")
        else:
            lines.append(line)
    return TrackingFile(tuple(lines), tuple(problems))


def _line(row: Row) -> TrackingLine | str:
    """The row's line, or why it is refused. An id that can't be used (shortened by a
    spreadsheet, not digits) is left out when the other one can be."""
    ids: dict[str, str] = {}
    why = ""
    for column in (PACKAGE, ORDER):
        try:
            ids[column] = parse_id(row.raw(column)) or ""
        except IdRefused as refused:
            ids[column] = ""
            why = why or (f"the id {row[column]} was turned into a number by a spreadsheet; type "
                          "it as text and save again." if refused.shortened else str(refused))
    package, order = ids[PACKAGE], ids[ORDER]
    tracking, carrier = row[TRACKING], row[CARRIER]
    if not (package or order):
        return why or "no package or order id."
    if not tracking:
        return NO_TRACKING
    return TrackingLine(row.number, package, order, tracking, carrier)


def read_tracking_file(path: Path, *, progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> TrackingFile:
    """The lines of a tracking file; never raises but SheetCancelled, never reads a huge one."""
    return _read(lambda: read_table(path, NAMES, required=NEEDED, sheet=SHEETS,
                                    max_bytes=MAX_FILE_BYTES, progress=progress, cancel=cancel))


def read_tracking(data: bytes) -> TrackingFile:
    """The lines of a tracking file's bytes; never raises (see TrackingFile.problem)."""
    return _read(lambda: read_table(data, NAMES, required=NEEDED, sheet=SHEETS,
                                    max_bytes=MAX_FILE_BYTES))


def read_tracking_for(path: Path, package_ids: frozenset[str], order_ids: frozenset[str], *,
                      progress: Progress | None = None,
                      cancel: threading.Event | None = None) -> TrackingFile:
    """The lines of a tracking file for some packages (named by package id, else by order id),
    the others counted in `left_out`, and the first SHOWN_AT_MOST problems: small whatever the
    file, so that a big one can be read in a process of its own (own_process)."""
    read = read_tracking_file(path, progress=progress, cancel=cancel)
    kept = tuple(line for line in read.lines
                 if line.package_id in package_ids or line.order_id in order_ids)
    return replace(read, lines=kept, problems=read.problems[:SHOWN_AT_MOST],
                   left_out=len(read.lines) - len(kept))
