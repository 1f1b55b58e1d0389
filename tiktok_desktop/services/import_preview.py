"""What the import preview shows of a stock file's report: its words and counts, the changes to
apply, and the first rows to list. Small whatever the file: a 200,000-line report is read in a
process of its own (own_process) and only this comes back to the window — handing back every
line would hold the window while they are unpickled, and listing them while they are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tiktok_desktop.services.own_process import run_for_file
from tiktok_desktop.services.sheet_source import SHOWN_AT_MOST, Progress
from tiktok_desktop.services.stock_csv import read_import_file
from tiktok_desktop.services.stock_edits import Change, StockCell
from tiktok_desktop.services.stock_import import MATCHED, UNCHANGED, ImportLine, ImportReport

if TYPE_CHECKING:
    import threading

    from tiktok_desktop.services.price_edits import PriceCell, PriceChange
    from tiktok_desktop.services.price_import import PriceLine



class _Line(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class Listing:
    """The rows one view of the preview lists, and how many it would list in all."""

    stock: tuple[ImportLine, ...] = ()
    prices: tuple[PriceLine, ...] = ()
    total: int = 0

    @property
    def cut(self) -> bool:
        return self.total > len(self.stock) + len(self.prices)


@dataclass(frozen=True)
class ImportPreview:
    summary: str = ""
    notes: tuple[str, ...] = ()
    problem: str | None = None  # the file could not be used at all
    has_problems: bool = False  # some rows are left out
    unchanged: int = 0  # stock numbers and prices the file leaves as they are
    changes: tuple[Change, ...] = ()
    price_changes: tuple[PriceChange, ...] = ()
    changed_only: Listing = Listing()  # problems first, then what will change
    with_unchanged: Listing = Listing()  # the same with the unchanged rows

    def listing(self, unchanged_too: bool) -> Listing:
        return self.with_unchanged if unchanged_too else self.changed_only


def preview_of(report: ImportReport, most: int = SHOWN_AT_MOST) -> ImportPreview:
    return ImportPreview(
        summary=report.summary(), notes=report.notes, problem=report.problem,
        has_problems=bool(report.problems),
        unchanged=report.count(UNCHANGED) + sum(p.status == UNCHANGED for p in report.prices),
        changes=tuple(report.changes), price_changes=tuple(report.price_changes),
        changed_only=_listing(report, every=False, most=most),
        with_unchanged=_listing(report, every=True, most=most))


def _listing(report: ImportReport, *, every: bool, most: int) -> Listing:
    stock = _first(report.lines, every, most)
    prices = _first(report.prices, every, most - len(stock))
    total = sum(1 for line in (*report.lines, *report.prices)
                if every or line.status != UNCHANGED)
    return Listing(tuple(stock), tuple(prices), total)


def _first(lines: Sequence[Any], every: bool, most: int) -> list[Any]:
    """Up to `most` lines, problems first, in the file's order; the unchanged ones only when
    asked for."""
    most = max(0, most)
    problems = [line for line in lines if line.status not in (MATCHED, UNCHANGED)][:most]
    matched = [line for line in lines if line.status == MATCHED or (
        every and line.status == UNCHANGED)][:most - len(problems)]
    return sorted(problems, key=_row_of) + sorted(matched, key=_row_of)


def _row_of(line: _Line) -> int:
    return line.row


def read_preview(path: Path, cells: Sequence[StockCell], *, progress: Progress | None = None,
                 cancel: threading.Event | None = None,
                 prices: Sequence[PriceCell] | None = None) -> ImportPreview:
    """A stock file (CSV, or Seller Center's batch-edit workbook) read against the shop's
    cells (and, given them, its prices), as the preview shows it; a big file is read in a
    process of its own. Raises only what reading raises (SheetCancelled; WorkCancelled when
    the process was stopped; OSError)."""
    return run_for_file(path, _read, list(cells), None if prices is None else list(prices),
                        progress=progress, cancel=cancel)


def _read(path: Path, cells: Sequence[StockCell], prices: Sequence[PriceCell] | None, *,
          progress: Progress | None = None, cancel: threading.Event | None = None
          ) -> ImportPreview:
    return preview_of(read_import_file(path, cells, progress=progress, cancel=cancel,
                                       prices=prices, refuse_prices=True))
