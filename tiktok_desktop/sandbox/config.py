"""What a demo shop looks like (its size) and how it behaves (latency, limits, faults)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

DEFAULT_REDIRECT_URL = "http://127.0.0.1:53682/callback"
# error = HTTP 500 + 36009003, throttle = HTTP 429 + 36009002, timeout = the answer is held back
# `fault_timeout_s`, drop = the connection is closed without an answer.
FAULT_KINDS = ("error", "throttle", "timeout", "drop")


@dataclass
class DemoShopConfig:
    seed: int = 1
    orders: int = 500
    products: int = 60
    latency_ms: float = 0.0
    rate_limit: float = 50.0  # requests per second per (app_key, endpoint); <= 0 means no limit
    fault_rate: float = 0.0
    new_order_every_s: float = 0.0
    redirect_url: str | None = None
    port: int = 0
    fault_timeout_s: float = 10.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    # An endpoint's own refusal (product not found, already shipped, bad page_size) at HTTP 200
    # with its non-zero code, as the real API may answer; gateway refusals keep their 4xx.
    business_errors_as_200: bool = False

    def __post_init__(self) -> None:
        if self.orders < 0 or self.products < 1:
            raise ValueError("a demo shop needs at least one product and no negative order count")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate is a fraction between 0 and 1")
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown or not self.fault_kinds:
            raise ValueError(f"fault_kinds must be some of {FAULT_KINDS}")
        self.fault_kinds = tuple(self.fault_kinds)


@dataclass(frozen=True)
class AppCredentials:
    """The app registered in Partner Center that this shop accepts requests from."""

    app_key: str
    app_secret: str
    service_id: str

    def __repr__(self) -> str:
        return (f"AppCredentials(app_key={self.app_key!r}, app_secret='***', "
                f"service_id={self.service_id!r})")


def credentials_for(seed: int) -> AppCredentials:
    """Stable credentials per seed, shaped like real ones (13-char key, 40-hex secret)."""
    digest = hashlib.sha256(f"demo-shop-app:{seed}".encode()).hexdigest()
    return AppCredentials(
        app_key="6" + digest[:12],
        app_secret=digest[12:52],
        service_id="7" + str(int(digest[52:], 16)).zfill(18)[:18],
    )
