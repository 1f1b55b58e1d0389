"""The demo shop: a local imitation of the TikTok Shop Partner Open API (202309) for the app's
demo mode, the tests and the benchmarks. No Qt; never imported by `tiktok_desktop.api`.

    from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
    with DemoShop(DemoShopConfig(seed=1, orders=500)) as shop:
        shop.base_url, shop.app_key, shop.app_secret, shop.service_id, shop.redirect_url
        code = shop.authorize(state="s")        # consent page, approved at once
        shop.configure(latency_ms=20, rate_limit=10, fault_rate=0.1)
        shop.stats                              # requests, throttled, faults (+ per endpoint)
        world = shop.world                      # the state; hold world.lock to read it
        world.add_order(), world.cancel_order(id), world.request_cancellation(id)
        world.advance_order(id), world.set_stock(sku_id, warehouse_id, qty)
        world.set_price(sku_id, 1299 or "12.99"), world.set_promotion(sku_id, running)
        world.skus_in_promotion()             # SKU ids whose price is locked (12019045)
        world.advance_clock(seconds), world.revoke_scope(scope), world.grant_scope(scope)
        world.orders / packages / products / returns / cancellations / statements  (tables:
            `table[id]`, `id in table`, iteration, len; records, not API dicts)

    DemoShop(config, state_path)              # carries on the world saved there (state.py)
    DemoShopProcess(config, state_dir)        # in a process of its own (own_process.py)

`python -m tiktok_desktop.sandbox --help` serves one from the command line. Where the reference,
the official SDK and live answers disagree or are silent, DECISIONS.md (beside this file) says
what the shop does and why.
"""

from .config import DemoShopConfig
from .server import DemoShop

__all__ = ["DemoShop", "DemoShopConfig"]
