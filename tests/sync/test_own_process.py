"""A sync in its own process: same result as on a thread, progress, cancel, renewed tokens and
failures come back to the caller, and nothing secret travels in a log line."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from sync_compare import differences

from tiktok_desktop.api import ApiClient, TokenSet
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.sync.own_process import (
    SyncOrder,
    SyncProcessError,
    log_levels,
    sync_in_own_process,
)
from tiktok_desktop.sync.progress import SyncProgress


@pytest.fixture
def shop_config() -> DemoShopConfig:
    return DemoShopConfig(seed=5, orders=120, products=12)


def order_for(shop: DemoShop, api: ApiClient, path: Path) -> SyncOrder:
    return SyncOrder(api.settings(), shop.world.shop.cipher, shop.world.shop.id, path,
                     log_levels())


def test_a_sync_in_its_own_process_fills_the_cache_and_reports_progress(shop, api, tmp_path):
    path = tmp_path / "cache.sqlite3"
    seen: list[SyncProgress] = []
    result = sync_in_own_process(order_for(shop, api, path), progress=seen.append)
    assert result.complete, result.errors
    assert result.changes.touches("orders")
    assert seen and seen[-1].items == result.items
    assert [p.items for p in seen] == sorted(p.items for p in seen)
    with Store.open(path) as store:
        assert store.orders.counts(OrderQuery(shop.world.shop.id))["All"] == 120
        assert differences(shop, store) == {}
        assert store.shops.get(shop.world.shop.id).last_synced_at is not None


def test_a_cancel_reaches_the_child(shop, api, tmp_path):
    cancel = threading.Event()
    cancel.set()
    result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"), cancel=cancel)
    assert result.cancelled and not result.complete


REFRESH = "GET /api/v2/token/refresh"
WEEK = 7 * 86400


def refresh_calls(shop: DemoShop) -> int:
    """Refresh calls that reached the shop's token host (each rotates the refresh token: a
    second one with the same token would be refused)."""
    return shop.stats["endpoints"].get(REFRESH, {}).get("requests", 0)


def test_the_window_renews_tokens_the_child_finds_due(shop, api, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="tiktok_desktop")
    # The same sign-in, but due for renewal: the child asks before its first call.
    due = dataclasses.replace(api.tokens, access_token_expires_at=int(time.time()) + 10)
    api.adopt_tokens(due)
    result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"), api=api)
    assert result.complete, result.errors
    assert refresh_calls(shop) == 1 and api.stats.refreshes == 1
    assert api.tokens.access_token != due.access_token  # the window's client holds them
    assert api.authorized_shops()
    assert "Access token renewed" in caplog.text
    for secret in (due.access_token, api.tokens.access_token, api.tokens.refresh_token,
                   shop.app_secret):
        assert secret not in caplog.text


def test_without_the_windows_client_tokens_renewed_for_the_child_come_back(shop, api,
                                                                          tmp_path):
    due = dataclasses.replace(api.tokens, access_token_expires_at=int(time.time()) + 10)
    api.adopt_tokens(due)
    renewed: list[TokenSet] = []
    result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"),
                                 on_tokens=renewed.append)
    assert result.complete, result.errors
    assert len(renewed) == 1 and renewed[0].access_token != due.access_token
    assert refresh_calls(shop) == 1


@pytest.mark.parametrize("shop_config", [
    DemoShopConfig(seed=5, orders=1500, products=12, latency_ms=20)])  # a sync of seconds
def test_tokens_expiring_mid_sync_are_refreshed_once_for_child_and_window(shop, api,
                                                                          tmp_path):
    """Every access token expires while the child syncs and the window calls the API too:
    both ask the window's client, which refreshes once (the demo shop refuses a refresh
    token used twice, so a second refresh would also fail the sync)."""
    cipher = shop.world.shop.cipher
    window_calls: list[object] = []
    started = threading.Event()

    def window_work() -> None:
        window_calls.extend(api.shop(cipher).logistics.warehouses() for _ in range(3))

    window = [threading.Thread(target=window_work, daemon=True) for _ in range(4)]

    def expire_once(progress: SyncProgress) -> None:
        if not started.is_set():
            started.set()
            shop.world.advance_clock(WEEK + 60)
            for thread in window:
                thread.start()

    result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"),
                                 progress=expire_once, api=api)
    for thread in window:
        thread.join(10)
    assert result.complete, result.errors
    assert len(window_calls) == 12 and all(window_calls)
    assert refresh_calls(shop) == 1 and api.stats.refreshes == 1


def test_a_refused_renewal_reaches_the_child_as_itself(shop, api, tmp_path):
    shop.world.advance_clock(366 * 86400)  # the authorization has ended: sign in again
    result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"), api=api)
    assert not result.complete
    assert any("sign in again" in error for error in result.errors), result.errors
    assert refresh_calls(shop) == 1  # asked once by the child's threads together


@pytest.mark.parametrize("shop_config", [
    DemoShopConfig(seed=5, orders=600, products=30, rate_limit=10.0)])
def test_a_sync_and_the_windows_calls_share_one_rate_limit(shop, api, tmp_path):
    """The child's requests take their slots from the window's limiter: a full sync and a
    burst of the window's searches on the same endpoints stay within the shop's 10 requests a
    second per endpoint (the limiter: 10/s with a 5-request burst; the shop: 10/s, burst 10),
    so the shop throttles none of them, and both finish."""
    products = api.shop(shop.world.shop.cipher).products
    orders = api.shop(shop.world.shop.cipher).orders
    product_ids = [p.id for p in shop.world.products][:20]
    searched: list[int] = []
    sync_done = threading.Event()

    def burst() -> None:
        while not sync_done.is_set() and len(searched) < 200:
            orders.search_page({}, page_size=10)
            products.inventory_search(product_ids=product_ids)
            searched.append(2)

    bursts = [threading.Thread(target=burst, daemon=True) for _ in range(6)]

    def start_the_burst(progress: SyncProgress) -> None:
        if not bursts[0].is_alive() and not searched:
            for thread in bursts:
                thread.start()

    try:
        result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"),
                                     progress=start_the_burst, api=api)
    finally:
        sync_done.set()
    for thread in bursts:
        thread.join(10)
    assert result.complete, result.errors
    assert sum(searched) >= 20  # the window's calls ran alongside the sync
    assert shop.stats["throttled"] == 0
    assert api.stats.throttled == 0


def test_a_failure_in_the_child_is_raised_here_as_itself(shop, api, tmp_path):
    in_a_file = tmp_path / "a file"
    in_a_file.write_text("")
    with pytest.raises(OSError):
        sync_in_own_process(order_for(shop, api, in_a_file / "cache.sqlite3"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_child_that_dies_is_a_plain_error(shop, api, tmp_path):
    def kill_the_child(progress: SyncProgress) -> None:
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)

    with pytest.raises(SyncProcessError) as raised:
        sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"),
                            progress=kill_the_child)
    assert "sync stopped unexpectedly" in raised.value.plain


@pytest.mark.parametrize("shop_config", [
    DemoShopConfig(seed=5, orders=3000, products=12, latency_ms=100)])  # a sync of seconds
def test_the_child_stops_when_the_app_is_gone(shop, api, tmp_path):
    """The app's end of the pipe closes (the app quit or was killed): the child cancels."""
    from tiktok_desktop.sync.own_process import _child_main

    path = tmp_path / "c.sqlite3"
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_child_main, args=(theirs, order_for(shop, api, path)))
    child.start()
    theirs.close()
    ours.recv()  # it is syncing (its first log line or progress)
    ours.close()
    child.join(60)
    assert child.exitcode == 0
    with Store.open(path) as store:  # it stopped early: far from the shop's 3,000 orders
        assert store.orders.counts(OrderQuery(shop.world.shop.id))["All"] < 3000
