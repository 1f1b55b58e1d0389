"""Sales figures from the cached orders, in the seller's days: local midnights across a clock
change, cancelled and refunded orders left out, each period against the one before, the top
SKUs and the CSV files."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from finance_samples import SHOP, sample_order

from tiktok_desktop.services.sales import (
    change_percent,
    daily_csv,
    day_start,
    local_date,
    read_sales,
    same_time_days_before,
    top_skus_csv,
    units_since,
)
from tiktok_desktop.store import Store

NEW_YORK = ZoneInfo("America/New_York")


def at(text: str) -> int:
    """A wall-clock time in New York as Unix seconds: "2026-03-09 10:00"."""
    return int(datetime.fromisoformat(text).replace(tzinfo=NEW_YORK).timestamp())


# The clocks go forward at 02:00 on Sunday 8 March 2026 in New York: that day has 23 hours.
NOW = at("2026-03-09 10:00")


def test_local_midnights_across_the_clock_change() -> None:
    sunday, monday = day_start(date(2026, 3, 8), NEW_YORK), day_start(date(2026, 3, 9), NEW_YORK)
    assert monday - sunday == 23 * 3600
    assert local_date(sunday, NEW_YORK) == date(2026, 3, 8)
    assert local_date(sunday - 1, NEW_YORK) == date(2026, 3, 7)
    # The same time of day a day earlier: 01:00 on Sunday was 23 hours before 01:00 on Monday.
    early = at("2026-03-09 01:00")
    assert early - same_time_days_before(early, 1, NEW_YORK) == 23 * 3600
    assert same_time_days_before(early, 1, NEW_YORK) == at("2026-03-08 01:00")
    assert same_time_days_before(NOW, 7, NEW_YORK) == at("2026-03-02 10:00")
    assert units_since(NOW, NEW_YORK) == at("2026-01-09 00:00")
    assert day_start(date(2026, 11, 2), NEW_YORK) - day_start(date(2026, 11, 1), NEW_YORK) == (
        25 * 3600)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        yield opened


def save(store: Store, *orders: dict, returns: tuple[dict, ...] = ()) -> None:
    store.save_page(SHOP, "orders", list(orders), None)
    if returns:
        store.save_page(SHOP, "returns", list(returns), None)


def refund(n: int, order: dict, line_ids: list[str],
           status: str = "RETURN_OR_REFUND_REQUEST_COMPLETE") -> dict:
    return {"return_id": f"{4035000000000000000 + n}", "order_id": order["id"],
            "return_type": "REFUND", "return_status": status, "create_time": NOW - 60,
            "update_time": NOW - 60,
            "return_line_items": [{"order_line_item_id": i} for i in line_ids]}


def test_days_start_at_local_midnight_even_on_the_day_the_clock_changes(store: Store) -> None:
    save(store,
         sample_order(1, created=at("2026-03-08 00:30")),  # Sunday, just after midnight
         sample_order(2, created=at("2026-03-07 23:30")),  # Saturday, just before
         sample_order(3, created=at("2026-03-08 23:30")),  # Sunday, last hour of 23
         sample_order(4, created=at("2026-03-09 00:10")))  # today
    report = read_sales(store, SHOP, NOW, NEW_YORK)
    by_day = {d.day: d.orders for d in report.days}
    assert by_day[date(2026, 3, 7)] == 1
    assert by_day[date(2026, 3, 8)] == 2
    assert by_day[date(2026, 3, 9)] == 1
    assert report.days[-1].day == date(2026, 3, 9) and len(report.days) == 30
    today = report.periods[0]
    assert today.label == "Today" and today.now.orders == 1
    # Yesterday until 10:00: the 00:30 order, not the 23:30 one.
    assert today.before.orders == 1 and today.compared_with == "yesterday"


def test_cancelled_unpaid_and_refunded_orders_are_left_out(store: Store) -> None:
    kept = sample_order(1, created=NOW - 3600, prices=("20.00", "5.00"))
    partly = sample_order(2, created=NOW - 3600, prices=("30.00", "12.00"))
    wholly = sample_order(3, created=NOW - 3600, prices=("40.00",))
    rejected = sample_order(4, created=NOW - 3600, prices=("7.00",))
    save(store, kept, partly, wholly, rejected,
         sample_order(5, created=NOW - 3600, status="CANCELLED", prices=("99.00",)),
         sample_order(6, created=NOW - 3600, status="UNPAID", prices=("88.00",)),
         returns=(refund(1, partly, [partly["line_items"][1]["id"]]),
                  refund(2, wholly, [wholly["line_items"][0]["id"]]),
                  refund(3, rejected, [rejected["line_items"][0]["id"]],
                         status="REFUND_OR_RETURN_REQUEST_REJECT")))
    today = read_sales(store, SHOP, NOW, NEW_YORK).periods[0].now
    assert today.orders == 3  # kept, partly refunded, the rejected return
    assert today.revenue == Decimal("20.00") + Decimal("5.00") + Decimal("30.00") + Decimal(
        "7.00")
    assert today.units == 4 and today.cancelled == 1 and today.refunded == 2


def test_each_period_against_the_one_before(store: Store) -> None:
    save(store,
         sample_order(1, created=at("2026-03-09 08:00"), prices=("30.00",)),
         sample_order(2, created=at("2026-03-08 09:00"), prices=("20.00",)),
         sample_order(3, created=at("2026-03-08 11:00"), prices=("500.00",)),  # after 10:00
         sample_order(4, created=at("2026-03-02 12:00"), prices=("10.00",)),  # 8 days back
         sample_order(5, created=at("2026-02-20 12:00"), prices=("40.00",)))  # 17 days back
    today, week, month = read_sales(store, SHOP, NOW, NEW_YORK).periods
    assert (today.now.revenue, today.before.revenue) == (Decimal("30.00"), Decimal("20.00"))
    assert today.revenue_change == Decimal("50.0") and today.orders_change == Decimal("0.0")
    # Last 7 days: 3 to 9 March (to 10:00); before: 24 February to 2 March (to 10:00)...
    assert week.now.orders == 3 and week.before.orders == 0 and week.revenue_change is None
    assert week.previous_end == at("2026-03-02 10:00")
    # ...so the 12:00 order of 2 March falls in neither; the 30 days hold all five.
    assert month.now.orders == 5 and month.before.orders == 0
    assert change_percent(3, 4) == Decimal("-25.0") and change_percent(5, 0) is None


def test_top_skus_and_the_csv_files(store: Store) -> None:
    save(store,
         sample_order(1, created=NOW - 3600, prices=("10.00", "10.00"), sku="1729500000000000001"),
         sample_order(2, created=NOW - 7200, prices=("25.00",), sku="1729500000000000002"),
         sample_order(3, created=NOW - 40 * 86400, prices=("900.00",), sku="1729500000000000003"))
    report = read_sales(store, SHOP, NOW, NEW_YORK)
    assert [(s.sku_id, s.units, s.revenue) for s in report.top_skus] == [
        ("1729500000000000002", 1, Decimal("25.00")),
        ("1729500000000000001", 2, Decimal("20.00"))]  # 40 days ago is not in the 30
    assert report.currency == "USD"
    daily = daily_csv(report)
    assert daily.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(daily.decode("utf-8-sig"))))
    assert rows[0] == ["Date", "Orders", "Units", "Revenue", "Currency"]
    assert rows[-1] == ["2026-03-09", "2", "3", "45.00", "USD"] and len(rows) == 31
    top = list(csv.reader(io.StringIO(top_skus_csv(report).decode("utf-8-sig"))))
    assert top[1] == ["1", "Cotton tee", "Black, M", '="TEE-BLK-M"', '="1729500000000000002"',
                      "1", "25.00", "USD"]
