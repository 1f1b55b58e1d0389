"""Sign-in, tokens and the gateway's errors, live against the demo shop."""

from __future__ import annotations

import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from e2e_shop import client_for, exchange, sign_in

from tiktok_desktop.api import AuthClient, authorization_url, code_from_redirect
from tiktok_desktop.api.errors import (
    InvalidParameterError,
    InvalidTokenError,
    NotFoundError,
    ScopeMissingError,
    ShopCipherError,
    SignatureError,
    TokenExpiredError,
)

WEEK = 7 * 86400


def test_consent_page_redirect_code_tokens_and_shops(demo_shop) -> None:
    state = secrets.token_urlsafe(8)
    url = authorization_url(demo_shop.service_id, state, base_url=demo_shop.base_url)
    consent = httpx.get(url + "&approve=1", follow_redirects=False)
    assert consent.status_code == 302
    redirect = consent.headers["location"]
    assert redirect.startswith(demo_shop.redirect_url)
    code = code_from_redirect(redirect, state)

    now = demo_shop.world.now()
    with AuthClient(demo_shop.app_key, demo_shop.app_secret, demo_shop.base_url) as auth:
        tokens = auth.exchange_code(code)
        # Expiries are absolute times on the shop's clock: a week for the access token.
        assert abs(tokens.access_token_expires_at - (now + WEEK)) < 60
        assert tokens.refresh_token_expires_at > tokens.access_token_expires_at
        assert not tokens.needs_refresh(now)
        with pytest.raises(InvalidTokenError):  # a code works once
            auth.exchange_code(code)

    with client_for(demo_shop, tokens) as api:
        shops = api.authorized_shops()
        assert len(shops) == 1 and shops[0]["cipher"] and shops[0]["region"]
        assert api.seller.active_shops()[0]["id"] == shops[0]["id"]
        assert isinstance(api.seller.permissions(), list)


def test_refresh_returns_a_working_pair(demo_shop) -> None:
    tokens = exchange(demo_shop)
    with AuthClient(demo_shop.app_key, demo_shop.app_secret, demo_shop.base_url) as auth:
        fresh = auth.refresh(tokens.refresh_token)
    assert fresh.access_token != tokens.access_token
    with client_for(demo_shop, fresh) as api:
        assert api.authorized_shops()


def test_expired_access_token_is_refreshed_and_the_call_retried(small_shop) -> None:
    session = sign_in(small_shop)
    with session.api:
        small_shop.world.advance_clock(WEEK + 60)
        warehouses = session.shop.logistics.warehouses()
        assert warehouses
        assert session.api.stats.refreshes == 1
        assert [t.access_token for t in session.saved] == [session.api.tokens.access_token]
        assert session.api.tokens.access_token != session.tokens.access_token


def test_many_threads_hitting_an_expired_token_refresh_once(small_shop) -> None:
    session = sign_in(small_shop)
    with session.api:
        small_shop.world.advance_clock(WEEK + 60)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: session.shop.logistics.warehouses(), range(16)))
        assert all(results)
        # The demo shop rotates refresh tokens: a second refresh with the old one would fail.
        assert session.api.stats.refreshes == 1


def test_end_of_authorization_means_sign_in_again(small_shop) -> None:
    session = sign_in(small_shop)
    with session.api:
        small_shop.world.advance_clock(366 * 86400)
        with pytest.raises(InvalidTokenError) as caught:
            session.shop.logistics.warehouses()
        assert "sign in again" in caught.value.plain


def test_expired_token_whose_refresh_token_was_used_elsewhere(small_shop) -> None:
    tokens = exchange(small_shop)
    with AuthClient(small_shop.app_key, small_shop.app_secret, small_shop.base_url) as auth:
        auth.refresh(tokens.refresh_token)  # another copy of the app renewed (and rotated) it
    small_shop.world.advance_clock(WEEK + 60)
    with client_for(small_shop, tokens) as api, pytest.raises(InvalidTokenError) as caught:
        api.authorized_shops()
    # The server's 105002 was recognised; renewing then failed: the seller must sign in again.
    assert isinstance(caught.value.__context__, TokenExpiredError)


def test_wrong_secret_is_a_signature_error(demo_shop) -> None:
    tokens = exchange(demo_shop)
    wrong = client_for(demo_shop, tokens, app_secret="0" * 40)
    with wrong, pytest.raises(SignatureError) as caught:
        wrong.authorized_shops()
    assert caught.value.code == 106001 and caught.value.request_id


def test_unknown_app_key_is_a_credentials_error(demo_shop) -> None:
    tokens = exchange(demo_shop)
    wrong = client_for(demo_shop, tokens, app_key="6nosuchapp000")
    with wrong, pytest.raises(SignatureError) as caught:
        wrong.authorized_shops()
    assert caught.value.code == 36009004


def test_a_wrong_computer_clock_is_explained(demo_shop) -> None:
    tokens = exchange(demo_shop)
    slow_clock = client_for(demo_shop, tokens, clock=lambda: time.time() - 600)
    with slow_clock, pytest.raises(InvalidParameterError) as caught:
        slow_clock.authorized_shops()
    assert caught.value.code == 36009004 and "clock" in caught.value.plain


def test_shop_cipher_missing_or_unexpected(signed_in) -> None:
    with pytest.raises(ShopCipherError) as missing:
        signed_in.api.request("GET", "/logistics/202309/warehouses")
    assert missing.value.code == 106013
    with pytest.raises(ShopCipherError) as unexpected:
        signed_in.api.request(
            "GET", "/authorization/202309/shops", shop_cipher=signed_in.shop.cipher
        )
    assert unexpected.value.code == 36009004


def test_invalid_access_token(demo_shop) -> None:
    tokens = exchange(demo_shop)
    forged = type(tokens)(**{**tokens.__dict__, "access_token": "TTP_forged"})
    with client_for(demo_shop, forged) as api, pytest.raises(InvalidTokenError):
        api.authorized_shops()


def test_missing_scope(demo_shop, signed_in) -> None:
    demo_shop.world.revoke_scope("seller.finance.info")
    try:
        with pytest.raises(ScopeMissingError) as caught:
            signed_in.shop.finance.statements_page()
    finally:
        demo_shop.world.grant_scope("seller.finance.info")
    assert caught.value.code == 105005


def test_unknown_path_is_not_found(signed_in) -> None:
    with pytest.raises(NotFoundError) as caught:
        signed_in.api.request("GET", "/nothing/202309/here", shop_cipher=signed_in.shop.cipher)
    assert caught.value.code == 36009009


def test_live_calls_leave_no_secret_in_logs(small_shop, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    session = sign_in(small_shop)
    with session.api:
        small_shop.world.advance_clock(WEEK + 60)
        session.shop.logistics.warehouses()  # with a refresh on the way
        tokens = session.api.tokens
    assert "token/refresh" in caplog.text
    for secret in (small_shop.app_secret, tokens.access_token, tokens.refresh_token,
                   session.tokens.access_token, session.tokens.refresh_token):
        assert secret not in caplog.text
