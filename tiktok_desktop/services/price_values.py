"""Prices as sellers type, paste and import them, in the shop's currency.

A price is a positive amount with at most the currency's decimals (2 for USD, none for JPY or
IDR): "12.99", "$12.99", "1,299.00", "12,99" (a decimal comma from a European spreadsheet),
"USD 12.99". Anything else is refused with one sentence saying what is wrong, never rounded:
a seller who typed 12.999 meant something, and we don't guess what.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tiktok_desktop.api.money import SYMBOLS, decimals, quantum

MOST_DIGITS = 9  # whole digits: no listing costs a billion, and a longer entry is a slip

_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # 1,299 or 1,299.00
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")  # 12,99
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_DOT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d{1,2}$|^\d{1,3}(?:\.\d{3}){2,}$")  # 1.299,00


def plain_amount(text: str) -> str | None:
    """The amount in `text` written plainly ("1299.00"), or None when it isn't one. The rules
    for what spreadsheets and sellers write (shared with sheet_values.parse_money): thousands
    separated by commas ("1,299.00"), by dots under a decimal comma ("1.299,00") or by spaces
    ("1 299,00"); a decimal comma with one or two digits ("12,99"). "1,299" is 1299: a decimal
    comma never has three digits."""
    raw = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if _GROUPED.match(raw):
        raw = raw.replace(",", "")
    elif _DECIMAL_COMMA.match(raw):
        raw = raw.replace(",", ".")
    elif _DOT_GROUPED.match(raw):
        raw = raw.replace(".", "").replace(",", ".")
    return raw if _PLAIN.match(raw) else None


class PriceRefused(ValueError):
    """An entry that is not a price the shop takes; `str()` is the message for the seller."""


def example(currency: str | None) -> str:
    return "1500" if decimals(currency) == 0 else "12.99"


def parse_price(text: object, currency: str | None) -> Decimal:
    """The price in `text`, or PriceRefused with a message in the seller's words."""
    if isinstance(text, bool | float):
        raise PriceRefused(f"“{text}” is not a price.")  # a float has lost its cents already
    if isinstance(text, Decimal | int):
        return check_price(Decimal(text), currency)
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    shown = raw if len(raw) <= 20 else raw[:19] + "…"
    code = (currency or "").upper()
    if not raw:
        raise PriceRefused(f"Enter a price, such as {example(code)}.")
    symbol = SYMBOLS.get(code, "")
    # "MX$12.99" or, as Mexican sellers write it at home, "$12.99".
    for mark in (code, symbol, "$" if symbol.endswith("$") else ""):
        if mark and raw.upper().startswith(mark.upper()):
            raw = raw[len(mark):].strip()
        if mark and raw.upper().endswith(mark.upper()):
            raw = raw[:-len(mark)].strip()
    raw = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if raw.startswith("-"):
        raise PriceRefused(f"A price can't be negative (“{shown}”).")
    number = plain_amount(raw)
    if number is None:
        raise PriceRefused(f"“{shown}” is not a price. Enter an amount such as "
                           f"{example(code)}.")
    raw = number
    if len(raw.partition(".")[0].lstrip("0")) > MOST_DIGITS:
        raise PriceRefused(f"“{shown}” is far more than any listing costs: check the number.")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise PriceRefused(f"“{shown}” is not a price.") from None
    return check_price(amount, code, shown)


def check_price(amount: Decimal, currency: str | None, shown: str | None = None) -> Decimal:
    """`amount` itself when the shop takes it as a price in `currency`; PriceRefused if not."""
    code = (currency or "").upper()
    shown = shown or str(amount)
    if not amount.is_finite() or amount <= 0:
        raise PriceRefused(f"A price must be more than 0 (“{shown}”).")
    if amount != amount.quantize(quantum(code), rounding=ROUND_HALF_UP):
        if decimals(code) == 0:
            raise PriceRefused(f"{code} prices are whole amounts: “{shown}” has a fraction.")
        prices = f"{code} prices" if code else "Prices"
        raise PriceRefused(f"{prices} have at most {decimals(code)} decimals: “{shown}” has "
                           "more.")
    if amount >= Decimal(10) ** MOST_DIGITS:
        raise PriceRefused(f"“{shown}” is far more than any listing costs: check the number.")
    return amount.quantize(quantum(code))


def price_or_none(text: object, currency: str | None) -> Decimal | None:
    try:
        return parse_price(text, currency)
    except PriceRefused:
        return None
