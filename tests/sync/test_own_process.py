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


def test_tokens_renewed_in_the_child_come_back(shop, api, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="tiktok_desktop")
    # The same sign-in, but due for renewal: the child renews it before its first call.
    due = dataclasses.replace(api.tokens, access_token_expires_at=int(time.time()) + 10)
    api.adopt_tokens(due)
    renewed: list[TokenSet] = []
    result = sync_in_own_process(order_for(shop, api, tmp_path / "c.sqlite3"),
                                 on_tokens=renewed.append)
    assert result.complete, result.errors
    assert len(renewed) == 1 and renewed[0].access_token != due.access_token
    api.adopt_tokens(renewed[0])
    assert api.tokens == renewed[0]
    assert api.authorized_shops()  # the parent's client works with them
    assert "Access token renewed" in caplog.text  # the child's log line, passed on
    for secret in (due.access_token, renewed[0].access_token, renewed[0].refresh_token,
                   shop.app_secret):
        assert secret not in caplog.text


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
