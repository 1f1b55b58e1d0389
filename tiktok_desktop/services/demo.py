"""Explore the demo shop: start it in a process of its own and sign in to it with no questions
asked.

The sign-in goes through the same steps as a real shop's — consent page, redirect with a code
and the state we sent, token exchange, authorized shops — only the seller's click is replaced
by the consent page's `approve=1`.

The demo shop keeps its world between starts (orders, stock, pushed values, history) in
`<data folder>/demo-shop/`, and the app keeps its cache of it in `demo-shop.sqlite3` beside (never
in) the cache of a real shop, so a restart shows what the seller left. `reset_demo_shop` starts
both over ("Shop → Reset the demo shop…"): close the session, reset, open again.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx

from tiktok_desktop.api import (
    ApiClient,
    AuthClient,
    TokenSet,
    authorization_url,
    code_from_redirect,
)
from tiktok_desktop.logs import get_logger
from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.sandbox.own_process import DemoShopError, DemoShopProcess
from tiktok_desktop.sandbox.state import WorldInUse, forget, holding
from tiktok_desktop.services.credentials import MemoryVault
from tiktok_desktop.services.session import ShopSession, first_shop, open_cache, persist_tokens
from tiktok_desktop.store import cache_exists, default_path, delete_cache

__all__ = ["DEMO_CACHE_NAME", "DEMO_WORLD_FOLDER", "DemoShopError", "WorldInUse",
           "demo_cache_path", "demo_config", "open_demo_session", "reset_demo_shop"]

log = get_logger("services.demo")

DEMO_CACHE_NAME = "demo-shop.sqlite3"
DEMO_WORLD_FOLDER = "demo-shop"  # the demo shop's own files: its world, its lock


def demo_config() -> DemoShopConfig:
    """A shop that feels alive: several hundred orders, and a new one every 20 seconds."""
    return DemoShopConfig(seed=1, orders=600, products=60, new_order_every_s=20.0)


def demo_cache_path(data_dir: Path | None) -> Path:
    """The app's cache of the demo shop, beside the real shop's cache."""
    return default_path(data_dir).with_name(DEMO_CACHE_NAME)


def _world_folder(data_dir: Path | None) -> Path:
    return default_path(data_dir).with_name(DEMO_WORLD_FOLDER)


def open_demo_session(
    data_dir: Path | None, config: DemoShopConfig | None = None
) -> ShopSession:
    """Start the demo shop (the world it left last time, or a new one), sign in to it and return
    the session; its close() stops the shop, which saves its world. Raises WorldInUse when a demo
    shop already runs on `data_dir` (another window), DemoShopError when it cannot start."""
    path = demo_cache_path(data_dir)
    shop = DemoShopProcess(config or demo_config(), _world_folder(data_dir)).start()
    try:
        if not shop.restored and cache_exists(path):
            # A new world (the first start, or the old one was lost): a cache of the old one
            # would mix two shops under one shop id. Nobody has it open: this shop holds the
            # data folder's demo lock, and an app opens the demo cache only while its shop runs.
            log.info("the demo shop starts a new world: the cache of the old one is deleted")
            delete_cache(path)
        tokens = _sign_in(shop)
        # Demo tokens live as long as the demo shop's process: a keychain entry would be clutter.
        vault = MemoryVault()
        api = ApiClient(
            shop.app_key, shop.app_secret, tokens,
            base_url=shop.base_url, auth_base_url=shop.base_url,
            rate_limit=shop.config.rate_limit,
            on_tokens_refreshed=persist_tokens(vault, shop.app_key),
        )
        identity = first_shop(api)
        rescued = open_cache(path, identity)
    except BaseException:
        shop.stop()
        raise
    return ShopSession(api, identity, path, is_demo=True, on_close=shop.stop, rescued=rescued)


def reset_demo_shop(data_dir: Path | None) -> None:
    """Forget the demo shop's world and the app's cache of it: the next `open_demo_session`
    starts a new shop.

    Precondition: no demo session is open on `data_dir` — the caller has closed it
    (`ShopSession.close()`, which ends its work and connections and stops the shop) and nothing
    else uses the demo cache. Files are deleted, which is only safe when nobody has them open.
    Raises WorldInUse, deleting nothing, while a demo shop still runs on `data_dir` (a session
    not closed, or another window of the app)."""
    folder = _world_folder(data_dir)
    with holding(folder):  # no demo shop can start on the folder meanwhile
        forget(folder)
        delete_cache(demo_cache_path(data_dir))
    log.info("the demo shop was reset: the next start makes a new one")


def _sign_in(shop: DemoShopProcess) -> TokenSet:
    state = secrets.token_urlsafe(16)
    consent = authorization_url(shop.service_id, state, base_url=shop.base_url)
    with httpx.Client(timeout=10.0) as http:
        answer = http.get(consent + "&approve=1")
    code = code_from_redirect(answer.headers.get("location", ""), state)
    with AuthClient(shop.app_key, shop.app_secret, shop.base_url) as auth:
        return auth.exchange_code(code)
