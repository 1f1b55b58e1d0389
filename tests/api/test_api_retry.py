"""Which failures are retried, how long the client waits, and refresh-and-retry on 105002."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from api_fakes import AUTH_BASE, REFRESH_TOKEN, answer, query_of, token_data

from tiktok_desktop.api import RetryPolicy, TokenSet
from tiktok_desktop.api.errors import (
    InvalidParameterError,
    InvalidTokenError,
    NetworkError,
    RateLimitedError,
    ServerError,
    SignatureError,
    TokenExpiredError,
)

THROTTLED = answer(code=36009002, message="Too many requests.", status=429)
SERVER_ERROR = answer(code=36009003, message="Internal error.", status=500)


def failing_then_ok(*failures: httpx.Response | Exception) -> Callable:
    """A handler that fails in the given ways, then succeeds."""
    queue = list(failures)

    def handler(request: httpx.Request) -> httpx.Response:
        if queue:
            failure = queue.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        return answer({"ok": True})

    return handler


# -- the policy alone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "retry_safe", "expected"),
    [
        (RateLimitedError(36009002, "slow down"), False, True),
        (RateLimitedError(36009002, "slow down", retry_after=5), False, True),
        (RateLimitedError(36009002, "slow down", retry_after=600), True, False),
        (ServerError(36009003, "oops"), True, True),
        (ServerError(36009003, "oops"), False, False),
        (NetworkError("dropped"), True, True),
        (NetworkError("dropped"), False, False),
        (InvalidParameterError(36009004, "bad"), True, False),
        (SignatureError(106001, "bad sign"), True, False),
    ],
)
def test_which_errors_are_retried(error, retry_safe, expected) -> None:
    assert RetryPolicy().should_retry(error, 1, retry_safe) is expected


def test_no_retry_after_the_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.should_retry(ServerError(1, "x"), 2, True)
    assert not policy.should_retry(ServerError(1, "x"), 3, True)


def test_backoff_doubles_up_to_the_cap_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=3.0, jitter_s=0.5)
    assert [policy.delay(n, rand=lambda: 0.0) for n in (1, 2, 3, 4, 5)] == [0.5, 1, 2, 3, 3]
    assert policy.delay(1, rand=lambda: 1.0) == 1.0
    assert policy.delay(4, retry_after=0.25, rand=lambda: 0.0) == 0.25


# -- through the client ------------------------------------------------------------------------


def test_throttled_post_is_retried_even_when_not_safe(make_client, sleeps) -> None:
    client, fake = make_client(failing_then_ok(THROTTLED, THROTTLED))
    assert client.request("POST", "/fulfillment/202309/packages/1/ship", body={"a": 1}) == {
        "ok": True
    }
    assert len(fake.requests) == 3 and sleeps == [0.5, 1.0]
    assert client.stats.retries == 2 and client.stats.throttled == 2


def test_retry_after_header_sets_the_pause(make_client, sleeps) -> None:
    slow_down = answer(code=36009002, status=429, headers={"Retry-After": "2"})
    client, _ = make_client(failing_then_ok(slow_down))
    client.request("GET", "/x/202309/y")
    assert sleeps == [2.0]


def test_server_error_on_unsafe_post_is_not_retried(make_client) -> None:
    client, fake = make_client(failing_then_ok(SERVER_ERROR))
    with pytest.raises(ServerError):
        client.request("POST", "/fulfillment/202309/packages/1/ship", body={"a": 1})
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [SERVER_ERROR, httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")],
    ids=["5xx", "timeout", "dropped"],
)
def test_safe_calls_are_retried_after_server_and_network_failures(make_client, failure) -> None:
    client, fake = make_client(failing_then_ok(failure))
    assert client.request("GET", "/x/202309/y") == {"ok": True}
    assert client.request("POST", "/order/202309/orders/search", retry_safe=True) is not None
    assert len(fake.requests) == 3


def test_unsafe_post_is_not_repeated_after_a_timeout(make_client) -> None:
    client, fake = make_client(failing_then_ok(httpx.ReadTimeout("slow")))
    with pytest.raises(NetworkError):
        client.request("POST", "/fulfillment/202309/packages/ship", body={"packages": []})
    assert len(fake.requests) == 1


def test_idempotency_key_makes_a_post_retryable_and_is_reused(make_client) -> None:
    client, fake = make_client(failing_then_ok(httpx.ReadTimeout("lost"), SERVER_ERROR))
    client.shop("c").returns.approve_cancellation("4035318503783797763")
    keys = [query_of(r)["idempotency_key"] for r in fake.requests]
    assert len(keys) == 3 and len(set(keys)) == 1 and len(keys[0]) >= 32


def test_each_logical_call_gets_its_own_idempotency_key(make_client) -> None:
    client, fake = make_client(lambda r: answer({}))
    returns = client.shop("c").returns
    returns.approve_cancellation("1")
    returns.approve_cancellation("1")
    returns.approve_cancellation("1", idempotency_key="from-the-outbox")
    keys = [query_of(r)["idempotency_key"] for r in fake.requests]
    assert keys[0] != keys[1] and keys[2] == "from-the-outbox"


def test_gives_up_after_max_attempts(make_client, sleeps) -> None:
    client, fake = make_client(lambda r: THROTTLED, retry=RetryPolicy(max_attempts=4))
    with pytest.raises(RateLimitedError):
        client.request("GET", "/x/202309/y")
    assert len(fake.requests) == 4 and len(sleeps) == 3


def test_other_errors_are_raised_at_once(make_client) -> None:
    client, fake = make_client(lambda r: answer(code=36009004, message="invalid param error"))
    with pytest.raises(InvalidParameterError):
        client.request("GET", "/x/202309/y")
    assert len(fake.requests) == 1


# -- refresh and retry -------------------------------------------------------------------------


class TokenServer:
    """Open API that rejects all but the current access token; token host that rotates it."""

    def __init__(self) -> None:
        self.current = "TTP_access-token-value-123"
        self.refreshes = 0
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(AUTH_BASE).host:
            with self.lock:
                self.refreshes += 1
                self.current = f"TTP_fresh_{self.refreshes}"
                return answer(token_data(self.current, f"TTP_refresh_{self.refreshes}"))
        if request.headers["x-tts-access-token"] != self.current:
            return answer(code=105002, message="access token is expired, please refresh it",
                          status=401)
        return answer({"token_ok": True})


def test_expired_token_is_refreshed_once_and_the_call_retried(make_client) -> None:
    server = TokenServer()
    server.current = "TTP_rotated_elsewhere"  # the client's token is no longer accepted
    saved: list[TokenSet] = []
    client, fake = make_client(server, on_tokens_refreshed=saved.append)
    assert client.request("POST", "/fulfillment/202309/packages/1/ship") == {"token_ok": True}
    assert server.refreshes == 1 and client.stats.refreshes == 1
    assert [t.access_token for t in saved] == ["TTP_fresh_1"]
    assert client.tokens.refresh_token == "TTP_refresh_1"
    refresh_call = next(r for r in fake.requests if r.url.host == httpx.URL(AUTH_BASE).host)
    assert query_of(refresh_call)["refresh_token"] == REFRESH_TOKEN


def test_a_second_expiry_right_after_refresh_is_raised(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(AUTH_BASE).host:
            return answer(token_data("TTP_new"))
        return answer(code=105002, message="expired", status=401)

    client, fake = make_client(handler)
    with pytest.raises(TokenExpiredError):
        client.request("GET", "/x/202309/y")
    assert len(fake.requests) == 3  # call, refresh, call


def test_concurrent_expiries_share_one_refresh(make_client) -> None:
    server = TokenServer()
    server.current = "TTP_rotated_elsewhere"
    all_expired = threading.Barrier(12, timeout=10)

    def handler(request: httpx.Request) -> httpx.Response:
        response = server(request)
        if request.url.host != httpx.URL(AUTH_BASE).host and server.refreshes == 0:
            all_expired.wait()  # every thread holds an "expired" answer before any refresh
        return response

    client, _ = make_client(handler)
    errors: list[Exception] = []

    def work() -> None:
        try:
            client.request("GET", "/x/202309/y")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and server.refreshes == 1


def test_failed_refresh_raises_sign_in_again(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(AUTH_BASE).host:
            return answer(code=36004001, message="rt has expired", status=400)
        return answer(code=105002, message="expired", status=401)

    client, _ = make_client(handler)
    with pytest.raises(InvalidTokenError):
        client.request("GET", "/x/202309/y")


def test_tokens_are_renewed_shortly_before_they_expire(make_client) -> None:
    server = TokenServer()
    expiring = TokenSet.from_token_data(token_data(now=1_750_000_000 - 7 * 86400 + 60))
    client, _ = make_client(server, tokens=expiring)  # expires 60 s from the fake now
    server.current = "TTP_fresh_1"
    client.request("GET", "/x/202309/y")
    client.request("GET", "/x/202309/y")
    assert server.refreshes == 1 and client.tokens.access_token == "TTP_fresh_1"


def test_a_failing_save_callback_does_not_fail_the_call(make_client, caplog) -> None:
    server = TokenServer()
    server.current = "TTP_rotated_elsewhere"

    def broken_save(tokens: TokenSet) -> None:
        raise OSError("keychain locked")

    client, _ = make_client(server, on_tokens_refreshed=broken_save)
    assert client.request("GET", "/x/202309/y") == {"token_ok": True}
    assert "Saving the renewed tokens failed" in caplog.text
