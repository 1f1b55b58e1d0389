"""Fixtures for the sync tests: the real demo shop over loopback, a signed-in client, a cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tiktok_desktop.api import ApiClient, AuthClient, RetryPolicy
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.store import Store
from tiktok_desktop.sync import SyncEngine


@pytest.fixture
def shop_config() -> DemoShopConfig:
    """Override in a test module (or parametrize indirectly) for another shop."""
    return DemoShopConfig(seed=3, orders=500, products=40)


@pytest.fixture(params=[False, True], ids=["errors-4xx", "errors-200"])
def business_errors_as_200(request: pytest.FixtureRequest) -> bool:
    """Every sync and push test runs against both ways a shop may refuse: HTTP 4xx, or HTTP 200
    with the error code."""
    return request.param


@pytest.fixture
def shop(shop_config: DemoShopConfig, business_errors_as_200: bool) -> Iterator[DemoShop]:
    with DemoShop(replace(shop_config, business_errors_as_200=business_errors_as_200)) as running:
        yield running


@pytest.fixture
def read_timeout_s() -> float:
    return 2.0


@pytest.fixture
def api(shop: DemoShop, read_timeout_s: float) -> Iterator[ApiClient]:
    tokens = AuthClient(shop.app_key, shop.app_secret, base_url=shop.base_url).exchange_code(
        shop.authorize(state="sync-tests"))
    # Short timeouts and pauses, so the fault tests stay fast.
    client = ApiClient(
        shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
        auth_base_url=shop.base_url, rate_limit=shop.config.rate_limit,
        timeout=httpx.Timeout(read_timeout_s, connect=1.0, pool=5.0),
        retry=RetryPolicy(max_attempts=6, base_delay_s=0.02, max_delay_s=0.2, jitter_s=0.02))
    yield client
    client.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        yield opened


@pytest.fixture
def make_engine(shop: DemoShop, api: ApiClient) -> Callable[..., SyncEngine]:
    def make(**options: object) -> SyncEngine:
        options.setdefault("rate_limit", shop.config.rate_limit)
        return SyncEngine(api.shop(shop.world.shop.cipher), shop.world.shop.id, **options)
    return make
