"""Pushing stock edits to the demo shop: conflicts first, one update per product, outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from stock_shop import StockShop, count_updates, open_stock_shop

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.stock_edits import StockCell, add, save_changes, subtract
from tiktok_desktop.store import stock_target
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.sync.stock_push import StockPusher


@pytest.fixture
def shop(tmp_path: Path, business_errors_as_200: bool) -> Iterator[StockShop]:
    with DemoShop(DemoShopConfig(seed=5, orders=30, products=6, rate_limit=50.0,
                                 business_errors_as_200=business_errors_as_200)) as demo:
        opened = open_stock_shop(demo, tmp_path)
        yield opened
        opened.session.close()


def _update_calls(shop: StockShop) -> int:
    endpoint = "POST /product/202309/products/{id}/inventory/update"
    return shop.demo.stats["endpoints"].get(endpoint, {}).get("requests", 0)


def test_edits_reach_the_shop_one_call_per_product_and_are_audited(shop: StockShop) -> None:
    cells = shop.cells()
    first = cells[0]
    same_product = [c for c in cells if c.product_id == first.product_id][:3]
    other = next(c for c in cells if c.product_id != first.product_id)
    edits = [(c, (c.available or 0) + 7) for c in [*same_product, other]]
    shop.edit(edits)
    before = _update_calls(shop)

    result = shop.session.push_stock()

    assert (result.done, result.failed, result.conflicts, result.left) == (4, 0, 0, 0)
    assert _update_calls(shop) - before == 2  # one per product
    for cell, new in edits:
        assert shop.shop_stock(cell) == new
    assert shop.states() == {}
    with shop.store() as store:
        audit = store.audit.entries(shop.shop_id, kind=STOCK)
        cached = {(r.sku_id, r.warehouse_id): r.available
                  for r in store.catalog.stock_rows(shop.shop_id)}
    assert {(a.target, a.old, a.new, a.result) for a in audit} == {
        (stock_target(c.sku_id, c.warehouse_id), c.available, n, "done") for c, n in edits}
    assert all(cached[c.key] == n for c, n in edits)
    # Each entry names the update that carried it (what TikTok Shop support asks for).
    request_ids = {a.target: a.request_id for a in audit}
    assert all(request_ids.values())
    assert len({request_ids[stock_target(c.sku_id, c.warehouse_id)] for c in same_product}) == 1
    assert request_ids[stock_target(other.sku_id, other.warehouse_id)] != request_ids[
        stock_target(first.sku_id, first.warehouse_id)]


def test_a_value_changed_elsewhere_becomes_a_conflict_and_nothing_is_sent(
        shop: StockShop) -> None:
    cell = shop.cells()[0]
    shop.edit([(cell, 40)])
    shop.demo.world.set_stock(cell.sku_id, cell.warehouse_id, 3)  # sold / counted elsewhere
    before = _update_calls(shop)

    result = shop.session.push_stock()

    assert (result.done, result.conflicts) == (0, 1)
    assert _update_calls(shop) == before
    assert shop.shop_stock(cell) == 3
    assert shop.states() == {cell.key: "conflict"}
    [edited] = [c for c in shop.cells() if c.key == cell.key]
    assert edited.available == 3  # the check refreshed the cache
    assert "now has 3" in (edited.edit.message or "")


def test_keep_mine_pushes_over_the_new_value_and_take_theirs_drops_the_edit(
        shop: StockShop) -> None:
    from tiktok_desktop.services.cell_edits import keep_mine, take_theirs
    from tiktok_desktop.services.stock_edits import STOCK_EDITS

    a, b = [c for c in shop.cells()][:2]
    shop.edit([(a, 40), (b, 41)])
    shop.demo.world.set_stock(a.sku_id, a.warehouse_id, 3)
    shop.demo.world.set_stock(b.sku_id, b.warehouse_id, 4)
    shop.session.push_stock()
    conflicted = {c.key: c for c in shop.cells()}
    with shop.store() as store:
        keep_mine(store, STOCK_EDITS, [conflicted[a.key]])
        take_theirs(store, [conflicted[b.key]])

    result = shop.session.push_stock()

    assert (result.done, result.conflicts) == (1, 0)
    assert (shop.shop_stock(a), shop.shop_stock(b)) == (40, 4)
    assert shop.states() == {}


def test_a_refused_sku_fails_on_its_row_with_plain_words_and_the_rest_succeed(
        shop: StockShop) -> None:
    cells = shop.cells()
    first = cells[0]
    siblings = [c for c in cells if c.product_id == first.product_id
                and c.sku_id != first.sku_id]
    good = siblings[0]
    shop.edit([(good, 12)])
    with shop.store() as store:  # a value the app never lets through, as another tool might
        store.outbox.add(shop.shop_id, STOCK, stock_target(first.sku_id, first.warehouse_id),
                         {"product_id": first.product_id, "quantity": 100_000},
                         based_on=first.available)

    result = shop.session.push_stock()

    assert (result.done, result.failed) == (1, 1)
    assert shop.shop_stock(good) == 12
    assert shop.shop_stock(first) == first.available
    [failed] = [c for c in shop.cells() if c.key == first.key]
    assert failed.edit is not None and failed.edit.state == "failed"
    assert "0 to 99,999" in (failed.edit.message or "")
    with shop.store() as store:
        audit = {a.target: a for a in store.audit.entries(shop.shop_id)}
    refused = audit[stock_target(first.sku_id, first.warehouse_id)]
    accepted = audit[stock_target(good.sku_id, good.warehouse_id)]
    assert (refused.result, accepted.result) == ("failed", "done")
    assert refused.request_id and refused.request_id == accepted.request_id  # one update


def test_lost_answers_are_checked_not_resent_so_each_edit_lands_once(
        shop: StockShop) -> None:
    writes = count_updates(shop.demo)
    cells = shop.cells()
    edits = [(c, (c.available or 0) + 3) for c in cells[:24]]
    shop.edit(edits)
    shop.demo.configure(fault_rate=0.5, fault_kinds=("drop", "timeout", "error"),
                        fault_timeout_s=0.05)
    result = None
    for _ in range(6):  # a push gives up on a product after a few tries; the next goes on
        result = shop.session.push_stock()
        if result.left == 0 and not result.problem:
            break
    shop.demo.configure(fault_rate=0.0)
    assert result is not None and result.failed == 0 and result.conflicts == 0
    for cell, new in edits:
        assert shop.shop_stock(cell) == new
        assert writes.count((cell.sku_id, cell.warehouse_id, new)) == 1


def test_cancel_stops_new_requests_and_leaves_the_rest_queued(shop: StockShop) -> None:
    import threading

    cells = shop.cells()
    by_product: dict[str, StockCell] = {}
    for c in cells:
        by_product.setdefault(c.product_id, c)
    edits = [(c, (c.available or 0) + 1) for c in by_product.values()]
    shop.edit(edits)
    cancel = threading.Event()
    shop.demo.configure(latency_ms=30)

    def stop_after_first(progress: object) -> None:
        if getattr(progress, "settled", 0) >= 1:
            cancel.set()

    pusher = StockPusher(shop.session.api, shop.session.shop.cipher, shop.shop_id,
                         max_in_flight=1)
    with shop.store() as store:
        result = pusher.push(store, progress=stop_after_first, cancel=cancel)

    assert result.cancelled and 1 <= result.done < len(edits) and result.left > 0
    assert set(shop.states().values()) <= {"pending"}
    again = shop.session.push_stock()
    assert again.done == result.left
    assert all(shop.shop_stock(c) == n for c, n in edits)


def test_a_missing_permission_stops_the_push_and_keeps_every_edit(shop: StockShop) -> None:
    cell = shop.cells()[0]
    shop.edit([(cell, 33)])
    shop.demo.world.revoke_scope("seller.product.basic")

    result = shop.session.push_stock()

    assert result.problem and "permission" in result.problem
    assert shop.states() == {cell.key: "pending"}
    shop.demo.world.grant_scope("seller.product.basic")
    assert shop.session.push_stock().done == 1


def test_an_amount_added_is_added_to_the_shop_s_stock_at_push_time(shop: StockShop) -> None:
    """A delivery of 10 is entered, 3 sell before the push: the shop ends with 10 more than
    it has then, not the number the seller saw (which would put the 3 sold units back)."""
    cell, other = shop.cells()[:2]
    start, other_start = cell.available or 0, other.available or 0
    with shop.store() as store:
        save_changes(store, shop.shop_id, add([cell], 10) + subtract([other], 1))
    shop.demo.world.set_stock(cell.sku_id, cell.warehouse_id, start - 3)  # 3 sold meanwhile
    [shown] = [c for c in shop.cells() if c.key == cell.key]
    assert shown.delta == 10

    result = shop.session.push_stock()

    assert (result.done, result.conflicts, result.failed) == (2, 0, 0)
    assert shop.shop_stock(cell) == start - 3 + 10
    assert shop.shop_stock(other) == other_start - 1
    with shop.store() as store:
        audit = {a.target: (a.old, a.new) for a in store.audit.entries(shop.shop_id, kind=STOCK)}
    assert audit[stock_target(cell.sku_id, cell.warehouse_id)] == (start - 3, start + 7)


def test_an_amount_that_would_go_below_zero_at_push_time_fails_in_plain_words(
        shop: StockShop) -> None:
    cell = next(c for c in shop.cells() if (c.available or 0) >= 5)
    with shop.store() as store:
        save_changes(store, shop.shop_id, subtract([cell], 5))
    shop.demo.world.set_stock(cell.sku_id, cell.warehouse_id, 2)  # sold out elsewhere

    result = shop.session.push_stock()

    assert (result.done, result.failed) == (0, 1)
    assert shop.shop_stock(cell) == 2
    [failed] = [c for c in shop.cells() if c.key == cell.key]
    assert "only 2 now" in (failed.edit.message or "")
