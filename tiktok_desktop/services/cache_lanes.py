"""The shop's cache connections: one per lane, opened by the lane that first uses it, kept, and
closed when the shop closes.

A lane is a place work runs: "gui" (the window's own small, indexed reads), "serial" (the task
runner's one writer thread: edits, and nothing else, so no read ever delays one), "reads" (the
task runner's one reader thread: the Orders tab's queries, one at a time), "push" and "sync" (a
stock push or an in-thread sync, each one at a time), and "parallel" (the task runner's pool:
whole-table reads). Each named lane has one connection that one user at a time holds; the
parallel lane keeps one per thread busy at once, reused after.

Why an owner: SQLite connections opened ad hoc and never closed pile up (one per edit under
PySide6, whose pool threads start every task with a fresh `threading.local`), and every open is
work the shop's own lock can make wait. Connections are opened "shared" (any thread may use one
while it holds it): a pool thread that ends does not strand its connection.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from tiktok_desktop.logs import get_logger
from tiktok_desktop.store import Store

log = get_logger("services.cache")

PARALLEL = "parallel"
CLOSE_WAIT_S = 5.0  # how long close() waits for a lane still in use


class ShopClosed(RuntimeError):
    """The shop was closed: its cache is no longer available to this lane."""

    plain = "The shop was closed."


class CacheLanes:
    def __init__(self, path: Path, opener: Callable[[Path], Store] | None = None) -> None:
        self.path = path
        self._opener = opener or (lambda p: Store.open(p, shared=True))
        self._lock = threading.Lock()
        self._named: dict[str, Store] = {}
        self._lane_locks: dict[str, threading.Lock] = {}
        self._idle: list[Store] = []  # the parallel lane's connections not in use
        self._busy: set[int] = set()  # id() of parallel connections in use
        self._closed = False
        self.opened = 0  # connections opened so far (tests count them)

    @property
    def closed(self) -> bool:
        return self._closed

    @contextlib.contextmanager
    def using(self, lane: str) -> Iterator[Store]:
        """The lane's connection, held by the caller until the block ends."""
        if lane == PARALLEL:
            with self._parallel() as store:
                yield store
            return
        with self._lock:
            self._check_open()
            lane_lock = self._lane_locks.setdefault(lane, threading.Lock())
        with lane_lock:
            with self._lock:
                self._check_open()
                store = self._named.get(lane)
            if store is None:
                store = self._open()
                with self._lock:
                    self._named[lane] = store
            yield store

    def gui(self) -> Store:
        """The window's connection, for indexed reads on the GUI thread only (nobody else
        uses the "gui" lane, so it is handed out without a hold)."""
        with self.using("gui") as store:
            return store

    @contextlib.contextmanager
    def _parallel(self) -> Iterator[Store]:
        with self._lock:
            self._check_open()
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = self._open()
        with self._lock:
            self._busy.add(id(store))
        try:
            yield store
        finally:
            with self._lock:
                self._busy.discard(id(store))
                keep = not self._closed
                if keep:
                    self._idle.append(store)
            if not keep:
                store.close()

    def _open(self) -> Store:
        store = self._opener(self.path)
        with self._lock:
            self.opened += 1
        return store

    def _check_open(self) -> None:
        if self._closed:
            raise ShopClosed(f"the cache of {self.path.name} is closed")

    def close(self) -> None:
        """Close every connection. A lane still in use (work that ignored its cancel) gets
        up to CLOSE_WAIT_S to finish; the parallel lane's busy connections close when their
        users let go. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            named, idle = dict(self._named), self._idle
            self._named, self._idle = {}, []
            locks = dict(self._lane_locks)
        for store in idle:
            store.close()
        for lane, store in named.items():
            lane_lock = locks[lane]
            if lane_lock.acquire(timeout=CLOSE_WAIT_S):
                try:
                    store.close()
                finally:
                    lane_lock.release()
            else:  # never close a connection under a running statement
                log.warning("the %s lane still uses the cache; its connection is left open",
                            lane)
