"""The command line, the seeded world, and the shop that keeps living."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter

import httpx
import pytest

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sandbox.__main__ import config_of, parse_args
from tiktok_desktop.sandbox.world import World


def test_the_command_line_prints_one_json_line_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tiktok_desktop.sandbox", "--port", "0", "--seed", "3",
         "--orders", "40", "--products", "5", "--latency-ms", "0", "--rate-limit", "50",
         "--fault-rate", "0", "--redirect-url", "http://127.0.0.1:1/cb"],
        stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(process.stdout.readline())
        assert set(info) == {"base_url", "app_key", "app_secret", "service_id", "redirect_url"}
        assert info["redirect_url"] == "http://127.0.0.1:1/cb"
        with httpx.Client(verify=False) as http:
            page = http.get(f"{info['base_url']}/open/authorize",
                            params={"service_id": info["service_id"]})
        assert page.status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ""  # nothing but the one line
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_command_line_switches_business_errors_to_http_200() -> None:
    assert not config_of(parse_args([])).business_errors_as_200
    assert config_of(parse_args(["--business-errors-as-200"])).business_errors_as_200


def test_the_same_seed_gives_the_same_shop() -> None:
    first, second = (World(DemoShopConfig(seed=11, orders=200, products=10)) for _ in range(2))
    assert list(first.orders.rows) == list(second.orders.rows)
    assert [o.lines[0].sku_id for o in first.orders] == [o.lines[0].sku_id for o in second.orders]
    other = World(DemoShopConfig(seed=12, orders=200, products=10))
    assert list(other.orders.rows) != list(first.orders.rows)


def test_a_small_shop_still_has_every_status_and_no_sold_out_commitments() -> None:
    world = World(DemoShopConfig(seed=5, orders=9, products=1))
    assert len(Counter(o.status for o in world.orders)) == 9
    assert all(q >= 0 for _, sku in world.skus.values() for q in sku.committed.values())


def test_new_orders_arrive_while_the_shop_runs() -> None:
    config = DemoShopConfig(orders=20, products=5, new_order_every_s=0.02)
    with DemoShop(config) as shop:
        deadline = time.monotonic() + 10
        while len(shop.world.orders) < 25 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(shop.world.orders) >= 25
        newest = max(shop.world.orders, key=lambda o: o.create_time)
        assert newest.status == "AWAITING_SHIPMENT" and newest.packages


def test_the_world_moves_orders_along() -> None:
    world = World(DemoShopConfig(seed=2, orders=50, products=5))
    order_id = world.add_order(status="UNPAID")
    assert world.advance_order(order_id) == "ON_HOLD"
    assert world.advance_order(order_id) == "AWAITING_SHIPMENT"
    order = world.orders.rows[order_id]
    assert order.paid_time and order.packages
    with pytest.raises(ValueError):
        world.advance_order(order_id)  # the seller has to ship it
    world.ship(world.packages.rows[order.packages[0]])
    assert [world.advance_order(order_id) for _ in range(3)] == [
        "IN_TRANSIT", "DELIVERED", "COMPLETED"]
    with pytest.raises(ValueError):
        world.cancel_order(order_id)


def test_set_stock_changes_the_listing_and_its_update_time() -> None:
    world = World(DemoShopConfig(seed=2, orders=10, products=5))
    product, sku = next(iter(world.skus.values()))
    warehouse = next(iter(sku.available))
    world.advance_clock(60)
    world.set_stock(sku.id, warehouse, 7)
    assert sku.available[warehouse] == 7 and product.update_time == world.now()
    selection = world.products.select("update_time", ge=world.now(), limit=5)
    assert [p.id for p in selection.rows] == [product.id]


@pytest.mark.slow
def test_a_100k_order_shop_generates_and_pages_by_update_time() -> None:
    world = World(DemoShopConfig(seed=1, orders=100_000, products=60))
    assert len(world.orders) == 100_000
    times = sorted(o.update_time for o in world.orders)
    low, high = times[40_000], times[60_000]
    selection = world.orders.select("update_time", ge=low, lt=high, limit=100)
    assert len(selection.rows) == 100 and selection.total == sum(
        1 for t in times if low <= t < high)
    assert all(low <= o.update_time < high for o in selection.rows)


def test_a_sale_moves_stock_but_not_the_products_update_time() -> None:
    world = World(DemoShopConfig(seed=2, orders=10, products=5))
    before = {p.id: p.update_time for p in world.products}
    stock = {s.id: dict(s.available) for p in world.products for s in p.skus}
    world.advance_clock(60)
    order = world.orders.rows[world.add_order()]
    assert {p.id: p.update_time for p in world.products} == before
    sold = world.skus[order.lines[0].sku_id][1]
    assert sum(sold.available.values()) < sum(stock[sold.id].values())
    world.cancel_order(order.id)
    assert sold.available == stock[sold.id]
    assert {p.id: p.update_time for p in world.products} == before
