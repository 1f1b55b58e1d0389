"""A push that crashed halfway is finished at the next start: nothing lost, nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from stock_shop import StockShop, count_updates, open_stock_shop

from tiktok_desktop.api import ItemError
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.stock_edits import StockCell, add, save_changes
from tiktok_desktop.store import Store
from tiktok_desktop.sync.stock_push import StockPusher


class Crash(BaseException):
    """The process dying: nothing after it runs."""


class CrashingPusher(StockPusher):
    """Dies on its first update, before or after the shop applied it."""

    def __init__(self, shop: StockShop, *, after_effect: bool) -> None:
        super().__init__(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                         max_in_flight=1)
        self.after_effect = after_effect

    def send(self, job):  # type: ignore[no-untyped-def]
        if self.after_effect:
            super().send(job)
        raise Crash


@pytest.fixture
def shop(tmp_path: Path, business_errors_as_200: bool) -> Iterator[StockShop]:
    with DemoShop(DemoShopConfig(seed=6, orders=20, products=5, rate_limit=50.0,
                                 business_errors_as_200=business_errors_as_200)) as demo:
        opened = open_stock_shop(demo, tmp_path)
        yield opened
        opened.session.close()


def one_cell_per_product(shop: StockShop) -> list[StockCell]:
    firsts: dict[str, StockCell] = {}
    for cell in shop.cells():
        firsts.setdefault(cell.product_id, cell)
    return list(firsts.values())[:3]


@pytest.mark.parametrize("after_effect", [True, False], ids=["answer-lost", "never-sent"])
def test_a_crashed_push_is_resumed_and_each_edit_lands_exactly_once(
        shop: StockShop, after_effect: bool) -> None:
    writes = count_updates(shop.demo)
    cells = one_cell_per_product(shop)
    edits = [(c, (c.available or 0) + 11) for c in cells]
    shop.edit(edits)
    with shop.store() as store, pytest.raises(Crash):
        CrashingPusher(shop, after_effect=after_effect).push(store)
    assert sorted(shop.states().values()) == ["pending", "pending", "sent"]

    with Store.open(shop.session.store_path) as store:  # the next start
        pusher = StockPusher(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                             settle_s=0.0)
        assert pusher.interrupted(store)
        result = pusher.push(store, resume=True)
        assert not pusher.interrupted(store)

    assert (result.done, result.left) == (3, 0)
    assert shop.states() == {}
    for cell, new in edits:
        assert shop.shop_stock(cell) == new
        assert writes.count((cell.sku_id, cell.warehouse_id, new)) == 1


def test_resume_does_nothing_when_no_push_was_interrupted(shop: StockShop) -> None:
    cell = one_cell_per_product(shop)[0]
    shop.edit([(cell, 77)])  # edited, never pushed: waits for the seller's review
    result = shop.session.push_stock(resume=True)
    assert result.total == 0
    assert shop.states() == {cell.key: "pending"}


def test_edits_made_during_a_push_wait_for_the_next_one(shop: StockShop) -> None:
    a, b = one_cell_per_product(shop)[:2]
    shop.edit([(a, 21)])
    pusher = StockPusher(shop.session.api, shop.session.shop.cipher, shop.shop_id)
    late: list[ItemError] = []

    def edit_b_once(progress: object) -> None:
        if not late:
            late.append(ItemError(0, "", ""))
            shop.edit([(b, 22)])

    with shop.store() as store:
        result = pusher.push(store, progress=edit_b_once)
    assert (result.total, result.done) == (1, 1)
    assert shop.states() == {b.key: "pending"}


@pytest.mark.parametrize("after_effect", [True, False], ids=["answer-lost", "never-sent"])
def test_a_crashed_push_of_amounts_adds_each_once(shop: StockShop, after_effect: bool) -> None:
    """The amount became a number when it was claimed, so the next start can tell whether the
    lost request landed: +11 is never added twice, nor lost."""
    cells = one_cell_per_product(shop)
    with shop.store() as store:
        save_changes(store, shop.shop_id, add(cells, 11))
    with shop.store() as store, pytest.raises(Crash):
        CrashingPusher(shop, after_effect=after_effect).push(store)

    with Store.open(shop.session.store_path) as store:  # the next start
        pusher = StockPusher(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                             settle_s=0.0)
        result = pusher.push(store, resume=True)

    assert (result.done, result.left, result.conflicts) == (3, 0, 0)
    for cell in cells:
        assert shop.shop_stock(cell) == (cell.available or 0) + 11
