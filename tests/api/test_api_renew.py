"""One renewal per stale token set (`renew_after`), an injectable renewer, and cancelled waits."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from api_fakes import AUTH_BASE, NOW, answer, make_tokens, token_data

from tiktok_desktop.api import RequestCancelled, TokenSet
from tiktok_desktop.api.errors import InvalidTokenError, TokenExpiredError


class CountingTokenHost:
    """A token host that rotates the pair on each refresh and refuses a used refresh token."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.refreshes = 0
        self.valid_refresh = make_tokens().refresh_token
        self.delay_s = delay_s
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == httpx.URL(AUTH_BASE).host
        time.sleep(self.delay_s)
        with self.lock:
            if request.url.params["refresh_token"] != self.valid_refresh:
                return answer(code=36004001, message="rt has expired", status=400)
            self.refreshes += 1
            self.valid_refresh = f"TTP_refresh_{self.refreshes}"
            return answer(token_data(f"TTP_fresh_{self.refreshes}", self.valid_refresh))


def test_renew_after_returns_the_current_tokens_when_someone_renewed_already(make_client):
    host = CountingTokenHost()
    client, _ = make_client(host)
    stale = client.tokens
    fresh = client.renew_after(stale)
    assert fresh.access_token == "TTP_fresh_1"
    assert client.renew_after(stale) == fresh  # the same stale set again: no second refresh
    assert host.refreshes == 1 and client.stats.refreshes == 1


def test_concurrent_callers_share_one_renewal(make_client):
    host = CountingTokenHost(delay_s=0.2)  # long enough for every caller to join it
    client, _ = make_client(host)
    stale = client.tokens
    results: list[TokenSet] = []
    callers = [threading.Thread(target=lambda: results.append(client.renew_after(stale)))
               for _ in range(8)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert host.refreshes == 1
    assert {t.access_token for t in results} == {"TTP_fresh_1"}


def test_an_injected_renewer_replaces_the_token_host(make_client):
    asked: list[TokenSet] = []
    fresh = make_tokens("TTP_from_the_window", "TTP_refresh_from_the_window")

    def renew(stale: TokenSet) -> TokenSet:
        asked.append(stale)
        return fresh

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(AUTH_BASE).host:
            raise AssertionError("the token host must not be called")
        if request.headers["x-tts-access-token"] != fresh.access_token:
            return answer(code=105002, message="expired", status=401)
        return answer({"ok": True})

    saved: list[TokenSet] = []
    client, _ = make_client(server, renew=renew, on_tokens_refreshed=saved.append)
    old = client.tokens
    assert client.request("GET", "/x/202309/y") == {"ok": True}
    assert asked == [old] and client.tokens == fresh and saved == [fresh]


def test_a_renewer_error_is_raised_with_the_expiry_as_its_context(make_client):
    def renew(stale: TokenSet) -> TokenSet:
        raise InvalidTokenError(36004001, "rt has expired", plain="Please sign in again.")

    client, _ = make_client(lambda r: answer(code=105002, message="expired", status=401),
                            renew=renew)
    with pytest.raises(InvalidTokenError) as raised:
        client.request("GET", "/x/202309/y")
    assert isinstance(raised.value.__context__, TokenExpiredError)
    assert raised.value.plain == "Please sign in again."


def test_a_cancel_stops_the_wait_but_the_renewal_is_kept(make_client):
    host = CountingTokenHost(delay_s=0.5)
    client, _ = make_client(host)
    stale = client.tokens
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(RequestCancelled):
        client.renew_after(stale, cancel)
    assert time.monotonic() - started < 0.45  # left before the token host answered
    deadline = time.monotonic() + 5
    while client.tokens == stale and time.monotonic() < deadline:
        time.sleep(0.02)
    assert client.tokens.access_token == "TTP_fresh_1"  # the used refresh token is not lost
    assert client.renew_after(stale) == client.tokens and host.refreshes == 1


def test_adopted_tokens_end_a_renewal_without_a_refresh(make_client):
    host = CountingTokenHost()
    client, _ = make_client(host)
    stale = client.tokens
    elsewhere = make_tokens("TTP_elsewhere", "TTP_refresh_elsewhere")
    client.adopt_tokens(elsewhere)
    assert client.renew_after(stale) == elsewhere and host.refreshes == 0


def test_a_refused_renewal_is_not_asked_again_with_the_same_refresh_token(make_client):
    host = CountingTokenHost()
    host.valid_refresh = "TTP_someone_else_used_it"
    client, fake = make_client(host)
    stale = client.tokens
    for _ in range(3):
        with pytest.raises(InvalidTokenError):
            client.renew_after(stale)
    assert len(fake.requests) == 1  # the refusal stands until the tokens change


@pytest.mark.parametrize("clock", [NOW, NOW + 7 * 86400 - 60],
                         ids=["expired-on-answer", "due-before-sending"])
def test_a_revoked_refresh_token_is_tried_once_by_a_whole_sync(make_client, clock):
    """Many threads, each with several calls, find the access token stale at once (a sync's
    resources): one refresh call, and every call then fails with the sign-in message."""
    host = CountingTokenHost(delay_s=0.05)
    host.valid_refresh = "TTP_revoked_elsewhere"  # ours no longer works

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(AUTH_BASE).host:
            return host(request)
        return answer(code=105002, message="access token is expired", status=401)

    client, fake = make_client(server, clock=lambda: clock)
    failures: list[Exception] = []

    def resource() -> None:
        for _ in range(3):
            try:
                client.request("GET", "/order/202309/orders/search")
            except InvalidTokenError as error:
                failures.append(error)

    threads = [threading.Thread(target=resource) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refreshes = [r for r in fake.requests if r.url.host == httpx.URL(AUTH_BASE).host]
    assert len(refreshes) == 1
    assert len(failures) == 24
    assert {error.plain for error in failures} == {
        "The connection to your TikTok Shop has ended; please sign in again."}
