"""A seller's own shop: app details checked before anything is sent, the sign-in kept in the
keychain (and nowhere else), a session opened from it, renewed tokens written back."""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tiktok_desktop.api import code_from_redirect
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.accounts import (
    KEYCHAIN_LIMIT_CHARS,
    Account,
    AppDetails,
    Hosts,
    NotSignedIn,
    authorized_shops,
    check_app_details,
    exchange_code,
    forget_shop_data,
    open_shop_session,
    save_account,
)
from tiktok_desktop.services.credentials import Keychain

GOOD = {"app_key": "6abc123def456", "app_secret": "0123456789abcdef0123456789abcdef01234567",
        "service_id": "7123456789012345678"}


def test_app_details_are_checked_field_by_field_before_anything_is_sent() -> None:
    assert check_app_details(**GOOD) == {}
    problems = check_app_details(app_key="", app_secret=" " + GOOD["app_secret"],
                                 service_id="71234-5678")
    assert set(problems) == {"app_key", "app_secret", "service_id"}
    assert "Required" in problems["app_key"]
    assert "spaces" in problems["app_secret"]
    assert "digits only" in problems["service_id"]
    assert "letters and digits" in check_app_details(**{**GOOD, "app_key": "6abc-12"})["app_key"]


def test_the_keychain_entry_is_compact_and_its_repr_hides_the_secrets(shop_details) -> None:
    _, details, tokens = shop_details
    entry = Account(details.app_secret, tokens)
    text = entry.to_json()
    assert len(text) < KEYCHAIN_LIMIT_CHARS
    again = Account.from_json(text)
    assert again.app_secret == details.app_secret
    assert again.tokens == replace(tokens, granted_scopes=())  # scopes are not kept
    for secret in (details.app_secret, tokens.access_token, tokens.refresh_token):
        assert secret not in repr(entry) and secret not in repr(details)


@pytest.fixture
def shop_details():
    with DemoShop(DemoShopConfig(seed=5, orders=30, products=5)) as shop:
        details = AppDetails(shop.app_key, shop.app_secret, shop.service_id, "US")
        state = secrets.token_urlsafe(12)
        with httpx.Client() as http:  # the seller's browser, approving at once
            answer = http.get(details.consent_url(state, Hosts.local(shop.base_url))
                              + "&approve=1")
        code = code_from_redirect(answer.headers["location"], state)
        yield shop, details, exchange_code(details, code, Hosts.local(shop.base_url))


def test_a_connected_shop_opens_from_the_keychain_and_keeps_renewed_tokens(
        shop_details, tmp_path: Path) -> None:
    shop, details, tokens = shop_details
    hosts = Hosts.local(shop.base_url)
    [identity] = authorized_shops(details, tokens, hosts)
    assert identity.id == shop.world.shop.id and identity.cipher == shop.world.shop.cipher
    vault = Keychain()
    account = save_account(vault, details, tokens)
    session = open_shop_session(tmp_path, identity, details.app_key, account, vault, hosts)
    try:
        assert session.sync().complete
        shop.world.advance_clock(tokens.access_token_expires_at - shop.world.now() + 60)
        assert session.sync().complete  # renewed on the way
        kept = Account.from_json(vault.load(account))
        assert kept.tokens.access_token != tokens.access_token
        assert kept.tokens.refresh_token == session.api.tokens.refresh_token
    finally:
        session.close()
    # Nothing secret reached the data folder.
    secrets_ = (details.app_secret, tokens.access_token, tokens.refresh_token,
                kept.tokens.access_token, kept.tokens.refresh_token)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in secrets_), path
    forget_shop_data(tmp_path, identity.id)
    assert not any(tmp_path.glob(f"shop-{identity.id}*"))


def test_a_shop_whose_sign_in_is_gone_says_so(tmp_path: Path) -> None:
    from tiktok_desktop.services.session import ShopIdentity

    with pytest.raises(NotSignedIn) as caught:
        open_shop_session(tmp_path, ShopIdentity("7495", "Shop", "ROW_x"), "6abc123def456",
                          "6abc123def456.nobody", Keychain())
    assert "connect the shop again" in caught.value.plain
