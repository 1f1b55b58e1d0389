"""Payouts in the seller's words: statements in a date range with their totals, a statement's
transactions fetched from TikTok Shop, what a payment status means, and the CSV export.

A statement is made daily at 00:00 UTC for the orders settled the day before (reference §7.7);
it is named by that UTC date ("the statement of 21 Nov"), whatever the seller's zone, so a
date range picks the statements whose date falls in it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tiktok_desktop.api import RequestCancelled, ShopApi
from tiktok_desktop.api.money import amount_text
from tiktok_desktop.services.stock_csv import as_text, csv_bytes
from tiktok_desktop.store import Changes, StatementRow, Store, Transaction

ZERO = Decimal(0)
PAGE_SIZE = 100
# The statements the Money tab loads the transactions of by itself (for what each order
# earned); older ones load when the seller opens them.
FILL_DAYS = 180

THIS_MONTH, LAST_MONTH, LAST_90_DAYS, CUSTOM = ("This month", "Last month", "Last 90 days",
                                                "Custom dates")
RANGE_PRESETS = (THIS_MONTH, LAST_MONTH, LAST_90_DAYS, CUSTOM)

PAYMENT_WORDS = {"PAID": "Paid out", "PROCESSING": "Being paid out", "FAILED": "Payout failed"}
# Transaction types other than ORDER, in words; any other type is shown as the API names it.
TRANSACTION_WORDS = {
    "ORDER": "Order",
    "SHIPPING_FEE_ADJUSTMENT": "Shipping fee adjustment",
    "SHIPPING_FEE_COMPENSATION": "Shipping fee compensation",
    "LOGISTICS_REIMBURSEMENT": "Logistics reimbursement",
    "PLATFORM_COMPENSATION": "TikTok compensation",
    "PLATFORM_PENALTY": "TikTok penalty",
    "CHARGE_BACK": "Chargeback",
    "SAMPLE_SHIPPING_FEE": "Sample shipping fee",
    "DEDUCTIONS_INCURRED_BY_SELLER": "Deduction",
    "REBATE": "Rebate",
}


def statement_date(statement_time: int) -> date:
    """The date a statement is named by (its UTC date)."""
    return datetime.fromtimestamp(statement_time, UTC).date()


def utc_midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def preset_dates(preset: str, today: date) -> tuple[date, date] | None:
    """The first and last statement date a preset shows (None: custom dates)."""
    if preset == THIS_MONTH:
        return today.replace(day=1), today
    if preset == LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset == LAST_90_DAYS:
        return today - timedelta(days=89), today
    return None


def statement_range(first: date, last: date) -> tuple[int, int]:
    """[start, end) of statement_time for the statements dated first..last (inclusive)."""
    first, last = min(first, last), max(first, last)
    return utc_midnight(first), utc_midnight(last + timedelta(days=1))


def payment_words(status: str | None, payment_time: int | None = None,
                  on: str = "") -> str:
    """"Paid out 22 Nov", "Being paid out", "Payout failed"; `on` is the payment date as
    the caller writes dates."""
    words = PAYMENT_WORDS.get(status or "", (status or "Unknown").replace("_", " ").capitalize())
    return f"{words} {on}".strip() if status == "PAID" and payment_time and on else words


def transaction_words(kind: str) -> str:
    return TRANSACTION_WORDS.get(kind, kind.replace("_", " ").capitalize() or "Adjustment")


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str | None
    statements: int = 0
    settlement: Decimal = ZERO
    revenue: Decimal = ZERO
    fees: Decimal = ZERO
    adjustments: Decimal = ZERO
    shipping_cost: Decimal = ZERO
    net_sales: Decimal = ZERO
    paid: Decimal = ZERO  # of the settlement: paid out already
    waiting: Decimal = ZERO  # being paid out
    failed: Decimal = ZERO


AMOUNTS = ("settlement", "revenue", "fees", "adjustments", "shipping_cost", "net_sales")


def totals(rows: Sequence[StatementRow]) -> list[CurrencyTotals]:
    """The range's totals, one per currency (a shop has one; never added across currencies)."""
    sums: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        entry = sums.setdefault(row.currency, {"statements": 0, **dict.fromkeys(
            (*AMOUNTS, "paid", "waiting", "failed"), ZERO)})
        entry["statements"] += 1
        for name in AMOUNTS:
            entry[name] += getattr(row, name)
        bucket = {"PAID": "paid", "FAILED": "failed"}.get(row.payment_status or "", "waiting")
        entry[bucket] += row.settlement
    return [CurrencyTotals(currency, **values) for currency, values in sums.items()]


