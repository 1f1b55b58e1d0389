"""Backpressure: when writing is slower than the network, the engine holds a bounded number of
pages (requests under way + answered pages not yet written), whatever the size of the shop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sync_compare import cache_state, shop_state

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.store import PreparedPage, Store
from tiktok_desktop.sync import SyncEngine, SyncProgress, scheduler

HELD = 3


@pytest.fixture
def shop_config() -> DemoShopConfig:
    return DemoShopConfig(seed=5, orders=2500, products=20, rate_limit=200.0)


def test_a_slow_writer_holds_the_fetchers_back(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lock = threading.Lock()
    answered = written = most_held = 0
    prepare_page = scheduler.prepare_page

    def counted(shop_id: str, resource: str, items: Sequence[dict[str, Any]]) -> PreparedPage:
        nonlocal answered, most_held
        page = prepare_page(shop_id, resource, items)
        with lock:  # an answered page is held until the writer reports it written
            answered += 1
            most_held = max(most_held, answered - written)
        return page

    def reported(progress: SyncProgress) -> None:
        nonlocal written
        with lock:
            written = progress.pages

    save_prepared = store.save_prepared

    def slow_save(pages: Sequence[PreparedPage], state: dict[str, Any] | None) -> Any:
        time.sleep(0.03)  # a busy disk: the network answers faster than this
        return save_prepared(pages, state)

    monkeypatch.setattr(scheduler, "prepare_page", counted)
    monkeypatch.setattr(store, "save_prepared", slow_save)
    result = make_engine(resources=("orders", "packages"), max_pages_held=HELD).run(
        store, progress=reported)
    assert result.complete
    want, have = shop_state(shop), cache_state(store)
    assert have["orders"] == want["orders"] and have["packages"] == want["packages"]
    assert answered >= 40  # enough pages that an unbounded queue would have piled them up
    assert 1 <= most_held <= HELD
