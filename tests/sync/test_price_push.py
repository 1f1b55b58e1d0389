"""Pushing price edits to the demo shop: read first, one update per product, outcomes in words."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from stock_shop import StockShop, open_stock_shop

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.cell_edits import keep_mine, take_theirs
from tiktok_desktop.services.price_edits import (
    PRICE_EDITS,
    PriceCell,
    load_cells,
    open_edits,
    save_changes,
)
from tiktok_desktop.store.outbox import PRICE
from tiktok_desktop.sync.price_push import PricePusher, price_push_interrupted


@pytest.fixture
def shop(tmp_path: Path, business_errors_as_200: bool) -> Iterator[StockShop]:
    with DemoShop(DemoShopConfig(seed=5, orders=30, products=8, rate_limit=50.0,
                                 business_errors_as_200=business_errors_as_200)) as demo:
        opened = open_stock_shop(demo, tmp_path)
        for sku_id in demo.world.skus_in_promotion():  # each test locks what it needs
            demo.world.set_promotion(sku_id, False)
        yield opened
        opened.session.close()


def cells(shop: StockShop) -> list[PriceCell]:
    with shop.store() as store:
        return load_cells(store, shop.shop_id)[0]


def live(shop: StockShop) -> list[PriceCell]:
    return [c for c in cells(shop) if c.live and c.available is not None]


def edit(shop: StockShop, changes: list[tuple[PriceCell, str]]) -> None:
    with shop.store() as store:
        save_changes(store, shop.shop_id, [c.change(Decimal(p)) for c, p in changes])


def shop_price(shop: StockShop, cell: PriceCell) -> int:
    """The demo shop's price of the SKU, in cents."""
    with shop.demo.world.lock:
        return shop.demo.world.skus[cell.sku_id][1].price


def states(shop: StockShop) -> dict[str, tuple[str, str | None]]:
    with shop.store() as store:
        return {k: (e.state, e.message) for k, e in open_edits(store, shop.shop_id).items()}


def update_calls(shop: StockShop) -> int:
    endpoint = "POST /product/202309/products/{id}/prices/update"
    return shop.demo.stats["endpoints"].get(endpoint, {}).get("requests", 0)


def two_products(shop: StockShop) -> tuple[list[PriceCell], PriceCell]:
    """Two SKUs of one live product and one SKU of another."""
    found = live(shop)
    by_product: dict[str, list[PriceCell]] = {}
    for cell in found:
        by_product.setdefault(cell.product_id, []).append(cell)
    several = next(group for group in by_product.values() if len(group) >= 2)
    other = next(c for c in found if c.product_id != several[0].product_id)
    return several[:2], other


def test_prices_reach_the_shop_one_call_per_product_and_are_audited(shop: StockShop) -> None:
    pair, other = two_products(shop)
    edit(shop, [(pair[0], "19.99"), (pair[1], "21.50"), (other, "5.00")])
    before = update_calls(shop)

    result = shop.session.push_prices()

    assert (result.done, result.failed, result.conflicts, result.left) == (3, 0, 0, 0)
    assert update_calls(shop) - before == 2  # one per product
    assert [shop_price(shop, c) for c in (*pair, other)] == [1999, 2150, 500]
    assert states(shop) == {}
    with shop.store() as store:
        audit = {a.target: a for a in store.audit.entries(shop.shop_id, kind=PRICE)}
    assert {t: (a.old, a.new, a.result) for t, a in audit.items()} == {
        pair[0].sku_id: (str(pair[0].available), "19.99", "done"),
        pair[1].sku_id: (str(pair[1].available), "21.50", "done"),
        other.sku_id: (str(other.available), "5.00", "done")}
    assert audit[pair[0].sku_id].request_id == audit[pair[1].sku_id].request_id
    assert audit[pair[0].sku_id].request_id != audit[other.sku_id].request_id
    shown = {c.sku_id: c.available for c in cells(shop)}  # the cache has the new prices
    assert shown[pair[0].sku_id] == Decimal("19.99") and shown[other.sku_id] == Decimal("5.00")


def test_a_price_changed_elsewhere_is_a_conflict_until_the_seller_decides(
        shop: StockShop) -> None:
    pair, _ = two_products(shop)
    edit(shop, [(pair[0], "30.00"), (pair[1], "31.00")])
    shop.demo.world.set_price(pair[0].sku_id, "12.34")  # in Seller Center, meanwhile
    shop.demo.world.set_price(pair[1].sku_id, "12.35")

    result = shop.session.push_prices()

    assert (result.done, result.conflicts) == (0, 2)
    assert states(shop)[pair[0].sku_id] == (
        "conflict", f"Changed elsewhere: the shop now has 12.34 USD (it had "
                    f"{pair[0].available:,} USD when you edited it).")
    assert shop_price(shop, pair[0]) == 1234
    now = {c.key: c for c in cells(shop)}
    with shop.store() as store:
        keep_mine(store, PRICE_EDITS, [now[pair[0].key]])
        take_theirs(store, [now[pair[1].key]])
    result = shop.session.push_prices()
    assert (result.done, result.conflicts, result.left) == (1, 0, 0)
    assert shop_price(shop, pair[0]) == 3000 and shop_price(shop, pair[1]) == 1235
    assert states(shop) == {}


