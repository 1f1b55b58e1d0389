"""What the Money tab and an order's detail read about payouts: statements in a date range, a
statement's transactions (orders and adjustments), and what one order really earned.

Statements are synced (table `statements`, the API's object in `raw`); their transactions are
fetched one statement at a time (services/payouts.py) and kept by `save_transactions`
(migration 8). Amounts stay decimal strings in the cache and are read as Decimal, never float.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.sql import dumps, immediate

ZERO = Decimal(0)
# The statement's amounts in its raw object, by the name StatementRow gives them.
STATEMENT_AMOUNTS = {
    "settlement": "settlement_amount", "revenue": "revenue_amount", "fees": "fee_amount",
    "adjustments": "adjustment_amount", "shipping_cost": "shipping_cost_amount",
    "net_sales": "net_sales_amount",
}
TRANSACTION_AMOUNTS = {
    "settlement": "settlement_amount", "revenue": "revenue_amount", "fees": "fee_amount",
    "shipping_cost": "shipping_cost_amount", "adjustments": "adjustment_amount",
}


def amount(value: object) -> Decimal:
    """A decimal string from the API as a Decimal; missing or unreadable: 0."""
    if value is None or value == "":
        return ZERO
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ZERO
    return number if number.is_finite() else ZERO


@dataclass(frozen=True)
class StatementRow:
    """One daily statement as the Money tab lists it. Fees and shipping cost are negative
    (taken from the settlement), as the API gives them."""

    id: str
    statement_time: int
    currency: str | None
    settlement: Decimal
    revenue: Decimal
    fees: Decimal
    adjustments: Decimal
    shipping_cost: Decimal
    net_sales: Decimal
    payment_status: str | None
    payment_time: int | None
    payment_id: str | None
    transactions_cached: bool


@dataclass(frozen=True)
class Transaction:
    """One line of a statement: an order (type ORDER) or an adjustment."""

    statement_id: str
    id: str
    type: str
    order_id: str | None
    adjustment_id: str | None
    order_create_time: int | None
    currency: str | None
    settlement: Decimal
    revenue: Decimal
    fees: Decimal
    shipping_cost: Decimal
    adjustments: Decimal
    item_summary: str | None = None  # the cached order's items, when the order is cached

    @property
    def is_order(self) -> bool:
        return self.type == "ORDER"


@dataclass(frozen=True)
class OrderEarnings:
    """What an order earned the seller, from the cached statement transactions naming it.

    `transactions` empty: no statement loaded so far paid it; `unread_statements` says how many
    statements since the order was placed have no transactions cached yet (0: it truly is not
    paid out yet)."""

    order_id: str
    transactions: tuple[Transaction, ...]
    statements: tuple[StatementRow, ...]
    unread_statements: int

    @property
    def settled(self) -> bool:
        return bool(self.transactions)

    @property
    def currency(self) -> str | None:
        return next((t.currency for t in self.transactions if t.currency), None)

    def total(self, name: str) -> Decimal:
        """The sum of one amount ("settlement", "revenue", "fees", ...) over its lines."""
        return sum((getattr(t, name) for t in self.transactions), ZERO)


_STATEMENT_SELECT = """SELECT s.id, s.statement_time, s.currency, s.settlement_amount,
    s.payment_status, s.raw, f.statement_id IS NOT NULL
    FROM statements s LEFT JOIN statement_fetches f ON f.statement_id = s.id"""


def _statement(values: Sequence[Any]) -> StatementRow:
    statement_id, statement_time, currency, settlement, status, raw_text, cached = values
    raw = json.loads(raw_text)
    amounts = {name: amount(raw.get(key)) for name, key in STATEMENT_AMOUNTS.items()}
    amounts["settlement"] = amount(settlement)
    payment_time = raw.get("payment_time")
    return StatementRow(
        id=statement_id, statement_time=statement_time or 0, currency=currency,
        payment_status=status, payment_time=payment_time if isinstance(payment_time, int)
        else None, payment_id=raw.get("payment_id") or None, transactions_cached=bool(cached),
        **amounts)


_TRANSACTION_COLUMNS = """t.statement_id, t.id, t.type, t.order_id, t.adjustment_id,
    t.order_create_time, t.currency, t.settlement_amount, t.revenue_amount, t.fee_amount,
    t.shipping_cost_amount, t.adjustment_amount, o.item_summary"""


def _transaction(values: Sequence[Any]) -> Transaction:
    (statement_id, transaction_id, kind, order_id, adjustment_id, created, currency, settlement,
     revenue, fees, shipping, adjustments, summary) = values
    return Transaction(statement_id, transaction_id, kind or "", order_id or None,
                       adjustment_id or None, created, currency, amount(settlement),
                       amount(revenue), amount(fees), amount(shipping), amount(adjustments),
                       summary)


def transaction_row(shop_id: str, statement_id: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """A transaction of Get Statement Transactions as its cache row."""
    return {
        "statement_id": statement_id,
        "id": str(item.get("id") or ""),
        "shop_id": shop_id,
        "type": item.get("type"),
        "order_id": item.get("order_id") or None,
        "adjustment_id": item.get("adjustment_id") or None,
        "order_create_time": item.get("order_create_time"),
        "currency": item.get("currency"),
        **{key: item.get(key) for key in TRANSACTION_AMOUNTS.values()},
        "raw": dumps(dict(item)),
    }


class Finance:
    """Payout queries on one connection (use from the thread that holds it)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def statements(self, shop_id: str, start: int | None = None,
                   end: int | None = None) -> list[StatementRow]:
        """The shop's statements with statement_time in [start, end), newest first."""
        rows = self._conn.execute(
            f"{_STATEMENT_SELECT} WHERE s.shop_id = ? AND s.statement_time >= ? "
            "AND s.statement_time < ? ORDER BY s.statement_time DESC, s.id DESC",
            (shop_id, start if start is not None else -(2**62),
             end if end is not None else 2**62))
        return [_statement(values) for values in rows]

    def statement(self, statement_id: str) -> StatementRow | None:
        found = self._conn.execute(f"{_STATEMENT_SELECT} WHERE s.id = ?",
                                   (statement_id,)).fetchone()
        return None if found is None else _statement(found)

    def transactions(self, statement_id: str) -> list[Transaction] | None:
        """The statement's transactions in the order the API gave them (orders by when they
        were placed); None when they were never fetched."""
        if self._conn.execute("SELECT 1 FROM statement_fetches WHERE statement_id = ?",
                              (statement_id,)).fetchone() is None:
            return None
        rows = self._conn.execute(
            f"SELECT {_TRANSACTION_COLUMNS} FROM statement_transactions t "
            "LEFT JOIN orders o ON o.id = t.order_id WHERE t.statement_id = ? "
            "ORDER BY t.rowid", (statement_id,))
        return [_transaction(values) for values in rows]

    def unfetched(self, shop_id: str, since: int = 0) -> list[str]:
        """Statements (statement_time >= since) whose transactions are not cached, newest
        first."""
        return [row[0] for row in self._conn.execute(
            "SELECT s.id FROM statements s LEFT JOIN statement_fetches f "
            "ON f.statement_id = s.id WHERE s.shop_id = ? AND s.statement_time >= ? "
            "AND f.statement_id IS NULL ORDER BY s.statement_time DESC, s.id DESC",
            (shop_id, since))]

    def save_transactions(self, shop_id: str, statement_id: str,
                          items: Sequence[Mapping[str, Any]],
                          totals: Mapping[str, Any] | None = None) -> Changes:
        """Keep a statement's transactions (all of them: the ones cached before are replaced)
        and the totals the answer gave, in one transaction."""
        rows = [transaction_row(shop_id, statement_id, item) for item in items]
        with immediate(self._conn):
            self._conn.execute("DELETE FROM statement_transactions WHERE statement_id = ?",
                               (statement_id,))
            if rows:
                columns = list(rows[0])
                self._conn.executemany(
                    f"INSERT OR REPLACE INTO statement_transactions ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})",
                    [tuple(row[c] for c in columns) for row in rows])
            self._conn.execute(
                "INSERT OR REPLACE INTO statement_fetches (statement_id, shop_id, fetched_at, "
                "transaction_count, totals) VALUES (?, ?, ?, ?, ?)",
                (statement_id, shop_id, int(time.time()), len(rows), dumps(dict(totals or {}))))
        return Changes.of(shop_id, statement_transactions=len(rows), statement_fetches=1)

    def order_earnings(self, order_id: str) -> OrderEarnings | None:
        """What the order earned, from the transactions naming it; None for an order that is
        not cached. Indexed reads: fine on the GUI thread."""
        order = self._conn.execute("SELECT shop_id, create_time FROM orders WHERE id = ?",
                                   (order_id,)).fetchone()
        if order is None:
            return None
        shop_id, created = order
        transactions = tuple(_transaction(values) for values in self._conn.execute(
            f"SELECT {_TRANSACTION_COLUMNS} FROM statement_transactions t "
            "LEFT JOIN orders o ON o.id = t.order_id WHERE t.order_id = ? "
            "ORDER BY t.order_create_time, t.rowid", (order_id,)))
        statement_ids = list(dict.fromkeys(t.statement_id for t in transactions))
        statements = tuple(s for s in map(self.statement, statement_ids) if s is not None)
        unread = 0
        if not transactions:
            unread = self._conn.execute(
                "SELECT count(*) FROM statements s LEFT JOIN statement_fetches f "
                "ON f.statement_id = s.id WHERE s.shop_id = ? AND s.statement_time >= ? "
                "AND f.statement_id IS NULL", (shop_id, created or 0)).fetchone()[0]
        return OrderEarnings(order_id, transactions, statements, unread)
