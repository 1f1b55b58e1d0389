"""What a sync reports while it runs and when it ends: plain, immutable data (safe to emit)."""

from __future__ import annotations

from dataclasses import dataclass

from tiktok_desktop.store import Changes


@dataclass(frozen=True)
class ResourceProgress:
    resource: str  # "orders", "packages", ...
    items: int  # items written this run (an item read twice counts twice)
    pages: int
    requests: int  # API calls made for it, failed ones included
    done: bool
    error: str | None = None  # why it stopped early, in plain words
    needs_sign_in: bool = False  # it stopped because the shop's authorization ended


@dataclass(frozen=True)
class SyncProgress:
    """Sent after every page written. `eta_s` is None until there is enough to go on."""

    resource: str  # of the page just written
    items: int
    pages: int
    requests: int
    elapsed_s: float
    eta_s: float | None
    resources: tuple[ResourceProgress, ...]

    @property
    def fraction(self) -> float | None:
        """Share of the work done, for a progress bar (None: unknown yet)."""
        if self.eta_s is None:
            return None
        total = self.elapsed_s + self.eta_s
        return 1.0 if total <= 0 else min(1.0, self.elapsed_s / total)


@dataclass(frozen=True)
class SyncResult:
    resources: tuple[ResourceProgress, ...]
    changes: Changes  # everything written, for the tabs to refresh
    new_order_ids: tuple[str, ...]  # orders not cached before (empty on a first sync)
    requests: int
    seconds: float
    cancelled: bool

    @property
    def complete(self) -> bool:
        """Every resource was pulled to the end (not cancelled, nothing failed)."""
        return not self.cancelled and all(r.done and r.error is None for r in self.resources)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(f"{r.resource}: {r.error}" for r in self.resources if r.error)

    @property
    def needs_sign_in(self) -> bool:
        """The shop's authorization ended (revoked, or past its end): only a new sign-in helps."""
        return any(r.needs_sign_in for r in self.resources)

    @property
    def items(self) -> int:
        return sum(r.items for r in self.resources)
