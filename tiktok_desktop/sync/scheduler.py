"""The request side of a sync run: keep each resource's requests under way, on worker threads.

A worker that gets an answer moves its window on and hands out the window's next request
itself, at once, so the network never waits for the disk. Answered pages go into a queue, each
with the resource's state as of that answer; the engine's writer empties it. All of the jobs'
bookkeeping happens under one lock.

Backpressure: pages held (requests under way plus answered pages not yet written) are bounded
by `Limits.max_pages_held`. When the writer falls behind, no new request is handed out until it
catches up, so memory stays flat however big the shop (an unbounded queue grew to gigabytes,
and the garbage collector's full passes over it froze every thread, the GUI's included).
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tiktok_desktop.api import ShopApi
from tiktok_desktop.api.errors import NEEDS_SIGN_IN, ApiError, InvalidParameterError
from tiktok_desktop.store import PreparedPage, prepare_page
from tiktok_desktop.sync.resources import Answer, Job, Task
from tiktok_desktop.sync.windows import Raw

log = logging.getLogger(__name__)


class Counts:
    """One resource's figures for this run."""

    def __init__(self) -> None:
        self.items = self.pages = self.requests = self.failures_in_row = 0
        self.latency: float | None = None  # fastest answer seen: the network, not the queue
        self.paused_until = 0.0
        self.error: str | None = None
        self.needs_sign_in = False  # the error is the authorization's end: sign in again


@dataclass(frozen=True)
class Answered:
    """A page to write (already turned into rows), with the state to save alongside (None:
    leave the state)."""

    job: Job
    answer: Answer
    page: PreparedPage
    state: Raw | None


@dataclass(frozen=True)
class Limits:
    rate_limit: float  # per endpoint, requests per second
    max_workers: int
    max_per_resource: int
    attempts: int  # failures in a row before a resource gives up for this run
    max_pages_held: int  # requests under way + answered pages not yet written, all resources


class Scheduler:
    def __init__(self, shop: ShopApi, shop_id: str, jobs: dict[str, Job],
                 counts: dict[str, Counts], limits: Limits, clock: Callable[[], float]) -> None:
        self.shop, self.shop_id, self.jobs, self.counts, self.limits, self.clock = (
            shop, shop_id, jobs, counts, limits, clock)
        self.lock = threading.Lock()
        self.answered: queue.SimpleQueue[Answered | BaseException] = queue.SimpleQueue()
        self._pool = ThreadPoolExecutor(limits.max_workers, thread_name_prefix="sync")
        self._in_flight: Counter[str] = Counter()
        self._unwritten: Counter[str] = Counter()  # answered pages the writer has not written
        self._stopped = False
        self._seen: int | None = None  # the newest update_time answered so far, any resource

    # -- used by the writer ----------------------------------------------------------------

    def add(self, job: Job) -> None:
        with self.lock:
            self.jobs[job.resource] = job
        self.fill()

    def fill(self) -> None:
        """Hand out requests up to each resource's target."""
        with self.lock:
            self._fill()

    def take(self, timeout: float) -> list[Answered]:
        """Every answered page queued now, waiting up to `timeout` for the first one. A bug
        on a worker thread is raised here."""
        try:
            first = self.answered.get(timeout=timeout)
        except queue.Empty:
            return []
        taken = [first]
        while not self.answered.empty():
            taken.append(self.answered.get_nowait())
        for item in taken:
            if isinstance(item, BaseException):
                raise item
        return [item for item in taken if isinstance(item, Answered)]

    def written(self, resource: str, pages: int) -> None:
        with self.lock:
            self._unwritten[resource] -= pages

    def idle(self, jobs: list[Job] | None = None) -> bool:
        """Nothing under way and nothing left to write (for these jobs, or at all)."""
        with self.lock:
            if jobs is None:
                return not +self._in_flight and not +self._unwritten
            return not any(self._in_flight[j.resource] or self._unwritten[j.resource]
                           for j in jobs)

    def active(self) -> list[Job]:
        """Jobs still pulling (not done, not given up)."""
        return [job for r, job in self.jobs.items() if not job.done and not self.counts[r].error]

    def target(self, resource: str) -> int:
        """Requests of one resource to keep under way: enough to fill its rate limit,
        ceil(rate × latency) + 1, bounded."""
        latency = self.counts[resource].latency
        if latency is None:
            return 1  # the first answer tells the latency (and the size of the list)
        wanted = math.ceil(self.limits.rate_limit * latency) + 1
        return max(1, min(self.limits.max_per_resource, wanted))

    def stop(self) -> None:
        """No more requests; answers still under way are dropped."""
        with self.lock:
            self._stopped = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- under the lock ----------------------------------------------------------------------

    def _fill(self) -> None:
        if self._stopped:
            return
        now_s, now = time.monotonic(), int(self.clock())
        for job in self.active():
            if self.counts[job.resource].paused_until > now_s:
                continue
            under_way = sum(self._in_flight.values())
            room = min(self.target(job.resource) - self._in_flight[job.resource],
                       self.limits.max_workers - under_way,
                       self.limits.max_pages_held - under_way - sum(self._unwritten.values()))
            for task in job.tasks(room, now, self._seen) if room > 0 else ():
                self._in_flight[job.resource] += 1
                self._pool.submit(self._work, task)

    def _work(self, task: Task) -> None:
        """On a worker thread: one request, its rows, then its bookkeeping and the next
        requests. Turning the page into rows here keeps that work off the writer."""
        started = time.monotonic()
        try:
            answer = task.call(self.shop)
            seconds = time.monotonic() - started
            page = prepare_page(self.shop_id, task.job.resource, answer.items)
        except ApiError as error:
            answer, page, seconds, failure = None, None, 0.0, error
        except BaseException as bug:
            self.answered.put(bug)
            return
        else:
            failure = None
        try:
            with self.lock:
                self._in_flight[task.job.resource] -= 1
                self.counts[task.job.resource].requests += 1 if answer is None else answer.requests
                if failure is not None:
                    self._failed(task, failure)
                else:
                    self._taken(task, answer, page, seconds)
                self._fill()
        except BaseException as bug:
            self.answered.put(bug)

    def _taken(self, task: Task, answer: Answer, page: PreparedPage, seconds: float) -> None:
        counts = self.counts[task.job.resource]
        counts.failures_in_row = 0
        counts.latency = seconds if counts.latency is None else min(counts.latency, seconds)
        # Queued under the lock: per resource, pages reach the writer in the order their
        # states were taken, so a state never claims a page that is not written yet.
        self._unwritten[task.job.resource] += 1
        state = task.job.answered(task, answer)
        self.answered.put(Answered(task.job, answer, page, state))
        newest = task.job.newest_update
        if newest is not None and (self._seen is None or newest > self._seen):
            self._seen = newest

    def _failed(self, task: Task, error: ApiError) -> None:
        counts = self.counts[task.job.resource]
        refused_token = (isinstance(error, InvalidParameterError) and task.request is not None
                         and task.request.token is not None)
        task.job.failed(task, refused_token)
        if refused_token:
            log.info("%s: page token refused, paging that window again", task.job.resource)
            return
        counts.failures_in_row += 1
        log.warning("%s: request failed (%s)", task.job.resource, error)
        if isinstance(error, NEEDS_SIGN_IN) or counts.failures_in_row >= self.limits.attempts:
            counts.error = error.plain
            counts.needs_sign_in = isinstance(error, NEEDS_SIGN_IN)
        else:
            counts.paused_until = time.monotonic() + counts.failures_in_row
