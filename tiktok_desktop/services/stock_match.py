"""Finding the shop's SKUs and warehouses from what a spreadsheet says about them.

Sellers' files name a SKU by its platform `SKU ID` (19 digits, often mangled by a spreadsheet
into 1.7295E+18, or rounded to 15 digits: 1729500000000000001 → 1729500000000000000) or by their
own `Seller SKU` (free text, not unique, sometimes "12345.0" or "123" for "00123" after a round
trip through Excel). When the id is unusable the seller SKU decides, and the match says so.
Warehouses appear by name, in `Quantity in <warehouse name>` columns (Seller Center's batch-edit
file) or a `Warehouse` column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from tiktok_desktop.services.sheet_text import MOST_EXACT_DIGITS as SPREADSHEET_DIGITS
from tiktok_desktop.services.sheet_values import clean, clean_id, looks_shortened
from tiktok_desktop.services.stock_edits import StockCell

__all__ = [
    "AMBIGUOUS",
    "ID_CHANGED",
    "ID_UNKNOWN",
    "INVALID",
    "MATCHED",
    "SPREADSHEET_DIGITS",
    "UNCHANGED",
    "UNKNOWN",
    "Found",
    "StockIndex",
    "clean",
    "clean_id",
    "fold",
    "is_number_like",
    "looks_rounded",
    "looks_shortened",
]

ID_CHANGED, ID_UNKNOWN = "changed", "unknown"  # why a row's SKU ID was passed over
# What happens to a line of an imported file (stock_import, price_import).
MATCHED, UNCHANGED, INVALID, UNKNOWN, AMBIGUOUS = (
    "matched", "unchanged", "invalid value", "unknown SKU", "ambiguous")


def looks_rounded(value: str) -> bool:
    """A long id whose digits past the 15th are zeros: possibly rounded by a spreadsheet."""
    return (len(value) > SPREADSHEET_DIGITS and value.isdigit()
            and not value[SPREADSHEET_DIGITS:].strip("0"))


def is_number_like(value: str) -> bool:
    """An id as a spreadsheet may have left it: digits, or digits it shortened."""
    return value.isdigit() or looks_shortened(value)


def fold(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Found:
    """The SKU a file row names: its cells by warehouse id, or why there is none."""

    cells: dict[str, StockCell] | None
    status: str = MATCHED  # or UNKNOWN, AMBIGUOUS
    message: str = ""
    id_passed_over: str = ""  # matched by seller SKU although the row has a SKU ID: ID_CHANGED…


class StockIndex:
    """The shop's cells, findable by SKU id, seller SKU and warehouse name."""

    def __init__(self, cells: Iterable[StockCell]) -> None:
        self.by_sku: dict[str, dict[str, StockCell]] = {}
        self.by_seller_sku: dict[str, set[str]] = {}
        self.by_seller_sku_digits: dict[str, set[str]] = {}  # "00123" under "123"
        self.warehouse_names: dict[str, str] = {}  # folded name or id -> warehouse id
        self.warehouse_label: dict[str, str] = {}
        for cell in cells:
            self.by_sku.setdefault(cell.sku_id, {})[cell.warehouse_id] = cell
            if cell.seller_sku:
                self.by_seller_sku.setdefault(fold(cell.seller_sku), set()).add(cell.sku_id)
                if cell.seller_sku.isdigit():
                    self.by_seller_sku_digits.setdefault(
                        cell.seller_sku.lstrip("0"), set()).add(cell.sku_id)
            self.warehouse_names.setdefault(fold(cell.warehouse), cell.warehouse_id)
            self.warehouse_names[cell.warehouse_id] = cell.warehouse_id
            self.warehouse_label[cell.warehouse_id] = cell.warehouse

    def warehouse(self, name: str) -> str | None:
        """The warehouse id a file names (by its name, any case, or its id)."""
        text = clean_id(name)
        found = self.warehouse_names.get(text) or self.warehouse_names.get(fold(text))
        if found is None:  # "Main warehouse (7068…)": the export's form for same-named ones
            inner = re.search(r"\((\d+)\)\s*$", text)
            found = self.warehouse_names.get(inner.group(1)) if inner else None
        return found

    def is_known_key(self, value: str) -> bool:
        text = clean_id(value)
        return text in self.by_sku or fold(text) in self.by_seller_sku

    def _seller_sku_owners(self, seller_sku: str) -> set[str]:
        """The SKU ids using this seller SKU; a number that lost its leading zeros in a
        spreadsheet ("123" for "00123") finds its SKU too."""
        owners = self.by_seller_sku.get(fold(seller_sku), set())
        if not owners and seller_sku.isdigit():
            owners = self.by_seller_sku_digits.get(seller_sku.lstrip("0"), set())
        return owners

    def find(self, sku_id: str, seller_sku: str) -> Found:
        """The SKU named by its id, else by seller SKU (unique), else why not. An id a
        spreadsheet changed gives way to the seller SKU when that names another SKU."""
        sku_id, seller_sku = clean_id(sku_id), clean_id(seller_sku)
        changed = looks_shortened(sku_id) or looks_rounded(sku_id)
        owners = self._seller_sku_owners(seller_sku) if seller_sku else set()
        if sku_id in self.by_sku and not (changed and owners and sku_id not in owners):
            return Found(self.by_sku[sku_id])
        if len(owners) == 1:
            passed_over = ID_CHANGED if changed else ID_UNKNOWN if sku_id else ""
            return Found(self.by_sku[next(iter(owners))], id_passed_over=passed_over)
        if len(owners) > 1:
            return Found(None, AMBIGUOUS,
                         f"Seller SKU “{seller_sku}” is used by {len(owners)} SKUs; add the "
                         "SKU ID column to say which one.")
        if seller_sku in self.by_sku:  # a SKU id in the seller SKU column
            return Found(self.by_sku[seller_sku])
        if changed:
            return Found(None, UNKNOWN,
                         f"The SKU ID “{sku_id}” was shortened by a spreadsheet; keep the Seller "
                         "SKU column, or export with “Excel-safe file” ticked.")
        named = seller_sku or sku_id
        if not named:
            return Found(None, UNKNOWN, "This row names no SKU.")
        return Found(None, UNKNOWN, f"No SKU “{named}” in this shop.")


Line = TypeVar("Line", bound=Any)  # a report line: row, status, new, change (dataclasses)


def flag_repeats(lines: list[Line], key_of: Callable[[Line], Hashable],
                 differently: str) -> list[Line]:
    """Lines naming the same thing (`key_of`) with different values are unclear, all of them,
    with `differently` ("Named on rows {rows} with different numbers."); the same value again
    is one change: the later lines are unchanged repeats."""
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if line.status in (MATCHED, UNCHANGED) and line.new is not None:
            by_key[key_of(line)].append(i)
    for positions in by_key.values():
        values = {lines[i].new for i in positions}
        rows = " and ".join(str(lines[i].row) for i in positions[:3])
        for n, i in enumerate(positions):
            if len(values) > 1:
                lines[i] = replace(lines[i], status=AMBIGUOUS, change=None,
                                   message=differently.format(rows=rows))
            elif n > 0 and lines[i].change is not None:
                lines[i] = replace(lines[i], status=UNCHANGED, change=None,
                                   message=f"Repeats row {lines[positions[0]].row}.")
    return lines
