"""The demo shop keeps its world between runs: the same orders, listings, stock (also what the
app pushed), packages and history after a restart, a clock that never goes back, fresh ids for
new orders; a damaged saved world starts a new one."""

from __future__ import annotations

import json
import logging
import pickle
import re
import time
from pathlib import Path

import pytest

from tiktok_desktop.api import ApiClient, AuthClient
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sandbox import state as world_state
from tiktok_desktop.sandbox.state import STATE_FILE, WorldInUse, holding

CONFIG = DemoShopConfig(seed=4, orders=60, products=6)


def signed_in(shop: DemoShop) -> ApiClient:
    with AuthClient(shop.app_key, shop.app_secret, base_url=shop.base_url) as auth:
        tokens = auth.exchange_code(shop.authorize(state="s"))
    return ApiClient(shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
                     auth_base_url=shop.base_url, rate_limit=shop.config.rate_limit)


def what_the_app_sees(shop: DemoShop) -> dict:
    """Orders, packages, listings and stock, read through the real client over HTTP."""
    with signed_in(shop) as api:
        seller = api.shop(shop.world.shop.cipher)
        orders = [o for page in seller.orders.iter_pages(page_size=50) for o in page.items]
        packages = [p for page in seller.fulfillment.iter_package_pages(page_size=50)
                    for p in page.items]
        products = [p for page in seller.products.iter_pages(page_size=50) for p in page.items]
        stock = seller.products.inventory_search(product_ids=[p["id"] for p in products])
    seen = {"orders": sorted(orders, key=lambda o: o["id"]),
            "packages": sorted(packages, key=lambda p: p["id"]),
            "products": sorted(products, key=lambda p: p["id"]),
            "stock": sorted(stock, key=lambda s: s["product_id"])}
    # Picture links name the shop's port and are signed anew now and then: keep their uri.
    return json.loads(re.sub(r'http://[^"]+/wsos/product_img/([^"?]+)\.png(\?[^"]*)?', r"\1",
                             json.dumps(seen)))


def first_sku(shop: DemoShop) -> tuple[str, str, list[str]]:
    product = next(iter(shop.world.products))
    sku = product.skus[0]
    return product.id, sku.id, sorted(sku.available)


def test_a_restart_shows_the_same_shop_with_the_stock_the_app_pushed(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with DemoShop(CONFIG, path) as shop:
        assert not shop.restored
        shop.world.add_order()
        shop.world.cancel_order(shop.world.add_order())
        product_id, sku_id, warehouses = first_sku(shop)
        with signed_in(shop) as api:
            errors = api.shop(shop.world.shop.cipher).products.update_inventory(product_id, [
                {"id": sku_id, "inventory": [{"warehouse_id": w, "quantity": 417 + n}
                                             for n, w in enumerate(warehouses)]}])
            assert not errors
        before = what_the_app_sees(shop)

    with DemoShop(CONFIG, path) as again:
        assert again.restored
        after = what_the_app_sees(again)
        assert after == before
        [pushed] = [s for entry in after["stock"] for s in entry["skus"] if s["id"] == sku_id]
        assert sorted(w["available_quantity"] for w in pushed["warehouse_inventory"]) == [417, 418]
        assert len(after["orders"]) == CONFIG.orders + 2


def test_history_comes_back_too(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with DemoShop(CONFIG, path) as shop:
        world = shop.world
        kept = {name: sorted(r.id for r in getattr(world, name))
                for name in ("returns", "cancellations", "statements", "brands")}
        world.revoke_scope("seller.finance.info")
    with DemoShop(CONFIG, path) as again:
        world = again.world
        assert {name: sorted(r.id for r in getattr(world, name)) for name in kept} == kept
        assert "seller.finance.info" not in world.granted_scopes
        assert world.shop == shop.world.shop  # the same shop id and cipher


def test_new_orders_after_a_restart_get_new_ids_and_are_not_in_the_past(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with DemoShop(CONFIG, path) as shop:
        shop.world.advance_clock(3600)  # the shop's clock ran ahead of the computer's
        ahead = shop.world.now()
        newest = shop.world.orders[shop.world.add_order()]
        known = set(shop.world.orders.rows)
    with DemoShop(CONFIG, path) as again:
        world = again.world
        assert world.now() >= ahead
        made = [world.orders[world.add_order()] for _ in range(20)]
        assert not {o.id for o in made} & known
        assert len({o.id for o in made}) == 20
        assert all(o.create_time >= newest.create_time for o in made)
        lines = [line.id for o in world.orders for line in o.lines]
        assert len(lines) == len(set(lines))


def test_changes_are_saved_while_the_shop_runs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("tiktok_desktop.sandbox.server.SAVE_EVERY_S", 0.05)
    path = tmp_path / STATE_FILE
    with DemoShop(DemoShopConfig(seed=4, orders=20, products=3, new_order_every_s=0.05),
                  path) as shop:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            saved = world_state.load(path, shop.config)
            if saved is not None and len(saved[0].orders) > 20:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the new orders were never saved while the shop ran")


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all",
                                    pickle.dumps({"format": 99}),
                                    pickle.dumps(print)])  # a class outside the demo world
def test_a_damaged_saved_world_starts_a_new_one(tmp_path: Path, damage: bytes, caplog) -> None:
    caplog.set_level(logging.INFO, logger="tiktok_desktop.sandbox.state")
    path = tmp_path / STATE_FILE
    path.write_bytes(damage)
    with DemoShop(CONFIG, path) as shop:
        assert not shop.restored
        assert len(shop.world.orders) == CONFIG.orders
    assert "starts a new one" in caplog.text
    with DemoShop(CONFIG, path) as again:  # and the new one is kept
        assert again.restored


def test_a_world_of_another_format_is_set_aside_by_its_header_alone(
        tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="tiktok_desktop.sandbox.state")
    path = tmp_path / STATE_FILE
    # An older format's records may no longer load: they are not read at all.
    path.write_bytes(pickle.dumps({"format": world_state.FORMAT - 1, "made_by": (4, 60, 6)})
                     + b"records of another shape")
    with DemoShop(CONFIG, path) as shop:
        assert not shop.restored
    assert "made by another version of the app" in caplog.text


def test_a_truncated_saved_world_starts_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with DemoShop(CONFIG, path):
        pass
    path.write_bytes(path.read_bytes()[:5000])
    assert not DemoShop(CONFIG, path).restored


def test_a_world_made_for_another_shop_is_not_carried_on(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with DemoShop(CONFIG, path):
        pass
    other = DemoShop(DemoShopConfig(seed=5, orders=60, products=6), path)
    assert not other.restored


def test_the_saved_world_is_private(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with DemoShop(CONFIG, path):
        pass
    assert path.stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]  # no temporary file left


def test_one_holder_of_a_world_folder_at_a_time(tmp_path: Path) -> None:
    with holding(tmp_path), pytest.raises(WorldInUse), holding(tmp_path):
        pass
    with holding(tmp_path):  # released when the first one ended
        pass


def test_forget_starts_the_world_over(tmp_path: Path) -> None:
    with DemoShop(CONFIG, tmp_path / STATE_FILE) as shop:
        shop.world.add_order()
    with holding(tmp_path):
        world_state.forget(tmp_path)
    assert not DemoShop(CONFIG, tmp_path / STATE_FILE).restored
