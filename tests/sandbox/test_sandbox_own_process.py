"""The demo shop in a process of its own (the app's demo mode): it serves the same shop, and
stopping it (or the app closing its end of the pipe) ends the process."""

from __future__ import annotations

import httpx
import pytest

from tiktok_desktop.api import ApiClient, AuthClient
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sandbox.own_process import DemoShopProcess

CONFIG = DemoShopConfig(seed=3, orders=40, products=5)


def test_it_serves_the_same_shop_as_in_process() -> None:
    shop = DemoShopProcess(CONFIG).start()
    try:
        same = DemoShop(CONFIG)  # not started: only its credentials and world are compared
        assert (shop.app_key, shop.app_secret, shop.service_id) == (
            same.app_key, same.app_secret, same.service_id)
        assert shop.app_secret not in repr(shop)
        with httpx.Client() as http:
            consent = http.get(f"{shop.base_url}/open/authorize",
                               params={"service_id": shop.service_id, "state": "s",
                                       "approve": "1"})
        code = httpx.URL(consent.headers["location"]).params["code"]
        tokens = AuthClient(shop.app_key, shop.app_secret,
                            base_url=shop.base_url).exchange_code(code)
        with ApiClient(shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
                       auth_base_url=shop.base_url) as api:
            [authorized] = api.authorized_shops()
            assert authorized["id"] == same.world.shop.id
    finally:
        shop.stop()


def test_stop_ends_the_shop() -> None:
    shop = DemoShopProcess(CONFIG).start()
    base_url = shop.base_url
    shop.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/open/authorize")
