"""Under injected faults (errors, throttling, timeouts, dropped connections) the cache still
ends up equal to the shop: retries, resumed windows and upserts, never a gap or a duplicate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sync_compare import differences

from tiktok_desktop.api import ApiClient
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.store import Store
from tiktok_desktop.sync import SyncEngine

pytestmark = pytest.mark.slow


@pytest.fixture
def shop_config() -> DemoShopConfig:
    # The shop holds a "timeout" answer 0.5 s; the client gives up after 0.2 s.
    return DemoShopConfig(seed=5, orders=1500, products=40, fault_rate=0.1, fault_timeout_s=0.5)


@pytest.fixture
def read_timeout_s() -> float:
    return 0.2


def test_a_sync_converges_to_the_shop_under_ten_percent_faults(
    shop: DemoShop, api: ApiClient, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine()
    runs = [engine.run(store) for _ in range(2)]
    while not runs[-1].complete and len(runs) < 6:  # a resource may give up for one run
        runs.append(engine.run(store))
    assert runs[-1].complete, runs[-1].errors
    assert shop.stats["faults"] >= 3 and api.stats.retries > 0
    shop.configure(fault_rate=0.0)
    # Every fault also changed nothing: once the faults stop, nothing is left to fetch.
    assert differences(shop, store) == {}
    assert store.db["order_search"].count == store.db["orders"].count
    assert all(r.requests <= 2 for r in engine.run(store).resources)


def test_changes_made_during_faults_arrive(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine()
    engine.run(store)
    world = shop.world
    for order in [o.id for o in world.orders if o.status == "AWAITING_SHIPMENT"][:5]:
        world.cancel_order(order)
    added = [world.add_order() for _ in range(3)]
    result = engine.run(store)
    while not result.complete:
        result = engine.run(store)
    shop.configure(fault_rate=0.0)
    assert differences(shop, store) == {}
    assert set(added) <= set(store.orders.existing(added))
