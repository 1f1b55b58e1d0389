"""What a push will change, before it goes out: counts, each old → new, and warnings (for stock
and prices alike; what deserves a warning is the measure's: services/stock_review.py,
services/price_review.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.services.cell_edits import Cell

REVIEW_ABOVE = 50  # a push of more changes than this is reviewed first


@dataclass(frozen=True)
class ReviewLine:
    cell: Any  # the table's cell (StockCell, PriceCell)
    old: Any  # the shop's value the edit was made against
    new: Any
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Review:
    lines: tuple[ReviewLine, ...]
    waiting_elsewhere: int = 0  # conflicts and failures to resolve first (not in this push)
    noun: tuple[str, str] = ("stock number", "stock numbers")

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
        cells = self.noun[0] if n == 1 else self.noun[1]
        return (f"{n:,} {cells} will change: {skus:,} SKU{'s' * (skus != 1)} in "
                f"{products:,} product{'s' * (products != 1)}.")


def review(cells: Iterable[Cell], warnings_for: Callable[[Any, Any], tuple[str, ...]],
           noun: tuple[str, str]) -> Review:
    """The diff of every edit a push would send (pending, or left in doubt by a crash);
    `warnings_for(cell, new)` says what deserves a second look."""
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
                                 line.cell.label))
    return Review(tuple(lines), elsewhere, noun)
