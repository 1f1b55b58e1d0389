"""Payouts: date ranges of statements, their totals in words, the CSV export, and a statement's
transactions fetched from the demo shop (every page) and kept in the cache."""

from __future__ import annotations

import csv
import io
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from demo_sessions import synced_session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from finance_samples import DAY, NOV_1, SHOP, statement

from tiktok_desktop.api import RequestCancelled
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.payouts import (
    CUSTOM,
    LAST_90_DAYS,
    LAST_MONTH,
    THIS_MONTH,
    fetch_statement_transactions,
    payment_words,
    preset_dates,
    save_statement_transactions,
    statement_date,
    statement_range,
    statements_csv,
    totals,
)
from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.store import Store


def test_presets_name_statement_dates() -> None:
    today = date(2026, 3, 9)
    assert preset_dates(THIS_MONTH, today) == (date(2026, 3, 1), today)
    assert preset_dates(LAST_MONTH, today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert preset_dates(LAST_MONTH, date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert preset_dates(LAST_90_DAYS, today) == (date(2025, 12, 10), today)
    assert preset_dates(CUSTOM, today) is None
    # A statement is named by its UTC date, whatever the computer's zone.
    start, end = statement_range(date(2026, 11, 1), date(2026, 11, 1))
    assert (start, end) == (NOV_1, NOV_1 + DAY) and statement_date(NOV_1) == date(2026, 11, 1)


def test_totals_per_currency_and_payments_in_words(tmp_path: Path) -> None:
    with Store.open(tmp_path / "cache.sqlite3") as store:
        store.save_page(SHOP, "statements", [
            statement(1, NOV_1, revenue="100.00", fee="-8.00", shipping="-2.00"),
            statement(2, NOV_1 + DAY, revenue="50.00", fee="-4.00", adjustment="3.50",
                      status="PROCESSING"),
            statement(3, NOV_1 + 2 * DAY, revenue="20.00", fee="-1.00", status="FAILED"),
            statement(4, NOV_1 + 3 * DAY, revenue="1000", fee="-10", currency="JPY"),
        ], None)
        rows = store.finance.statements(SHOP)
    usd, jpy = sorted(totals(rows), key=lambda t: t.currency)[::-1]
    assert usd.currency == "USD" and usd.statements == 3
    assert usd.settlement == Decimal("158.50") and usd.fees == Decimal("-13.00")
    assert (usd.paid, usd.waiting, usd.failed) == (Decimal("90.00"), Decimal("49.50"),
                                                   Decimal("19.00"))
    assert jpy.settlement == Decimal(990)  # never added to dollars
    assert payment_words("PAID", NOV_1, "on 2 Nov") == "Paid out on 2 Nov"
    assert payment_words("PROCESSING") == "Being paid out"
    assert payment_words("FAILED") == "Payout failed"
    data = statements_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:4] == ["Statement date", "Statement ID", "Settlement", "Revenue"]
    assert table[1] == ["2026-11-01", '="7330000000000000001"', "90.00", "100.00", "-8.00",
                        "0.00", "-2.00", "100.00", "USD", "Paid out", "2026-11-02",
                        '="7331000000000000001"']
    assert table[4][2] == "990" and table[4][8] == "JPY"  # JPY has no decimals


@pytest.fixture(scope="module")
def shop() -> Iterator[DemoShop]:
    with DemoShop(DemoShopConfig(seed=31, orders=400, products=60, rate_limit=0)) as running:
        yield running


@pytest.fixture
def session(shop: DemoShop, tmp_path: Path) -> Iterator[ShopSession]:
    with synced_session(shop, tmp_path, "payouts") as opened:
        yield opened


def test_a_statement_is_fetched_page_by_page_and_kept(shop: DemoShop,
                                                      session: ShopSession) -> None:
    world = shop.world
    big = max(world.statements, key=lambda s: len(s.order_ids) + (1 if s.adjustment else 0))
    fetched = session.statement_transactions(big.id)
    assert [t["order_id"] for t in fetched.items if t["type"] == "ORDER"] == big.order_ids
    assert Decimal(fetched.totals["total_settlement_amount"]) == sum(
        Decimal(t["settlement_amount"]) for t in fetched.items)
    with session.cache.using("serial") as store:
        changes = save_statement_transactions(store, session.shop_id, fetched)
        assert changes.count("statement_transactions") == len(fetched.items)
        kept = store.finance.transactions(big.id)
        earned = store.finance.order_earnings(big.order_ids[0])
    assert [t.id for t in kept] == [t["id"] for t in fetched.items]
    assert earned.settled and earned.statements[0].id == big.id


def test_the_demo_shop_has_statements_over_months_and_adjustments(shop: DemoShop) -> None:
    times = sorted(s.statement_time for s in shop.world.statements)
    assert (times[-1] - times[0]) // DAY >= 60  # "last month" and "this month" both have some
    assert any(s.adjustment for s in shop.world.statements)


def test_small_pages_and_a_cancel(shop: DemoShop, session: ShopSession) -> None:
    statement_id = max(shop.world.statements, key=lambda s: len(s.order_ids)).id
    api = session.api.shop(session.shop.cipher)
    calls = []
    real = api.finance.statement_transactions_page

    def small(statement_id: str, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("page_token"))
        return real(statement_id, **{**kwargs, "page_size": 2})

    api.finance.statement_transactions_page = small  # type: ignore[method-assign]
    fetched = fetch_statement_transactions(api, statement_id)
    assert len(calls) >= 2 and calls[0] is None
    assert len(fetched.items) == len({t["id"] for t in fetched.items})
    stop = threading.Event()
    stop.set()
    with pytest.raises(RequestCancelled):
        fetch_statement_transactions(api, statement_id, stop)
