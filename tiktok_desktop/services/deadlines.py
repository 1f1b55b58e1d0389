"""Deadline arithmetic, the one copy of it (no Qt): how long is left, how urgent that is, and the
moment in the seller's own time zone.

A deadline is a UTC epoch (the API's `rts_sla_time`, a request's `seller_next_action_response[]
.deadline`). What is left is counted in elapsed seconds, never on the wall clock, so a countdown
never jumps by an hour when the clocks change: 48 hours before a DST change are "2 d", though the
wall clock shows 49 or 47 hours between the two moments. Only "today / tomorrow / Sat 7 Mar" and
the time of day are worked out in the seller's zone (the machine's, or the one given: tests).

ui/formatting.py re-exports these for the tables and panes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# Less than this left before a deadline and it turns amber: a seller ships and answers in daily
# rounds, so a deadline inside the next day is the one to act on now.
SOON = DAY


class Urgency(enum.Enum):
    """How loudly a deadline should speak: the tables and the detail panes colour by it."""

    CALM = "calm"
    SOON = "soon"  # less than a day left
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Countdown:
    text: str
    urgency: Urgency


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


def urgency(deadline: int, now: int, soon: int = SOON) -> Urgency:
    left = deadline - now
    if left <= 0:
        return Urgency.OVERDUE
    return Urgency.SOON if left < soon else Urgency.CALM


def countdown(deadline: int | None, now: int, *, verb: str = "Ship") -> Countdown | None:
    """"Ship within 1 d 4 h" (calm or soon), "Overdue by 3 h" once the deadline has passed."""
    return _counted(deadline, now, lambda left: f"{verb} within {left}")


def time_left(deadline: int | None, now: int) -> Countdown | None:
    """For a table's narrow column: "2 d 4 h left", "45 min left", "Overdue by 3 h"."""
    return _counted(deadline, now, lambda left: f"{left} left")


def _counted(deadline: int | None, now: int, words: Callable[[str], str]) -> Countdown | None:
    if not deadline:
        return None
    level = urgency(deadline, now)
    if level is Urgency.OVERDUE:
        return Countdown(f"Overdue by {duration(now - deadline)}", level)
    return Countdown(words(duration(deadline - now)), level)


def local_datetime(timestamp: int, tz: tzinfo | None = None) -> datetime:
    """The moment as the seller's wall clock shows it (the machine's zone unless one is given)."""
    moment = datetime.fromtimestamp(timestamp).astimezone()
    return moment.astimezone(tz) if tz is not None else moment


def when(deadline: int, now: int, tz: tzinfo | None = None) -> str:
    """The deadline in the seller's words and zone: "today at 14:05", "tomorrow at 09:30",
    "yesterday at 18:00", "Sat 7 Mar at 14:05" (days are the seller's calendar days, so the day
    of a DST change counts as one day whatever its length)."""
    due, today = local_datetime(deadline, tz), local_datetime(now, tz)
    days = (due.date() - today.date()).days
    clock = f"{due:%H:%M}"
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days == -1:
        return f"yesterday at {clock}"
    year = f" {due.year}" if due.year != today.year else ""
    return f"{due:%a} {due.day} {due:%b}{year} at {clock}"


def zone_name(timestamp: int, tz: tzinfo | None = None) -> str:
    """The zone's abbreviation at that moment ("EST", "EDT", "BST"), "" when it has none."""
    return local_datetime(timestamp, tz).strftime("%Z")
