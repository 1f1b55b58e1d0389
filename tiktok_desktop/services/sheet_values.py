"""Values as spreadsheets leave them: ids, money and dates, from the text of a cell.

Pure and Qt-free. Each parser gives the value, None for a blank cell, or a refusal (a ValueError
whose `str()` is one sentence for the seller), never a guess:

- ids: "1729…", "1729…\\t" (Seller Center's trailing tab), "1729….0", `="1729…"` (the Excel-safe
  export); "1.72906E+18" is refused with `IdRefused.shortened` set, so a caller can fall back to
  the seller SKU and say so.
- money: "12.99", "1,299.00", "11,000 JPY", "$12.99", "12,99" → Decimal and the currency when
  written (the number rules are price_values'); an amount with more decimals than its currency
  has ("1.500 JPY": 1.5 or 1,500?) is refused.
- dates and times: "MM/DD/YYYY h:mm:ss AM/PM", "DD/MM/YYYY HH:MM:SS", ISO, a lone tab = blank.
  Whether the day or the month comes first is read from the whole column (`parse_datetimes`):
  a date such as 03/04/2026 is refused unless another date of the column (or the caller) says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from tiktok_desktop.api.money import SYMBOLS, ZERO_DECIMAL, decimals
from tiktok_desktop.services.price_values import plain_amount

_FORMULA_TEXT = re.compile(r'^=\s*"(.*)"$', re.DOTALL)
_DEFUSED = re.compile(r"^'(?=[=+\-@])")  # our CSV writer's guard against formulas (sheet_text)
_WHOLE_WITH_DECIMALS = re.compile(r"^(\d+)[.,]0+$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?e[+-]?\d+$", re.IGNORECASE)
_DIGITS = re.compile(r"^[0-9]+$")
MOST_ID_DIGITS = 32  # platform ids have 18-19 digits; a longer "id" is not one


def shown(text: str, most: int = 24) -> str:
    """The seller's text, shortened for a message."""
    return text if len(text) <= most else text[:most - 1] + "…"


def clean(value: object) -> str:
    """A cell as text: trimmed (spaces, Seller Center's trailing tab, a byte-order mark), with
    Excel's `="…"` text-keeping wrapper and our writer's `'` before a formula sign taken off."""
    text = str(value if value is not None else "").replace("\ufeff", "").strip()
    wrapped = _FORMULA_TEXT.match(text)
    if wrapped:
        text = wrapped.group(1).replace('""', '"').strip()
    return _DEFUSED.sub("", text)


def clean_id(value: object) -> str:
    """An id or seller SKU as text, without the ".0" (",0" in some locales) a spreadsheet adds
    to numbers."""
    text = clean(value)
    whole = _WHOLE_WITH_DECIMALS.match(text)
    return whole.group(1) if whole else text


def looks_shortened(value: str) -> bool:
    """An id a spreadsheet turned into a rounded number (1.72951E+18)."""
    return bool(_SCIENTIFIC.match(value))


# -- ids -----------------------------------------------------------------------------------------

class IdRefused(ValueError):
    """Text that is not an id; `shortened`: a spreadsheet turned it into a rounded number, so
    its last digits are lost (fall back to another column, e.g. the seller SKU)."""

    def __init__(self, message: str, *, shortened: bool = False) -> None:
        super().__init__(message)
        self.shortened = shortened


