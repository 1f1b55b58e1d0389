"""How times, money and deadlines read to a seller: pure functions, no Qt.

Times are Unix seconds from the API, shown in the seller's local time zone (or the one given, so
tests do not depend on the machine). Money is a decimal string in major units plus its currency.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation

# Symbols a seller recognises at a glance; other currencies show their ISO code after the amount.
CURRENCY_SYMBOLS = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "JPY": "¥",
    "MYR": "RM",
    "PHP": "₱",
    "THB": "฿",
    "VND": "₫",
    "IDR": "Rp",
    "SGD": "S$",
    "MXN": "MX$",
    "BRL": "R$",
}
# Currencies the API quotes without minor units ("5000" for IDR).
WHOLE_UNIT_CURRENCIES = {"IDR", "JPY", "VND", "KRW"}

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


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


def local_datetime(timestamp: int, tz: tzinfo | None = None) -> datetime:
    """The moment as the seller's wall clock shows it (the machine's zone unless one is given)."""
    moment = datetime.fromtimestamp(timestamp).astimezone()
    return moment.astimezone(tz) if tz is not None else moment


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


def duration(seconds: int) -> str:
    """A span in the two largest units that matter: "2 d 4 h", "3 h 20 min", "12 min"."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, HOUR)
    minutes = rest // MINUTE
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return "less than a minute"


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


class Urgency(enum.Enum):
    """How loudly a deadline should speak: the table and the detail pane colour by it."""

    CALM = "calm"
    SOON = "soon"  # less than a day left
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Countdown:
    text: str
    urgency: Urgency


# Less than this left before a deadline and it turns red: a seller ships in daily batches.
SOON = DAY


def countdown(deadline: int | None, now: int, *, verb: str = "Ship") -> Countdown | None:
    """"Ship within 1 d 4 h" (calm or soon), "Overdue by 3 h" once the deadline has passed."""
    if not deadline:
        return None
    left = deadline - now
    if left <= 0:
        return Countdown(f"Overdue by {duration(-left)}", Urgency.OVERDUE)
    urgency = Urgency.SOON if left < SOON else Urgency.CALM
    return Countdown(f"{verb} within {duration(left)}", urgency)
