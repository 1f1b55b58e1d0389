"""Client-side rate limiting: stay under TikTok Shop's limit instead of bouncing off it.

A token bucket per endpoint, where an endpoint is the method plus the path with every all-digit
segment replaced by `{id}` (the demo shop and the gateway count the same way). Callers reserve a
slot under a lock and sleep outside it, so many threads share the rate fairly and a burst from
all of them together never exceeds it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def endpoint_of(method: str, path: str) -> str:
    """`POST /product/{id}/products/{id}/inventory/update` for any product id.

    Every all-digit segment counts as an id, the version too: the same rule as the demo shop's.
    """
    segments = ("{id}" if s.isdigit() else s for s in path.split("/"))
    return f"{method.upper()} {'/'.join(segments)}"


class TokenBucket:
    """`rate` requests per second with bursts of up to `capacity` requests."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or capacity < 1:
            raise ValueError("rate must be positive and capacity at least 1")
        self.rate = rate
        self.capacity = capacity
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = capacity
        self._stamp = monotonic()

    def reserve(self) -> float:
        """Take one token now and return how long to wait before using it (0 if none)."""
        with self._lock:
            now = self._monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1
            # A negative balance is a queue of reservations, each 1/rate after the previous.
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self) -> float:
        """Block until a request may be sent; returns the time waited."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait


class RateLimiter:
    """One token bucket per endpoint, created on first use, shared by every thread."""

    def __init__(
        self,
        rate: float = 50.0,
        burst_s: float = 0.5,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # Half a second of burst (the server allows a full second) leaves room for requests
        # that reach the server in a different order or spacing than they left.
        self.rate = rate
        self.capacity = max(1.0, rate * min(burst_s, 1.0))
        self._monotonic = monotonic
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, method: str, path: str) -> TokenBucket:
        key = endpoint_of(method, path)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = TokenBucket(
                    self.rate, self.capacity, monotonic=self._monotonic, sleep=self._sleep
                )
                self._buckets[key] = bucket
            return bucket

    def acquire(self, method: str, path: str) -> float:
        """Block until a request to this endpoint may be sent; returns the time waited."""
        return self.bucket(method, path).acquire()
