"""The real client against the real demo shop over loopback: a shop per module, signed in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_shop import SignedIn, sign_in

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig


@pytest.fixture(scope="module", params=[False, True], ids=["errors-4xx", "errors-200"])
def business_errors_as_200(request: pytest.FixtureRequest) -> bool:
    """Every test runs against both ways a shop may refuse: HTTP 4xx, or HTTP 200 with the code."""
    return request.param


@pytest.fixture(scope="module")
def demo_shop(business_errors_as_200: bool) -> Iterator[DemoShop]:
    """A 500-order shop, shared by the tests of one module (they pick different orders)."""
    with DemoShop(DemoShopConfig(seed=3, orders=500, products=60, rate_limit=50.0,
                                 business_errors_as_200=business_errors_as_200)) as shop:
        yield shop


@pytest.fixture
def small_shop(business_errors_as_200: bool) -> Iterator[DemoShop]:
    """A shop of its own, for tests that move its clock or change how it behaves."""
    with DemoShop(DemoShopConfig(seed=4, orders=40, products=8, rate_limit=50.0,
                                 business_errors_as_200=business_errors_as_200)) as shop:
        yield shop


@pytest.fixture
def signed_in(demo_shop: DemoShop) -> Iterator[SignedIn]:
    """A fresh seller consent and a client for the shop it covers."""
    session = sign_in(demo_shop)
    yield session
    session.api.close()
