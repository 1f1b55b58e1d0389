"""Money as the API writes it: a decimal string in major units ("199.00", "5000" for IDR) with
its currency apart (reference §3). How many decimals a currency has decides both."""

from __future__ import annotations

from decimal import Decimal

ZERO_DECIMAL = frozenset({"IDR", "JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})
# Symbols a seller recognises at a glance; other currencies show their ISO code after the amount.
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "MYR": "RM", "PHP": "₱", "THB": "฿",
           "VND": "₫", "IDR": "Rp", "SGD": "S$", "MXN": "MX$", "BRL": "R$"}


def decimals(currency: str | None) -> int:
    return 0 if (currency or "").upper() in ZERO_DECIMAL else 2


def quantum(currency: str | None) -> Decimal:
    """The smallest step of an amount in `currency`: 0.01, or 1."""
    return Decimal(1).scaleb(-decimals(currency))


def amount_text(amount: Decimal, currency: str | None) -> str:
    """The decimal string the API takes: '1299.00' (no separators), '1500' for JPY."""
    return str(amount.quantize(quantum(currency)))


def money_text(amount: Decimal | None, currency: str | None) -> str:
    """'1,299.00' with the currency's decimals and thousands separators ('' for None)."""
    return "" if amount is None else f"{amount.quantize(quantum(currency)):,}"