def parse_id(value: object) -> str | None:
    """The digits of a platform id (order, SKU, package, product), None for a blank cell, or
    IdRefused."""
    if isinstance(value, bool):
        raise IdRefused(f"“{value}” is not an id.")
    if isinstance(value, int):
        if value < 0:
            raise IdRefused(f"“{value}” is not an id: ids are digits only.")
        value = str(value)
    elif isinstance(value, float):
        if value.is_integer() and 0 <= value < 1e15:
            value = str(int(value))
        elif value.is_integer() and value > 0:
            raise IdRefused(f"“{value:.6G}” is not a whole id any more: a spreadsheet turned it "
                            "into a rounded number.", shortened=True)
        else:
            raise IdRefused(f"“{value}” is not an id: ids are digits only.")
    text = clean_id(unicodedata.normalize("NFKC", str(value if value is not None else "")))
    if not text:
        return None
    if looks_shortened(text):
        raise IdRefused(f"“{shown(text)}” is not a whole id any more: a spreadsheet turned it "
                        "into a rounded number.", shortened=True)
    if not _DIGITS.match(text):
        raise IdRefused(f"“{shown(text)}” is not an id: ids are digits only.")
    if len(text) > MOST_ID_DIGITS:
        raise IdRefused(f"“{shown(text)}” is too long to be an id ({len(text):,} digits).")
    return text


# -- money ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None  # the code the cell writes, or its symbol's (None: written bare)


class MoneyRefused(ValueError):
    """Text that is not an amount of money; `str()` is the message for the seller."""


# Symbols, longest first ("S$" before "$"); a symbol several currencies use says none of them
# unless the caller names one.
_OTHER_SYMBOLS = (("USD", "US$"), ("MXN", "$"), ("SGD", "$"), ("CAD", "$"), ("AUD", "$"),
                  ("CNY", "¥"), ("KRW", "₩"), ("INR", "₹"))
_BY_SYMBOL: dict[str, tuple[str, ...]] = {}
for _code, _symbol in (*SYMBOLS.items(), *_OTHER_SYMBOLS):
    _BY_SYMBOL[_symbol] = (*_BY_SYMBOL.get(_symbol, ()), _code)
_SYMBOLS = sorted(_BY_SYMBOL, key=len, reverse=True)
# Codes read as a currency before or after an amount ("USD 12.99", "11,000 JPY").
CODES = frozenset({*SYMBOLS, *ZERO_DECIMAL, *(c for c, _ in _OTHER_SYMBOLS), "HKD", "NZD", "CHF",
                   "SEK", "NOK", "DKK", "PLN", "CZK", "RON", "COP", "PEN", "ARS", "SAR", "AED",
                   "TRY", "ZAR", "ILS", "EGP", "NGN", "PKR", "BDT", "LKR", "MMK", "KHR", "LAK"})
_THOUSANDS_DOTS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # "15.000" in a currency without cents
_CODE_BEFORE = re.compile(r"^([A-Za-z]{3})(?![A-Za-z])\s*(.*)$", re.DOTALL)
_CODE_AFTER = re.compile(r"^(.*?)\s*(?<![A-Za-z])([A-Za-z]{3})$", re.DOTALL)
MOST_MONEY_DIGITS = 15  # whole digits: no order or payout comes near a thousand trillion


def _symbol_at(raw: str, *, end: bool) -> tuple[str, str]:
    """(the symbol, the rest) when `raw` starts (ends) with a currency symbol."""
    for symbol in _SYMBOLS:
        if (raw.endswith(symbol) if end else raw.upper().startswith(symbol.upper())):
            rest = raw[:-len(symbol)] if end else raw[len(symbol):]
            return symbol, rest.strip()
    return "", raw


def _currency_of(code: str, symbol: str, text: str, expected: str) -> str | None:
    if code and symbol and code not in _BY_SYMBOL[symbol]:
        raise MoneyRefused(f"“{text}” names two currencies ({symbol} and {code}).")
    if code:
        if expected and code != expected:
            raise MoneyRefused(f"“{text}” is in {code}; this file's amounts are in {expected}.")
        return code
    if not symbol:
        return None
    codes = _BY_SYMBOL[symbol]
    if expected:
        if expected not in codes:
            raise MoneyRefused(f"“{text}” is not in {expected}.")
        return expected
    return codes[0] if len(codes) == 1 else None


