"""The pick list: a day's packages totalled by SKU, so the seller walks the shelves once.

TikTok Shop lists one line item per unit (three of a SKU are three line items), so the units of
the selected packages are counted here by SKU ID. Lines are in shelf order as sellers label their
shelves: by seller SKU, naturally sorted ("TEE-2" before "TEE-10"); units without a seller SKU
come last, by product name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tiktok_desktop.services.sheet_text import csv_bytes

CSV_HEADER = ("Seller SKU", "Product", "Variant", "Quantity", "Orders", "SKU ID")
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class PickUnit:
    """One unit to pick: one line item of a package."""

    package_id: str
    order_id: str
    sku_id: str
    seller_sku: str
    product_name: str
    variant: str


@dataclass(frozen=True)
class PickLine:
    """One SKU to take from the shelf, with how many and for which orders."""

    seller_sku: str
    product_name: str
    variant: str
    sku_id: str
    quantity: int
    order_ids: tuple[str, ...]  # each order once, in the order first met
    package_ids: tuple[str, ...]  # likewise


def natural_key(text: str) -> tuple[str | int, ...]:
    """A sort key where digit runs compare as numbers and letters ignore case: A-2 < a-10.

    re.split with a group alternates text and digits starting with text, so position i always
    holds the same type and keys never compare a str with an int.
    """
    parts = _DIGITS.split(text.strip().casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def _shelf_order(line: PickLine) -> tuple[object, ...]:
    sku = line.seller_sku.strip()
    return (not sku, natural_key(sku), natural_key(line.product_name),
            natural_key(line.variant), sku, line.sku_id)  # the last two only break exact ties


def pick_list(units: Iterable[PickUnit]) -> list[PickLine]:
    """The units totalled by SKU ID, in shelf order.

    Units with the same SKU ID are one line whatever their package or order; the first unit met
    gives the line its names. A unit without a SKU ID (not expected from the API) is grouped
    with others of the same seller SKU, product and variant rather than with every other one.
    """
    quantities: dict[object, int] = {}
    first: dict[object, PickUnit] = {}
    orders: dict[object, dict[str, None]] = {}  # dicts keep the order first met, without repeats
    packages: dict[object, dict[str, None]] = {}
    for unit in units:
        key: object = unit.sku_id or ("", unit.seller_sku, unit.product_name, unit.variant)
        if key not in first:
            first[key] = unit
            quantities[key] = 0
            orders[key] = {}
            packages[key] = {}
        quantities[key] += 1
        if unit.order_id:
            orders[key][unit.order_id] = None
        if unit.package_id:
            packages[key][unit.package_id] = None
    lines = [PickLine(seller_sku=unit.seller_sku.strip(), product_name=unit.product_name,
                      variant=unit.variant, sku_id=unit.sku_id, quantity=quantities[key],
                      order_ids=tuple(orders[key]), package_ids=tuple(packages[key]))
             for key, unit in first.items()]
    lines.sort(key=_shelf_order)
    return lines


def total_units(lines: Iterable[PickLine]) -> int:
    return sum(line.quantity for line in lines)


def package_count(lines: Iterable[PickLine]) -> int:
    """How many packages the lines fill (a package holding two SKUs counts once)."""
    return len({package for line in lines for package in line.package_ids})


def pick_list_csv(lines: Sequence[PickLine]) -> bytes:
    """The pick list as a CSV file's bytes, ending with a "Total units" row.

    UTF-8 with a byte-order mark: Excel otherwise reads it in the local code page and garbles
    non-ASCII product names. Ids are written plainly (one cell can't hold several ids as text).
    """
    rows: list[list[object]] = [[line.seller_sku, line.product_name, line.variant,
                                 line.quantity, " ".join(line.order_ids), line.sku_id]
                                for line in lines]
    rows.append(["Total units", "", "", total_units(lines), "", ""])
    return csv_bytes(CSV_HEADER, rows)
