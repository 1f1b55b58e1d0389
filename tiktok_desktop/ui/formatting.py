"""How times, money and deadlines read to a seller: pure functions, no Qt.

Times are Unix seconds from the API, shown in the seller's local time zone (or the one given, so
tests do not depend on the machine). Money is a decimal string in major units plus its currency.
"""

from __future__ import annotations

import time
from datetime import tzinfo
from decimal import Decimal, InvalidOperation

from tiktok_desktop.api.money import SYMBOLS, ZERO_DECIMAL

# Deadlines and moments have one home (services/deadlines.py, Qt-free); the tables and panes
# import them from here with the rest of the formatting.
from tiktok_desktop.services.deadlines import (
    DAY,
    HOUR,
    MINUTE,
    SOON,
    Countdown,
    Urgency,
    countdown,
    duration,
    local_datetime,
    time_left,
    when,
)

__all__ = [
    "CURRENCY_SYMBOLS", "DAY", "HOUR", "MINUTE", "SOON", "WHOLE_UNIT_CURRENCIES", "Countdown",
    "Urgency", "countdown", "date_time", "date_time_long", "duration", "local_datetime", "money",
    "time_ago", "time_left", "when",
]

CURRENCY_SYMBOLS = SYMBOLS
WHOLE_UNIT_CURRENCIES = ZERO_DECIMAL  # quoted without minor units by the API ("5000" for IDR)


def money(amount: str | int | float | Decimal | None, currency: str | None) -> str:
    """"$1,234.50", "−£3.00", "Rp5,000", "12.00 PLN"; an empty or unreadable amount gives ""."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    code = (currency or "").upper()
    places = 0 if code in WHOLE_UNIT_CURRENCIES else 2
    digits = f"{abs(value):,.{places}f}"
    sign = "−" if value < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(code)
    if symbol:
        return f"{sign}{symbol}{digits}"
    return f"{sign}{digits} {code}".rstrip()


def date_time(timestamp: int | None, tz: tzinfo | None = None) -> str:
    """"2026-11-21 14:05" in local time: sortable, unambiguous in every locale."""
    if not timestamp:
        return ""
    if tz is None:  # the table formats thousands of these: time.localtime is 4x quicker
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
    return local_datetime(timestamp, tz).strftime("%Y-%m-%d %H:%M")


def date_time_long(timestamp: int | None, tz: tzinfo | None = None) -> str:
    """"Sat 21 Nov 2026, 14:05 CET" for the detail pane, where there is room for the zone."""
    if not timestamp:
        return ""
    moment = local_datetime(timestamp, tz)
    zone = moment.strftime("%Z")
    text = f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"
    return f"{text} {zone}" if zone else text


def time_ago(timestamp: int | None, now: int) -> str:
    """"just now", "2 minutes ago", "3 hours ago", "yesterday", "5 days ago"."""
    if not timestamp:
        return "never"
    seconds = max(0, now - timestamp)
    if seconds < MINUTE:
        return "just now"
    size, unit = next((s, u) for s, u in ((DAY, "day"), (HOUR, "hour"), (MINUTE, "minute"))
                      if seconds >= s)
    count = seconds // size
    if unit == "day" and count == 1:
        return "yesterday"
    return f"{count} {unit}{'' if count == 1 else 's'} ago"