def parse_money(value: object, currency: str | None = None) -> Money | None:
    """The amount in a cell, None for a blank one, or MoneyRefused. `currency`: the one the
    file should be in (a cell naming another is refused); the decimals of the written or
    expected currency are checked: "12.999" is not USD, "1.500" is not JPY."""
    expected = (currency or "").upper()
    if isinstance(value, bool | float):
        raise MoneyRefused(f"“{value}” is not an amount of money.")  # a float lost its cents
    if isinstance(value, int | Decimal):
        return _checked(Decimal(value), None, str(value), expected)
    text = unicodedata.normalize("NFKC", str(value if value is not None else ""))
    text = clean(text.replace("\u2212", "-"))
    if not text:
        return None
    seen = shown(text)
    raw, negative = text, False
    if raw.startswith("-"):
        raw, negative = raw[1:].strip(), True
    code = ""
    before, after = _CODE_BEFORE.match(raw), _CODE_AFTER.match(raw)
    if before and before.group(1).upper() in CODES:
        code, raw = before.group(1).upper(), before.group(2)
    elif after and after.group(2).upper() in CODES:
        code, raw = after.group(2).upper(), after.group(1)
    symbol, raw = _symbol_at(raw, end=False)
    if not symbol:
        symbol, raw = _symbol_at(raw, end=True)
    if raw.startswith("-") and not negative:
        raw, negative = raw[1:].strip(), True
    written = _currency_of(code, symbol, seen, expected)
    if (written or expected) and decimals(written or expected) == 0 and _THOUSANDS_DOTS.match(
            raw):
        raw = raw.replace(".", "")  # no cents in this currency: the dots group thousands
    number = plain_amount(raw) if raw else None
    if number is None or (code and not raw):
        raise MoneyRefused(f"“{seen}” is not an amount of money.")
    if len(number.partition(".")[0].lstrip("0")) > MOST_MONEY_DIGITS:
        raise MoneyRefused(f"“{seen}” is far more than any amount in a shop: check the number.")
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - plain_amount gives digits only
        raise MoneyRefused(f"“{seen}” is not an amount of money.") from None
    return _checked(-amount if negative else amount, written, seen, expected)


def _checked(amount: Decimal, written: str | None, seen: str, expected: str) -> Money:
    if not amount.is_finite():
        raise MoneyRefused(f"“{seen}” is not an amount of money.")
    code = written or expected
    if code and amount.as_tuple().exponent < -decimals(code):  # type: ignore[operator]
        if decimals(code) == 0:
            raise MoneyRefused(f"{code} amounts are whole: “{seen}” has a fraction.")
        raise MoneyRefused(f"{code} amounts have at most {decimals(code)} decimals: “{seen}” "
                           "has more.")
    return Money(amount, written)


# -- dates and times -----------------------------------------------------------------------------

class DateRefused(ValueError):
    """A date that can't be read, or can't be read without a guess. `index`: its place in the
    values given to parse_datetimes."""

    def __init__(self, message: str, index: int = 0) -> None:
        super().__init__(message)
        self.index = index


_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
_YMD = re.compile(r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})" + _TIME + "$")
_XYY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})" + _TIME + "$")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True)
class _Parts:
    first: int  # year for "ymd"; else the first of day/month
    second: int
    third: int  # day for "ymd"; else the year
    time: tuple[str | None, ...]
    ymd: bool
    text: str


def _parts(value: object, index: int) -> _Parts | None:
    text = clean(unicodedata.normalize("NFKC", str(value if value is not None else "")))
    if not text:
        return None
    seen = shown(text, 30)
    ymd = _YMD.match(text)
    if ymd:
        g = ymd.groups()
        return _Parts(int(g[0]), int(g[2]), int(g[3]), g[4:], True, seen)
    xyy = _XYY.match(text)
    if xyy:
        g = xyy.groups()
        if len(g[3]) != 4:
            raise DateRefused(f"“{seen}” has a two-digit year (or is in an order not known "
                              "here); write the year in full, e.g. 01/27/2026.", index)
        return _Parts(int(g[0]), int(g[2]), int(g[3]), g[4:], False, seen)
    if _ZONE.search(text) and _YMD.match(_ZONE.sub("", text)):
        raise DateRefused(f"“{seen}” carries a time zone; dates here are the shop's local time, "
                          "written without one.", index)
    raise DateRefused(f"“{seen}” is not a date (such as 01/27/2026 6:03:56 PM or 2026-01-27).",
                      index)


