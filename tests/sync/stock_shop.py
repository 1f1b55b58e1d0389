"""A demo shop signed in with a session whose cache holds the shop's stock (for push tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tiktok_desktop.api import ApiClient, AuthClient, RetryPolicy
from tiktok_desktop.sandbox import DemoShop
from tiktok_desktop.services.session import ShopSession, first_shop
from tiktok_desktop.services.stock_edits import Change, StockCell, open_edits, save_changes
from tiktok_desktop.store import Store

FAST_RETRY = RetryPolicy(max_attempts=6, base_delay_s=0.02, max_delay_s=0.2, jitter_s=0.02)


@dataclass
class StockShop:
    demo: DemoShop
    session: ShopSession

    @property
    def shop_id(self) -> str:
        return self.session.shop_id

    def store(self) -> Store:
        return Store.open(self.session.store_path)

    def cells(self) -> list[StockCell]:
        with self.store() as store:
            edits = open_edits(store, self.shop_id)
            return [StockCell.from_row(r, edits.get((r.sku_id, r.warehouse_id)))
                    for r in store.catalog.stock_rows(self.shop_id)]

    def edit(self, changes: list[tuple[StockCell, int]]) -> None:
        with self.store() as store:
            save_changes(store, self.shop_id, [Change.of(c, n) for c, n in changes])

    def shop_stock(self, cell: StockCell) -> int:
        with self.demo.world.lock:
            return self.demo.world.skus[cell.sku_id][1].available[cell.warehouse_id]

    def states(self) -> dict[tuple[str, str], str]:
        with self.store() as store:
            return {k: e.state for k, e in open_edits(store, self.shop_id).items()}


def open_stock_shop(demo: DemoShop, folder: Path, **client: object) -> StockShop:
    with AuthClient(demo.app_key, demo.app_secret, demo.base_url) as auth:
        tokens = auth.exchange_code(demo.authorize(state="stock"))
    client.setdefault("retry", FAST_RETRY)
    api = ApiClient(demo.app_key, demo.app_secret, tokens, base_url=demo.base_url,
                    auth_base_url=demo.base_url, rate_limit=demo.config.rate_limit,
                    **client)  # type: ignore[arg-type]
    identity = first_shop(api)
    session = ShopSession(api, identity, folder / "cache.sqlite3")
    with Store.open(session.store_path) as store:
        store.shops.upsert([{"id": identity.id, "name": identity.name,
                             "region": identity.region, "cipher": identity.cipher}])
    result = session.sync()
    assert result.complete, result.errors
    return StockShop(demo, session)


class CountingStock(dict):
    """A SKU's stock per warehouse in the demo world that remembers every value an inventory
    update wrote (the handler calls `update`), to tell an edit applied twice from once."""

    def __init__(self, sku_id: str, stock: dict[str, int], log: list) -> None:
        super().__init__(stock)
        self.sku_id, self.log = sku_id, log

    def update(self, given: dict[str, int]) -> None:  # type: ignore[override]
        self.log.extend((self.sku_id, w, q) for w, q in given.items())
        super().update(given)


def count_updates(demo: DemoShop) -> list[tuple[str, str, int]]:
    """Start counting the writes of inventory updates; returns the list they are added to."""
    log: list[tuple[str, str, int]] = []
    with demo.world.lock:
        for _product, sku in demo.world.skus.values():
            sku.available = CountingStock(sku.id, sku.available, log)
    return log
