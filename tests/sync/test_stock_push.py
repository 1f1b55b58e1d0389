"""Pushing stock edits to the demo shop: conflicts first, one update per product, outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from stock_shop import StockShop, open_stock_shop

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.store import stock_target
from tiktok_desktop.store.outbox import STOCK


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[StockShop]:
    with DemoShop(DemoShopConfig(seed=5, orders=30, products=6, rate_limit=50.0)) as demo:
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
