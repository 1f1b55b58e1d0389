"""Statements and their transactions in the cache: the range read, the transactions kept for
offline reading (migration 8), and what one order earned."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from finance_samples import (
    DAY,
    NOV_1,
    SHOP,
    adjustment_transaction,
    order_transaction,
    sample_order,
    statement,
)

from tiktok_desktop.store import Store


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        opened.save_page(SHOP, "statements", [
            statement(1, NOV_1, revenue="100.00", fee="-8.00", shipping="-2.00"),
            statement(2, NOV_1 + DAY, revenue="50.00", fee="-4.00", adjustment="3.50",
                      status="PROCESSING"),
            statement(3, NOV_1 - DAY, revenue="10.00", fee="-1.00"),  # 31 Oct
        ], None)
        opened.save_page(SHOP, "orders", [sample_order(1, created=NOV_1 - 5 * DAY),
                                          sample_order(2, created=NOV_1 + 10 * DAY)], None)
        yield opened


def test_statements_of_a_range_newest_first_with_their_amounts(store: Store) -> None:
    rows = store.finance.statements(SHOP, NOV_1, NOV_1 + 30 * DAY)
    assert [r.id for r in rows] == ["7330000000000000002", "7330000000000000001"]
    first = rows[1]
    assert (first.settlement, first.revenue, first.fees, first.shipping_cost) == (
        Decimal("90.00"), Decimal("100.00"), Decimal("-8.00"), Decimal("-2.00"))
    assert first.payment_status == "PAID" and first.payment_time == NOV_1 + DAY
    assert rows[0].adjustments == Decimal("3.50") and rows[0].payment_time is None
    assert not any(r.transactions_cached for r in rows)
    assert len(store.finance.statements(SHOP)) == 3


def test_transactions_are_kept_and_replaced_whole(store: Store) -> None:
    order_id = "576000000000000001"
    assert store.finance.transactions("7330000000000000001") is None  # never fetched
    changes = store.finance.save_transactions(SHOP, "7330000000000000001", [
        order_transaction(1, order_id, revenue="100.00", fee="-8.00", shipping="-2.00"),
        adjustment_transaction(1, "4.00"),
    ], {"total_settlement_amount": "94.00"})
    assert changes.count("statement_transactions") == 2 and SHOP in changes.shop_ids
    kept = store.finance.transactions("7330000000000000001")
    assert [t.type for t in kept] == ["ORDER", "LOGISTICS_REIMBURSEMENT"]
    assert kept[0].item_summary == "1 × Cotton tee (Black, M)"  # from the cached order
    assert kept[0].settlement == Decimal("90.00") and kept[1].adjustment_id == "6001"
    store.finance.save_transactions(SHOP, "7330000000000000001", [], {})
    assert store.finance.transactions("7330000000000000001") == []  # fetched, and empty
    assert store.finance.statement("7330000000000000001").transactions_cached


def test_unfetched_statements_newest_first_since_a_time(store: Store) -> None:
    store.finance.save_transactions(SHOP, "7330000000000000002", [], {})
    assert store.finance.unfetched(SHOP) == ["7330000000000000001", "7330000000000000003"]
    assert store.finance.unfetched(SHOP, since=NOV_1) == ["7330000000000000001"]


def test_what_an_order_earned_once_its_statement_is_read(store: Store) -> None:
    order_id = "576000000000000001"
    before = store.finance.order_earnings(order_id)
    assert not before.settled and before.unread_statements == 3  # all after it was placed
    store.finance.save_transactions(SHOP, "7330000000000000001", [
        order_transaction(1, order_id, revenue="100.00", fee="-8.00", shipping="-2.00")])
    earned = store.finance.order_earnings(order_id)
    assert earned.settled and earned.total("settlement") == Decimal("90.00")
    assert earned.total("fees") == Decimal("-8.00") and earned.currency == "USD"
    assert [s.id for s in earned.statements] == ["7330000000000000001"]
    assert store.orders.detail(order_id).earnings == earned


def test_an_order_not_in_any_statement_read_is_not_paid_out_yet(store: Store) -> None:
    later = "576000000000000002"  # placed after every statement
    earned = store.finance.order_earnings(later)
    assert not earned.settled and earned.unread_statements == 0
    assert store.finance.order_earnings("576999999999999999") is None
