"""A demo shop signed in, its cache synced once: the session the services tests drive."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tiktok_desktop.api import ApiClient, AuthClient
from tiktok_desktop.sandbox import DemoShop
from tiktok_desktop.services.session import ShopSession, first_shop, open_cache


@contextmanager
def synced_session(shop: DemoShop, folder: Path, state: str) -> Iterator[ShopSession]:
    tokens = AuthClient(shop.app_key, shop.app_secret, base_url=shop.base_url).exchange_code(
        shop.authorize(state=state))
    api = ApiClient(shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
                    auth_base_url=shop.base_url, rate_limit=1000.0)
    identity = first_shop(api)
    path = folder / "shop.sqlite3"
    open_cache(path, identity)
    opened = ShopSession(api, identity, path, own_process=False)
    assert opened.sync().complete
    try:
        yield opened
    finally:
        opened.close()
