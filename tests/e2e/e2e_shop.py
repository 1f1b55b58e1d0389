"""Signing in to a running demo shop with the real client, as the app does."""

from __future__ import annotations

from dataclasses import dataclass, field

from tiktok_desktop.api import ApiClient, AuthClient, RetryPolicy, ShopApi, TokenSet
from tiktok_desktop.sandbox import DemoShop

# Backoff short enough for tests; the policy is the same as in the app.
FAST_RETRY = RetryPolicy(max_attempts=6, base_delay_s=0.05, max_delay_s=0.5, jitter_s=0.05)


@dataclass
class SignedIn:
    api: ApiClient
    shop: ShopApi
    tokens: TokenSet
    saved: list[TokenSet] = field(default_factory=list)


def exchange(demo_shop: DemoShop) -> TokenSet:
    with AuthClient(demo_shop.app_key, demo_shop.app_secret, demo_shop.base_url) as auth:
        return auth.exchange_code(demo_shop.authorize(state="e2e"))


def client_for(
    demo_shop: DemoShop,
    tokens: TokenSet,
    *,
    app_key: str | None = None,
    app_secret: str | None = None,
    **options: object,
) -> ApiClient:
    """A client for the shop; `app_key` / `app_secret` stand in for mistyped credentials."""
    options.setdefault("retry", FAST_RETRY)
    return ApiClient(
        app_key or demo_shop.app_key,
        app_secret or demo_shop.app_secret,
        tokens,
        base_url=demo_shop.base_url,
        auth_base_url=demo_shop.base_url,
        **options,  # type: ignore[arg-type]
    )


def sign_in(demo_shop: DemoShop, **options: object) -> SignedIn:
    tokens = exchange(demo_shop)
    saved: list[TokenSet] = []
    api = client_for(demo_shop, tokens, on_tokens_refreshed=saved.append, **options)
    cipher = api.authorized_shops()[0]["cipher"]
    return SignedIn(api, api.shop(cipher), tokens, saved)
