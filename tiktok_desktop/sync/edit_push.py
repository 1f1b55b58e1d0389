"""Pushing the seller's edits from the outbox to TikTok Shop: check first, then one update per
product. Shared by stock (sync/stock_push.py) and prices (sync/price_push.py); what differs —
how the shop's values are read, what an update carries, what an answer means — is the pusher's.

1. Check: the shop's current value of every edited cell is read (and refreshes the cache). The
   pusher's `decide` rules on each edit: the shop already has the new value → done; it has the
   value the edit was based on → send; anything else → conflict (changed elsewhere: the seller
   chooses keep mine / take theirs), or failed when the shop can't take it.
2. Send: the product's rows are claimed (pending → sent, committed before the request leaves),
   then one update call carries every edited cell of the product.
3. Record: per-item errors fail their rows with the API's message in plain words, the rest are
   done; outbox, audit log and cache change in one transaction, each row with the request id of
   the answer that settled it (what TikTok Shop support asks for).

An answer that never came (timeout, dropped connection, server error) leaves the request in
doubt: it may have taken effect. It is not sent blindly again — for stock that would undo an
order placed meanwhile and apply the edit twice — the product is checked again and the same rule
decides. Rows a crashed push left `sent` are in doubt the same way; they are checked once a
request the dead process still had in flight must have landed (SETTLE_S after their claim).

One coordinating thread (the caller's, which owns `store`) writes; a small pool sends, as many
requests at once as the rate limit and latency call for; the client's limiter paces them and
retries throttled ones. Cancel stops new requests and abandons those in flight: their rows stay
`sent`, in doubt, and the next push checks them (those cancelled before leaving are requeued).
"""

from __future__ import annotations

