"""Fault injection: which Open API requests fail, how, and whether before or after they act."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from .config import FAULT_KINDS


@dataclass(frozen=True)
class Fault:
    kind: str  # one of FAULT_KINDS
    after_effect: bool  # the request takes effect, then the answer is lost


class FaultPlan:
    def __init__(self, seed: int, rate: float, kinds: tuple[str, ...], timeout_s: float) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(f"faults:{seed}")
        self.rate, self.kinds, self.timeout_s = rate, kinds, timeout_s

    def configure(self, rate: float | None = None, kinds: tuple[str, ...] | None = None,
                  timeout_s: float | None = None) -> None:
        with self._lock:
            if rate is not None:
                if not 0.0 <= rate <= 1.0:
                    raise ValueError("fault_rate is a fraction between 0 and 1")
                self.rate = rate
            if kinds is not None:
                if not kinds or set(kinds) - set(FAULT_KINDS):
                    raise ValueError(f"fault_kinds must be some of {FAULT_KINDS}")
                self.kinds = tuple(kinds)
            if timeout_s is not None:
                self.timeout_s = timeout_s

    def draw(self) -> Fault | None:
        """None for most requests; errors and throttles always strike before the request acts,
        timeouts and drops after it half of the time."""
        with self._lock:
            if self.rate <= 0 or self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(self.kinds)
            after = kind in ("timeout", "drop") and self._rng.random() < 0.5
            return Fault(kind, after)
