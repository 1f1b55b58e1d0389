"""The client-side token bucket keeps bursts under the server's limit (fake clock)."""

from __future__ import annotations

import threading

import pytest
from api_fakes import answer

from tiktok_desktop.api.ratelimit import RateLimiter, TokenBucket, endpoint_of


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class ServerBucket:
    """The server's rule: `rate` per second, bucket of one second's worth, starting full."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.last = 0.0

    def admits(self, at: float) -> bool:
        self.tokens = min(self.rate, self.tokens + (at - self.last) * self.rate)
        self.last = at
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def test_endpoint_counts_every_all_digit_segment_as_an_id() -> None:
    assert endpoint_of("post", "/product/202309/products/123/inventory/update") == (
        "POST /product/{id}/products/{id}/inventory/update"
    )
    assert endpoint_of("POST", "/product/202309/products/456/inventory/update") == (
        endpoint_of("POST", "/product/202309/products/123/inventory/update")
    )
    assert endpoint_of("GET", "/order/202309/orders") != endpoint_of("POST", "/order/202309/orders")


def test_a_burst_is_spread_so_the_server_admits_every_request() -> None:
    clock = FakeClock()
    limiter = RateLimiter(50.0, monotonic=clock.monotonic, sleep=clock.sleep)
    server = ServerBucket(50.0)
    sent = []
    for _ in range(300):
        limiter.acquire("POST", "/order/202309/orders/search")
        sent.append(clock.now)
    assert all(server.admits(at) for at in sent)
    # Over any stretch, no more than the burst plus the rate times its length.
    capacity = limiter.capacity
    for i in range(len(sent)):
        for j in range(i, min(len(sent), i + 120)):
            assert j - i + 1 <= capacity + 50.0 * (sent[j] - sent[i]) + 1e-9
    assert sent[-1] == pytest.approx((300 - capacity) / 50.0)


def test_the_bucket_refills_while_idle_but_never_beyond_its_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, 5.0, monotonic=clock.monotonic, sleep=clock.sleep)
    assert [bucket.reserve() for _ in range(5)] == [0.0] * 5
    assert bucket.reserve() == pytest.approx(0.1)
    clock.now += 100.0  # a long pause refills only up to the capacity
    waits = [bucket.reserve() for _ in range(7)]
    assert waits[:5] == [0.0] * 5 and waits[5] == pytest.approx(0.1)


def test_threads_each_get_their_own_slot() -> None:
    clock = FakeClock()  # time stands still: only reservations are handed out
    bucket = TokenBucket(50.0, 25.0, monotonic=clock.monotonic, sleep=lambda s: None)
    waits: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(25):
            wait = bucket.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [0.0] * 25 + [k / 50.0 for k in range(1, 200 - 25 + 1)]
    assert sorted(waits) == pytest.approx(expected)


def test_endpoints_have_separate_buckets() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2.0, burst_s=1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    assert limiter.acquire("GET", "/a/202309/x") == 0.0
    assert limiter.acquire("GET", "/a/202309/x") == 0.0
    assert limiter.acquire("GET", "/b/202309/x") == 0.0
    assert limiter.acquire("GET", "/a/202309/x") == pytest.approx(0.5)


def test_client_throttles_itself(make_client) -> None:
    clock = FakeClock()
    client, fake = make_client(
        lambda r: answer({}), rate_limit=10.0, monotonic=clock.monotonic, sleep=clock.sleep
    )
    for _ in range(25):
        client.request("GET", "/seller/202309/shops")
    assert len(fake.requests) == 25
    assert clock.now == pytest.approx((25 - 5) / 10.0)
