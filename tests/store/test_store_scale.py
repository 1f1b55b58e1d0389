"""100,000 orders: every Orders-tab query is answered from an index, and answers correctly.

Tests never time anything (the benchmarks do); instead they check SQLite's query plan: never a
table scan, and no sorting step for a sorted list, whatever the sort column.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_samples import SHOP, STATUSES

from tiktok_desktop.store import SORT_COLUMNS, STATUS_FILTERS, OrderQuery, Store
from tiktok_desktop.store.orders import DUE_TODAY
from tiktok_desktop.store.search import rebuild_search_index

pytestmark = pytest.mark.slow

N = 100_000
START = 1_690_000_000


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("big") / "cache.sqlite3"
    store = Store.open(path)
    rng = random.Random(7)
    buyers = ["anna", "bob", "carla", "dmitri", "eve"]
    rows = [
        (f"{576000000000000000 + i}", SHOP, rng.choice(STATUSES), START + i * 300,
         START + i * 300 + rng.randrange(9000), f"{rng.choice(buyers)}{i % 97}",
         rng.randrange(1, 5), f"{rng.randrange(100, 90000) / 100:.2f}",
         rng.randrange(100, 90000), f"RM{i:09d}GB")
        for i in range(N)
    ]
    with store.db.atomic():  # a bulk load: the writer's per-page work is not what is tested
        store.conn.executemany(
            "INSERT INTO orders (id, shop_id, status, create_time, update_time, buyer, "
            "item_count, total_amount, total_minor, tracking_number, currency, ship_by, raw) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'GBP', ?, '{}')",
            [(*r, ship_by(i, r[2])) for i, r in enumerate(rows)])
        store.conn.executemany(
            "INSERT INTO order_line_items (id, order_id, sku_id, product_name, seller_sku) "
            "VALUES (?, ?, ?, ?, ?)",
            [(str(i), r[0], f"sku{i % 50}", "Wool socks" if i % 10 == 0 else "Cotton tee",
              f"SKU-{i % 50}") for i, r in enumerate(rows)])
        rebuild_search_index(store.conn)
    yield store
    store.close()


def ship_by(i: int, status: str) -> int | None:
    """Two days after the order, give or take; none before payment."""
    return None if status == "UNPAID" else START + i * 300 + 2 * 86400 - (i % 13) * 3600


DUE = START + 40_000 * 300  # "today" ends here: 40% of the orders to ship are due


def plans(store: Store, monkeypatch: pytest.MonkeyPatch, *calls: str,
          query: OrderQuery) -> list[str]:
    """SQLite's query plan for each statement the named Orders methods run for `query`."""
    statements: list[tuple[str, dict]] = []
    real = store.conn

    class Recording:
        def execute(self, sql: str, params: dict):
            statements.append((sql, params))
            return real.execute(sql, params)

    with monkeypatch.context() as patch:
        patch.setattr(store.orders, "_conn", Recording())
        for call in calls:
            getattr(store.orders, call)(query)
    return ["\n".join(r[3] for r in real.execute("EXPLAIN QUERY PLAN " + sql, params))
            for sql, params in statements]


QUERIES = [
    OrderQuery(SHOP),
    OrderQuery(SHOP, status="To ship", sort="total", descending=False),
    OrderQuery(SHOP, status="Cancelled", created_from=START + 5_000_000,
               created_to=START + 20_000_000, sort="buyer"),
    OrderQuery(SHOP, status="All", search="anna1 soc", sort="ship_by"),
    OrderQuery(SHOP, status="In transit", search="RM0000", sort="tracking_number"),
    OrderQuery(SHOP, status=DUE_TODAY, due_before=DUE, sort="ship_by"),
    OrderQuery(SHOP, status=DUE_TODAY, due_before=DUE, sort="create_time", search="bob"),
]


