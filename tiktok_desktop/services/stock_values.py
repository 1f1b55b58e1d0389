"""Stock numbers as sellers type, paste and import them: whole units from 0 to 99,999.

Anything else is refused with one sentence saying what is wrong, never clipped or rounded:
TikTok Shop takes 0-99,999 per warehouse (reference §7.4, seller notes §5.2).
"""

from __future__ import annotations

import re
import unicodedata

from tiktok_desktop.api.products import MAX_STOCK

MAX_QUANTITY = MAX_STOCK

# "1234", "1,234", "1 234" (a thin or no-break space from a spreadsheet), "12.0" / "12,0"
# (a whole number a spreadsheet wrote with decimals).
_GROUPED = re.compile(r"^\d{1,3}(?:[, \u00a0\u202f]\d{3})+$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_DIGITS = re.compile(r"^\+?\d+$")
_MOST_DIGITS = len(str(MAX_STOCK))


class QuantityRefused(ValueError):
    """A stock entry that is not a whole number from 0 to 99,999; `str()` is the message."""


def units(n: int) -> str:
    """'1 unit', '1,250 units'."""
    return f"{n:,} unit" if n == 1 else f"{n:,} units"


def parse_quantity(text: object) -> int:
    """The stock number in `text`, or QuantityRefused with a message in the seller's words."""
    if isinstance(text, bool):
        raise QuantityRefused(f"“{text}” is not a number of units.")
    if isinstance(text, int):
        return check_quantity(text)
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    shown = raw if len(raw) <= 20 else raw[:19] + "…"
    if not raw:
        raise QuantityRefused("Enter a number of units from 0 to 99,999.")
    if _GROUPED.match(raw):
        raw = re.sub(r"[, \u00a0\u202f]", "", raw)
    if _DIGITS.match(raw):
        return _whole(raw.lstrip("+"), shown)
    if _NUMBER.match(raw):
        whole, _, fraction = raw.replace(",", ".").partition(".")
        digits = whole.lstrip("+-")
        if raw.startswith("-") and (digits.strip("0") or fraction.strip("0")):
            raise QuantityRefused(f"Stock can't be negative (“{shown}”): enter 0 to 99,999.")
        if fraction.strip("0"):
            raise QuantityRefused(
                f"Stock is counted in whole units; “{shown}” has a fraction."
            )
        return _whole(digits, shown)
    raise QuantityRefused(f"“{shown}” is not a number. Enter whole units from 0 to 99,999.")


def _whole(digits: str, shown: str) -> int:
    """The stock number a string of digits gives. One with more digits than any stock is
    refused before converting: Python itself refuses to convert over 4,300 digits."""
    significant = digits.lstrip("0")
    if len(significant) > _MOST_DIGITS:
        raise QuantityRefused(
            f"“{shown}” is more than TikTok Shop allows: at most 99,999 units per warehouse.")
    return check_quantity(int(significant or "0"))


def check_quantity(n: int) -> int:
    """`n` itself when it is a stock TikTok Shop accepts; QuantityRefused otherwise."""
    if n < 0:
        raise QuantityRefused(f"Stock can't be negative ({n:,}): enter 0 to 99,999.")
    if n > MAX_QUANTITY:
        raise QuantityRefused(
            f"{n:,} is more than TikTok Shop allows: at most 99,999 units per warehouse."
        )
    return n


def quantity_or_none(text: object) -> int | None:
    """The stock number in `text`, or None when it isn't one (for quick checks)."""
    try:
        return parse_quantity(text)
    except QuantityRefused:
        return None
