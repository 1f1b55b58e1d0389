"""The sync engine: pull a shop's resources into the cache, incrementally and at the rate limit.

One run = one call of `SyncEngine.run(store)`, on a thread that opened `store`. That thread is
the only writer: it writes each answered page with its resource's sync state in one
transaction and reports progress, while worker threads keep the requests going (scheduler.py).
A crash, a cancel or a failed request leaves the saved state at the last written page; the
next run goes on from there, never skipping a page.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence

from tiktok_desktop.api import ClientShopApi, RequestCancelled, ShopApi
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.sync.product_details import DetailsJob
from tiktok_desktop.sync.progress import ResourceProgress, SyncProgress, SyncResult
from tiktok_desktop.sync.resources import LISTS, InventoryJob, Job, ListJob, WarehousesJob
from tiktok_desktop.sync.scheduler import Answered, Counts, Limits, Scheduler

RESOURCES = ("warehouses", "products", "product_details", "orders", "packages", "returns",
             "cancellations", "statements", "inventory")
# Started once what they need is written: details and stock need the products (stock the
# orders too); they work from the cache.
LATER = ("product_details", "inventory")

WRITE_BATCH = 2_000  # items per transaction at most: the UI's own writes never wait long
Progress = Callable[[SyncProgress], None]


class SyncEngine:
    """Pulls one shop into the cache. Reusable: each run() starts where the last one ended.

    shop: `api.shop(cipher)`; shop_id: the shop's id (the cache's key).
    rate_limit: requests per second per endpoint (the ApiClient's limit).
    overlap_s: how far before the watermark an incremental pull starts again, for clock
    skew and late updates (items read again are upserted, never duplicated).
    inventory_every_s: how often every product's stock is refreshed (see InventoryJob).
    max_pages_held: requests under way plus answered pages waiting for the writer, at most:
    room for every worker and a full write batch behind them, so the network stays busy while
    memory stays flat when writing is the slower side.
    """

    def __init__(
        self,
        shop: ShopApi,
        shop_id: str,
        *,
        rate_limit: float = 50.0,
        resources: Sequence[str] = RESOURCES,
        overlap_s: int = 30,
        inventory_every_s: int = 900,
        max_workers: int = 24,
        max_per_resource: int = 12,
        attempts: int = 3,
        max_pages_held: int = 48,
        clock: Callable[[], float] = time.time,
    ) -> None:
        unknown = set(resources) - set(RESOURCES)
        if unknown:
            raise ValueError(f"cannot sync {', '.join(sorted(unknown))}")
        self.shop = shop
        self.shop_id = shop_id
        self.resources = tuple(r for r in RESOURCES if r in resources)
        self.overlap_s = overlap_s
        self.inventory_every_s = inventory_every_s
        self.limits = Limits(rate_limit, max_workers, max_per_resource, attempts,
                             max_pages_held)
        self.clock = clock

    def run(self, store: Store, *, progress: Progress | None = None,
            cancel: threading.Event | None = None) -> SyncResult:
        """Sync now; call on the thread that opened `store`. `progress` is called on this
        thread after each write. An exception from `progress` or the store ends the run (the
        cache keeps every page written before it). A `cancel` also reaches the requests under
        way (when `shop` came from `ApiClient.shop`): the run returns cancelled at once."""
        shop = self.shop
        if cancel is not None and isinstance(shop, ClientShopApi):
            shop = shop.with_cancel(cancel)
        return _Run(self, shop, store, progress, cancel or threading.Event()).execute()


class _Run:
    def __init__(self, engine: SyncEngine, shop: ShopApi, store: Store,
                 progress: Progress | None, cancel: threading.Event) -> None:
        self.engine, self.store, self.progress, self.cancel = engine, store, progress, cancel
        self.shop_id = engine.shop_id
        self.started = time.monotonic()
        self.counts = {r: Counts() for r in engine.resources}
        jobs: dict[str, Job] = {}
        for resource in engine.resources:
            if resource in LISTS:
                state = store.sync_state(self.shop_id, resource)
                jobs[resource] = ListJob(LISTS[resource], state, engine.overlap_s)
            elif resource == "warehouses":
                jobs[resource] = WarehousesJob()
        self.scheduler = Scheduler(shop, self.shop_id, jobs, self.counts, engine.limits,
                                   engine.clock)
        self.changes = Changes()
        self.new_order_ids: list[str] = []
        self.ordered_products: set[str] = set()
        self.changed_products: set[str] = set()

    @property
    def jobs(self) -> dict[str, Job]:
        return self.scheduler.jobs

    def execute(self) -> SyncResult:
        cancelled = False
        try:
            self.scheduler.fill()
            while True:
                if self.cancel.is_set():
                    cancelled = True
                    break
                try:
                    answered = self.scheduler.take(timeout=0.1)
                except RequestCancelled:  # a request stopped by this run's cancel
                    if not self.cancel.is_set():
                        raise
                    cancelled = True
                    break
                self._write(answered)
                self._start_details_when_ready()
                self._start_inventory_when_ready()
                self.scheduler.fill()  # e.g. a resource paused after a failure goes on
                if not answered and self.scheduler.idle() and self._settled():
                    break
        finally:
            # Answers under way or not written yet are dropped: the saved state does not
            # count them, so the next run asks again.
            self.scheduler.stop()
        return self._finish(cancelled)

    def _settled(self) -> bool:
        with self.scheduler.lock:
            pulling = bool(self.scheduler.active())
        waiting = any(r in self.engine.resources and r not in self.jobs
                      and not self.counts[r].error for r in LATER)
        return not pulling and not waiting

    # -- writing ---------------------------------------------------------------------------

    def _write(self, answered: list[Answered]) -> None:
        """Write queued pages, several of one resource in one transaction with the last of
        their states: when writing falls behind the network, pages pile up and are written
        together, more cheaply (up to WRITE_BATCH items, so no transaction runs long)."""
        by_resource: dict[str, list[Answered]] = {}
        for page in answered:
            by_resource.setdefault(page.job.resource, []).append(page)
        for resource, pages in by_resource.items():
            batch: list[Answered] = []
            for page in pages:
                batch.append(page)
                if sum(len(p.answer.items) for p in batch) >= WRITE_BATCH or page is pages[-1]:
                    self._save(resource, batch)
                    batch = []

    def _save(self, resource: str, pages: list[Answered]) -> None:
        items = [item for page in pages for item in page.answer.items]
        states = [page.state for page in pages if page.state is not None]
        self._note(resource, pages[0].job, items)
        if items or states:
            self.changes |= self.store.save_prepared(
                [page.page for page in pages], states[-1] if states else None)
        with self.scheduler.lock:
            self.counts[resource].items += len(items)
            self.counts[resource].pages += len(pages)
        self.scheduler.written(resource, len(pages))
        if self.progress is not None:
            self.progress(self._progress(resource))

    def _note(self, resource: str, job: Job, items: list[dict]) -> None:
        """Remember what the inventory refresh and the new-order notice need."""
        if resource == "orders":
            if isinstance(job, ListJob) and job.incremental:
                ids = [o["id"] for o in items]
                known = self.store.orders.existing(ids)
                self.new_order_ids += [i for i in ids if i not in known]
            self.ordered_products.update(
                li["product_id"] for o in items for li in o.get("line_items") or []
                if li.get("product_id"))
        elif resource == "products":
            self.changed_products.update(p["id"] for p in items)

    def _start_details_when_ready(self) -> None:
        """Details of new and changed products, once the products of this run are written."""
        if "product_details" not in self.engine.resources or "product_details" in self.jobs:
            return
        products = self.jobs.get("products")
        if products is not None:
            if self.counts["products"].error:
                self.counts["product_details"].error = "not fetched: the listings failed"
                return
            if not products.done or not self.scheduler.idle([products]):
                return
        self.scheduler.add(DetailsJob(self.store.catalog.details_wanted(self.shop_id)))

    def _start_inventory_when_ready(self) -> None:
        """Stock comes last: it needs the products written, and the orders of this run."""
        if "inventory" not in self.engine.resources or "inventory" in self.jobs:
            return
        before = [self.jobs[r] for r in ("products", "orders") if r in self.jobs]
        if any(self.counts[job.resource].error for job in before):
            self.counts["inventory"].error = "not refreshed: the products or orders failed"
            return
        if not all(job.done for job in before) or not self.scheduler.idle(before):
            return
        now = int(self.engine.clock())
        state = self.store.sync_state(self.shop_id, "inventory") or {}
        known = self.store.catalog.product_ids(self.shop_id)
        full = now - state.get("full_at", -math.inf) >= self.engine.inventory_every_s
        ids = known if full else sorted(
            set(known) & (self.changed_products | self.ordered_products))
        self.scheduler.add(InventoryJob(ids, full=full, started=now))

    # -- reporting ---------------------------------------------------------------------------

    def _resource_progress(self) -> tuple[ResourceProgress, ...]:
        with self.scheduler.lock:
            return tuple(
                ResourceProgress(r, c.items, c.pages, c.requests,
                                 r in self.jobs and self.jobs[r].done, c.error, c.needs_sign_in)
                for r, c in self.counts.items()
            )

    def _eta(self) -> float | None:
        """The slowest resource's remaining requests at its own pace (each has its own limit)."""
        slowest = 0.0
        with self.scheduler.lock:
            for job in self.scheduler.active():
                latency = self.counts[job.resource].latency
                if latency is None:
                    return None
                pace = min(self.engine.limits.rate_limit,
                           self.scheduler.target(job.resource) / latency)
                slowest = max(slowest, job.remaining_requests() / pace)
        return slowest

    def _progress(self, resource: str) -> SyncProgress:
        parts = self._resource_progress()
        return SyncProgress(
            resource=resource,
            items=sum(p.items for p in parts),
            pages=sum(p.pages for p in parts),
            requests=sum(p.requests for p in parts),
            elapsed_s=time.monotonic() - self.started,
            eta_s=self._eta(),
            resources=parts,
        )

    def _finish(self, cancelled: bool) -> SyncResult:
        inventory = self.jobs.get("inventory")
        if (not cancelled and isinstance(inventory, InventoryJob) and inventory.done
                and inventory.full):
            self.changes |= self.store.set_sync_state(
                self.shop_id, "inventory", {"full_at": inventory.started})
        parts = self._resource_progress()
        complete = not cancelled and all(p.done and p.error is None for p in parts)
        if complete:
            self.changes |= self.store.shops.mark_synced(self.shop_id, int(self.engine.clock()))
        with self.scheduler.lock:
            requests = sum(c.requests for c in self.counts.values())
        return SyncResult(
            resources=parts,
            changes=self.changes,
            new_order_ids=tuple(dict.fromkeys(self.new_order_ids)),
            requests=requests,
            seconds=time.monotonic() - self.started,
            cancelled=cancelled,
        )
