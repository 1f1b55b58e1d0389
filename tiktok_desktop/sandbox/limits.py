"""Per-endpoint rate limiting (token buckets) and the request counters behind `shop.stats`."""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict

_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def endpoint_key(method: str, path: str) -> str:
    """`POST /product/202309/products/{id}/inventory/update`: ids share one bucket.
    (Version segments such as 202309 are all digits too; they are part of the path, so they
    are kept — only segments after the version are ids.)"""
    parts = path.split("/")
    if len(parts) > 3:
        tail = _ID_SEGMENT.sub("/{id}", "/" + "/".join(parts[3:]))
        path = "/".join(parts[:3]) + tail
    return f"{method} {path}"


class RateLimiter:
    """A token bucket per key, holding one second's worth of requests."""

    def __init__(self, rate: float) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[object, list[float]] = {}
        self.rate = rate

    def configure(self, rate: float) -> None:
        with self._lock:
            self.rate = rate
            self._buckets.clear()

    def allow(self, key: object) -> bool:
        with self._lock:
            if self.rate <= 0:
                return True
            now = time.monotonic()
            capacity = max(self.rate, 1.0)
            bucket = self._buckets.setdefault(key, [capacity, now])
            bucket[0] = min(capacity, bucket[0] + (now - bucket[1]) * self.rate)
            bucket[1] = now
            if bucket[0] < 1.0:
                return False
            bucket[0] -= 1.0
            return True


class Stats:
    """Requests served, throttled and faulted, in total and per endpoint; per endpoint also
    how many reached the handler ("handled": the shop acted on them, or refused them) and how
    many repeated an idempotency_key already answered ("replayed": given the first answer
    again, the handler not run)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = defaultdict(
            lambda: {"requests": 0, "throttled": 0, "faults": 0, "handled": 0, "replayed": 0})
        self._fault_kinds: dict[str, int] = defaultdict(int)

    def count(self, endpoint: str, what: str = "requests", kind: str = "") -> None:
        with self._lock:
            self._counts[endpoint][what] += 1
            if kind:
                self._fault_kinds[kind] += 1

    def snapshot(self) -> dict:
        with self._lock:
            per_endpoint = {k: dict(v) for k, v in self._counts.items()}
            kinds = dict(self._fault_kinds)
        return {
            "requests": sum(v["requests"] for v in per_endpoint.values()),
            "throttled": sum(v["throttled"] for v in per_endpoint.values()),
            "faults": sum(v["faults"] for v in per_endpoint.values()),
            "fault_kinds": kinds,
            "endpoints": per_endpoint,
        }
