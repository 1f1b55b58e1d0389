"""Client-side rate limiting: stay under TikTok Shop's limit instead of bouncing off it.

A token bucket per endpoint, where an endpoint is the method plus the path with every all-digit
segment replaced by `{id}` (the demo shop and the gateway count the same way). Callers reserve a
slot under a lock and sleep outside it, so many threads share the rate fairly and a burst from
all of them together never exceeds it.

Bursts: a bucket holds half a second of requests (`RateLimiter.capacity` = rate × 0.5), the
server's one second. Another process (the sync's) takes its slots from the window's limiter
through `reserve` (see sync/own_process.py), so both together stay within one rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


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

    def acquire(self, cancel: threading.Event | None = None) -> float:
        """Block until a request may be sent; returns the time waited. A `cancel` set meanwhile
        ends the wait at once (the slot stays taken: the caller checks `cancel`)."""
        wait = self.reserve()
        if wait > 0:
            if cancel is None:
                self._sleep(wait)
            else:
                cancel.wait(wait)
        return wait


class Limiter(Protocol):
    """What ApiClient needs of a limiter: this process's RateLimiter, or one that asks another
    process's (sync/own_process.py)."""

    @property
    def rate(self) -> float: ...

    def acquire(self, method: str, path: str, cancel: threading.Event | None = None
                ) -> float: ...

    def reserve(self, endpoint: str) -> float: ...


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
        return self.bucket_of(endpoint_of(method, path))

    def bucket_of(self, key: str) -> TokenBucket:
        """The bucket of an endpoint as `endpoint_of` names it."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = TokenBucket(
                    self.rate, self.capacity, monotonic=self._monotonic, sleep=self._sleep
                )
                self._buckets[key] = bucket
            return bucket

    def acquire(self, method: str, path: str, cancel: threading.Event | None = None) -> float:
        """Block until a request to this endpoint may be sent; returns the time waited. A set
        `cancel` ends the wait early (see TokenBucket.acquire)."""
        return self.bucket(method, path).acquire(cancel)

    def reserve(self, endpoint: str) -> float:
        """Take a slot of `endpoint` (as `endpoint_of` names it) for a request sent elsewhere:
        the seconds that request must wait, without waiting here."""
        return self.bucket_of(endpoint).reserve()
