"""The Orders search takes any text a seller can paste: NUL and other control characters, lone
surrogates, FTS5's own syntax, a page of 5,000 words. It never fails, looks for at most 20 words
(the seller is shown which), and a control character separates words as a space does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_samples import SHOP, line_item, order

from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.store.search import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS

BUYERS = ("maria", "o'neil", "zoë", "李")
ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates included
PIECES = st.sampled_from([
    "tee", "maria", "wool", "5760", "0000001", "TEE-BLK", "\x00", "\x01", "\x1f", "\x7f", "\x85",
    "\ud800", "\udfff", "\ufeff", "\u200b", '"', "*", "NEAR(", "AND", "OR", "NOT", "^", ":",
    "-", "+", "(", ")", "{buyer}", " ", "\t", "\n", "ß", "ﬁ", "²"])
SEARCHES = st.one_of(
    st.text(ANY_CHARACTER, max_size=40),
    st.lists(PIECES | st.text(ANY_CHARACTER, max_size=3), max_size=12).map("".join))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("search") / "cache.sqlite3"
    with Store.open(path) as store:
        store.save_page(SHOP, "orders", [
            order(n, buyer=buyer, create_time=1_700_000_000 + n, items=[
                line_item(n * 10, product="Cotton tee" if n % 2 else "Wool socks")])
            for n, buyer in enumerate(BUYERS, start=1)], None)
        yield store


def found(store: Store, text: str) -> list[str]:
    return store.orders.ids(OrderQuery(SHOP, search=text))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=SEARCHES)
def test_any_search_text_is_answered(shop: Store, text: str) -> None:
    query = OrderQuery(SHOP, search=text)
    ids = shop.orders.ids(query)
    assert set(ids) <= set(found(shop, ""))
    assert shop.orders.counts(query)["All"] == len(ids)
    shop.orders.lookup(SHOP, text)  # a scanned code: no order, or one, never an error


@pytest.mark.parametrize("separator", ["\x00", "\x01", "\x1b", "\x7f", "\ud800"])
def test_a_control_character_or_lone_surrogate_separates_words(shop: Store,
                                                                separator: str) -> None:
    assert found(shop, f"maria{separator}tee") == found(shop, "maria tee") != []
    assert found(shop, f"{separator}0000001") == found(shop, "0000001") != []
    assert shop.orders.lookup(SHOP, f"576000000000000001{separator}") == "576000000000000001"


def test_a_pasted_page_searches_its_first_words_and_says_which(shop: Store) -> None:
    page = "  maria\x00tee " + " ".join(f"word{n}" for n in range(5_000))
    query = OrderQuery(SHOP, search=page)
    words = query.search.split()
    assert len(words) == MAX_SEARCH_WORDS and len(query.search) <= MAX_SEARCH_CHARS
    assert words[:3] == ["maria", "tee", "word0"]  # what the seller is told was searched
    assert shop.orders.ids(query) == found(shop, query.search) == []
    assert OrderQuery(SHOP, search="maria " * 5_000).search == " ".join(["maria"] * 20)
    assert found(shop, "maria " * 5_000) == found(shop, "maria")
