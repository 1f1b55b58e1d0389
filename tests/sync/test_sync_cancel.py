"""A cancel reaches the requests under way: a sync (on a thread or in its own process) and a
stock push stop within 2 s against a shop that answers after 20 s, and end as cancelled, not
as failed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from stock_shop import StockShop, open_stock_shop

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sync.own_process import SyncOrder, log_levels, sync_in_own_process
from tiktok_desktop.sync.progress import SyncProgress
from tiktok_desktop.sync.stock_push import PUSH_STATE, StockPusher

SLOW_MS = 20_000
SPEC_S = 2.0


@pytest.fixture
def read_timeout_s() -> float:
    return 30.0  # longer than the shop's 20 s: only the cancel can end a request


def cancel_in(seconds: float) -> tuple[threading.Event, list[float]]:
    """A cancel set after `seconds`, and the moment it was set (filled in then)."""
    cancel, when = threading.Event(), []

    def fire() -> None:
        when.append(time.monotonic())
        cancel.set()

    threading.Timer(seconds, fire).start()
    return cancel, when


def test_a_cancelled_sync_stops_within_two_seconds_against_a_slow_shop(shop, make_engine,
                                                                       store) -> None:
    shop.configure(latency_ms=SLOW_MS)
    cancel, when = cancel_in(0.3)
    result = make_engine().run(store, cancel=cancel)
    assert time.monotonic() - when[0] < SPEC_S
    assert result.cancelled and not result.complete
    assert result.errors == ()  # cancelled, not failed: nothing for the status bar to report


def test_a_cancelled_sync_in_its_own_process_stops_within_two_seconds(shop, api,
                                                                       tmp_path) -> None:
    order = SyncOrder(api.settings(), shop.world.shop.cipher, shop.world.shop.id,
                      tmp_path / "c.sqlite3", log_levels())
    cancel, when = threading.Event(), []

    def slow_down_then_cancel(progress: SyncProgress) -> None:
        if not when:  # the child is syncing: from now on every answer takes 20 s
            shop.configure(latency_ms=SLOW_MS)
            timer = threading.Timer(0.3, lambda: (when.append(time.monotonic()), cancel.set()))
            when.append(0.0)
            timer.start()

    result = sync_in_own_process(order, progress=slow_down_then_cancel, cancel=cancel, api=api)
    assert time.monotonic() - when[1] < SPEC_S
    assert result.cancelled and result.errors == ()


@pytest.fixture
def stock_shop(tmp_path: Path):
    with DemoShop(DemoShopConfig(seed=5, orders=30, products=6, rate_limit=50.0)) as demo:
        opened = open_stock_shop(demo, tmp_path)
        yield opened
        opened.session.close()


def test_a_cancelled_push_stops_within_two_seconds_and_loses_no_edit(
        stock_shop: StockShop) -> None:
    cells = stock_shop.cells()
    by_product: dict[str, object] = {}
    for cell in cells:
        by_product.setdefault(cell.product_id, cell)
    edits = [(c, (c.available or 0) + 3) for c in by_product.values()]
    stock_shop.edit(edits)  # type: ignore[arg-type]
    stock_shop.demo.configure(latency_ms=SLOW_MS)
    pusher = StockPusher(stock_shop.session.api, stock_shop.session.shop.cipher,
                         stock_shop.shop_id)
    cancel, when = cancel_in(0.3)
    with stock_shop.store() as store:
        result = pusher.push(store, cancel=cancel)
        assert store.sync_state(stock_shop.shop_id, PUSH_STATE) in (None, {})
    assert time.monotonic() - when[0] < SPEC_S
    assert result.cancelled and result.problem is None
    assert (result.done, result.failed, result.conflicts) == (0, 0, 0)
    # Every edit is still open: pending (never sent) or sent (in doubt: the next push checks).
    assert set(stock_shop.states().values()) <= {"pending", "sent"}
    assert len(stock_shop.states()) == len(edits)
