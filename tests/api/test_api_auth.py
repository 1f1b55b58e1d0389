"""Seller authorization URL, token exchange/refresh, and TokenSet arithmetic (reference §2)."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
from api_fakes import (
    ACCESS_TOKEN,
    APP_KEY,
    APP_SECRET,
    AUTH_BASE,
    NOW,
    REFRESH_TOKEN,
    answer,
    make_tokens,
    query_of,
    token_data,
)

from tiktok_desktop.api import (
    AuthClient,
    TokenSet,
    authorization_url,
    code_from_pasted,
    code_from_redirect,
)
from tiktok_desktop.api.errors import (
    AuthorizationDeniedError,
    InvalidTokenError,
    NetworkError,
    ServerError,
)
from tiktok_desktop.api.transport import redact_url_text

AUTH_CODE = "TTP_auth-code-789"


def auth_client(handler) -> AuthClient:
    return AuthClient(APP_KEY, APP_SECRET, AUTH_BASE, transport=httpx.MockTransport(handler))


# -- authorization link ------------------------------------------------------------------------


def test_authorization_url_for_us_and_rest_of_world() -> None:
    assert authorization_url("7001", "st/8+x") == (
        "https://services.us.tiktokshop.com/open/authorize?service_id=7001&state=st%2F8%2Bx"
    )
    assert authorization_url("7001", "abc", region="ROW") == (
        "https://services.tiktokshop.com/open/authorize?service_id=7001&state=abc"
    )


def test_authorization_url_on_another_host_and_without_state() -> None:
    assert authorization_url("7001", "", base_url="http://127.0.0.1:8080/") == (
        "http://127.0.0.1:8080/open/authorize?service_id=7001"
    )


def test_code_from_redirect_checks_state() -> None:
    url = "http://127.0.0.1:5000/callback?code=FeBoANmHP3yqdoUI9fZOCw&state=s1"
    assert code_from_redirect(url, "s1") == "FeBoANmHP3yqdoUI9fZOCw"
    with pytest.raises(AuthorizationDeniedError):
        code_from_redirect(url, "other")
    for declined in ("code=null&error=auth_denied&state=s1", "error=access_denied&state=s1",
                     "code=null&state=s1"):
        with pytest.raises(AuthorizationDeniedError) as caught:
            code_from_redirect(f"http://x/cb?{declined}", "s1")
        assert "did not authorize" in caught.value.plain
    for smuggled in (f"{url}&state=other", "http://x/cb?state=s1&state=other&code=c",
                     "http://x/cb?code=a&code=b&state=s1"):
        with pytest.raises(AuthorizationDeniedError):
            code_from_redirect(smuggled, "s1")


@pytest.mark.parametrize("query", [
    "code=c&state=s1&state=other", "code=c&state=other&state=s1", "code=c&state=s1&state=s1",
    "code=c&state=s1&state=", "code=c&state=&state=s1", "code=c&state=s1&state",
    "code=c&st%61te=s1&state=s1", "code=c&code=&state=s1",
])
def test_a_repeated_state_or_code_is_refused_however_it_is_written(query: str) -> None:
    for take in (lambda: code_from_redirect(f"http://localhost:53682/callback?{query}", "s1"),
                 lambda: code_from_pasted(query, "s1")):
        with pytest.raises(AuthorizationDeniedError) as caught:
            take()
        assert caught.value.plain == (
            "The sign-in answer did not come from this app's request; please sign in again.")


def test_a_pasted_address_or_code_says_whether_it_came_with_our_state() -> None:
    url = "http://localhost:53682/callback?code=FeBoANmHP3yqdoUI9fZOCw&state=s1"
    assert code_from_pasted(f"  {url}\n", "s1") == ("FeBoANmHP3yqdoUI9fZOCw", True)
    assert code_from_pasted("code=FeBo&state=s1", "s1") == ("FeBo", True)
    # The Seller Center App Store's install, and a bare code: not verified (the caller asks).
    assert code_from_pasted("https://example.com/cb?code=AppStore1", "s1") == ("AppStore1", False)
    assert code_from_pasted("FeBoANmHP3yqdoUI9fZOCw", "s1") == ("FeBoANmHP3yqdoUI9fZOCw", False)
    for bad in (url.replace("s1", "s2"), "", "two words", "http://localhost/callback",
                "http://x/cb?code=null&error=access_denied"):
        with pytest.raises(AuthorizationDeniedError):
            code_from_pasted(bad, "s1")


# -- TokenSet ----------------------------------------------------------------------------------


def test_expiries_are_absolute_timestamps() -> None:
    tokens = TokenSet.from_token_data(token_data(now=NOW))
    assert tokens.access_token_expires_at == NOW + 7 * 86400
    assert tokens.access_expires_in(NOW) == 7 * 86400
    assert tokens.access_expires_in(NOW + 7 * 86400 + 10) == -10
    assert tokens.refresh_expires_in(NOW) == 365 * 86400


def test_needs_refresh_within_the_margin() -> None:
    tokens = TokenSet.from_token_data(token_data(now=NOW))
    expiry = tokens.access_token_expires_at
    assert not tokens.needs_refresh(NOW, margin_s=300)
    assert not tokens.needs_refresh(expiry - 301, margin_s=300)
    assert tokens.needs_refresh(expiry - 300, margin_s=300)
    assert tokens.needs_refresh(expiry + 1, margin_s=0)
    assert tokens.needs_refresh(expiry - 3600, margin_s=86400)


def test_token_json_round_trips_and_fits_the_windows_credential_limit() -> None:
    long_token = "ROW_" + "x" * 400
    tokens = TokenSet.from_token_data(
        {**token_data(long_token, long_token), "seller_name": "Großer Laden 東京 " * 4}
    )
    text = tokens.to_json()
    restored = TokenSet.from_json(text)
    assert restored.access_token == long_token
    assert restored.refresh_token_expires_at == tokens.refresh_token_expires_at
    assert restored.seller_name == tokens.seller_name
    # Windows stores the credential blob as UTF-16: 2,560 bytes.
    assert len(text.encode("utf-16-le")) <= 2560


def test_token_repr_hides_secrets() -> None:
    tokens = make_tokens()
    assert ACCESS_TOKEN not in repr(tokens) and REFRESH_TOKEN not in repr(tokens)
    assert ACCESS_TOKEN not in str(tokens)
    assert str(tokens.access_token_expires_at) in repr(tokens)


# -- token host --------------------------------------------------------------------------------


def test_exchange_code_sends_an_unsigned_get_with_authorized_code_grant() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(token_data(), message="success")

    with auth_client(handler) as auth:
        tokens = auth.exchange_code(AUTH_CODE)
    request = seen[0]
    assert request.method == "GET" and request.url.path == "/api/v2/token/get"
    assert query_of(request) == {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": AUTH_CODE,
        "grant_type": "authorized_code",
    }
    assert tokens.access_token == ACCESS_TOKEN
    assert tokens.granted_scopes == ("seller.order.info",)


def test_refresh_sends_the_refresh_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(token_data("TTP_new", "TTP_new_refresh"))

    with auth_client(handler) as auth:
        tokens = auth.refresh(REFRESH_TOKEN)
    assert seen[0].url.path == "/api/v2/token/refresh"
    assert query_of(seen[0])["grant_type"] == "refresh_token"
    assert query_of(seen[0])["refresh_token"] == REFRESH_TOKEN
    assert (tokens.access_token, tokens.refresh_token) == ("TTP_new", "TTP_new_refresh")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (36004004, "Invalid auth code."),
        (36004005, "can not find related auth record"),
        (36004001, "rt has expired"),
    ],
)
def test_token_host_errors_mean_sign_in_again(code: int, message: str) -> None:
    handler = lambda r: answer(code=code, message=message, status=400)  # noqa: E731
    with auth_client(handler) as auth, pytest.raises(InvalidTokenError) as caught:
        auth.exchange_code(AUTH_CODE)
    assert caught.value.code == code and caught.value.plain


def test_token_answer_without_tokens_is_a_server_error() -> None:
    with auth_client(lambda r: answer({"open_id": "x"})) as auth, pytest.raises(ServerError):
        auth.refresh(REFRESH_TOKEN)


def _secrets_absent(text: str) -> bool:
    return all(s not in text for s in (APP_SECRET, AUTH_CODE, REFRESH_TOKEN))


def test_network_failure_on_the_token_host_never_shows_the_secret_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot connect to {request.url}", request=request)

    with auth_client(handler) as auth, pytest.raises(NetworkError) as caught:
        auth.exchange_code(AUTH_CODE)
    error = caught.value
    assert error.__cause__ is None and error.__context__ is None
    assert _secrets_absent(str(error)) and _secrets_absent(repr(error))
    assert _secrets_absent("".join(traceback.format_exception(error)))


def test_timeout_on_the_token_host_is_a_network_error_without_the_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"timed out reading {request.url}", request=request)

    with auth_client(handler) as auth, pytest.raises(NetworkError) as caught:
        auth.refresh(REFRESH_TOKEN)
    assert caught.value.timed_out
    assert _secrets_absent("".join(traceback.format_exception(caught.value)))


def test_an_echoed_secret_is_scrubbed_from_the_error_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return answer(code=36004004, message=f"Invalid auth code {AUTH_CODE} for {APP_SECRET}")

    with auth_client(handler) as auth, pytest.raises(InvalidTokenError) as caught:
        auth.exchange_code(AUTH_CODE)
    assert _secrets_absent(str(caught.value)) and _secrets_absent(caught.value.message)


def test_token_calls_leave_no_secret_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with auth_client(lambda r: answer(token_data())) as auth:
        auth.exchange_code(AUTH_CODE)
        auth.refresh(REFRESH_TOKEN)
    assert "/api/v2/token/get" in caplog.text  # httpx did log the request line …
    assert _secrets_absent(caplog.text)  # … with its secrets redacted
    assert ACCESS_TOKEN not in caplog.text


def test_auth_client_repr_hides_the_secret() -> None:
    with auth_client(lambda r: answer()) as auth:
        assert APP_SECRET not in repr(auth)


def test_redaction_of_secret_query_values_keeps_the_rest() -> None:
    line = (f"HTTP Request: GET https://auth.test/api/v2/token/get?app_key={APP_KEY}"
            f"&app_secret={APP_SECRET}&auth_code={AUTH_CODE}&grant_type=authorized_code "
            '"HTTP/1.1 200 OK"')
    redacted = redact_url_text(line)
    assert _secrets_absent(redacted)
    assert f"app_key={APP_KEY}" in redacted and "grant_type=authorized_code" in redacted
    assert redact_url_text("?country_code=US&code=X") == "?country_code=US&code=***"
