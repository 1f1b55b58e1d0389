"""Order, package and tracking numbers are found by any run of four or more of their
characters (a seller types the last digits), as a plain scan of the numbers would find them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_samples import SHOP, line_item, order, package

from tiktok_desktop.store import OrderQuery, Store

WORDS = ("linen apron", "wool socks", "cotton tee")


def shop_with(tmp_path: Path, numbers: list[tuple[int, str]]) -> Store:
    """Orders n with a package carrying `tracking`; products and buyers are words only."""
    store = Store.open(tmp_path / "cache.sqlite3")
    store.save_page(SHOP, "orders", [
        order(n, buyer="maria", create_time=1_700_000_000 + n,
              items=[line_item(n * 10, product=WORDS[n % 3], variant="", seller_sku="TEE-BLK")])
        for n, _ in numbers], None)
    store.save_page(SHOP, "packages", [
        package(n, [f"{576000000000000000 + n}"], tracking=tracking) for n, tracking in numbers],
        None)
    return store


def numbers_of(n: int, tracking: str) -> list[str]:
    return [f"{576000000000000000 + n}", f"{1150000000000000000 + n}", tracking]


def test_the_last_digits_find_the_order(tmp_path: Path) -> None:
    with shop_with(tmp_path, [(1, "1Z999AA10123456784"), (2, "9400111202555842761234")]) as s:
        def found(text: str) -> list[str]:
            return s.orders.ids(OrderQuery(SHOP, search=text))

        assert found("000001") == ["576000000000000001"]  # an order id's tail
        assert found("0000000000002") == ["576000000000000002"]  # a package id's tail
        assert found("5842761") == ["576000000000000002"]  # inside a tracking number
        assert found("aa1012") == ["576000000000000001"]  # any case, letters too
        assert found("784") == []  # three characters inside a number: not enough
        assert set(found("576")) == {"576000000000000001", "576000000000000002"}


@st.composite
def shops(draw: st.DrawFn) -> tuple[list[tuple[int, str]], str]:
    count = draw(st.integers(min_value=1, max_value=12))
    trackings = draw(st.lists(st.text("0123456789", min_size=8, max_size=22),
                              min_size=count, max_size=count))
    numbers = list(enumerate(trackings, start=1))
    pick_n, pick_tracking = draw(st.sampled_from(numbers))
    source = draw(st.sampled_from(numbers_of(pick_n, pick_tracking)))
    start = draw(st.integers(min_value=0, max_value=len(source) - 4))
    end = draw(st.integers(min_value=start + 4, max_value=len(source)))
    return numbers, source[start:end]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=shops())
def test_a_number_search_finds_what_a_plain_scan_finds(tmp_path_factory, case) -> None:
    numbers, typed = case
    folder = tmp_path_factory.mktemp("shop")
    with shop_with(folder, numbers) as store:
        found = set(store.orders.ids(OrderQuery(SHOP, search=typed)))
    expected = {f"{576000000000000000 + n}" for n, tracking in numbers
                if any(typed in number for number in numbers_of(n, tracking))}
    assert found == expected
