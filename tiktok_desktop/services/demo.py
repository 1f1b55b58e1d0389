"""Explore the demo shop: start it in-process and sign in to it with no questions asked.

The sign-in goes through the same steps as a real shop's — consent page, redirect with a code
and the state we sent, token exchange, authorized shops — only the seller's click is replaced
by the consent page's `approve=1`.
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
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.credentials import MemoryVault
from tiktok_desktop.services.session import ShopSession, first_shop, persist_tokens
from tiktok_desktop.store import Store, default_path

# The demo shop lives as long as the app: its cache starts afresh each time, beside (never in)
# the cache of a real shop.
DEMO_CACHE_NAME = "demo-shop.sqlite3"


def demo_config() -> DemoShopConfig:
    """A shop that feels alive: several hundred orders, and a new one every 20 seconds."""
    return DemoShopConfig(seed=1, orders=600, products=60, new_order_every_s=20.0)


def open_demo_session(
    data_dir: Path | None, config: DemoShopConfig | None = None
) -> ShopSession:
    """Start the demo shop, sign in to it and return the session (close() stops the shop)."""
    shop = DemoShop(config or demo_config()).start()
    try:
        tokens = _sign_in(shop)
        # Demo tokens die with the demo shop: a keychain entry for them would only be clutter.
        vault = MemoryVault()
        api = ApiClient(
            shop.app_key, shop.app_secret, tokens,
            base_url=shop.base_url, auth_base_url=shop.base_url,
            rate_limit=shop.config.rate_limit,
            on_tokens_refreshed=persist_tokens(vault, shop.app_key),
        )
        identity = first_shop(api)
        path = _fresh_cache(data_dir)
        with Store.open(path) as store:
            store.shops.upsert([{"id": identity.id, "name": identity.name,
                                 "region": identity.region, "cipher": identity.cipher}])
    except BaseException:
        shop.stop()
        raise
    return ShopSession(api, identity, path, is_demo=True, on_close=shop.stop)


def _sign_in(shop: DemoShop) -> TokenSet:
    state = secrets.token_urlsafe(16)
    consent = authorization_url(shop.service_id, state, base_url=shop.base_url)
    with httpx.Client(timeout=10.0) as http:
        answer = http.get(consent + "&approve=1")
    code = code_from_redirect(answer.headers.get("location", ""), state)
    with AuthClient(shop.app_key, shop.app_secret, shop.base_url) as auth:
        return auth.exchange_code(code)


def _fresh_cache(data_dir: Path | None) -> Path:
    path = default_path(data_dir).with_name(DEMO_CACHE_NAME)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return path
