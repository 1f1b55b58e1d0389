"""One shop, one authority for its limits: a full sync (in its own process) and a 5,000-edit stock
push run at the same time on one session; the shop throttles neither, and both finish."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tiktok_desktop.api import ApiClient, AuthClient
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.session import ShopSession, first_shop, open_cache
from tiktok_desktop.services.stock_edits import Change, save_changes
from tiktok_desktop.sync import SyncResult
from tiktok_desktop.sync.edit_push import PushResult

pytestmark = pytest.mark.slow

EDITS = 5000
CONFIG = DemoShopConfig(seed=4, orders=300, products=700, rate_limit=100.0)


def test_a_full_sync_and_a_large_push_share_the_shops_limits(tmp_path: Path) -> None:
    with DemoShop(CONFIG) as shop:
        tokens = AuthClient(shop.app_key, shop.app_secret, base_url=shop.base_url).exchange_code(
            shop.authorize(state="both"))
        api = ApiClient(shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
                        auth_base_url=shop.base_url, rate_limit=CONFIG.rate_limit)
        identity = first_shop(api)
        path = tmp_path / "cache.sqlite3"
        open_cache(path, identity)
        session = ShopSession(api, identity, path)
        try:
            assert session.sync().complete
            with session.cache.using("serial") as store:
                # Not frozen or deleted listings: TikTok Shop refuses their stock.
                rows = [r for r in store.catalog.stock_rows(identity.id)
                        if r.product_status not in ("FREEZE", "DELETED")][:EDITS]
                assert len(rows) == EDITS
                save_changes(store, identity.id, [
                    Change(r.sku_id, r.warehouse_id, r.product_id, r.available + 7, r.available)
                    for r in rows])
                store.conn.execute("DELETE FROM sync_state")  # the next sync is a full one
            shop.stats["throttled"] = 0
            pushed: list[PushResult] = []
            pushing = threading.Thread(target=lambda: pushed.append(session.push_stock()))
            pushing.start()
            synced: SyncResult = session.sync()
            pushing.join(120)

            assert synced.complete, synced.errors
            assert synced.items >= CONFIG.orders
            [push] = pushed
            assert (push.done, push.left, push.failed, push.conflicts) == (EDITS, 0, 0, 0)
            assert shop.stats["throttled"] == 0
            assert api.stats.throttled == 0
        finally:
            session.close()
            api.close()
