"""Reads and writes of the shop's cache, asked of its session by a widget, run in the background.

    cache_ops.read(self, tasks, session, lambda store: audit_lines(store, shop_id),
                   name="Reading the stock history", on_done=self.show_history)
    cache_ops.write(self, tasks, session, lambda store: save_changes(store, ...),
                    name="Saving stock edits", on_done=self._written)

The session lends the lane's connection (services/cache_lanes.py) for the length of the call; the
widget (`parent`) owns the operation: when it is deleted, the operation is cancelled and its
callbacks are dropped (tasks.py). Reads run on the parallel lane (or the reads lane, one at a
time), never on the serial lane: writes run there, in the order they were asked, and a read
never holds an edit back from the outbox. Nothing here opens a connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol, TypeVar

from PySide6.QtCore import QObject

from tiktok_desktop.services.cache_lanes import PARALLEL, CacheLanes
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui.tasks import Task, TaskControl, TaskRunner

R = TypeVar("R")
ReadLane = Literal["parallel", "reads"]


class CachedShop(Protocol):
    """What these operations need of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes


def read(parent: QObject, tasks: TaskRunner, session: CachedShop,
         reading: Callable[[Store], R], *, name: str,
         on_done: Callable[[R], None], on_failed: Callable[[BaseException], None] | None = None,
         lane: ReadLane = PARALLEL) -> Task:
    """Run `reading(store)` on `lane`: parallel, or "reads" for reads answered one at a time
    in the order they were asked."""
    cache = session.cache

    def work(control: TaskControl) -> R:
        control.check()
        with cache.using(lane) as store:
            return reading(store)

    return tasks.run(work, name=name, lane=lane, on_done=on_done, on_failed=on_failed,
                     parent=parent)


def write(parent: QObject, tasks: TaskRunner, session: CachedShop,
          writing: Callable[[Store], Changes], *, name: str,
          on_done: Callable[[Changes], None] | None = None,
          on_failed: Callable[[BaseException], None] | None = None) -> Task:
    """Run `writing(store)` on the serial lane, after every write asked before it. A write is
    made even when its parent is gone meanwhile (an edit is never dropped); only its callbacks
    are skipped then."""
    cache = session.cache

    def work(control: TaskControl) -> Changes:
        with cache.using("serial") as store:
            return writing(store)

    return tasks.run(work, name=name, lane="serial", on_done=on_done, on_failed=on_failed,
                     parent=parent)
