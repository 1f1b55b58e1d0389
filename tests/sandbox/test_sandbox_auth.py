"""Seller consent, auth codes and tokens on the auth host."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import httpx

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig

GET, REFRESH = "/api/v2/token/get", "/api/v2/token/refresh"


def test_the_consent_page_offers_an_authorize_button(shop) -> None:
    with httpx.Client(base_url=shop.base_url, verify=False) as http:
        page = http.get("/open/authorize", params={"service_id": shop.service_id, "state": "x1"})
        assert page.status_code == 200 and "Authorize" in page.text
        link = page.text.split('class="button go" href="')[1].split('"')[0].replace("&amp;", "&")
        approved = http.get(link)
        assert approved.status_code == 302
        target = urlsplit(approved.headers["location"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == shop.redirect_url
        query = parse_qs(target.query)
        assert query["state"] == ["x1"] and query["code"][0].startswith("TTP_")
        denied = http.get("/open/authorize", params={"service_id": shop.service_id,
                                                     "state": "x2", "deny": "1"})
        assert parse_qs(urlsplit(denied.headers["location"]).query)["error"] == ["auth_denied"]
        unknown = http.get("/open/authorize", params={"service_id": "123"})
        assert unknown.status_code == 400


def test_the_redirect_url_is_a_setting() -> None:
    config = DemoShopConfig(orders=10, products=3, redirect_url="http://127.0.0.1:9/done?x=1")
    with DemoShop(config) as shop:
        with httpx.Client(verify=False) as http:
            answer = http.get(f"{shop.base_url}/open/authorize", params={
                "service_id": shop.service_id, "state": "s", "approve": "1"})
        assert answer.headers["location"].startswith("http://127.0.0.1:9/done?x=1&code=TTP_")
        assert shop.info()["redirect_url"] == "http://127.0.0.1:9/done?x=1"


def test_an_auth_code_works_once(shop, auth_host) -> None:
    code = shop.authorize(state="s")
    first = auth_host(shop, GET, auth_code=code, grant_type="authorized_code")
    assert first["code"] == 0 and first["message"] == "success"
    again = auth_host(shop, GET, auth_code=code, grant_type="authorized_code")
    assert again["code"] == 36004004 and again["data"] is None


def test_an_auth_code_expires_after_30_minutes(shop, auth_host) -> None:
    code = shop.authorize()
    shop.world.advance_clock(30 * 60 + 1)
    assert auth_host(shop, GET, auth_code=code, grant_type="authorized_code")["code"] == 36004004


def test_token_expiries_are_absolute_timestamps(shop, auth_host) -> None:
    data = auth_host(shop, GET, auth_code=shop.authorize(), grant_type="authorized_code")["data"]
    now = shop.world.now()
    assert abs(data["access_token_expire_in"] - (now + 7 * 86400)) <= 1
    assert abs(data["refresh_token_expire_in"] - (now + 365 * 86400)) <= 1
    assert data["access_token_expire_in"] > time.time() + 6 * 86400
    assert data["seller_base_region"] == "US" and data["user_type"] == 0
    assert "seller.order.info" in data["granted_scopes"]


def test_refresh_gives_new_tokens_and_keeps_the_authorization_end(shop, auth_host) -> None:
    first = auth_host(shop, GET, auth_code=shop.authorize(), grant_type="authorized_code")["data"]
    shop.world.advance_clock(8 * 86400)  # the access token has expired by now
    refreshed = auth_host(shop, REFRESH, refresh_token=first["refresh_token"],
                          grant_type="refresh_token")
    assert refreshed["code"] == 0
    data = refreshed["data"]
    assert data["access_token"] != first["access_token"]
    assert data["refresh_token"] != first["refresh_token"]
    assert data["refresh_token_expire_in"] == first["refresh_token_expire_in"]
    assert abs(data["access_token_expire_in"] - (shop.world.now() + 7 * 86400)) <= 1
    # The old refresh token was replaced.
    old = auth_host(shop, REFRESH, refresh_token=first["refresh_token"],
                    grant_type="refresh_token")
    assert old["code"] == 36004005


def test_refresh_takes_the_grant_type_tiktoks_own_sdk_sends(shop, auth_host) -> None:
    """TikTok's generated Node.js SDK refreshes with grant_type=authorized_code."""
    first = auth_host(shop, GET, auth_code=shop.authorize(), grant_type="authorized_code")["data"]
    refreshed = auth_host(shop, REFRESH, refresh_token=first["refresh_token"],
                          grant_type="authorized_code")
    assert refreshed["code"] == 0
    assert refreshed["data"]["access_token"] != first["access_token"]
    other = auth_host(shop, REFRESH, refresh_token=refreshed["data"]["refresh_token"],
                      grant_type="client_credentials")
    assert other["code"] == 36009004


def test_a_refresh_token_ends_with_the_authorization(shop, auth_host) -> None:
    data = auth_host(shop, GET, auth_code=shop.authorize(), grant_type="authorized_code")["data"]
    shop.world.advance_clock(366 * 86400)
    answer = auth_host(shop, REFRESH, refresh_token=data["refresh_token"],
                       grant_type="refresh_token")
    assert answer["code"] == 36004001


def test_the_token_host_checks_the_app(shop, auth_host) -> None:
    code = shop.authorize()
    wrong_grant = auth_host(shop, GET, auth_code=code, grant_type="authorization_code")
    assert wrong_grant["code"] == 36009004 and "authorized_code" in wrong_grant["message"]
    wrong_secret = auth_host(shop, GET, auth_code=code, grant_type="authorized_code",
                             app_secret="0" * 40)
    assert wrong_secret["code"] == 36009004
    assert auth_host(shop, GET, auth_code=code, grant_type="authorized_code")["code"] == 0


def test_a_refreshed_token_works_on_the_open_api(shop, auth_host, new_client) -> None:
    client = new_client(shop)
    first = auth_host(shop, GET, auth_code=shop.authorize(), grant_type="authorized_code")["data"]
    client.access_token = first["access_token"]
    shop.world.advance_clock(7 * 86400 + 5)
    assert client.send("GET", "/seller/202309/shops", cipher=False).json()["code"] == 105002
    data = auth_host(shop, REFRESH, refresh_token=first["refresh_token"],
                     grant_type="refresh_token")["data"]
    client.access_token = data["access_token"]
    assert client.ok("GET", "/seller/202309/shops", cipher=False)["shops"]
