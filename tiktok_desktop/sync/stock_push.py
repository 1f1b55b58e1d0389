"""Pushing stock edits from the outbox to TikTok Shop: check first, then one update per product.

1. Check: Inventory Search (CHECK_BATCH products a call) gives the shop's value of every SKU in
   every warehouse, and refreshes the cache. `stock_decisions.decide` rules on each edit: the shop
   already has the new value → done; it has the value the edit was based on → send; anything
   else → conflict (changed elsewhere: the seller chooses keep mine / take theirs).
2. Send: the product's rows are claimed (pending → sent, committed before the request leaves),
   then one Update Inventory call carries every edited SKU of the product with every warehouse
   of each SKU, the unedited warehouses at the value just checked (the API requires them all).
3. Record: per-item errors fail their SKUs' rows with the API's message in plain words, the rest
   are done; outbox, audit log and cache change in one transaction, each row with the request
   id of the answer that settled it (what TikTok Shop support asks for).

An answer that never came (timeout, dropped connection, server error) leaves the request in
doubt: it may have taken effect. It is not sent blindly again — that would undo an order placed
meanwhile, and apply the edit twice — the product is checked again and the same rule decides.
Rows a crashed push left `sent` are in doubt the same way; they are checked once a request the
dead process still had in flight must have landed (SETTLE_S after their claim).

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
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from tiktok_desktop.api import ApiClient, ItemErrors, RequestCancelled
from tiktok_desktop.api.errors import (
    NEEDS_SIGN_IN,
    ApiError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from tiktok_desktop.store import Changes, OutboxItem, Store
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.store.sql import id_list, immediate
from tiktok_desktop.sync.stock_decisions import (
    Outcome,
    Remote,
    audit_entry,
    decide,
    item_messages,
    rebased,
    remote_stock,
    update_body,
)

log = logging.getLogger(__name__)

SETTLE_S = 10.0  # a dead pusher's request still in flight has landed after this long
RECHECK_AFTER_S = 1.0  # wait before checking a product whose answer was lost
MAX_SENDS = 4  # sends of one product in one push; then its rows wait for the next push
ASSUMED_LATENCY_S = 0.3  # in-flight requests = rate × latency (+2), as the sync engine does
PUSH_STATE = "stock_push"  # sync_state entry: {"up_to": outbox id} while a push is unfinished


def push_interrupted(store: Store, shop_id: str) -> bool:
    """A push ended by a crash or a problem is waiting to be finished."""
    return (store.sync_state(shop_id, PUSH_STATE) or {}).get("up_to") is not None


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
class _Check:
    product_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Send:
    product_id: str
    rows: tuple[OutboxItem, ...]
    remote: Remote


class StockPusher:
    """Pushes one shop's stock edits; `push()` runs on the thread that opened the store, one
    push at a time per pusher."""

    def __init__(self, api: ApiClient, cipher: str, shop_id: str, *, rate_limit: float = 50.0,
                 max_in_flight: int | None = None, settle_s: float = SETTLE_S,
                 recheck_after_s: float = RECHECK_AFTER_S) -> None:
        self.api, self.cipher, self.shop_id = api, cipher, shop_id
        self.products = api.shop(cipher).products
        self.max_in_flight = max_in_flight or min(24, max(4, math.ceil(
            rate_limit * ASSUMED_LATENCY_S) + 2))
        # Checks of a batch are followed by its sends within about a second at the rate limit,
        # so a value checked is rarely stale when it is sent back for an unedited warehouse.
        self.check_batch = max(10, min(100, int(rate_limit)))
        self.settle_s, self.recheck_after_s = settle_s, recheck_after_s

    def push(self, store: Store, *, progress: Callable[[PushProgress], None] | None = None,
             cancel: threading.Event | None = None, resume: bool = False) -> PushResult:
        """Push the edits queued now. A push that ends early by a crash or a problem (offline,
        signed out, answers not confirmed) is remembered; `resume=True` finishes just that one
        (the app does it at start) and does nothing when no push was interrupted."""
        state = store.sync_state(self.shop_id, PUSH_STATE) or {}
        if resume:
            up_to = state.get("up_to")
            if up_to is None:
                return PushResult(0, 0, 0, 0)
        else:
            up_to = store.conn.execute(
                "SELECT max(id) FROM outbox WHERE shop_id = ? AND kind = ? AND state IN "
                "('pending', 'sent')", (self.shop_id, STOCK)).fetchone()[0]
            store.set_sync_state(self.shop_id, PUSH_STATE, {"up_to": up_to})
        # The push's requests carry its cancel, so a cancel stops them too, not just new ones.
        api = self.api if cancel is None else self.api.with_cancel(cancel)
        self.products = api.shop(self.cipher).products
        result = _Push(self, store, progress, cancel or threading.Event(), up_to).run()
        if result.left == 0 or result.cancelled:
            store.set_sync_state(self.shop_id, PUSH_STATE, {})
        return result

    def interrupted(self, store: Store) -> bool:
        return push_interrupted(store, self.shop_id)

    # -- on pool threads -----------------------------------------------------------------------

    def _check(self, product_ids: tuple[str, ...]) -> list:
        return list(self.products.inventory_search(product_ids=list(product_ids)))

    def _send(self, job: _Send) -> ItemErrors:
        # retry_safe=False: a lost answer is settled by checking again, never by a blind resend.
        return self.products.update_inventory(job.product_id, update_body(job.rows, job.remote),
                                              retry_safe=False)


class _Push:
    """One run of the pusher: its queues, requests in flight, and the counts so far."""

    def __init__(self, pusher: StockPusher, store: Store,
                 progress: Callable[[PushProgress], None] | None,
                 cancel: threading.Event, up_to: int | None) -> None:
        self.p, self.store, self.report, self.cancel = pusher, store, progress, cancel
        self.up_to = up_to  # edits made after the push started wait for the next one
        self.rows: dict[str, dict[int, OutboxItem]] = {}  # product -> rows not yet settled
        self.product_of: dict[int, str] = {}  # row id -> its product
        self.checks: list[tuple[float, str]] = []  # heap of (when ready, product)
        self.sends: deque[_Send] = deque()
        self.in_flight: dict[Future, _Check | _Send] = {}
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
        with ThreadPoolExecutor(self.p.max_in_flight, thread_name_prefix="stock-push") as pool:
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
        items = [i for i in self.store.outbox.items(self.p.shop_id, kind=STOCK,
                                                    states=("pending", "sent"))
                 if self.up_to is not None and i.id <= self.up_to]
        missing = [i.target.rpartition("@")[0] for i in items if not i.payload.get("product_id")]
        owners = self._owners(missing) if missing else {}
        now_wall, now = time.time(), time.monotonic()
        for item in items:
            sku_id = item.target.rpartition("@")[0]
            product_id = str(item.payload.get("product_id") or owners.get(sku_id, ""))
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
            if ready and checking < 2 and len(self.sends) < self.p.check_batch:
                ids = []
                while (self.checks and self.checks[0][0] <= time.monotonic()
                       and len(ids) < self.p.check_batch):
                    ids.append(heapq.heappop(self.checks)[1])
                job: _Check | _Send = _Check(tuple(dict.fromkeys(ids)))
                self.calls["check"] += 1
                self.in_flight[pool.submit(self.p._check, job.product_ids)] = job
            elif self.sends:
                send = self._claim(self.sends.popleft())
                if send is not None:
                    self.calls["update"] += 1
                    self.in_flight[pool.submit(self.p._send, send)] = send
            else:
                return

    def _claim(self, send: _Send) -> _Send | None:
        """Mark the rows sent just before the request leaves: a crash after this leaves them in
        doubt (checked at the next start), never forgotten."""
        claimed = self.store.outbox.claim([r.id for r in send.rows],
                                          rebased(send.rows, send.remote))
        rows = self.rows.get(send.product_id, {})
        for gone in {r.id for r in send.rows} - {r.id for r in claimed}:
            rows.pop(gone, None)  # replaced by a newer edit meanwhile: that one goes next push
        for row in claimed:
            rows[row.id] = row
        return _Send(send.product_id, tuple(claimed), send.remote) if claimed else None

    # -- outcomes (on this thread) -------------------------------------------------------------

    def _settle(self, job: _Check | _Send, future: Future) -> None:
        error = future.exception()
        if isinstance(error, RequestCancelled):  # the push is stopping: no failure
            if isinstance(job, _Send) and not error.in_doubt:
                self.store.outbox.requeue([r.id for r in job.rows])  # it never left
            return  # in doubt: the rows stay `sent` and the next push checks them
        if isinstance(job, _Check):
            if error is None:
                self._checked(job, future.result())
            else:
                self._stop(error, "checking the shop's stock")
            return
        if error is None:
            errors: ItemErrors = future.result()
            request_id = errors.request_id or None
            self._record([Outcome(row, *item_messages(row, errors, job.remote, request_id))
                          for row in job.rows])
        elif isinstance(error, NetworkError | ServerError):
            self._in_doubt(job.product_id, error)
        elif isinstance(error, RateLimitedError):
            self.store.outbox.requeue([r.id for r in job.rows])  # refused: never took effect
            self._recheck(job.product_id, 2.0 * self.sent_count.get(job.product_id, 1))
        elif isinstance(error, NEEDS_SIGN_IN):
            self.store.outbox.requeue([r.id for r in job.rows])
            self._stop(error, "sending stock")
        elif isinstance(error, ApiError):
            self._record([Outcome(row, "failed", error.plain, error.request_id or None,
                                  row.based_on) for row in job.rows])
        else:
            raise error

    def _checked(self, job: _Check, entries: list) -> None:
        self.changes |= self.store.save_page(self.p.shop_id, "inventory", entries, None)
        remote = remote_stock(entries)
        for product_id in job.product_ids:
            rows = list(self.rows.get(product_id, {}).values())
            outcomes = [decide(row, remote) for row in rows]
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
            self.sends.append(_Send(product_id, tuple(to_send), remote))

    def _in_doubt(self, product_id: str, error: BaseException) -> None:
        log.info("stock of product %s: no answer (%s); checking it again", product_id,
                 type(error).__name__)
        self._recheck(product_id, self.p.recheck_after_s)

    def _recheck(self, product_id: str, after_s: float) -> None:
        heapq.heappush(self.checks, (time.monotonic() + after_s, product_id))

    def _stop(self, error: BaseException, doing: str) -> None:
        if not isinstance(error, ApiError):
            raise error
        log.warning("stock push stopped while %s: %r", doing, error)
        if self.problem is None:
            self.problem = error.plain
            self.needs_sign_in = isinstance(error, NEEDS_SIGN_IN)

    def _record(self, outcomes: list[Outcome]) -> None:
        """Write outcomes to the outbox, the audit log and the cache in one transaction."""
        if not outcomes:
            return
        outbox, shop = self.store.outbox, self.p.shop_id
        with immediate(self.store.conn):
            for o in outcomes:
                if o.result == "done":
                    self.changes |= outbox.mark_done([o.row.id], o.request_id)
                elif o.result == "conflict":
                    self.changes |= outbox.mark_conflict([o.row.id], o.message or "")
                else:
                    self.changes |= outbox.mark_failed([o.row.id], o.message or "", o.request_id)
            self.changes |= self.store.audit.record([audit_entry(shop, o) for o in outcomes])
            accepted = [(*o.key, o.new) for o in outcomes if o.result == "done"]
            if accepted:
                self.changes |= self.store.catalog.set_available(shop, accepted)
        for o in outcomes:
            self.counts[o.result] += 1
            self.rows.get(self.product_of.get(o.row.id, ""), {}).pop(o.row.id, None)
        self._progress()

    def _progress(self) -> None:
        if self.report is not None:
            self.report(PushProgress(self.total, self.counts["done"], self.counts["failed"],
                                     self.counts["conflict"]))