@dataclass(frozen=True)
class StatementTransactions:
    """A statement's transactions as fetched (every page), and the answer's totals."""

    statement_id: str
    items: tuple[Mapping[str, Any], ...]
    totals: Mapping[str, Any] = field(default_factory=dict)


TOTAL_FIELDS = ("statement_time", "currency", "total_settlement_amount", "total_revenue_amount",
                "total_fee_amount", "total_shipping_cost_amount", "total_adjustment_amount")


def fetch_statement_transactions(shop: ShopApi, statement_id: str,
                                 cancel: threading.Event | None = None
                                 ) -> StatementTransactions:
    """Every page of one statement's transactions (network only: nothing is saved here)."""
    items: list[Mapping[str, Any]] = []
    token: str | None = None
    data: Mapping[str, Any] = {}
    while True:
        if cancel is not None and cancel.is_set():
            raise RequestCancelled("statement transactions")
        page = shop.finance.statement_transactions_page(statement_id, page_size=PAGE_SIZE,
                                                        page_token=token, sort_order="ASC")
        items.extend(page.items)
        data = page.data or data
        if page.is_last or not page.items:
            break
        token = page.next_page_token
    return StatementTransactions(statement_id, tuple(items),
                                 {k: data[k] for k in TOTAL_FIELDS if k in data})


def save_statement_transactions(store: Store, shop_id: str,
                                fetched: StatementTransactions) -> Changes:
    return store.finance.save_transactions(shop_id, fetched.statement_id, fetched.items,
                                           fetched.totals)


# -- CSV ------------------------------------------------------------------------------------------

STATEMENT_HEADER = ("Statement date", "Statement ID", "Settlement", "Revenue", "Fees",
                    "Adjustments", "Shipping cost", "Net sales", "Currency", "Payment",
                    "Paid on", "Payment ID")
TRANSACTION_HEADER = ("Statement ID", "Type", "Order ID", "Adjustment ID", "Order placed",
                      "Items", "Revenue", "Fees", "Shipping cost", "Adjustments", "Settlement",
                      "Currency")


def _day(timestamp: int | None) -> str:
    return statement_date(timestamp).isoformat() if timestamp else ""


def statements_csv(rows: Sequence[StatementRow]) -> bytes:
    """The statements shown, oldest first: amounts as plain decimals (a spreadsheet adds
    them up), ids kept as text."""
    return csv_bytes(STATEMENT_HEADER, [
        (_day(row.statement_time), as_text(row.id),
         *(amount_text(getattr(row, name), row.currency) for name in AMOUNTS),
         row.currency or "", payment_words(row.payment_status),
         _day(row.payment_time) if row.payment_status == "PAID" else "",
         as_text(row.payment_id or ""))
        for row in sorted(rows, key=lambda r: (r.statement_time, r.id))])


def transactions_csv(transactions: Sequence[Transaction]) -> bytes:
    """One statement's orders and adjustments."""
    def placed(t: Transaction) -> str:
        return (datetime.fromtimestamp(t.order_create_time).strftime("%Y-%m-%d %H:%M")
                if t.order_create_time else "")

    return csv_bytes(TRANSACTION_HEADER, [
        (as_text(t.statement_id), transaction_words(t.type), as_text(t.order_id or ""),
         as_text(t.adjustment_id or ""), placed(t), t.item_summary or "",
         *(amount_text(getattr(t, name), t.currency) for name in
           ("revenue", "fees", "shipping_cost", "adjustments", "settlement")),
         t.currency or "")
        for t in transactions])