def test_a_listing_that_is_not_live_is_refused_in_words_before_anything_is_sent(
        shop: StockShop) -> None:
    pair, other = two_products(shop)
    edit(shop, [(pair[0], "40.00"), (other, "41.00")])
    with shop.demo.world.lock:
        product, _ = shop.demo.world.sku(pair[0].sku_id)
    with shop.demo.world.changing(shop.demo.world.products, product):
        product.status = "SELLER_DEACTIVATED"
    before = update_calls(shop)

    result = shop.session.push_prices()

    assert (result.done, result.failed) == (1, 1)
    assert update_calls(shop) - before == 1
    assert states(shop)[pair[0].sku_id] == (
        "failed", "This listing is Deactivated by you: TikTok Shop changes the price of live "
                  "listings only. Nothing was changed.")
    statuses = {c.product_id: c.status for c in cells(shop)}
    assert statuses[pair[0].product_id] == "SELLER_DEACTIVATED"  # the cache learnt it too


def test_a_promotion_locks_its_sku_and_the_other_skus_go_on_their_own(
        shop: StockShop) -> None:
    pair, _ = two_products(shop)
    shop.demo.world.set_promotion(pair[0].sku_id, True)
    edit(shop, [(pair[0], "50.00"), (pair[1], "51.00")])

    result = shop.session.push_prices()

    assert (result.done, result.failed, result.left) == (1, 1, 0)
    assert shop_price(shop, pair[1]) == 5100
    assert shop_price(shop, pair[0]) == int(pair[0].available * 100)  # type: ignore[operator]
    state, message = states(shop)[pair[0].sku_id]
    assert state == "failed" and message.startswith("A promotion running on this SKU locks")


def test_a_lost_answer_is_settled_by_reading_the_price_never_by_sending_again(
        shop: StockShop, monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_desktop.api.errors import NetworkError

    pair, _ = two_products(shop)
    edit(shop, [(pair[0], "60.00")])
    sent = []
    real = PricePusher.send

    def lost(self: PricePusher, job):  # type: ignore[no-untyped-def]
        real(self, job)  # it took effect …
        sent.append(job.product_id)
        raise NetworkError("the answer never came")  # … but the answer was lost

    monkeypatch.setattr(PricePusher, "send", lost)
    with shop.store() as store:
        result = PricePusher(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                             recheck_after_s=0.0).push(store)

    assert sent == [pair[0].product_id]  # once
    assert (result.done, result.left) == (1, 0)
    assert shop_price(shop, pair[0]) == 6000
    with shop.store() as store:
        [entry] = store.audit.entries(shop.shop_id, kind=PRICE)
        assert not price_push_interrupted(store, shop.shop_id)
    assert entry.message == "Confirmed: the shop has it (the answer had been lost)."


class Crash(BaseException):
    """The process dying: nothing after it runs."""


class CrashingPusher(PricePusher):
    """Dies on its first update, before or after the shop applied it."""

    def __init__(self, shop: StockShop, *, after_effect: bool) -> None:
        super().__init__(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                         max_in_flight=1)
        self.after_effect = after_effect

    def send(self, job):  # type: ignore[no-untyped-def]
        if self.after_effect:
            super().send(job)
        raise Crash


@pytest.mark.parametrize("after_effect", [True, False], ids=["answer-lost", "never-sent"])
def test_a_crashed_push_is_finished_at_the_next_start_each_price_once(
        shop: StockShop, after_effect: bool) -> None:
    pair, other = two_products(shop)
    edits = [(pair[0], "70.00"), (pair[1], "71.00"), (other, "72.00")]
    edit(shop, edits)
    before = update_calls(shop)
    with shop.store() as store, pytest.raises(Crash):
        CrashingPusher(shop, after_effect=after_effect).push(store)
    assert sorted(state for state, _ in states(shop).values()).count("sent") >= 1

    with shop.store() as store:  # the next start
        pusher = PricePusher(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                             settle_s=0.0)
        assert pusher.interrupted(store)
        result = pusher.push(store, resume=True)
        assert not pusher.interrupted(store)

    assert (result.done, result.left, result.conflicts, result.failed) == (3, 0, 0, 0)
    assert [shop_price(shop, c) for c, _ in edits] == [7000, 7100, 7200]
    assert states(shop) == {}
    assert update_calls(shop) - before == 2  # one per product: the lost one never sent again
    with shop.store() as store:
        audit = store.audit.entries(shop.shop_id, kind=PRICE)
    assert sorted(a.target for a in audit) == sorted(c.sku_id for c, _ in edits)  # each once
