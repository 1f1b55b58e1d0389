"""Deadline arithmetic (services/deadlines.py): how long is left counts elapsed seconds, so a
countdown never jumps by an hour when the clocks change; days and times of day are the seller's
own, in their zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiktok_desktop.services.deadlines import (
    DAY,
    HOUR,
    MINUTE,
    Urgency,
    countdown,
    duration,
    time_left,
    urgency,
    when,
    zone_name,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")


def at(zone: ZoneInfo, *moment: int) -> int:
    """A wall-clock moment in `zone` as the UTC epoch the API gives."""
    return int(datetime(*moment, tzinfo=zone).timestamp())


@pytest.mark.parametrize(("left", "text"), [
    (2 * DAY + 4 * HOUR, "2 d 4 h"), (2 * DAY, "2 d"), (45 * MINUTE, "45 min"),
    (45 * MINUTE + 59, "45 min"), (3 * HOUR, "3 h"), (3 * HOUR + 20 * MINUTE, "3 h 20 min"),
    (30, "less than a minute"), (-5, "less than a minute"),
])
def test_a_span_reads_in_its_two_largest_units(left: int, text: str) -> None:
    assert duration(left) == text


def test_the_countdown_says_how_long_is_left_and_how_urgent() -> None:
    now = 1_800_000_000
    assert time_left(now + 2 * DAY + 4 * HOUR, now).text == "2 d 4 h left"
    assert time_left(now + 2 * DAY + 4 * HOUR, now).urgency is Urgency.CALM
    assert time_left(now + 45 * MINUTE, now).text == "45 min left"
    assert time_left(now + 45 * MINUTE, now).urgency is Urgency.SOON
    assert time_left(now - 3 * HOUR, now).text == "Overdue by 3 h"
    assert time_left(now - 3 * HOUR, now).urgency is Urgency.OVERDUE
    assert countdown(now + DAY + 4 * HOUR, now, verb="Answer").text == "Answer within 1 d 4 h"
    assert countdown(now, now, verb="Answer").text == "Overdue by less than a minute"
    assert time_left(None, now) is None and time_left(0, now) is None


def test_soon_is_less_than_a_day_and_the_deadline_itself_is_overdue() -> None:
    now = 1_800_000_000
    assert urgency(now + DAY, now) is Urgency.CALM
    assert urgency(now + DAY - 1, now) is Urgency.SOON
    assert urgency(now + 1, now) is Urgency.SOON
    assert urgency(now, now) is Urgency.OVERDUE


# The instants the clocks change in 2026 (UTC), and how far the wall clock jumps there.
CHANGES = {
    (NEW_YORK, "spring"): (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), 60),
    (NEW_YORK, "autumn"): (datetime(2026, 11, 1, 6, 0, tzinfo=UTC), -60),
    (LONDON, "spring"): (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 60),
    (LONDON, "autumn"): (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), -60),
}


@pytest.mark.parametrize("zone", [NEW_YORK, LONDON], ids=["new-york", "london"])
@pytest.mark.parametrize("change", ["spring", "autumn"])
def test_a_countdown_across_a_dst_change_does_not_jump_by_an_hour(
        zone: ZoneInfo, change: str) -> None:
    instant, jump = CHANGES[zone, change]
    before, after = int(instant.timestamp()) - 5 * MINUTE, int(instant.timestamp()) + 5 * MINUTE
    wall = (datetime.fromtimestamp(after, zone).replace(tzinfo=None)
            - datetime.fromtimestamp(before, zone).replace(tzinfo=None))
    assert wall == timedelta(minutes=10 + jump)  # the seller's clock jumped
    deadline = after + HOUR
    assert time_left(deadline, before).text == "1 h 10 min left"
    assert time_left(deadline, after).text == "1 h left"  # ten minutes later, not 70 or -50
    # A cancellation asked at noon the day before, 48 hours to answer: "2 d" at once, though
    # the wall clock shows 47 or 49 hours between the two moments.
    asked = int(instant.timestamp()) - 18 * HOUR
    limit = asked + 2 * DAY
    hours = (datetime.fromtimestamp(limit, zone).replace(tzinfo=None)
             - datetime.fromtimestamp(asked, zone).replace(tzinfo=None))
    assert hours == timedelta(hours=48 + jump // 60)
    assert time_left(limit, asked).text == "2 d left"
    assert time_left(limit, asked + HOUR).text == "1 d 23 h left"
    assert time_left(limit, limit + 3 * HOUR).text == "Overdue by 3 h"


def test_new_york_across_the_spring_change_in_the_sellers_words() -> None:
    asked = at(NEW_YORK, 2026, 3, 7, 12, 0)  # Saturday noon EST; the clocks go forward Sunday
    deadline = asked + 2 * DAY
    assert when(deadline, asked, NEW_YORK) == "Mon 9 Mar at 13:00"  # 13:00 EDT, not 12:00
    assert zone_name(asked, NEW_YORK) == "EST" and zone_name(deadline, NEW_YORK) == "EDT"
    sunday_night = at(NEW_YORK, 2026, 3, 8, 23, 30)
    assert when(deadline, sunday_night, NEW_YORK) == "tomorrow at 13:00"
    assert time_left(deadline, sunday_night).text == "13 h 30 min left"
    monday = at(NEW_YORK, 2026, 3, 9, 0, 30)
    assert when(deadline, monday, NEW_YORK) == "today at 13:00"


def test_new_york_across_the_autumn_change_in_the_sellers_words() -> None:
    asked = at(NEW_YORK, 2026, 10, 31, 12, 0)  # Saturday noon EDT; the clocks go back Sunday
    deadline = asked + 2 * DAY
    assert when(deadline, asked, NEW_YORK) == "Mon 2 Nov at 11:00"  # 11:00 EST
    assert zone_name(deadline, NEW_YORK) == "EST"
    # Sunday 1 November is 25 hours long: an hour after 01:30 EDT it is 01:30 EST again.
    first = at(NEW_YORK, 2026, 11, 1, 1, 30)
    second = first + HOUR
    assert datetime.fromtimestamp(second, NEW_YORK).strftime("%H:%M %Z") == "01:30 EST"
    assert when(deadline, first, NEW_YORK) == when(deadline, second, NEW_YORK) == \
        "tomorrow at 11:00"
    assert deadline - second == deadline - first - HOUR
    assert time_left(deadline, first).text == "1 d 10 h left"
    assert time_left(deadline, second).text == "1 d 9 h left"


def test_one_deadline_read_in_three_zones() -> None:
    deadline = int(datetime(2026, 11, 21, 13, 5, tzinfo=UTC).timestamp())
    now = deadline - 5 * HOUR
    assert when(deadline, now, NEW_YORK) == "today at 08:05"
    assert when(deadline, now, LONDON) == "today at 13:05"
    assert when(deadline, now, TOKYO) == "today at 22:05"
    late = deadline - 14 * HOUR  # 23:05 the day before in London, 09:05 the same day in Tokyo
    assert when(deadline, late, LONDON) == "tomorrow at 13:05"
    assert when(deadline, late, TOKYO) == "today at 22:05"
    assert time_left(deadline, late).text == "14 h left"  # the same everywhere


def test_far_deadlines_name_the_day_and_other_years_the_year() -> None:
    now = at(LONDON, 2026, 12, 28, 9, 0)
    assert when(at(LONDON, 2026, 12, 27, 18, 0), now, LONDON) == "yesterday at 18:00"
    assert when(at(LONDON, 2026, 12, 31, 18, 0), now, LONDON) == "Thu 31 Dec at 18:00"
    assert when(at(LONDON, 2027, 1, 2, 8, 0), now, LONDON) == "Sat 2 Jan 2027 at 08:00"
