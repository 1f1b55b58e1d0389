import time

import httpx
import pytest

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.services import open_demo_session
from tiktok_desktop.services.demo import WorldInUse, demo_cache_path, reset_demo_shop
from tiktok_desktop.store import OrderQuery

CONFIG = DemoShopConfig(seed=3, orders=40, products=6)


def cached_orders(session) -> int:
    with session.cache.using("serial") as store:
        return store.orders.counts(OrderQuery(shop_id=session.shop_id))["All"]


def a_sku(session) -> tuple[str, str, list[str]]:
    products = session.api.shop(session.shop.cipher).products
    product = products.get(products.search_page(page_size=1).items[0]["id"])
    sku = product["skus"][0]
    return product["id"], sku["id"], [w["warehouse_id"] for w in sku["inventory"]]


def stock_of(session, sku_id: str) -> list[int]:
    products = session.api.shop(session.shop.cipher).products
    [entry] = products.inventory_search(sku_ids=[sku_id])
    return [w["available_quantity"] for w in entry["skus"][0]["warehouse_inventory"]]


@pytest.fixture
def session(tmp_path):
    session = open_demo_session(tmp_path, CONFIG)
    yield session
    session.close()


def test_demo_session_signs_in_and_syncs_the_whole_shop(session, tmp_path):
    assert session.is_demo
    assert session.store_path.parent == tmp_path
    assert session.shop_name

    result = session.sync()

    assert result.complete, result.errors
    assert cached_orders(session) == 40
    with session.cache.using("serial") as store:
        assert store.shops.get(session.shop_id).last_synced_at >= int(time.time()) - 5
    state = session.connection()
    assert state.online and state.problem is None
    assert not state.expiring_soon(time.time())


def test_a_second_sync_reports_only_what_is_new(session):
    session.sync()
    again = session.sync()
    assert again.complete
    assert again.new_order_ids == ()


def test_a_restart_shows_the_same_shop_stock_and_cache(tmp_path):
    first = open_demo_session(tmp_path, CONFIG)
    try:
        first.sync()
        product_id, sku_id, warehouses = a_sku(first)
        errors = first.api.shop(first.shop.cipher).products.update_inventory(
            product_id, [{"id": sku_id, "inventory": [{"warehouse_id": w, "quantity": 77}
                                                      for w in warehouses]}])
        assert not errors
    finally:
        first.close()

    second = open_demo_session(tmp_path, CONFIG)
    try:
        assert (second.shop_id, second.shop.cipher) == (first.shop_id, first.shop.cipher)
        assert cached_orders(second) == 40  # the cache was kept
        assert stock_of(second, sku_id) == [77] * len(warehouses)  # the shop kept the push
        assert second.sync().new_order_ids == ()  # and nothing looks new to the app
    finally:
        second.close()


def test_reset_starts_the_demo_shop_over(tmp_path):
    first = open_demo_session(tmp_path, CONFIG)
    try:
        first.sync()
        _, sku_id, warehouses = a_sku(first)
        generated = stock_of(first, sku_id)
        product_id = a_sku(first)[0]
        first.api.shop(first.shop.cipher).products.update_inventory(
            product_id, [{"id": sku_id, "inventory": [{"warehouse_id": w, "quantity": 5}
                                                      for w in warehouses]}])
    finally:
        first.close()

    reset_demo_shop(tmp_path)

    assert not demo_cache_path(tmp_path).exists()
    again = open_demo_session(tmp_path, CONFIG)
    try:
        assert cached_orders(again) == 0
        assert stock_of(again, sku_id) == generated
        assert again.sync().complete
        assert cached_orders(again) == 40
    finally:
        again.close()


def test_reset_refuses_while_the_demo_shop_runs(session, tmp_path):
    session.sync()
    with pytest.raises(WorldInUse):
        reset_demo_shop(tmp_path)
    assert cached_orders(session) == 40
    assert demo_cache_path(tmp_path).exists()


def test_a_second_demo_on_the_same_data_folder_leaves_the_first_alone(session, tmp_path):
    session.sync()
    assert cached_orders(session) == 40  # the session's connection stays open
    wal = demo_cache_path(tmp_path).with_name(demo_cache_path(tmp_path).name + "-wal")
    assert wal.exists()
    with pytest.raises(WorldInUse):
        open_demo_session(tmp_path, CONFIG)
    assert demo_cache_path(tmp_path).exists()
    assert wal.exists()
    assert cached_orders(session) == 40
    assert session.sync().complete


def test_close_stops_the_demo_shop(tmp_path):
    session = open_demo_session(tmp_path, DemoShopConfig(seed=3, orders=5, products=3))
    session.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(session.api.base_url + "/authorization/202309/shops", timeout=2)
