"""What a push will change, before it goes out: counts, each old → new, and warnings.

Warnings are the mistakes that cost sellers: a stock below the units already in unshipped orders
(TikTok Shop refuses or the orders can't be filled), a large drop (a typo, a count of the wrong
shelf), and a value someone changed elsewhere since the edit (it will come back as a conflict).
"""

from __future__ import annotations

from collections.abc import Iterable

from tiktok_desktop.services import edit_review
from tiktok_desktop.services.edit_review import Review
from tiktok_desktop.services.stock_edits import StockCell
from tiktok_desktop.services.stock_values import units

LARGE_DROP_UNITS = 20  # a drop by at least this many units …
LARGE_DROP_SHARE = 0.5  # … and by at least half of the stock


def warnings_for(cell: StockCell, new: int) -> tuple[str, ...]:
    found = []
    relative = cell.delta is not None  # an amount follows the shop's value: never "elsewhere"
    old = cell.edit.based_on if cell.edit is not None and not relative else cell.available
    if cell.committed and new < cell.committed:
        found.append(f"Below committed stock: {units(cell.committed)} are in orders not yet "
                     "shipped.")
    if old is not None and old - new >= LARGE_DROP_UNITS and new <= old * LARGE_DROP_SHARE:
        found.append(f"Large drop: down {round(100 * (old - new) / old)}% from {old:,}.")
    if (cell.edit is not None and not relative and cell.edit.based_on is not None
            and cell.available is not None and cell.available != cell.edit.based_on):
        found.append(f"Changed elsewhere: the shop now has {cell.available:,} (it had "
                     f"{cell.edit.based_on:,} when you edited it).")
    return tuple(found)


def review(cells: Iterable[StockCell]) -> Review:
    """The diff of every stock edit a push would send (pending, or left in doubt by a crash)."""
    return edit_review.review(cells, warnings_for, ("stock number", "stock numbers"))