@pytest.mark.parametrize("query", QUERIES)
def test_ids_and_counts_never_scan_the_orders_table(
    big_store: Store, query: OrderQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = plans(big_store, monkeypatch, "ids", "counts", query=query)
    reads = [line for text in texts for line in text.splitlines()
             if line.startswith(("SCAN o ", "SEARCH o "))]
    # Orders are always reached through an index, or by rowid from the full-text matches when
    # few orders match; SQLite may still choose to sort a narrow selection (one status in a
    # date range) rather than walk a sort index.
    assert len(reads) >= 2, texts  # ids and counts
    assert all("INDEX" in line or "INTEGER PRIMARY KEY" in line for line in reads), texts


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("status", ["All", "To ship"])
def test_every_sort_column_is_read_from_one_index_in_order(
    big_store: Store, sort: str, status: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = OrderQuery(SHOP, status=status, sort=sort, created_from=START + 86400)
    texts = plans(big_store, monkeypatch, "ids", query=query)
    # The orders with a value, then (sorted by anything but the id) those without one.
    assert len(texts) == (1 if SORT_COLUMNS[sort] in ("id", "status", "create_time") else 2)
    for text in texts:
        assert "COVERING INDEX" in text and "TEMP B-TREE" not in text, text


def test_answers_at_scale_match_a_plain_computation(big_store: Store) -> None:
    everything = big_store.conn.execute(
        "SELECT id, status, create_time, total_minor FROM orders").fetchall()
    lo, hi = START + 1_000_000, START + 9_000_000
    in_range = [r for r in everything if lo <= r[2] < hi]
    query = OrderQuery(SHOP, status="To ship", created_from=lo, created_to=hi, sort="total")
    expected = sorted((r for r in in_range if r[1] in STATUS_FILTERS["To ship"]),
                      key=lambda r: (r[3], r[1], r[2], r[0]), reverse=True)
    assert big_store.orders.ids(query) == [r[0] for r in expected]
    counts = big_store.orders.counts(query)
    assert counts["All"] == len(in_range)
    # Each order under one status tab (Ship today / overdue is a part of To ship).
    assert sum(n for label, n in counts.items() if label not in ("All", DUE_TODAY)) == len(
        in_range)
    socks = big_store.orders.ids(OrderQuery(SHOP, search="wool"))
    assert len(socks) == N // 10
    ids = big_store.orders.ids(OrderQuery(SHOP))
    assert len(ids) == N and len(big_store.orders.rows(ids[:200])) == 200
    assert big_store.orders.lookup(SHOP, "RM000012345GB") == f"{576000000000000000 + 12345}"
    # The last digits a seller types find the order among 100,000 (order id and tracking).
    assert big_store.orders.ids(OrderQuery(SHOP, search="0054321")) == [
        f"{576000000000000000 + 54321}"]
    assert big_store.orders.ids(OrderQuery(SHOP, search="00054321GB")) == [
        f"{576000000000000000 + 54321}"]


def test_ship_today_at_scale_matches_a_plain_computation(big_store: Store) -> None:
    everything = big_store.conn.execute(
        "SELECT id, status, create_time, ship_by FROM orders").fetchall()
    due = [r for r in everything
           if r[1] in STATUS_FILTERS["To ship"] and r[3] is not None and r[3] < DUE]
    query = OrderQuery(SHOP, status=DUE_TODAY, due_before=DUE, sort="ship_by",
                       descending=False)
    expected = sorted(due, key=lambda r: (r[3], r[1], r[2], r[0]))
    assert big_store.orders.ids(query) == [r[0] for r in expected]
    assert big_store.orders.counts(query)[DUE_TODAY] == len(due) > 1000
    lo, hi = START + 2_000_000, START + 3_000_000
    dated = OrderQuery(SHOP, status=DUE_TODAY, due_before=DUE, created_from=lo, created_to=hi)
    assert big_store.orders.counts(dated)[DUE_TODAY] == sum(lo <= r[2] < hi for r in due)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_part_of_a_number_finds_what_a_plain_scan_finds(big_store: Store, data) -> None:
    """On 100,000 orders: a part (≥ 4 characters) of an order id or tracking number, typed in
    any case, finds exactly the orders a plain scan of their numbers finds."""
    numbers = dict(big_store.conn.execute("SELECT id, id || ' ' || tracking_number FROM orders"))
    source = data.draw(st.sampled_from(sorted(numbers)).map(lambda i: numbers[i]))
    start = data.draw(st.integers(0, len(source) - 4))
    part = source[start:start + data.draw(st.integers(4, 10))].strip()
    if len(part) < 4 or " " in part:
        return  # across the space between two numbers: not a part of one
    typed = data.draw(st.sampled_from([part, part.lower()]))
    found = set(big_store.orders.ids(OrderQuery(SHOP, search=typed)))
    expected = {order_id for order_id, text in numbers.items() if part in text}
    # The words' prefix match may add orders whose other words start with it (none here).
    assert found == expected
