"""Cancel reaches the network: before a try, in the limiter's wait, in a back-off pause and in
flight, against a real loopback server that answers after 20 s."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from api_fakes import ACCESS_TOKEN, APP_KEY, APP_SECRET, REFRESH_TOKEN, answer, token_data

from tiktok_desktop.api import ApiClient, RequestCancelled, RetryPolicy, TokenSet
from tiktok_desktop.api.errors import NetworkError

SLOW_S = 20.0
SPEC_S = 2.0  # a cancelled call returns within this (the promise)
GET_PATH = "/seller/202309/shops"
OK = {"code": 0, "message": "Success", "request_id": "REQ1", "data": {"shops": []}}


def fresh_tokens() -> TokenSet:
    """Tokens valid on the real clock (these tests wait for real), so none is renewed."""
    return TokenSet.from_token_data(token_data(now=int(time.time())))


class SlowServer:
    """A loopback Open API: each request is answered by `behaviour` (see `respond`); a slow
    answer waits up to 20 s, and stop() releases every waiting handler at once."""

    def __init__(self) -> None:
        self.behaviour = "slow"
        self.requests = 0
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                server.requests += 1
                server.respond(self)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass  # quiet; URLs would carry signatures

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True  # a handler still waiting never holds pytest back
        self.thread = threading.Thread(target=self.http.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}"

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        status, headers, body = 200, {}, OK
        if self.behaviour == "slow":
            self.release.wait(SLOW_S)
        elif self.behaviour == "throttled":
            status, headers = 429, {"Retry-After": "30"}
            body = {"code": 36009002, "message": "Too many requests.", "request_id": "R"}
        elif self.behaviour == "error":
            status = 500
            body = {"code": 36009003, "message": "Internal error.", "request_id": "R"}
        payload = json.dumps(body).encode()
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the client went away

    def stop(self) -> None:
        self.release.set()
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[SlowServer]:
    running = SlowServer()
    yield running
    running.stop()


@pytest.fixture
def client(server: SlowServer) -> Iterator[ApiClient]:
    api = ApiClient(APP_KEY, APP_SECRET, fresh_tokens(), base_url=server.base_url,
                    auth_base_url=server.base_url, rate_limit=1000.0,
                    retry=RetryPolicy(max_attempts=5, base_delay_s=30.0, max_delay_s=30.0))
    yield api
    api.close()


def cancel_after(seconds: float) -> threading.Event:
    cancel = threading.Event()
    threading.Timer(seconds, cancel.set).start()
    return cancel


def timed(call: Callable[[], object]) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        call()
    except BaseException as raised:
        return raised, time.monotonic() - started
    return None, time.monotonic() - started


def test_a_request_in_flight_stops_within_two_seconds_of_a_cancel(server, client) -> None:
    error, seconds = timed(lambda: client.request("GET", GET_PATH, cancel=cancel_after(0.2)))
    assert isinstance(error, RequestCancelled)
    assert error.in_doubt  # it had left: it may have taken effect
    assert seconds < SPEC_S
    assert server.requests == 1


def test_a_cancel_wakes_a_retry_after_pause_at_once(server, client) -> None:
    server.behaviour = "throttled"  # Retry-After: 30
    error, seconds = timed(lambda: client.request("POST", "/product/202309/x", body={"a": 1},
                                                  cancel=cancel_after(0.2)))
    assert isinstance(error, RequestCancelled)
    assert not error.in_doubt  # a throttled request never took effect
    assert seconds < SPEC_S
    assert server.requests == 1


def test_a_cancel_wakes_a_back_off_after_server_errors(server, client) -> None:
    server.behaviour = "error"  # a safe GET is retried after 30 s
    error, seconds = timed(lambda: client.request("GET", GET_PATH, cancel=cancel_after(0.2)))
    assert isinstance(error, RequestCancelled)
    assert error.in_doubt  # a 500 does not say whether it took effect
    assert seconds < SPEC_S
    assert server.requests == 1


def test_a_cancel_set_before_the_call_sends_nothing(server, client) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RequestCancelled) as raised:
        client.request("GET", GET_PATH, cancel=cancel)
    assert not raised.value.in_doubt
    with pytest.raises(RequestCancelled):
        client.download(f"{server.base_url}/doc.pdf", cancel=cancel)
    with pytest.raises(RequestCancelled):
        client.with_cancel(cancel).shop("CIPHER").products.inventory_search(product_ids=["1"])
    assert server.requests == 0


def test_a_cancel_ends_the_rate_limiters_wait_and_nothing_is_sent(server) -> None:
    server.behaviour = "fast"
    api = ApiClient(APP_KEY, APP_SECRET, fresh_tokens(), base_url=server.base_url,
                    auth_base_url=server.base_url, rate_limit=0.2)  # one slot per 5 s
    with api:
        api.request("GET", GET_PATH)
        error, seconds = timed(lambda: api.request("GET", GET_PATH, cancel=cancel_after(0.2)))
    assert isinstance(error, RequestCancelled) and not error.in_doubt
    assert seconds < SPEC_S
    assert server.requests == 1


def test_a_shop_bound_to_a_cancel_stops_its_calls(server, client) -> None:
    shop = client.shop("CIPHER").with_cancel(cancel_after(0.2))
    error, seconds = timed(lambda: shop.products.inventory_search(product_ids=["1"]))
    assert isinstance(error, RequestCancelled)
    assert seconds < SPEC_S


def test_closing_the_client_with_requests_in_flight_does_not_hang(server) -> None:
    client = ApiClient(APP_KEY, APP_SECRET, fresh_tokens(), base_url=server.base_url,
                       retry=RetryPolicy(base_delay_s=0.05, jitter_s=0.0))
    cancel = threading.Event()
    outcomes: dict[str, BaseException | None] = {}

    def call(name: str, cancel: threading.Event | None) -> None:
        outcomes[name] = timed(lambda: client.request("GET", GET_PATH, cancel=cancel))[0]

    callers = [threading.Thread(target=call, args=args, daemon=True)
               for args in (("cancelled", cancel), ("plain", None))]
    for caller in callers:
        caller.start()
    while server.requests < 2:
        time.sleep(0.01)
    started = time.monotonic()
    client.close()
    cancel.set()
    assert time.monotonic() - started < SPEC_S
    callers[0].join(SPEC_S)
    assert isinstance(outcomes["cancelled"], RequestCancelled)  # back at once
    server.release.set()  # the other's try ends when its answer comes or the link drops
    callers[1].join(5)
    # A closed client tries no more: the plain call did not get its answer, or got it late.
    assert isinstance(outcomes["plain"], RequestCancelled | NetworkError | type(None))
    assert server.requests == 2


def test_without_a_cancel_the_request_is_sent_on_the_callers_thread(make_client) -> None:
    seen: list[threading.Thread] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(threading.current_thread())
        return answer({"shops": []})

    client, _ = make_client(handler)
    client.request("GET", GET_PATH)
    client.request("GET", GET_PATH, cancel=threading.Event())
    assert seen[0] is threading.current_thread()
    assert seen[1] is not threading.current_thread()  # the cancellable path's helper


def test_a_cancelled_requests_late_end_leaves_no_secret_in_the_log(server, client,
                                                                   caplog) -> None:
    caplog.set_level(logging.DEBUG)
    error, _ = timed(lambda: client.request("GET", GET_PATH, cancel=cancel_after(0.1)))
    assert isinstance(error, RequestCancelled)
    server.release.set()  # the abandoned try now gets its answer, and drops it
    deadline = time.monotonic() + 5
    while "cancelled request ended" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "cancelled request ended after all" in caplog.text
    for secret in (APP_SECRET, ACCESS_TOKEN, REFRESH_TOKEN):
        assert secret not in caplog.text


def test_a_network_failure_on_the_cancellable_path_is_still_url_free() -> None:
    with ApiClient(APP_KEY, APP_SECRET, fresh_tokens(), base_url="http://127.0.0.1:9",
                   retry=RetryPolicy(max_attempts=1)) as api, pytest.raises(NetworkError) as raised:
        api.request("GET", GET_PATH, cancel=threading.Event())
    assert raised.value.__cause__ is None and raised.value.__context__ is None
    assert "127.0.0.1" not in str(raised.value) and APP_SECRET not in str(raised.value)
