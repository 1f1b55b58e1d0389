"""Seller Center's tracking-number upload for the packages a seller ships with their own carrier,
both ways: the to-ship list written in its shape (sheet `Shipping info`, a note on row 1, the
header on row 2, one row per order, `N/A` as combine group id), and the file filled in read back
as a plan: which package gets which tracking number and carrier, which lines are refused and why.

As in Seller Center, a split order (its items in more than one package) can't be uploaded: an
order id can't say which package a tracking number is for. A line naming the package id itself
is not ambiguous and is kept. The carrier must be one of the package's delivery option's.
Qt-free; files are read by tracking_csv and written by sheets.

Seller Center's To-Ship export holds up to 200,000 orders: a big file is read and matched in a
process of its own (own_process.run_for_file), which hands back only what the preview shows —
the lines found (at most one a package to ship), the first SHOWN_AT_MOST lines refused and how
many were refused in all. The shop is then asked for the carriers here (`plan_of`).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tiktok_desktop.services.own_process import run_for_file
from tiktok_desktop.services.sheet_source import SHOWN_AT_MOST, Progress
from tiktok_desktop.services.sheets import write_sheet
from tiktok_desktop.services.tracking_csv import (
    NO_TRACKING,
    TrackingFile,
    TrackingLine,
    read_tracking_file,
)
from tiktok_desktop.store.shipping import QueuedPackage

SHEET = "Shipping info"
HEADER = ("Order ID", "Tracking ID", "Shipping Provider Name", "Auto Combine Group ID")
NOTE = ("Review the examples before you fill in this sheet: one row per order, its tracking "
        "number in “Tracking ID” and the carrier's name, as TikTok Shop lists it, in “Shipping "
        "Provider Name”. Keep “N/A” as Auto Combine Group ID.")
NO_COMBINE = "N/A"
SPLIT = "split orders can't be uploaded in bulk: ship them one by one"
Carriers = Mapping[str, Sequence[tuple[str, str]]]  # delivery option id -> (carrier id, name)


def awaiting_upload(package: QueuedPackage) -> bool:
    """Shipped by the seller and shipment can be arranged now."""
    return package.shipping_type == "SELLER" and package.shippable


def split_orders(packages: Iterable[QueuedPackage]) -> frozenset[str]:
    """The orders whose items go in more than one of these packages."""
    counts = Counter(p.order_id for p in {p.id: p for p in packages}.values())
    return frozenset(order for order, n in counts.items() if n > 1)


@dataclass(frozen=True)
class UploadExport:
    orders: tuple[str, ...]  # the order ids written, in the order given
    split: tuple[str, ...] = ()  # left out: split orders


def upload_rows(packages: Sequence[QueuedPackage],
                every: Iterable[QueuedPackage] = ()) -> UploadExport:
    """The orders to write for `packages`: seller-shipped ones awaiting shipment, each once,
    split orders (by `every` package to ship, which `packages` is part of) left out."""
    split = split_orders([*every, *packages])
    orders: dict[str, None] = {}
    left_out: dict[str, None] = {}
    for package in packages:
        if not awaiting_upload(package):
            continue
        (left_out if package.order_id in split else orders)[package.order_id] = None
    return UploadExport(tuple(orders), tuple(left_out))


def write_upload(path: Path, orders: Sequence[str], *, progress: Progress | None = None,
                 cancel: threading.Event | None = None) -> int:
    """Write the upload file for `orders` to `path`: .xlsx (sheet `Shipping info`, the note on
    row 1, the header on row 2) or CSV (the header first), by the name's suffix; ids as text.
    The rows written; SheetRefused, SheetCancelled as write_sheet raises them."""
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    return write_sheet(path, HEADER, ([order, "", "", NO_COMBINE] for order in orders),
                       sheet=SHEET, text_columns={"Order ID", "Tracking ID"},
                       notes=(NOTE,) if xlsx else (), progress=progress, cancel=cancel)


@dataclass(frozen=True)
class Matched:
    """A line that becomes a ship request."""

    row: int
    package: QueuedPackage
    tracking_number: str
    carrier_id: str
    carrier: str  # as the delivery option names it


@dataclass(frozen=True)
class Refused:
    row: int | None  # None: the file's own problem line names it
    order_id: str
    reason: str

    def text(self) -> str:
        where = f"Row {self.row}" if self.row is not None else ""
        order = f"order {self.order_id}" if self.order_id else ""
        head = ", ".join(part for part in (where, order) if part)
        return f"{head}: {self.reason}" if head else self.reason


def _in_order(refused: Refused) -> tuple[bool, int]:
    """The file's own problem lines first, then by row."""
    return refused.row is not None, refused.row or 0


