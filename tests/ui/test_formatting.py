from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tiktok_desktop.ui.formatting import (
    DAY,
    HOUR,
    MINUTE,
    Urgency,
    countdown,
    date_time,
    date_time_long,
    duration,
    money,
    time_ago,
)

NOV_21_13H_UTC = int(datetime(2026, 11, 21, 13, 5, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("199.00", "USD", "$199.00"),
        ("1234.5", "USD", "$1,234.50"),
        ("-3", "GBP", "−£3.00"),
        ("5000", "IDR", "Rp5,000"),
        ("12", "PLN", "12.00 PLN"),
        ("0", "EUR", "€0.00"),
        ("", "USD", ""),
        (None, "USD", ""),
        ("n/a", "USD", "n/a"),
        ("7.5", None, "7.50"),
    ],
)
def test_money_reads_like_a_price_tag(amount, currency, expected):
    assert money(amount, currency) == expected


def test_times_are_shown_in_the_sellers_zone():
    assert date_time(NOV_21_13H_UTC, ZoneInfo("America/Los_Angeles")) == "2026-11-21 05:05"
    assert date_time(NOV_21_13H_UTC, ZoneInfo("Europe/Berlin")) == "2026-11-21 14:05"
    assert date_time_long(NOV_21_13H_UTC, ZoneInfo("Europe/Berlin")) == "Sat 21 Nov 2026, 14:05 CET"


def test_a_missing_time_shows_nothing():
    assert date_time(None) == ""
    assert date_time(0) == ""
    assert date_time_long(None) == ""


def test_the_machines_zone_is_the_default():
    expected = datetime.fromtimestamp(NOV_21_13H_UTC).strftime("%Y-%m-%d %H:%M")
    assert date_time(NOV_21_13H_UTC) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (30, "less than a minute"),
        (12 * MINUTE + 59, "12 min"),
        (3 * HOUR, "3 h"),
        (3 * HOUR + 20 * MINUTE, "3 h 20 min"),
        (DAY + 4 * HOUR + 59 * MINUTE, "1 d 4 h"),
        (2 * DAY, "2 d"),
        (-5, "less than a minute"),
    ],
)
def test_duration_keeps_the_two_units_that_matter(seconds, expected):
    assert duration(seconds) == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (5, "just now"),
        (MINUTE, "1 minute ago"),
        (2 * MINUTE + 10, "2 minutes ago"),
        (3 * HOUR, "3 hours ago"),
        (DAY + HOUR, "yesterday"),
        (5 * DAY, "5 days ago"),
        (-30, "just now"),
    ],
)
def test_time_ago(age, expected):
    now = 1_800_000_000
    assert time_ago(now - age, now) == expected


def test_time_ago_never():
    assert time_ago(None, 1_800_000_000) == "never"


def test_countdown_to_the_ship_by_deadline():
    now = 1_800_000_000
    calm = countdown(now + DAY + 4 * HOUR, now)
    assert calm is not None
    assert (calm.text, calm.urgency) == ("Ship within 1 d 4 h", Urgency.CALM)
    soon = countdown(now + 5 * HOUR, now)
    assert soon is not None
    assert (soon.text, soon.urgency) == ("Ship within 5 h", Urgency.SOON)
    late = countdown(now - 3 * HOUR, now)
    assert late is not None
    assert (late.text, late.urgency) == ("Overdue by 3 h", Urgency.OVERDUE)
    assert countdown(None, now) is None


def test_countdown_with_another_verb():
    now = 1_800_000_000
    reply = countdown(now + 2 * DAY, now, verb="Reply")
    assert reply is not None
    assert reply.text == "Reply within 2 d"
