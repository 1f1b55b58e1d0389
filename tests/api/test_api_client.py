"""The one request path: common parameters, signature, headers, body rules, redaction."""

from __future__ import annotations

import dataclasses
import logging
import threading
import traceback

import httpx
import pytest
from api_fakes import (
    ACCESS_TOKEN,
    APP_KEY,
    APP_SECRET,
    NOW,
    REFRESH_TOKEN,
    answer,
    query_of,
    signature_is_valid,
)

from tiktok_desktop.api import Answer, RetryPolicy
from tiktok_desktop.api.errors import ApiError, NetworkError

TOKEN_WITH_SLASH_AND_PLUS = "6AsPQsUMvH3RkchNUPPh22NROHkE0D8pmq/N5M1kHYcZmtRyv9aVrNv65W7Q6tFA+7D1u"


def test_get_carries_common_params_signature_and_token_header(make_client) -> None:
    client, fake = make_client(lambda r: answer({"shops": []}))
    client.request("GET", "/authorization/202309/shops")
    request = fake.requests[0]
    query = query_of(request)
    assert set(query) == {"app_key", "timestamp", "sign"}
    assert query["app_key"] == APP_KEY and query["timestamp"] == str(NOW)
    assert len(query["sign"]) == 64 and signature_is_valid(request)
    assert request.headers["x-tts-access-token"] == ACCESS_TOKEN
    assert request.headers["content-type"] == "application/json"
    assert request.content == b""


def test_post_signs_the_exact_body_and_escapes_the_page_token(make_client) -> None:
    client, fake = make_client(lambda r: answer({"orders": []}))
    client.request(
        "POST",
        "/order/202309/orders/search",
        query={"page_size": 50, "page_token": TOKEN_WITH_SLASH_AND_PLUS, "missing": None},
        body={"order_status": "AWAITING_SHIPMENT", "note": "naïve"},
        shop_cipher="ROW_cipher",
    )
    request = fake.requests[0]
    assert b"%2B" in request.url.raw_path and b"%2F" in request.url.raw_path
    assert query_of(request)["page_token"] == TOKEN_WITH_SLASH_AND_PLUS
    assert query_of(request)["shop_cipher"] == "ROW_cipher"
    assert "missing" not in query_of(request)
    assert request.content == '{"order_status":"AWAITING_SHIPMENT","note":"naïve"}'.encode()
    assert signature_is_valid(request)


def test_an_empty_body_is_not_sent_and_booleans_are_lowercase(make_client) -> None:
    client, fake = make_client(lambda r: answer({}))
    client.request("POST", "/x/202309/y", query={"flag": True}, body={})
    assert fake.requests[0].content == b""
    assert query_of(fake.requests[0])["flag"] == "true"
    assert signature_is_valid(fake.requests[0])


def test_get_never_carries_a_body(make_client) -> None:
    client, fake = make_client(lambda r: answer({}))
    with pytest.raises(ValueError):
        client.request("GET", "/x/202309/y", body={"a": 1})
    assert fake.requests == []


def test_each_try_is_signed_with_a_fresh_timestamp(make_client) -> None:
    now = [NOW]

    def throttle_once(request: httpx.Request) -> httpx.Response:
        if now[0] == NOW:
            now[0] += 7  # the retry goes out 7 s later
            return answer(code=36009002, status=429)
        return answer({})

    client, fake = make_client(throttle_once, clock=lambda: now[0])
    client.request("GET", "/x/202309/y")
    assert [query_of(r)["timestamp"] for r in fake.requests] == [str(NOW), str(NOW + 7)]
    assert all(signature_is_valid(r) for r in fake.requests)


def test_client_is_safe_to_share_between_threads(make_client) -> None:
    client, _ = make_client(lambda r: answer({"n": query_of(r)["n"]}))
    results: dict[int, dict] = {}

    def work(n: int) -> None:
        results[n] = client.request("GET", "/x/202309/y", query={"n": n})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: {"n": str(n)} for n in range(16)}
    assert client.stats.requests == 16


def _no_secret(text: str) -> bool:
    return all(s not in text for s in (APP_SECRET, ACCESS_TOKEN, REFRESH_TOKEN))


def test_secrets_never_reach_repr_errors_or_logs(make_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f"bad header {ACCESS_TOKEN} / secret {APP_SECRET}"
    client, _ = make_client(
        lambda r: answer(code=36009004, message=echo, status=401),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/authorization/202309/shops")
    error = caught.value
    assert _no_secret(str(error)) and _no_secret(repr(error)) and _no_secret(error.message)
    assert _no_secret(repr(client)) and _no_secret(repr(client.tokens))
    assert _no_secret(repr(client.shop("cipher")))
    assert "/authorization/202309/shops" in caplog.text
    assert _no_secret(caplog.text)


def test_network_failures_do_not_chain_the_httpx_exception(make_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"failed: {request.url} {request.headers}", request=request)

    client, _ = make_client(handler, retry=RetryPolicy(max_attempts=2))
    with pytest.raises(NetworkError) as caught:
        client.request("GET", "/x/202309/y")
    assert _no_secret("".join(traceback.format_exception(caught.value)))
    assert _no_secret(caplog.text)


def test_request_with_meta_gives_the_request_id_of_the_try_that_succeeded(make_client) -> None:
    answers = iter([
        httpx.Response(429, json={"code": 36009002, "message": "Too many", "request_id": "R1",
                                  "data": None}),
        httpx.Response(200, json={"code": 0, "message": "Success", "request_id": "R2",
                                  "data": {"shops": []}}),
    ])
    client, _ = make_client(lambda r: next(answers))
    result = client.request_with_meta("GET", "/authorization/202309/shops")
    assert (result.data, result.request_id) == ({"shops": []}, "R2")
    client, _ = make_client(lambda r: answer({"shops": []}))
    assert client.request("GET", "/authorization/202309/shops") == {"shops": []}
    client, _ = make_client(lambda r: httpx.Response(200, json={"code": 0, "data": None}))
    assert client.request_with_meta("GET", "/authorization/202309/shops") == Answer({}, "")


def test_settings_make_an_equal_client_and_keep_secrets_out_of_repr(make_client) -> None:
    client, _ = make_client(lambda r: answer({}))
    settings = client.settings()
    assert (settings.app_key, settings.tokens, settings.rate_limit) == (
        APP_KEY, client.tokens, client.limiter.rate)
    assert APP_SECRET not in repr(settings) and ACCESS_TOKEN not in repr(settings)
    twin = settings.client()
    try:
        assert twin.settings() == settings
    finally:
        twin.close()


def test_adopted_tokens_are_used_and_kept(make_client) -> None:
    kept = []
    client, fake = make_client(lambda r: answer({"shops": []}), on_tokens_refreshed=kept.append)
    fresh = dataclasses.replace(client.tokens, access_token="renewed-elsewhere-123456")
    client.adopt_tokens(fresh)
    client.adopt_tokens(fresh)  # the same again: nothing new to keep
    client.request("GET", "/authorization/202309/shops")
    assert kept == [fresh] and client.tokens == fresh
    assert fake.requests[0].headers["x-tts-access-token"] == "renewed-elsewhere-123456"