@dataclass(frozen=True)
class UploadPlan:
    matched: tuple[Matched, ...] = ()
    refused: tuple[Refused, ...] = ()  # the first SHOWN_AT_MOST, in order
    problem: str | None = None  # the whole file could not be used
    carriers: Carriers = field(default_factory=dict)  # of the matched lines' delivery options
    blank: int = 0  # lines left without a tracking number: not shipped, not refused
    unlisted: int = 0  # lines refused beyond those in `refused`

    @property
    def refused_total(self) -> int:
        return len(self.refused) + self.unlisted

    def tracking_file(self) -> TrackingFile:
        """The matched lines, by package id, for ArrangeDialog.fill_tracking."""
        return TrackingFile(tuple(TrackingLine(m.row, m.package.id, m.package.order_id,
                                               m.tracking_number, m.carrier)
                                  for m in self.matched))


def _tracking_problem(tracking: str) -> str | None:
    if not 5 <= len(tracking) <= 50 or any(c.isspace() for c in tracking):
        return f"the tracking number {tracking} is not 5 to 50 characters without spaces."
    return None


def match_packages(read: TrackingFile, packages: Sequence[QueuedPackage]
                   ) -> tuple[list[tuple[TrackingLine, QueuedPackage]], list[Refused]]:
    """Each line's package among `packages` (the tab's packages to ship), or why it has none."""
    by_id = {p.id: p for p in packages}
    by_order: dict[str, list[QueuedPackage]] = {}
    for package in by_id.values():
        by_order.setdefault(package.order_id, []).append(package)
    found: list[tuple[TrackingLine, QueuedPackage]] = []
    refused = [Refused(None, "", problem) for problem in read.problems
               if not problem.endswith(": " + NO_TRACKING)]
    taken: dict[str, int] = {}
    for line in read.lines:
        package = by_id.get(line.package_id) if line.package_id else None
        order = line.order_id or (package.order_id if package else "")
        if package is None:
            if line.package_id and not line.order_id:
                refused.append(Refused(line.row, "", f"package {line.package_id} is not "
                                       "among the packages to ship."))
                continue
            candidates = by_order.get(line.order_id, [])
            if len(candidates) > 1:
                refused.append(Refused(line.row, order, SPLIT + "."))
                continue
            if not candidates:
                refused.append(Refused(line.row, order, "not an order awaiting shipment "
                                       "here (shipped already, cancelled, or not synced yet)."))
                continue
            package = candidates[0]
        why = _package_problem(package) or _tracking_problem(line.tracking_number)
        if why is None and package.id in taken:
            why = f"its package is on row {taken[package.id]} already."
        if why is not None:
            refused.append(Refused(line.row, order, why))
            continue
        taken[package.id] = line.row
        found.append((line, package))
    return found, refused


def _package_problem(package: QueuedPackage) -> str | None:
    if package.shipping_type != "SELLER":
        return "it ships with TikTok shipping: no tracking number is needed."
    if package.arranged:
        return f"shipment is arranged already (tracking number {package.tracking_number})."
    if package.cancel_requested:
        return "the buyer asked to cancel: answer in the Requests tab first."
    if package.on_hold:
        return "on hold: it can ship an hour after payment."
    return None


