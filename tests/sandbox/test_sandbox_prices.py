"""Update Price as the real shop does it: all or nothing, a SKU in a running promotion locks
the request (12019045), amounts in the currency's decimals and range, a live listing only
(12019113); the bench's set_price / set_promotion; promotions picked from the seed and kept
with the saved world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sandbox import state as world_state
from tiktok_desktop.sandbox.money import minor_units
from tiktok_desktop.sandbox.records import Product
from tiktok_desktop.sandbox.state import STATE_FILE
from tiktok_desktop.sandbox.world import World

PRODUCTS = "/product/202309/products"
INVALID, PRICE_LOCKED, STATUS_INVALID = 36009004, 12019045, 12019113


def open_listing(world: World) -> Product:
    """A live listing of several SKUs, none in a promotion."""
    return next(p for p in world.products if p.status == "ACTIVATE" and len(p.skus) > 2
                and not any(s.in_promotion for s in p.skus))


def new_prices(*pairs: tuple[str, str]) -> dict:
    return {"skus": [{"id": sku_id, "price": {"amount": amount, "currency": "USD"}}
                     for sku_id, amount in pairs]}


def prices_of(product: Product) -> list[int]:
    return [sku.price for sku in product.skus]


def test_a_sku_in_a_promotion_refuses_the_whole_request(client) -> None:
    world = client.shop.world
    product = open_listing(world)
    locked, other = product.skus[0], product.skus[1]
    world.set_promotion(locked.id, True)
    world.advance_clock(60)
    before, stamped = prices_of(product), product.update_time
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update",
                              body=new_prices((other.id, "11.11"), (locked.id, "22.22")))
    assert refused["code"] == PRICE_LOCKED
    assert refused["message"] == (
        f"price is locked: the SKU {locked.id} is in an ongoing promotion")
    assert prices_of(product) == before and product.update_time == stamped


def test_every_locked_sku_is_named(client) -> None:
    world = client.shop.world
    product = open_listing(world)
    first, second, free = product.skus[:3]
    world.set_promotion(first.id, True)
    world.set_promotion(second.id, True)
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update", body=new_prices(
        (first.id, "10.00"), (free.id, "10.00"), (second.id, "10.00")))
    assert refused["code"] == PRICE_LOCKED
    assert first.id in refused["message"] and second.id in refused["message"]
    assert free.id not in refused["message"]


def test_a_generated_promotion_locks_its_sku(client) -> None:
    world = client.shop.world
    sku_id = world.skus_in_promotion()[0]
    product, sku = world.sku(sku_id)
    before = sku.price
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update",
                              body=new_prices((sku_id, "9.99")))
    assert refused["code"] == PRICE_LOCKED and sku_id in refused["message"]
    assert sku.price == before


@pytest.mark.parametrize(("amount", "reason"), [
    ("12.999", "has more decimals than USD allows (at most 2)"),
    ("0.001", "has more decimals than USD allows (at most 2)"),
    ("0", "must be more than 0"),
    ("0.00", "must be more than 0"),
    ("-5.00", "is not a positive decimal string"),
    ("100000.01", "must be at most 100000.00 USD"),
    ("1e3", "is not a positive decimal string"),
    (" 12.00", "is not a positive decimal string"),
    ("12,00", "is not a positive decimal string"),
    ("", "is not a positive decimal string"),
    (12.5, "is not a positive decimal string"),  # a JSON number, not a string
    (None, "is not a positive decimal string"),
    ("9" * 5000, "is far too large"),
])
def test_amounts_the_shop_refuses(client, amount: object, reason: str) -> None:
    product = open_listing(client.shop.world)
    sku, other = product.skus[0], product.skus[1]
    before = prices_of(product)
    body = new_prices((other.id, "10.00"), (sku.id, "1.00"))
    body["skus"][1]["price"]["amount"] = amount
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update", body=body)
    assert refused["code"] == INVALID
    assert refused["message"].startswith(f"invalid param error: skus[].price.amount {reason}")
    assert sku.id in refused["message"]
    assert prices_of(product) == before  # the good entry beside it is not applied either


@pytest.mark.parametrize(("amount", "cents"), [
    ("12.5", 1250), ("12", 1200), ("0.01", 1), ("100000.00", 10_000_000), ("007.10", 710)])
def test_amounts_the_shop_takes(client, amount: str, cents: int) -> None:
    product = open_listing(client.shop.world)
    client.ok("POST", f"{PRODUCTS}/{product.id}/prices/update",
              body=new_prices((product.skus[0].id, amount)))
    assert product.skus[0].price == cents


def test_another_currency_or_no_price_is_refused(client) -> None:
    product = open_listing(client.shop.world)
    body = new_prices((product.skus[0].id, "1500"))
    body["skus"][0]["price"]["currency"] = "JPY"
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update", body=body)
    assert refused["code"] == INVALID and "currency must be USD" in refused["message"]
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update",
                              body={"skus": [{"id": product.skus[0].id}]})
    assert refused["code"] == INVALID and "skus[].price" in refused["message"]


def test_a_listing_that_is_not_live_is_refused(client) -> None:
    world = client.shop.world
    resting = [p for p in world.products if p.status in (
        "SELLER_DEACTIVATED", "PENDING", "DRAFT", "FAILED", "PLATFORM_DEACTIVATED")]
    assert resting
    for product in resting:
        before = prices_of(product)
        _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update",
                                  body=new_prices((product.skus[0].id, "10.00")))
        assert (refused["code"], refused["message"]) == (
            STATUS_INVALID, "product status is invalid"), product.status
        assert prices_of(product) == before


def test_the_same_price_again_changes_nothing(client) -> None:
    world = client.shop.world
    product = open_listing(world)
    sku = product.skus[0]
    world.advance_clock(60)
    stamped = product.update_time
    same = f"{sku.price // 100}.{sku.price % 100:02d}"
    client.ok("POST", f"{PRODUCTS}/{product.id}/prices/update", body=new_prices((sku.id, same)))
    assert product.update_time == stamped
    client.ok("POST", f"{PRODUCTS}/{product.id}/prices/update",
              body=new_prices((sku.id, same), (product.skus[1].id, "3.21")))
    assert product.update_time == world.now() > stamped
    assert product.skus[1].price == 321


def test_set_price_is_a_price_changed_in_seller_center(client) -> None:
    world = client.shop.world
    product = open_listing(world)
    first, second = product.skus[0], product.skus[1]
    world.advance_clock(60)
    world.set_price(first.id, 1234)
    world.set_price(second.id, "5.5")
    assert product.update_time == world.now()
    full = client.ok("GET", f"{PRODUCTS}/{product.id}")
    seen = {s["id"]: s["price"]["sale_price"] for s in full["skus"]}
    assert (seen[first.id], seen[second.id]) == ("12.34", "5.50")
    world.advance_clock(60)
    world.set_price(first.id, "12.34")  # the same price: no change to the listing
    assert product.update_time == world.now() - 60
    world.set_promotion(first.id, True)
    world.set_price(first.id, 999)  # the bench may change a locked SKU's price too
    assert first.price == 999
    for bad in (0, -1, "12.999", 10_000_001):
        with pytest.raises(ValueError):
            world.set_price(first.id, bad)
    with pytest.raises(TypeError):
        world.set_price(first.id, True)  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        world.set_price("1729000000000000001", 100)
    assert first.price == 999


def test_set_promotion_locks_and_unlocks_a_sku(client) -> None:
    world = client.shop.world
    product = open_listing(world)
    sku = product.skus[0]
    world.advance_clock(60)
    stamped = product.update_time
    world.set_promotion(sku.id, True)
    assert sku.id in world.skus_in_promotion()
    assert product.update_time == stamped  # the listing itself did not change
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update",
                              body=new_prices((sku.id, "7.77")))
    assert refused["code"] == PRICE_LOCKED
    world.set_promotion(sku.id, False)
    assert sku.id not in world.skus_in_promotion()
    client.ok("POST", f"{PRODUCTS}/{product.id}/prices/update", body=new_prices((sku.id, "7.77")))
    assert sku.price == 777


def test_promotions_are_not_shown_in_the_product(client) -> None:
    world = client.shop.world
    product, _ = world.sku(world.skus_in_promotion()[0])
    full = client.ok("GET", f"{PRODUCTS}/{product.id}")
    found = client.ok("POST", f"{PRODUCTS}/search", query={"page_size": "100"}, body={})
    assert "promotion" not in json.dumps(full) + json.dumps(found)


@pytest.mark.parametrize("products", [1, 6, 30, 60])
def test_generated_worlds_have_a_few_locked_skus_picked_from_the_seed(products: int) -> None:
    config = DemoShopConfig(seed=7, orders=5, products=products)
    world, again = World(config), World(config)
    locked = world.skus_in_promotion()
    assert locked and locked == again.skus_in_promotion()
    live = [s for p in world.products if p.status == "ACTIVATE" for s in p.skus]
    assert {world.sku(sku_id)[0].status for sku_id in locked} == {"ACTIVATE"}
    assert len(locked) == max(1, round(len(live) * 0.04))
    other = World(DemoShopConfig(seed=8, orders=5, products=products))
    assert other.skus_in_promotion() != locked


def test_a_saved_world_comes_back_with_its_promotions(tmp_path: Path) -> None:
    config = DemoShopConfig(seed=4, orders=20, products=8)
    path = tmp_path / STATE_FILE
    with DemoShop(config, path) as shop:
        world = shop.world
        generated = world.skus_in_promotion()[0]
        added = open_listing(world).skus[0].id
        world.set_promotion(generated, False)
        world.set_promotion(added, True)
        kept = world.skus_in_promotion()
    with DemoShop(config, path) as again:
        assert again.restored
        assert again.world.skus_in_promotion() == kept
        assert added in kept and generated not in kept


def test_a_world_saved_before_promotions_gets_them_on_load(tmp_path: Path) -> None:
    config = DemoShopConfig(seed=4, orders=20, products=8)
    path = tmp_path / STATE_FILE
    world = World(config)
    expected = world.skus_in_promotion()
    for _, sku in world.skus.values():
        del sku.in_promotion  # pickled as a SKU record was before the field existed
    world_state.save(path, world)
    loaded = world_state.load(path, config)
    assert loaded is not None
    assert loaded[0].skus_in_promotion() == expected


def test_zero_decimal_currencies_take_whole_amounts_only() -> None:
    assert minor_units("1500", 0, "JPY") == 1500
    with pytest.raises(ValueError, match="more decimals than JPY allows"):
        minor_units("1500.0", 0, "JPY")
    assert minor_units("12.3") == 1230
