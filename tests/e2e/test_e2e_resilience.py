"""Retries under injected faults and the rate limiter under a burst, live."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from e2e_shop import sign_in

from tiktok_desktop.api import RetryPolicy
from tiktok_desktop.api.errors import NetworkError, RateLimitedError, ServerError
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig

# Held answers (the "timeout" fault) are cut off by the client after half a second.
SHORT_TIMEOUT = httpx.Timeout(0.5, connect=2.0)


@pytest.fixture
def faulty_shop() -> Iterator[DemoShop]:
    config = DemoShopConfig(seed=5, orders=300, products=12, fault_timeout_s=1.0)
    with DemoShop(config) as shop:
        yield shop


@pytest.mark.slow
def test_paging_survives_every_kind_of_fault(faulty_shop) -> None:
    session = sign_in(faulty_shop, timeout=SHORT_TIMEOUT)
    faulty_shop.configure(fault_rate=0.3)
    with session.api:
        pages = list(session.shop.orders.iter_pages(page_size=20))
        ids = [o["id"] for page in pages for o in page.items]
        assert len(ids) == len(set(ids)) == 300
    faults = faulty_shop.stats["faults"]
    assert faults > 0 and set(faulty_shop.stats["fault_kinds"]) == {"error", "throttle",
                                                                     "timeout", "drop"}
    assert session.api.stats.retries == faults  # each fault cost exactly one more try


@pytest.mark.slow
def test_absolute_stock_updates_are_repeated_until_they_land(faulty_shop) -> None:
    session = sign_in(faulty_shop, timeout=SHORT_TIMEOUT)
    products = session.shop.products
    live = [p for page in products.iter_pages({"status": "ACTIVATE"}) for p in page.items]
    faulty_shop.configure(fault_rate=0.3)
    with session.api:
        for n, product in enumerate(live):
            stock = [{"id": sku["id"],
                      "inventory": [{"warehouse_id": w["warehouse_id"], "quantity": 100 + n}
                                    for w in sku["inventory"]]}
                     for sku in product["skus"]]
            assert products.update_inventory(product["id"], stock) == []
        faulty_shop.configure(fault_rate=0.0)
        inventory = products.inventory_search(product_ids=[p["id"] for p in live])
    quantities = {record["product_id"]: {w["available_quantity"] for s in record["skus"]
                                         for w in s["warehouse_inventory"]}
                  for record in inventory}
    assert quantities == {p["id"]: {100 + n} for n, p in enumerate(live)}


def test_shipping_is_not_repeated_after_a_lost_answer() -> None:
    config = DemoShopConfig(seed=6, orders=60, products=8, fault_timeout_s=1.0,
                            fault_kinds=("drop",))
    with DemoShop(config) as demo:
        session = sign_in(demo, timeout=SHORT_TIMEOUT)
        order = next(o for p in session.shop.orders.iter_pages(
            {"order_status": "AWAITING_SHIPMENT"}) for o in p.items
            if o.get("shipping_type") == "TIKTOK")
        package_id = order["packages"][0]["id"]
        demo.configure(fault_rate=1.0)
        with session.api, pytest.raises(NetworkError):
            session.shop.fulfillment.ship_package(package_id)
        assert session.api.stats.retries == 0
        ships = [v for k, v in demo.stats["endpoints"].items() if k.endswith("/ship")]
        assert [v["requests"] for v in ships] == [1]


def test_server_errors_on_unsafe_calls_are_not_repeated() -> None:
    config = DemoShopConfig(seed=6, orders=60, products=8, fault_kinds=("error",))
    with DemoShop(config) as demo:
        session = sign_in(demo)
        demo.configure(fault_rate=1.0)
        with session.api, pytest.raises(ServerError):
            session.shop.fulfillment.ship_packages([{"id": "1", "handover_method": "PICKUP"}])
        assert session.api.stats.retries == 0
        assert demo.stats["endpoints"]["POST /fulfillment/202309/packages/ship"]["requests"] == 1


def test_decisions_with_an_idempotency_key_survive_lost_answers() -> None:
    config = DemoShopConfig(seed=7, orders=60, products=8, fault_timeout_s=1.0,
                            fault_kinds=("drop", "timeout"))
    with DemoShop(config) as demo:
        session = sign_in(demo, timeout=SHORT_TIMEOUT)
        orders = [demo.world.add_order() for _ in range(6)]
        cancels = [demo.world.request_cancellation(order_id) for order_id in orders]
        demo.configure(fault_rate=0.35)
        with session.api:
            for cancel_id in cancels:
                session.shop.returns.approve_cancellation(cancel_id)
            demo.configure(fault_rate=0.0)
            statuses = {o["status"] for o in session.shop.orders.get(orders)}
        assert statuses == {"CANCELLED"}


@pytest.mark.slow
def test_a_burst_from_many_threads_never_draws_a_429() -> None:
    config = DemoShopConfig(seed=8, orders=20, products=4, rate_limit=40.0)
    with DemoShop(config) as demo:
        session = sign_in(demo, rate_limit=40.0, retry=RetryPolicy(max_attempts=1))
        with session.api, ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda _: session.shop.logistics.warehouses(), range(120)))
        assert all(results)
        assert session.api.stats.throttled == 0
        assert demo.stats["throttled"] == 0 and demo.stats["requests"] >= 120


def test_without_the_limiter_the_same_burst_is_throttled() -> None:
    """The control for the test above: the server really does limit."""
    config = DemoShopConfig(seed=8, orders=20, products=4, rate_limit=40.0)
    with DemoShop(config) as demo:
        session = sign_in(demo, rate_limit=1e6, retry=RetryPolicy(max_attempts=1))

        def call(_: int) -> bool:
            try:
                session.shop.logistics.warehouses()
            except RateLimitedError:
                return False
            return True

        with session.api, ThreadPoolExecutor(16) as pool:
            answered = list(pool.map(call, range(120)))
        assert answered.count(False) > 0
        assert session.api.stats.throttled == answered.count(False) == demo.stats["throttled"]