def match_carriers(found: Sequence[tuple[TrackingLine, QueuedPackage]],
                   refused: Sequence[Refused], carriers: Carriers) -> UploadPlan:
    """The plan: each line's carrier among its delivery option's, else refused."""
    matched: list[Matched] = []
    more = list(refused)
    for line, package in found:
        offered = carriers.get(package.delivery_option_id, ())
        names = ", ".join(name for _, name in offered) or "none listed"
        if not line.carrier:
            more.append(Refused(line.row, package.order_id,
                                f"no carrier: write one of {names} in “Shipping Provider "
                                "Name”."))
            continue
        chosen = next(((cid, name) for cid, name in offered
                       if name.casefold() == line.carrier.strip().casefold()), None)
        if chosen is None:
            more.append(Refused(line.row, package.order_id,
                                f"carrier {line.carrier} is not one of this delivery option's "
                                f"carriers ({names})."))
            continue
        matched.append(Matched(line.row, package, line.tracking_number, *chosen))
    more.sort(key=_in_order)
    return UploadPlan(tuple(matched), tuple(more), carriers=carriers)


@dataclass(frozen=True)
class FileMatch:
    """A file read and matched to the packages to ship, small whatever the file's size."""

    found: tuple[tuple[TrackingLine, QueuedPackage], ...] = ()  # at most one line a package
    refused: tuple[Refused, ...] = ()  # the first SHOWN_AT_MOST, in order
    refused_total: int = 0
    blank: int = 0  # lines left without a tracking number
    problem: str | None = None  # the whole file could not be used


def file_match(read: TrackingFile, packages: Sequence[QueuedPackage]) -> FileMatch:
    """The lines of a file read matched to `packages` (the tab's packages to ship)."""
    if read.problem:
        return FileMatch(problem=read.problem)
    found, refused = match_packages(read, packages)
    blank = sum(problem.endswith(": " + NO_TRACKING) for problem in read.problems)
    return FileMatch(tuple(found), tuple(sorted(refused, key=_in_order)[:SHOWN_AT_MOST]),
                     len(refused), blank)


def match_file(path: Path, packages: Sequence[QueuedPackage], *,
               progress: Progress | None = None,
               cancel: threading.Event | None = None) -> FileMatch:
    """Read the tracking file at `path` and match it to `packages` (the work of the process
    a big file is read in: module-level, so that it pickles)."""
    return file_match(read_tracking_file(path, progress=progress, cancel=cancel), packages)


def read_upload(path: Path, packages: Sequence[QueuedPackage], *,
                progress: Progress | None = None,
                cancel: threading.Event | None = None) -> FileMatch:
    """`match_file`, in a process of its own for a big file (own_process.run_for_file). Raises
    only what reading raises (SheetCancelled; WorkCancelled when the process was stopped)."""
    # Sent without their items, which matching doesn't need: a third of the pickling, which is
    # one call holding this process's Python (so the window's) while it runs.
    bare = [replace(p, line_item_ids=(), items=()) for p in packages]
    match = run_for_file(path, match_file, bare, progress=progress, cancel=cancel)
    whole = {p.id: p for p in packages}
    return replace(match, found=tuple((line, whole[p.id]) for line, p in match.found))


def plan_of(match: FileMatch, carriers_of: Callable[[Sequence[str]], Carriers]) -> UploadPlan:
    """The plan: the lines found matched to the carriers `carriers_of(delivery option ids)`
    gives (the shop is asked only when lines matched); at most SHOWN_AT_MOST refused lines
    listed, all of them counted."""
    if match.problem:
        return UploadPlan(problem=match.problem)
    options = sorted({p.delivery_option_id for _, p in match.found})
    plan = match_carriers(match.found, match.refused, carriers_of(options) if options else {})
    total = match.refused_total + len(plan.refused) - len(match.refused)  # and the carriers'
    listed = plan.refused[:SHOWN_AT_MOST]
    return replace(plan, refused=listed, unlisted=total - len(listed), blank=match.blank)


def plan_upload(read: TrackingFile, packages: Sequence[QueuedPackage],
                carriers_of: Callable[[Sequence[str]], Carriers]) -> UploadPlan:
    """The plan for a file read here: lines matched to `packages`, then to the carriers."""
    return plan_of(file_match(read, packages), carriers_of)
