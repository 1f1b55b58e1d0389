"""Search picks its plan by how many orders match (few: start from the full-text matches;
many: walk the sort column's index). Both plans must give the same answer."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_samples import SHOP, STATUSES, line_item, order

from tiktok_desktop.store import SORT_COLUMNS, STATUS_FILTERS, OrderQuery, Store
from tiktok_desktop.store import orders as orders_module
from tiktok_desktop.store.search import few_matches, match_expression

BUYERS = ("maria_k", "marco", "bart", "barbara", "anna", "annette", "zoe", "tom_b")
PRODUCTS = ("Cotton tee", "Bar stool", "Barrel bag", "Linen apron", "Tea towel", "Marble tray")
DAY = 86400


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A few hundred orders with overlapping words, statuses, dates, totals and ties."""
    rng = random.Random(7)
    orders = [
        order(n, status=rng.choice(STATUSES), buyer=rng.choice(BUYERS),
              create_time=1_700_000_000 + rng.randrange(30) * DAY, total=f"{rng.randrange(50)}.00",
              items=[line_item(n * 10 + i, sku=rng.randrange(20), product=rng.choice(PRODUCTS),
                               seller_sku=f"SKU-{rng.randrange(40)}")
                     for i in range(rng.randrange(1, 4))])
        for n in range(400)
    ]
    path = tmp_path_factory.mktemp("plans") / "cache.sqlite3"
    with Store.open(path) as opened:
        opened.save_page(SHOP, "orders", orders, None)
        yield opened


def both_plans(store: Store, query: OrderQuery,
               monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, int]]]:
    answers = []
    for few in (True, False):
        monkeypatch.setattr(orders_module, "few_matches", lambda conn, match, few=few: few)
        answers.append((store.orders.ids(query), store.orders.counts(query)))
    return answers


prefixes = st.text(alphabet="abmrtoknzs-0123456789", min_size=1, max_size=4)
queries = st.builds(
    lambda words, status, sort, descending, start: (words, status, sort, descending, start),
    st.lists(prefixes, min_size=1, max_size=2).map(" ".join),
    st.sampled_from(list(STATUS_FILTERS)), st.sampled_from(sorted(SORT_COLUMNS)),
    st.booleans(), st.none() | st.integers(0, 30),
)


@settings(max_examples=150, deadline=None)
@given(queries)
def test_both_plans_find_the_same_orders_in_the_same_order(store: Store, case: tuple) -> None:
    words, status, sort, descending, start = case
    created_from = None if start is None else 1_700_000_000 + start * DAY
    query = OrderQuery(SHOP, status=status, search=words, sort=sort, descending=descending,
                       created_from=created_from)
    with pytest.MonkeyPatch.context() as patch:
        from_matches, from_index = both_plans(store, query, patch)
    assert from_matches == from_index


def test_a_common_prefix_gives_the_same_answer_either_way(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = OrderQuery(SHOP, search="bar")
    from_matches, from_index = both_plans(store, query, monkeypatch)
    assert from_matches == from_index and len(from_matches[0]) > 50


def test_the_plan_follows_the_number_of_matches(store: Store) -> None:
    bar = match_expression("bar")
    assert bar is not None
    (matching,) = store.conn.execute(
        "SELECT count(*) FROM order_search WHERE order_search MATCH ?", (bar,)).fetchone()
    assert few_matches(store.conn, bar, most=matching)
    assert not few_matches(store.conn, bar, most=matching - 1)
    single = match_expression("b")
    assert single is not None and not few_matches(store.conn, single, most=10**9)