def _build(parts: _Parts, day_first: bool, index: int) -> datetime:
    if parts.ymd:
        year, month, day = parts.first, parts.second, parts.third
    elif day_first:
        day, month, year = parts.first, parts.second, parts.third
    else:
        month, day, year = parts.first, parts.second, parts.third
    hour_text, minute, second, fraction, noon = parts.time
    hour = int(hour_text or 0)
    if noon:
        if not 1 <= hour <= 12:
            raise DateRefused(f"“{parts.text}”: {hour} is not an hour on a 12-hour clock.", index)
        hour = hour % 12 + (12 if noon.upper() == "P" else 0)
    micro = int((fraction or "0").ljust(6, "0"))
    try:
        return datetime(year, month, day, hour, int(minute or 0), int(second or 0), micro)
    except ValueError:
        order = ("year/month/day" if parts.ymd else
                 "day/month/year" if day_first else "month/day/year")
        raise DateRefused(f"“{parts.text}” is not a date (read as {order}).", index) from None


def parse_datetimes(values: Sequence[object], *, day_first: bool | None = None
                    ) -> list[datetime | None]:
    """The dates and times of one column (None for a blank cell or a lone tab), or DateRefused
    for the first that can't be read. Day or month first: `day_first` when the caller knows,
    else what the column's other dates show (a 13 or more in first place means day first); a
    column that shows both, or a date like 03/04/2026 that nothing settles, is refused."""
    parsed: list[_Parts | DateRefused | None] = []
    for i, value in enumerate(values):
        try:
            parsed.append(_parts(value, i))
        except DateRefused as refused:
            parsed.append(refused)
    order = day_first
    evidence: dict[bool, int] = {}  # day_first -> index of the first date that shows it
    for i, parts in enumerate(parsed):
        if isinstance(parts, _Parts) and not parts.ymd:
            if parts.first > 12 >= parts.second:
                evidence.setdefault(True, i)
            elif parts.second > 12 >= parts.first:
                evidence.setdefault(False, i)
    conflict = None
    if order is None and len(evidence) == 2:
        first, later = sorted(evidence.values())
        texts = [p.text for p in (parsed[later], parsed[first]) if isinstance(p, _Parts)]
        conflict = DateRefused(f"“{texts[0]}” and “{texts[1]}” put the day and the month in "
                               "different orders in the same column.", later)
    elif order is None and evidence:
        order = next(iter(evidence))
    if conflict is not None:  # the column can't be read: say so, unless a date before is wrong
        raise next((p for p in parsed[:conflict.index] if isinstance(p, DateRefused)), conflict)
    results: list[datetime | None] = []
    for i, parts in enumerate(parsed):
        if isinstance(parts, DateRefused):
            raise parts
        if parts is None:
            results.append(None)
            continue
        unsure = (not parts.ymd and parts.first != parts.second
                  and 1 <= min(parts.first, parts.second) <= max(parts.first, parts.second) <= 12)
        if order is None and unsure:
            a, b = parts.first, parts.second
            raise DateRefused(
                f"“{parts.text}” could be {a} {MONTHS[b - 1]} or {b} {MONTHS[a - 1]}, and no "
                "other date in the column says whether the day or the month comes first.", i)
        results.append(_build(parts, bool(order), i))
    return results


def parse_datetime(value: object, *, day_first: bool | None = None) -> datetime | None:
    """One date and time (see parse_datetimes): None for a blank cell, else the value or
    DateRefused; an ambiguous day/month is refused unless `day_first` is given."""
    return parse_datetimes([value], day_first=day_first)[0]
