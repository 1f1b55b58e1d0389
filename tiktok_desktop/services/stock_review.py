"""What a push will change, before it goes out: counts, each old → new, and warnings.

Warnings are the mistakes that cost sellers: a stock below the units already in unshipped orders
(TikTok Shop refuses or the orders can't be filled), a large drop (a typo, a count of the wrong
shelf), and a value someone changed elsewhere since the edit (it will come back as a conflict).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tiktok_desktop.services.stock_edits import StockCell
from tiktok_desktop.services.stock_values import units

LARGE_DROP_UNITS = 20  # a drop by at least this many units …
LARGE_DROP_SHARE = 0.5  # … and by at least half of the stock
REVIEW_ABOVE = 50  # a push of more changes than this is reviewed first


@dataclass(frozen=True)
class ReviewLine:
    cell: StockCell
    old: int | None  # the shop's value the edit was made against
    new: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Review:
    lines: tuple[ReviewLine, ...]
    waiting_elsewhere: int = 0  # conflicts and failures to resolve first (not in this push)

    @property
    def sku_count(self) -> int:
        return len({line.cell.sku_id for line in self.lines})

    @property
    def product_count(self) -> int:
        return len({line.cell.product_id for line in self.lines})

    @property
    def warning_count(self) -> int:
        return sum(1 for line in self.lines if line.warnings)

    @property
    def needs_a_look(self) -> bool:
        """Push opens the review first: many changes at once (a paste into the wrong column, a
        file for another shop) or any change with a warning (a large drop, …)."""
        return len(self.lines) > REVIEW_ABOVE or self.warning_count > 0

    def headline(self) -> str:
        if not self.lines:
            return "No changes waiting to be pushed."
        n, skus, products = len(self.lines), self.sku_count, self.product_count
        cells = "stock number" if n == 1 else "stock numbers"
        return (f"{n:,} {cells} will change: {skus:,} SKU{'s' * (skus != 1)} in "
                f"{products:,} product{'s' * (products != 1)}.")


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
    """The diff of every edit a push would send (pending, or left in doubt by a crash)."""
    lines, elsewhere = [], 0
    for cell in cells:
        edit = cell.edit
        if edit is None:
            continue
        if edit.state in ("failed", "conflict"):
            elsewhere += 1
            continue
        old = cell.available if cell.delta is not None else edit.based_on
        new = cell.current if cell.current is not None else edit.new
        lines.append(ReviewLine(cell, old, new, warnings_for(cell, new)))
    lines.sort(key=lambda line: (not line.warnings, line.cell.product, line.cell.variant,
                                 line.cell.warehouse))
    return Review(tuple(lines), elsewhere)
