"""What the features that act on a selection through the outbox (answering buyers' requests,
changing listings' status) share: each item's result, the run's result with its counts, and
how a failed send is sorted (lost in flight → in doubt; refused before it acted → sent again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, TypeVar

from tiktok_desktop.api.errors import (
    NEEDS_SIGN_IN,
    ApiError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.outbox import OutboxItem

# The answer was lost (a dropped connection, a server error): the item stays `sent`, in doubt.
LOST = (NetworkError, ServerError)
# Refused before it acted (throttled, signed out): the item is queued again.
NOT_SENT = (RateLimitedError, *NEEDS_SIGN_IN)

R = TypeVar("R", bound="ItemResult")


@dataclass(frozen=True)
class ItemResult:
    """One selected item's result: `target` the outbox target, `asked` what was asked of it."""

    target: str
    asked: str
    state: str  # done | failed | in_doubt | waiting (not sent: cancelled or stopped)
    message: str | None = None


@dataclass(frozen=True)
class BatchResult(Generic[R]):
    """A run's results, one per item, and why it stopped early (if it did)."""

    results: tuple[R, ...]
    problem: str | None = None  # why the run stopped early, in the seller's words
    changes: Changes = field(default_factory=Changes)

    def count(self, state: str) -> int:
        return sum(r.state == state for r in self.results)


def alias(name: str) -> Any:
    """A read-only attribute that is another one under the feature's own name."""
    return property(attrgetter(name))


def settle_first(settle: Callable[[], dict[str, R]]) -> tuple[dict[str, R], str | None]:
    """Settle the items left in doubt first: their results, and why that stopped (None: it
    didn't); those it couldn't settle stay in doubt and the rest of the run goes on."""
    try:
        return dict(settle()), None
    except ApiError as error:
        return {}, error.plain


def in_doubt(store: Store, shop_id: str, kind: str) -> dict[str, OutboxItem]:
    """The items of `kind` still `sent` (their answer lost), by target."""
    return {i.target: i for i in store.outbox.items(shop_id, kind=kind, states=("sent",))}
