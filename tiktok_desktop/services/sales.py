"""Sales from the cached orders, in the seller's own days: orders and revenue today, in the last
7 and 30 days against the period before, a daily series and the top SKUs; and their CSV files.

Days start at local midnight: a day is a calendar date of the seller's zone (the computer's,
unless one is given), so a day with a clock change has 23 or 25 hours and every order still
falls on the date its buyer's seller saw on the clock. A period "so far" (today until now) is
compared with the period before up to the same time of day: today until 14:05 against
yesterday until 14:05, never against the whole of yesterday.

What counts: orders placed and paid (not UNPAID), not cancelled. Revenue is what their units
sold for after discounts (line items' sale_price), without shipping and tax; refunded units
(a return refunded, store/sales.py) are left out, and an order all of whose units were
refunded is not counted as an order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from tiktok_desktop.api.money import amount_text
from tiktok_desktop.services.stock_csv import as_text, csv_bytes
from tiktok_desktop.store import Store
from tiktok_desktop.store.sales import SoldUnit, sold_units

ZERO = Decimal(0)
PERIODS: tuple[tuple[str, int], ...] = (("Today", 1), ("Last 7 days", 7), ("Last 30 days", 30))
CHART_DAYS = 30
TOP_SKUS = 10
NOT_SALES = frozenset({"UNPAID", "CANCELLED"})


# -- the seller's days ----------------------------------------------------------------------------

def local_date(timestamp: int, tz: tzinfo | None = None) -> date:
    """The calendar date of a moment on the seller's clock (`tz`, else this computer's)."""
    return (datetime.fromtimestamp(timestamp, tz) if tz is not None
            else datetime.fromtimestamp(timestamp)).date()


def day_start(day: date, tz: tzinfo | None = None) -> int:
    """Local midnight at the start of `day`, as Unix seconds."""
    midnight = datetime.combine(day, time())
    if tz is None:
        return int(midnight.astimezone().timestamp())
    return int(midnight.replace(tzinfo=tz).timestamp())


def same_time_days_before(timestamp: int, days: int, tz: tzinfo | None = None) -> int:
    """The same time of day on the clock `days` days earlier (not days × 24 h: a clock change
    in between moves the hour back where it was)."""
    moment = (datetime.fromtimestamp(timestamp, tz) if tz is not None
              else datetime.fromtimestamp(timestamp))
    earlier = moment.replace(tzinfo=None) - timedelta(days=days)
    if tz is None:
        return int(earlier.astimezone().timestamp())
    return int(earlier.replace(tzinfo=tz).timestamp())


# -- figures --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """Orders and revenue of some units, and what was left out."""

    orders: int = 0
    units: int = 0
    revenue: Decimal = ZERO
    cancelled: int = 0  # orders cancelled (not counted)
    refunded: int = 0  # orders with units refunded (those units not counted)


def tally(units: Sequence[SoldUnit]) -> Tally:
    counted: set[str] = set()
    cancelled: set[str] = set()
    refunded: set[str] = set()
    revenue, sold = ZERO, 0
    for unit in units:
        if unit.status == "CANCELLED":
            cancelled.add(unit.order_id)
        if unit.status in NOT_SALES:
            continue
        if unit.refunded:
            refunded.add(unit.order_id)
            continue
        counted.add(unit.order_id)
        revenue += unit.price
        sold += 1
    return Tally(len(counted), sold, revenue, len(cancelled), len(refunded))


def change_percent(now: Decimal | int, before: Decimal | int) -> Decimal | None:
    """How much `now` differs from `before`, in percent (one decimal); None when there was
    nothing before to compare with."""
    if not before:
        return None
    return ((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PeriodFigures:
    label: str  # "Today", "Last 7 days"
    days: int
    start: int  # [start, end): this period
    end: int
    previous_start: int  # [previous_start, previous_end): the period before, as far into it
    previous_end: int
    now: Tally
    before: Tally

    @property
    def orders_change(self) -> Decimal | None:
        return change_percent(self.now.orders, self.before.orders)

    @property
    def revenue_change(self) -> Decimal | None:
        return change_percent(self.now.revenue, self.before.revenue)

    @property
    def compared_with(self) -> str:
        return "yesterday" if self.days == 1 else f"the {self.days} days before"


@dataclass(frozen=True)
class DayFigures:
    day: date
    orders: int
    units: int
    revenue: Decimal


@dataclass(frozen=True)
class SkuFigures:
    sku_id: str
    seller_sku: str
    product: str
    variant: str
    units: int
    revenue: Decimal


@dataclass(frozen=True)
class SalesReport:
    shop_id: str
    currency: str | None
    at: int  # "now" for this report
    periods: tuple[PeriodFigures, ...]
    days: tuple[DayFigures, ...]  # the last CHART_DAYS days, oldest first, today last
    top_skus: tuple[SkuFigures, ...]  # over the last 30 days, by revenue

    @property
    def has_orders(self) -> bool:
        return any(d.orders for d in self.days) or any(p.before.orders for p in self.periods)


def sales_report(units: Sequence[SoldUnit], shop_id: str, now: int,
                 tz: tzinfo | None = None, top: int = TOP_SKUS) -> SalesReport:
    """The figures from the units of the last 60 days (`units_since` says from when)."""
    today = local_date(now, tz)
    periods = []
    for label, days in PERIODS:
        start = day_start(today - timedelta(days=days - 1), tz)
        previous_start = day_start(today - timedelta(days=2 * days - 1), tz)
        previous_end = same_time_days_before(now, days, tz)
        periods.append(PeriodFigures(
            label, days, start, now + 1, previous_start, previous_end,
            tally([u for u in units if start <= u.create_time <= now]),
            tally([u for u in units if previous_start <= u.create_time < previous_end])))
    by_day: dict[date, list[SoldUnit]] = {}
    first_day = today - timedelta(days=CHART_DAYS - 1)
    for unit in units:
        day = local_date(unit.create_time, tz)
        if first_day <= day <= today:
            by_day.setdefault(day, []).append(unit)
    series = []
    for offset in range(CHART_DAYS):
        day = first_day + timedelta(days=offset)
        counted = tally(by_day.get(day, []))
        series.append(DayFigures(day, counted.orders, counted.units, counted.revenue))
    month_start = day_start(first_day, tz)
    recent = [u for u in units if month_start <= u.create_time <= now]
    currencies = Counter(u.currency for u in units if u.currency)
    return SalesReport(shop_id, currencies.most_common(1)[0][0] if currencies else None, now,
                       tuple(periods), tuple(series), tuple(top_skus(recent, top)))


def top_skus(units: Sequence[SoldUnit], top: int = TOP_SKUS) -> list[SkuFigures]:
    """The SKUs that brought the most revenue (then units), counted as tally() counts."""
    sold: dict[str, list[SoldUnit]] = {}
    for unit in units:
        if unit.status in NOT_SALES or unit.refunded:
            continue
        sold.setdefault(unit.sku_id or unit.line_id, []).append(unit)
    figures = [
        SkuFigures(sku_id, group[-1].seller_sku or "", group[-1].product_name or "",
                   group[-1].sku_name or "", len(group), sum((u.price for u in group), ZERO))
        for sku_id, group in sold.items()
    ]
    figures.sort(key=lambda f: (-f.revenue, -f.units, f.product, f.sku_id))
    return figures[:top]


def units_since(now: int, tz: tzinfo | None = None) -> int:
    """Where a report's units start: local midnight 59 days before today (the last 30 days
    and the 30 before them)."""
    return day_start(local_date(now, tz) - timedelta(days=2 * max(d for _, d in PERIODS) - 1),
                     tz)


def read_sales(store: Store, shop_id: str, now: int, tz: tzinfo | None = None) -> SalesReport:
    """The report from the cache (a background read: tens of thousands of units at most)."""
    return sales_report(sold_units(store.conn, shop_id, units_since(now, tz), now + 1),
                        shop_id, now, tz)


# -- CSV ------------------------------------------------------------------------------------------

DAILY_HEADER = ("Date", "Orders", "Units", "Revenue", "Currency")
TOP_HEADER = ("Rank", "Product", "Variation", "Seller SKU", "SKU ID", "Units", "Revenue",
              "Currency")


def daily_csv(report: SalesReport) -> bytes:
    """The daily series: one row per day, oldest first; amounts as plain decimals."""
    currency = report.currency or ""
    return csv_bytes(DAILY_HEADER, [
        (d.day.isoformat(), d.orders, d.units, amount_text(d.revenue, currency), currency)
        for d in report.days])


def top_skus_csv(report: SalesReport) -> bytes:
    """The top SKUs; ids and seller SKUs written so spreadsheets keep them as text."""
    currency = report.currency or ""
    return csv_bytes(TOP_HEADER, [
        (rank, s.product, s.variant, as_text(s.seller_sku), as_text(s.sku_id), s.units,
         amount_text(s.revenue, currency), currency)
        for rank, s in enumerate(report.top_skus, 1)])


def export_name(kind: str, shop: str, day: date) -> str:
    """'sales-daily-demo-shop-2026-12-06.csv'."""
    words = re.sub(r"[^\w-]+", "-", shop.casefold()).strip("-_")
    return "-".join(p for p in (kind, words, day.isoformat()) if p) + ".csv"
