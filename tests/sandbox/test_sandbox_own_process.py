"""The demo shop in a process of its own (the app's demo mode): it answers signed requests,
carries its world on across restarts, stops on stop() and ends when the app's end of the pipe
closes (the app quit or died) — saving its world on the way out."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from tiktok_desktop.api import ApiClient, AuthClient
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sandbox import state as world_state
from tiktok_desktop.sandbox.own_process import DemoShopProcess
from tiktok_desktop.sandbox.state import STATE_FILE, WorldInUse

CONFIG = DemoShopConfig(seed=3, orders=40, products=5)


def sign_in(shop: DemoShopProcess) -> ApiClient:
    with httpx.Client() as http:
        consent = http.get(f"{shop.base_url}/open/authorize",
                           params={"service_id": shop.service_id, "state": "s", "approve": "1"})
    code = httpx.URL(consent.headers["location"]).params["code"]
    with AuthClient(shop.app_key, shop.app_secret, base_url=shop.base_url) as auth:
        tokens = auth.exchange_code(code)
    return ApiClient(shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
                     auth_base_url=shop.base_url, rate_limit=CONFIG.rate_limit)


def gone(base_url: str, within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base_url}/open/authorize", timeout=1)
        except httpx.ConnectError:
            return True
        except httpx.TransportError:  # cut off while it was closing: ask again
            pass
        time.sleep(0.05)
    return False


def test_it_answers_signed_requests_for_the_same_shop_as_in_process() -> None:
    shop = DemoShopProcess(CONFIG).start()
    try:
        same = DemoShop(CONFIG)  # not started: only its credentials and world are compared
        assert (shop.app_key, shop.app_secret, shop.service_id) == (
            same.app_key, same.app_secret, same.service_id)
        assert shop.app_secret not in repr(shop)
        with sign_in(shop) as api:
            [authorized] = api.authorized_shops()
            assert authorized["id"] == same.world.shop.id
            page = api.shop(authorized["cipher"]).orders.search_page(page_size=50)
            assert page.total_count == CONFIG.orders
    finally:
        shop.stop()


def test_stop_ends_the_shop_at_once(tmp_path: Path) -> None:
    shop = DemoShopProcess(CONFIG, tmp_path).start()
    base_url = shop.base_url
    began = time.monotonic()
    shop.stop()
    assert time.monotonic() - began < 3
    assert not shop.is_alive
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/open/authorize")
    with world_state.holding(tmp_path):  # the folder's lock went with it
        pass


def test_a_restarted_shop_carries_on_its_world(tmp_path: Path) -> None:
    shop = DemoShopProcess(CONFIG, tmp_path).start()
    try:
        assert not shop.restored
        with sign_in(shop) as api:
            cipher = api.authorized_shops()[0]["cipher"]
            products = api.shop(cipher).products.search_page(page_size=1).items
            product = api.shop(cipher).products.get(products[0]["id"])
            sku = product["skus"][0]
            warehouses = [w["warehouse_id"] for w in sku["inventory"]]
            api.shop(cipher).products.update_inventory(product["id"], [
                {"id": sku["id"], "inventory": [{"warehouse_id": w, "quantity": 321}
                                                for w in warehouses]}])
    finally:
        shop.stop()
    again = DemoShopProcess(CONFIG, tmp_path).start()
    try:
        assert again.restored
        with sign_in(again) as api:
            [entry] = api.shop(cipher).products.inventory_search(sku_ids=[sku["id"]])
            assert [w["available_quantity"] for w in entry["skus"][0]["warehouse_inventory"]
                    ] == [321] * len(warehouses)
    finally:
        again.stop()


def test_a_second_shop_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    shop = DemoShopProcess(CONFIG, tmp_path).start()
    try:
        second = DemoShopProcess(CONFIG, tmp_path)
        with pytest.raises(WorldInUse):
            second.start()
        assert not second.is_alive
        assert httpx.get(f"{shop.base_url}/open/authorize").status_code != 0  # still serving
    finally:
        shop.stop()


def test_the_shop_ends_and_saves_when_the_app_dies(tmp_path: Path) -> None:
    # The "app": starts the shop, has a buyer order through it, then dies without a word.
    app = textwrap.dedent(f"""
        import json, os, sys
        from pathlib import Path
        from tiktok_desktop.sandbox import DemoShopConfig
        from tiktok_desktop.sandbox.own_process import DemoShopProcess
        shop = DemoShopProcess(DemoShopConfig(seed=3, orders=40, products=5,
                                              new_order_every_s=0.05), Path({str(tmp_path)!r}))
        shop.start()
        print(json.dumps({{"base_url": shop.base_url}}), flush=True)
        sys.stdin.readline()
        os._exit(0)  # no clean-up at all: only the pipe's end closes
    """)
    with subprocess.Popen([sys.executable, "-c", app], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stdin is not None
        base_url = json.loads(process.stdout.readline())["base_url"]
        time.sleep(0.3)  # a few new orders arrive
        process.stdin.write("\n")
        process.stdin.flush()
        assert process.wait(10) == 0
    assert gone(base_url)
    deadline = time.monotonic() + 10
    while True:  # the lock is free once the shop's process has ended
        try:
            with world_state.holding(tmp_path):
                break
        except WorldInUse:
            assert time.monotonic() < deadline, "the demo shop outlived its app"
            time.sleep(0.05)
    saved = world_state.load(tmp_path / STATE_FILE,
                             DemoShopConfig(seed=3, orders=40, products=5))
    assert saved is not None
    assert len(saved[0].orders) > 40  # the orders that arrived were saved on the way out
