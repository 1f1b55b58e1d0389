"""When to try a request again, and how long to wait first.

A throttled request (HTTP 429 / 36009002) never took effect, so it is always retried. A server
error, a timeout or a dropped connection may have happened after the request took effect, so
those are retried only when repeating the call cannot do harm (`retry_safe`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tiktok_desktop.api.errors import ApiError, NetworkError, RateLimitedError, ServerError


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: 0.5 s, 1 s, 2 s, 4 s (+ up to `jitter_s`), ≤ 5 tries."""

    max_attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    jitter_s: float = 0.5
    max_retry_after_s: float = 60.0  # a longer pause asked for is left to the caller's schedule

    def should_retry(self, error: ApiError, attempt: int, retry_safe: bool) -> bool:
        """Whether to send again after `error` ended try number `attempt` (1-based)."""
        if attempt >= self.max_attempts:
            return False
        if isinstance(error, RateLimitedError):
            return error.retry_after is None or error.retry_after <= self.max_retry_after_s
        return retry_safe and isinstance(error, ServerError | NetworkError)

    def delay(
        self,
        attempt: int,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait after try number `attempt` failed; Retry-After wins when given."""
        if retry_after is not None:
            base = retry_after
        else:
            base = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        # Jitter spreads the retries of many threads that failed together.
        return base + rand() * self.jitter_s
