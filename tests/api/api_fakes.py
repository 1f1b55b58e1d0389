"""A fake Open API for httpx.MockTransport: envelopes, tokens, an independent signature check."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx

from tiktok_desktop.api import TokenSet

NOW = 1_750_000_000
APP_KEY = "6a1bcdexyz2q3"
APP_SECRET = "s3cr3t-app-secret-value"
ACCESS_TOKEN = "TTP_access-token-value-123"
REFRESH_TOKEN = "TTP_refresh-token-value-456"
API_BASE = "https://open-api.test"
AUTH_BASE = "https://auth.test"

Handler = Callable[[httpx.Request], httpx.Response]


def answer(
    data: object = None,
    *,
    code: int = 0,
    message: str = "Success",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An Open API envelope."""
    body = {"code": code, "message": message, "request_id": "REQ123", "data": data}
    return httpx.Response(status, json=body, headers=headers)


def token_data(access: str = ACCESS_TOKEN, refresh: str = REFRESH_TOKEN, now: int = NOW) -> dict:
    return {
        "access_token": access,
        "access_token_expire_in": now + 7 * 86400,
        "refresh_token": refresh,
        "refresh_token_expire_in": now + 365 * 86400,
        "open_id": "open-1",
        "seller_name": "Demo Seller",
        "seller_base_region": "US",
        "user_type": 0,
        "granted_scopes": ["seller.order.info"],
    }


def make_tokens(access: str = ACCESS_TOKEN, refresh: str = REFRESH_TOKEN) -> TokenSet:
    return TokenSet.from_token_data(token_data(access, refresh))


def query_of(request: httpx.Request) -> dict[str, str]:
    """The decoded query of a request (what the server signs)."""
    return dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))


def signature_is_valid(request: httpx.Request, secret: str = APP_SECRET) -> bool:
    """An independent check of the signature, as a server would do it (reference §4.3)."""
    query = query_of(request)
    params = sorted((k, v) for k, v in query.items() if k not in ("sign", "access_token"))
    base = request.url.path.encode() + "".join(k + v for k, v in params).encode()
    message = secret.encode() + base + request.content + secret.encode()
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, query.get("sign", ""))


def body_of(request: httpx.Request) -> object:
    return json.loads(request.content) if request.content else None


class FakeApi:
    """Answers each request with `handler` and remembers the requests it saw."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.host == httpx.URL(API_BASE).host]
