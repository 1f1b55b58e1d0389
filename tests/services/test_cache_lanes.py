"""The shop's cache connections: one per lane, reused, closed with the shop."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tiktok_desktop.services.cache_lanes import CacheLanes, ShopClosed
from tiktok_desktop.services.stock_edits import Change, StockCell, stock_writer
from tiktok_desktop.store import Store

SHOP = "shop-1"


def cell(n: int) -> StockCell:
    return StockCell(f"sku-{n}", "wh-1", "p-1", "Tee", "", f"TEE-{n}", "Main", 10, 0)


def test_a_hundred_edits_open_no_new_connection(tmp_path: Path) -> None:
    lanes = CacheLanes(tmp_path / "cache.sqlite3")
    writer = stock_writer(lanes, SHOP)
    writer.save([Change.of(cell(0), 1)])
    opened = lanes.opened
    threads = [threading.Thread(target=writer.save, args=([Change.of(cell(n), 100 + n)],))
               for n in range(1, 101)]
    for thread in threads:  # a new thread each time, as the task runner's pool may give
        thread.start()
        thread.join()
    assert lanes.opened == opened == 1
    with lanes.using("serial") as store:
        assert store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 101
    lanes.close()


def test_the_parallel_lane_reuses_its_connections(tmp_path: Path) -> None:
    lanes = CacheLanes(tmp_path / "cache.sqlite3")
    for _ in range(20):
        with lanes.using("parallel") as store:
            store.conn.execute("SELECT 1")
    with lanes.using("parallel") as one, lanes.using("parallel") as two:
        assert one is not two  # two readers at once get a connection each
    assert lanes.opened == 2
    lanes.close()


def test_closing_the_shop_closes_every_connection(tmp_path: Path) -> None:
    lanes = CacheLanes(tmp_path / "cache.sqlite3")
    gui = lanes.gui()
    with lanes.using("serial") as serial, lanes.using("parallel") as reader:
        pass
    lanes.close()
    for store in (gui, serial, reader):
        with pytest.raises(Exception, match="closed"):
            store.conn.execute("SELECT 1")
    with pytest.raises(ShopClosed), lanes.using("serial"):
        pass
    lanes.close()  # idempotent


def test_a_lane_in_use_at_close_is_closed_when_it_lets_go(tmp_path: Path) -> None:
    lanes = CacheLanes(tmp_path / "cache.sqlite3")
    with lanes.using("parallel") as reader:
        lanes.close()
        assert reader.conn.execute("SELECT 1").fetchone() == (1,)  # not cut off mid-read
    with pytest.raises(Exception, match="closed"):
        reader.conn.execute("SELECT 1")


def test_connections_are_shared_by_the_lane_not_the_thread(tmp_path: Path) -> None:
    """A pool thread that ends must not strand its connection: the next thread uses it."""
    lanes = CacheLanes(tmp_path / "cache.sqlite3")
    seen: list[Store] = []

    def use() -> None:
        with lanes.using("serial") as store:
            store.conn.execute("SELECT count(*) FROM outbox").fetchone()
            seen.append(store)

    for _ in range(3):
        thread = threading.Thread(target=use)
        thread.start()
        thread.join()
    assert len(seen) == 3 and seen[0] is seen[1] is seen[2]
    lanes.close()
