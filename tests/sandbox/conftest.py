"""Fixtures for the demo shop's tests: a running shop and a tiny signed client of our own.

The client here signs with its own few lines (checked against signing-vectors.json), not with
`tiktok_desktop.api`, so the shop is tested independently of the real client.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig


def sign(app_secret: str, path: str, query: dict[str, str], body: bytes = b"") -> str:
    text = path + "".join(k + v for k, v in sorted(query.items())
                          if k not in ("sign", "access_token"))
    secret = app_secret.encode()
    return hmac.new(secret, secret + text.encode() + body + secret, hashlib.sha256).hexdigest()


class ShopClient:
    """Signs and sends Open API requests; every part can be spoiled on purpose."""

    def __init__(self, shop: DemoShop, access_token: str) -> None:
        self.shop = shop
        self.access_token = access_token
        # Plain HTTP on loopback: no TLS context to build (that alone costs ~80 ms).
        self.http = httpx.Client(base_url=shop.base_url, timeout=10, verify=False)

    def send(self, method: str, path: str, *, query: dict[str, str] | None = None,
             body: Any = None, cipher: bool = True, secret: str | None = None,
             timestamp: int | None = None, token: str | None = None,
             drop: tuple[str, ...] = (), raw_body: bytes | None = None,
             signed_body: bytes | None = None, timeout: float = 10) -> httpx.Response:
        params = {"app_key": self.shop.app_key,
                  "timestamp": str(int(time.time()) if timestamp is None else timestamp)}
        if cipher:
            params["shop_cipher"] = self.shop.world.shop.cipher
        params.update(query or {})
        raw = raw_body if raw_body is not None else (
            b"" if body is None else json.dumps(body, separators=(",", ":")).encode())
        signed = raw if signed_body is None else signed_body
        params["sign"] = sign(secret or self.shop.app_secret, path, params, signed)
        for name in drop:
            params.pop(name, None)
        headers = {"content-type": "application/json",
                   "x-tts-access-token": self.access_token if token is None else token}
        url = path + "?" + urlencode(params, quote_via=quote, safe="")
        return self.http.request(method, url, content=raw or None, headers=headers,
                                 timeout=timeout)

    def ok(self, method: str, path: str, **kwargs: Any) -> dict:
        """`data` of a successful call."""
        answer = self.send(method, path, **kwargs).json()
        assert answer["code"] == 0, answer
        return answer["data"]

    def fails(self, method: str, path: str, **kwargs: Any) -> tuple[int, dict]:
        """(HTTP status, envelope) of a refused call."""
        response = self.send(method, path, **kwargs)
        answer = response.json()
        assert answer["code"] != 0 and answer["data"] is None, answer
        assert set(answer) == {"code", "message", "request_id", "data"}
        return response.status_code, answer


def token_host(shop: DemoShop, path: str, **params: str) -> dict:
    """The envelope of an auth-host call (/api/v2/token/get or /refresh)."""
    with httpx.Client(verify=False) as http:
        return http.get(f"{shop.base_url}{path}", params={
            "app_key": shop.app_key, "app_secret": shop.app_secret, **params}).json()


def tokens_for(shop: DemoShop) -> dict:
    code = shop.authorize(state="test")
    answer = token_host(shop, "/api/v2/token/get", auth_code=code,
                        grant_type="authorized_code")
    assert answer["code"] == 0, answer
    return answer["data"]


@pytest.fixture
def auth_host():
    """Call the token host: auth_host(shop, "/api/v2/token/get", auth_code=…, grant_type=…)."""
    return token_host


@pytest.fixture
def signer():
    """The test client's signing function (test modules do not import conftest)."""
    return sign


@pytest.fixture
def new_client():
    """Make a signed client for any running shop (one that a test started itself)."""
    made = []

    def make(shop: DemoShop) -> ShopClient:
        made.append(ShopClient(shop, tokens_for(shop)["access_token"]))
        return made[-1]

    yield make
    for signed in made:
        signed.http.close()


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    with DemoShop(DemoShopConfig(seed=7, orders=300, products=30, rate_limit=0)) as running:
        yield running


@pytest.fixture
def client(shop: DemoShop) -> Iterator[ShopClient]:
    signed = ShopClient(shop, tokens_for(shop)["access_token"])
    yield signed
    signed.http.close()
