"""The sync engine against the real demo shop over loopback HTTP."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_compare import differences

from tiktok_desktop.api import ApiClient
from tiktok_desktop.sandbox import DemoShop
from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.sync import RESOURCES, SyncEngine, SyncProgress, SyncResult


def test_a_first_sync_brings_the_whole_shop_into_the_cache(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    seen: list[SyncProgress] = []
    result = make_engine().run(store, progress=seen.append)
    assert result.complete and result.errors == ()
    assert differences(shop, store) == {}
    assert result.new_order_ids == ()  # nothing is "new" in a first sync
    assert result.changes.touches("orders", "packages", "stock", "sync_state", "shops")
    assert store.shops.get(shop.world.shop.id).last_synced_at is not None
    # Progress: plain figures that only grow, an ETA once the pace is known.
    assert [p.items for p in seen] == sorted(p.items for p in seen)
    assert seen[-1].items == result.items and seen[-1].requests <= result.requests
    assert any(p.eta_s is not None for p in seen)
    assert {r.resource for r in seen[-1].resources} == set(RESOURCES)
    assert shop.stats["throttled"] == 0  # the client kept under the rate limit


def test_a_sync_with_nothing_changed_asks_little(
    shop: DemoShop, api: ApiClient, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine()
    engine.run(store)
    sent = api.stats.requests
    again = engine.run(store)
    assert again.complete
    assert all(r.requests <= 2 for r in again.resources), again.resources
    assert api.stats.requests - sent <= 2 * len(RESOURCES)
    assert again.new_order_ids == ()
    assert differences(shop, store) == {}


def test_changes_made_elsewhere_show_up_after_the_next_sync(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine()
    engine.run(store)
    world = shop.world
    to_cancel = next(o.id for o in world.orders if o.status == "AWAITING_SHIPMENT")
    world.cancel_order(to_cancel)  # in Seller Center, the same second as the last sync
    new_order = world.add_order()  # a buyer orders
    product = next(p for p in world.products if p.status == "ACTIVATE")
    sku = product.skus[0]
    warehouse = next(iter(sku.available))
    world.set_stock(sku.id, warehouse, 1234)  # counted in the warehouse
    result = engine.run(store)
    assert result.complete
    assert store.orders.rows([to_cancel])[0].status == "CANCELLED"
    assert result.new_order_ids == (new_order,)
    counts = store.orders.counts(OrderQuery(world.shop.id))
    assert counts["All"] == len(world.orders.rows)
    assert differences(shop, store) == {}
    [row] = [r for r in store.catalog.stock_rows(world.shop.id, product_ids=[product.id])
             if r.sku_id == sku.id and r.warehouse_id == warehouse]
    assert row.available == 1234


def test_a_shop_clock_far_from_ours_changes_nothing(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine(clock=lambda: 1_000_000_000.0)  # this computer thinks it is 2001
    engine.run(store)
    shop.world.advance_clock(3 * 86400)  # and the shop's clock runs three days ahead
    cancelled = next(o.id for o in shop.world.orders if o.status == "AWAITING_SHIPMENT")
    shop.world.cancel_order(cancelled)
    added = shop.world.add_order()
    result = engine.run(store)
    assert result.complete and result.new_order_ids == (added,)
    assert differences(shop, store) == {}


class Crash(Exception):
    pass


def crash_after(pages: int) -> Callable[[SyncProgress], None]:
    def progress(report: SyncProgress) -> None:
        if report.pages >= pages:
            raise Crash("the app died here")

    return progress


@pytest.mark.parametrize("pages", [1, 5, 12])
def test_a_crash_between_pages_resumes_without_gaps_or_duplicates(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine], pages: int,
    tmp_path: Path,
) -> None:
    with pytest.raises(Crash):
        make_engine(max_per_resource=3).run(store, progress=crash_after(pages))
    kept = store.db["orders"].count
    result = make_engine(max_per_resource=3).run(store)  # the app started again
    assert result.complete
    assert differences(shop, store) == {}
    assert store.db["order_search"].count == store.db["orders"].count  # no duplicate
    if kept >= 100:  # it went on from the saved windows: fewer orders read than from scratch
        with Store.open(tmp_path / "fresh.sqlite3") as fresh:
            scratch = make_engine(max_per_resource=3).run(fresh)
        assert orders_read(result) < orders_read(scratch)


def orders_read(result: SyncResult) -> int:
    return next(r.items for r in result.resources if r.resource == "orders")


def test_a_crash_inside_a_write_loses_only_that_page(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = Store.save_prepared
    calls = 0

    def failing(self: Store, *args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "save_prepared", failing)
    with pytest.raises(OSError):
        make_engine().run(store)
    monkeypatch.setattr(Store, "save_prepared", real)
    assert make_engine().run(store).complete
    assert differences(shop, store) == {}


def test_cancel_stops_soon_and_the_next_run_finishes(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    cancel = threading.Event()
    result = make_engine().run(store, progress=lambda _: cancel.set(), cancel=cancel)
    assert result.cancelled and not result.complete
    assert store.shops.get(shop.world.shop.id) is None  # not marked synced
    assert make_engine().run(store).complete
    assert differences(shop, store) == {}


def test_a_resource_the_app_may_not_read_fails_alone(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    shop.world.revoke_scope("seller.finance.info")
    result = make_engine().run(store)
    assert not result.complete
    [failed] = [r for r in result.resources if r.error]
    assert failed.resource == "statements" and failed.requests == 1
    assert result.errors[0].startswith("statements: ")
    assert store.db["orders"].count == len(shop.world.orders.rows)
    shop.world.grant_scope("seller.finance.info")
    assert make_engine().run(store).complete


def test_only_the_resources_asked_for(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    result = make_engine(resources=("orders",)).run(store)
    assert [r.resource for r in result.resources] == ["orders"] and result.complete
    assert store.db["packages"].count == 0
    with pytest.raises(ValueError, match="refunds"):
        make_engine(resources=("orders", "refunds"))