import heapq
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from tiktok_desktop.api import ApiClient, ItemErrors, RequestCancelled
from tiktok_desktop.api.errors import (
    NEEDS_SIGN_IN,
    ApiError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from tiktok_desktop.store import AuditEntry, Changes, OutboxItem, Store
from tiktok_desktop.store.sql import id_list, immediate

log = logging.getLogger(__name__)

SETTLE_S = 10.0  # a dead pusher's request still in flight has landed after this long
RECHECK_AFTER_S = 1.0  # wait before checking a product whose answer was lost
MAX_SENDS = 4  # sends of one product in one push; then its rows wait for the next push
ASSUMED_LATENCY_S = 0.3  # in-flight requests = rate × latency (+2), as the sync engine does

Remote = Any  # the shop's values as a check read them, in the pusher's own shape


def push_interrupted(store: Store, shop_id: str, state_key: str) -> bool:
    """A push (its sync_state entry `state_key`) ended by a crash or a problem is waiting to be
    finished."""
    return (store.sync_state(shop_id, state_key) or {}).get("up_to") is not None


@dataclass(frozen=True)
class PushProgress:
    total: int  # edits in this push
    done: int = 0
    failed: int = 0
    conflicts: int = 0

    @property
    def settled(self) -> int:
        return self.done + self.failed + self.conflicts


@dataclass(frozen=True)
class PushResult:
    total: int
    done: int
    failed: int
    conflicts: int
    cancelled: bool = False
    problem: str | None = None  # why the push stopped early, in the seller's words
    needs_sign_in: bool = False  # it stopped because the shop's authorization ended
    update_calls: int = 0
    check_calls: int = 0
    changes: Changes = field(default_factory=Changes)

    @property
    def left(self) -> int:
        """Edits still queued (cancelled, offline, or not confirmed): the next push sends them."""
        return max(0, self.total - self.done - self.failed - self.conflicts)


@dataclass(frozen=True)
class Outcome:
    """What became of one outbox row: result is send, done, failed or conflict (or again: a
    refused update that goes again without the rows that made it fail)."""

    row: OutboxItem
    result: str
    message: str | None = None
    request_id: str | None = None
    old: Any = None  # the shop's value before


@dataclass(frozen=True)
class _Check:
    product_ids: tuple[str, ...]


@dataclass(frozen=True)
class Send:
    """One product's update: its claimed rows and the shop's values just checked."""

    product_id: str
    rows: tuple[OutboxItem, ...]
    remote: Remote


class EditPusher:
    """Pushes one shop's edits of one kind; `push()` runs on the thread that opened the store,
    one push at a time per pusher. Subclasses say how to check, send and record."""

    kind = ""  # the outbox kind pushed
    state_key = ""  # its sync_state entry: {"up_to": outbox id} while a push is unfinished
    checking = "checking the shop"  # what a stopped push was doing, for the log
    sending = "sending"
    checks_at_once = 2  # check calls in flight together

    def __init__(self, api: ApiClient, cipher: str, shop_id: str, *, rate_limit: float = 50.0,
                 max_in_flight: int | None = None, settle_s: float = SETTLE_S,
                 recheck_after_s: float = RECHECK_AFTER_S) -> None:
        self.api, self.cipher, self.shop_id = api, cipher, shop_id
        self.products = api.shop(cipher).products
        self.max_in_flight = max_in_flight or self.in_flight_for(rate_limit)
        self.check_batch = self.check_batch_for(rate_limit)
        self.settle_s, self.recheck_after_s = settle_s, recheck_after_s

    def in_flight_for(self, rate_limit: float) -> int:
        """Requests in flight at once: rate × latency (+2), as the sync engine does."""
        return min(24, max(4, math.ceil(rate_limit * ASSUMED_LATENCY_S) + 2))

    def check_batch_for(self, rate_limit: float) -> int:
        """Products one check call reads."""
        return 1

    def push(self, store: Store, *, progress: Callable[[PushProgress], None] | None = None,
             cancel: threading.Event | None = None, resume: bool = False) -> PushResult:
        """Push the edits queued now. A push that ends early by a crash or a problem (offline,
        signed out, answers not confirmed) is remembered; `resume=True` finishes just that one
        (the app does it at start) and does nothing when no push was interrupted."""
        state = store.sync_state(self.shop_id, self.state_key) or {}
        if resume:
            up_to = state.get("up_to")
            if up_to is None:
                return PushResult(0, 0, 0, 0)
        else:
            up_to = store.conn.execute(
                "SELECT max(id) FROM outbox WHERE shop_id = ? AND kind = ? AND state IN "
                "('pending', 'sent')", (self.shop_id, self.kind)).fetchone()[0]
            store.set_sync_state(self.shop_id, self.state_key, {"up_to": up_to})
        # The push's requests carry its cancel, so a cancel stops them too, not just new ones.
        api = self.api if cancel is None else self.api.with_cancel(cancel)
        self.products = api.shop(self.cipher).products
        result = _Push(self, store, progress, cancel or threading.Event(), up_to).run()
        if result.left == 0 or result.cancelled:
            store.set_sync_state(self.shop_id, self.state_key, {})
        return result

    def interrupted(self, store: Store) -> bool:
        return push_interrupted(store, self.shop_id, self.state_key)

    # -- what a kind of edit says (pool threads: check and send; the caller's: the rest) ------

    def check(self, product_ids: tuple[str, ...]) -> Any:
        """Read the shop's values of these products (a pool thread)."""
        raise NotImplementedError

    def checked(self, store: Store, answer: Any) -> tuple[Changes, Remote]:
        """Refresh the cache from a check's answer; the shop's values as `decide` reads them."""
        raise NotImplementedError

    def decide(self, row: OutboxItem, remote: Remote) -> Outcome:
        """send, done, conflict or failed, for a row given the shop's values just checked."""
        raise NotImplementedError

    def rebased(self, rows: Sequence[OutboxItem], remote: Remote) -> dict[int, tuple[Any, Any]]:
        """Rows whose payload changes when claimed: row id → (payload, based_on)."""
        return {}

    def send(self, job: Send) -> ItemErrors:
        """One product's update (a pool thread); per-item errors, with the request id."""
        raise NotImplementedError

    def answered(self, job: Send, errors: ItemErrors) -> list[Outcome]:
        """What an update's answer means for each of its rows."""
        raise NotImplementedError

    def refused(self, row: OutboxItem, error: ApiError) -> Outcome:
        """A row whose whole update the shop refused (failed; or again, see Outcome)."""
        return Outcome(row, "failed", error.plain, error.request_id or None, row.based_on)

    def audit_entry(self, outcome: Outcome) -> AuditEntry:
        raise NotImplementedError

    def accepted(self, store: Store, outcomes: Sequence[Outcome]) -> Changes:
        """Write the values the shop took (done outcomes) into the cache."""
        raise NotImplementedError


class _Push:
    """One run of the pusher: its queues, requests in flight, and the counts so far."""

    def __init__(self, pusher: EditPusher, store: Store,
                 progress: Callable[[PushProgress], None] | None,
                 cancel: threading.Event, up_to: int | None) -> None:
        self.p, self.store, self.report, self.cancel = pusher, store, progress, cancel
        self.up_to = up_to  # edits made after the push started wait for the next one
        self.rows: dict[str, dict[int, OutboxItem]] = {}  # product -> rows not yet settled
        self.product_of: dict[int, str] = {}  # row id -> its product
        self.checks: list[tuple[float, str]] = []  # heap of (when ready, product)
        self.sends: deque[Send] = deque()
        self.in_flight: dict[Future, _Check | Send] = {}
        self.sent_count: dict[str, int] = {}
        self.counts = {"done": 0, "failed": 0, "conflict": 0}
        self.calls = {"update": 0, "check": 0}
        self.changes = Changes()
        self.problem: str | None = None
        self.needs_sign_in = False
        self.total = 0

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> PushResult:
        self._load()
        self._progress()
        with ThreadPoolExecutor(self.p.max_in_flight,
                                thread_name_prefix=f"{self.p.kind}-push") as pool:
            while True:
                if not self._stopping():
                    self._fill(pool)
                if not self.in_flight:
                    if self._stopping() or not (self.checks or self.sends):
                        break
                    time.sleep(min(0.2, max(0.0, self.checks[0][0] - time.monotonic())))
                    continue
                finished, _ = wait(list(self.in_flight), timeout=0.2,
                                   return_when=FIRST_COMPLETED)
                for future in finished:
                    self._settle(self.in_flight.pop(future), future)
        return PushResult(self.total, self.counts["done"], self.counts["failed"],
                          self.counts["conflict"], self.cancel.is_set(), self.problem,
                          self.needs_sign_in, self.calls["update"], self.calls["check"],
                          self.changes)

    def _stopping(self) -> bool:
        return self.cancel.is_set() or self.problem is not None

    def _load(self) -> None:
        items = [i for i in self.store.outbox.items(self.p.shop_id, kind=self.p.kind,
                                                    states=("pending", "sent"))
                 if self.up_to is not None and i.id <= self.up_to]
        missing = [_sku(i) for i in items if not i.payload.get("product_id")]
        owners = self._owners(missing) if missing else {}
        now_wall, now = time.time(), time.monotonic()
        for item in items:
            product_id = str(item.payload.get("product_id") or owners.get(_sku(item), ""))
            if not product_id.isdigit():
                self._record([Outcome(item, "failed", "This SKU's product isn't known yet: "
                                      "refresh the shop, then push again.")])
                continue
            self.rows.setdefault(product_id, {})[item.id] = item
            self.product_of[item.id] = product_id
            self.total += 1
        for product_id, rows in self.rows.items():
            # A row left `sent` may still be landing from a push that died: check it later.
            latest = max((r.updated_at for r in rows.values() if r.state == "sent"), default=None)
            wait_s = 0.0 if latest is None else self.p.settle_s - (now_wall - latest)
            heapq.heappush(self.checks, (now + max(0.0, wait_s), product_id))

    def _owners(self, sku_ids: list[str]) -> dict[str, str]:
        return dict(self.store.conn.execute(
            "SELECT id, product_id FROM skus WHERE id IN (SELECT value FROM json_each(?))",
            (id_list(sku_ids),)).fetchall())

    def _fill(self, pool: ThreadPoolExecutor) -> None:
        while len(self.in_flight) < self.p.max_in_flight:
            checking = sum(isinstance(job, _Check) for job in self.in_flight.values())
            ready = self.checks and self.checks[0][0] <= time.monotonic()
            backlog = max(self.p.check_batch, self.p.max_in_flight)
            if ready and checking < self.p.checks_at_once and len(self.sends) < backlog:
                ids = []
                while (self.checks and self.checks[0][0] <= time.monotonic()
                       and len(ids) < self.p.check_batch):
                    ids.append(heapq.heappop(self.checks)[1])
                job: _Check | Send = _Check(tuple(dict.fromkeys(ids)))
                self.calls["check"] += 1
                self.in_flight[pool.submit(self.p.check, job.product_ids)] = job
            elif self.sends:
                send = self._claim(self.sends.popleft())
                if send is not None:
                    self.calls["update"] += 1
                    self.in_flight[pool.submit(self.p.send, send)] = send
            else:
                return

    def _claim(self, send: Send) -> Send | None:
        """Mark the rows sent just before the request leaves: a crash after this leaves them in
        doubt (checked at the next start), never forgotten."""
        claimed = self.store.outbox.claim([r.id for r in send.rows],
                                          self.p.rebased(send.rows, send.remote))
        rows = self.rows.get(send.product_id, {})
        for gone in {r.id for r in send.rows} - {r.id for r in claimed}:
            rows.pop(gone, None)  # replaced by a newer edit meanwhile: that one goes next push
        for row in claimed:
            rows[row.id] = row
        return Send(send.product_id, tuple(claimed), send.remote) if claimed else None

    # -- outcomes (on this thread) -------------------------------------------------------------

    def _settle(self, job: _Check | Send, future: Future) -> None:
        error = future.exception()
        if isinstance(error, RequestCancelled):  # the push is stopping: no failure
            if isinstance(job, Send) and not error.in_doubt:
                self.store.outbox.requeue([r.id for r in job.rows])  # it never left
            return  # in doubt: the rows stay `sent` and the next push checks them
        if isinstance(job, _Check):
            if error is None:
                self._checked(job, future.result())
            else:
                self._stop(error, self.p.checking)
            return
        if error is None:
            self._record(self.p.answered(job, future.result()))
        elif isinstance(error, NetworkError | ServerError):
            self._in_doubt(job.product_id, error)
        elif isinstance(error, RateLimitedError):
            self.store.outbox.requeue([r.id for r in job.rows])  # refused: never took effect
            self._recheck(job.product_id, 2.0 * self.sent_count.get(job.product_id, 1))
        elif isinstance(error, NEEDS_SIGN_IN):
            self.store.outbox.requeue([r.id for r in job.rows])
            self._stop(error, self.p.sending)
        elif isinstance(error, ApiError):
            outcomes = [self.p.refused(row, error) for row in job.rows]
            again = [o.row.id for o in outcomes if o.result == "again"]
            if again:  # refused for the others' sake: checked and sent again without them
                self.store.outbox.requeue(again)
                self._recheck(job.product_id, 0.0)
            self._record([o for o in outcomes if o.result != "again"])
        else:
            raise error

    def _checked(self, job: _Check, entries: Any) -> None:
        changes, remote = self.p.checked(self.store, entries)
        self.changes |= changes
        for product_id in job.product_ids:
            rows = list(self.rows.get(product_id, {}).values())
            outcomes = [self.p.decide(row, remote) for row in rows]
            self._record([o for o in outcomes if o.result != "send"])
            to_send = [o.row for o in outcomes if o.result == "send"]
            if not to_send:
                continue
            if self.sent_count.get(product_id, 0) >= MAX_SENDS:
                continue  # left in doubt or pending: the next push checks them again
            in_doubt = [r.id for r in to_send if r.state == "sent"]
            if in_doubt:
                self.store.outbox.requeue(in_doubt)  # checked: it did not take effect
            self.sent_count[product_id] = self.sent_count.get(product_id, 0) + 1
            self.sends.append(Send(product_id, tuple(to_send), remote))

    def _in_doubt(self, product_id: str, error: BaseException) -> None:
        log.info("%s of product %s: no answer (%s); checking it again", self.p.kind, product_id,
                 type(error).__name__)
        self._recheck(product_id, self.p.recheck_after_s)

    def _recheck(self, product_id: str, after_s: float) -> None:
        heapq.heappush(self.checks, (time.monotonic() + after_s, product_id))

    def _stop(self, error: BaseException, doing: str) -> None:
        if not isinstance(error, ApiError):
            raise error
        log.warning("%s push stopped while %s: %r", self.p.kind, doing, error)
        if self.problem is None:
            self.problem = error.plain
            self.needs_sign_in = isinstance(error, NEEDS_SIGN_IN)

    def _record(self, outcomes: list[Outcome]) -> None:
        """Write outcomes to the outbox, the audit log and the cache in one transaction."""
        if not outcomes:
            return
        outbox = self.store.outbox
        with immediate(self.store.conn):
            for o in outcomes:
                if o.result == "done":
                    self.changes |= outbox.mark_done([o.row.id], o.request_id)
                elif o.result == "conflict":
                    self.changes |= outbox.mark_conflict([o.row.id], o.message or "")
                else:
                    self.changes |= outbox.mark_failed([o.row.id], o.message or "", o.request_id)
            self.changes |= self.store.audit.record([self.p.audit_entry(o) for o in outcomes])
            done = [o for o in outcomes if o.result == "done"]
            if done:
                self.changes |= self.p.accepted(self.store, done)
        for o in outcomes:
            self.counts[o.result] += 1
            self.rows.get(self.product_of.get(o.row.id, ""), {}).pop(o.row.id, None)
        self._progress()

    def _progress(self) -> None:
        if self.report is not None:
            self.report(PushProgress(self.total, self.counts["done"], self.counts["failed"],
                                     self.counts["conflict"]))


def _sku(item: OutboxItem) -> str:
    """The SKU an edit is about: targets are `sku` or `sku@warehouse`."""
    return item.target.partition("@")[0]
