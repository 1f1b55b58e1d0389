"""Asking the cache which orders a view shows, off the GUI thread; the latest question wins.

A broad search over 100,000 orders takes longer than a frame (tens of milliseconds), so the
sorted id list and the status counts are read on the task runner's parallel lane, each task on
its own connection. When the seller has typed on in the meantime, an older answer is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.tasks import TaskControl, TaskRunner

OpenStore = Callable[[], Store]


class OrderLists(QObject):
    """Runs queries for one tab; `listed` and `counted` carry the answers to the latest one."""

    listed = Signal(object, object)  # OrderQuery, list[str] (sorted order ids)
    counted = Signal(object, object)  # OrderQuery, dict[str, int] (orders per status filter)

    def __init__(self, open_store: OpenStore, tasks: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_store = open_store
        self._tasks = tasks
        self._latest: OrderQuery | None = None
        self._asked = 0  # numbers the questions: only the answer to the last one is shown
        self._counts_asked = 0
        self.pending = 0  # lists not answered yet

    @property
    def latest(self) -> OrderQuery | None:
        return self._latest

    def ask(self, query: OrderQuery, *, with_counts: bool = True) -> None:
        """List the orders of `query` (and count them per status, unless only the status
        filter or the sort changed: counts ignore both)."""
        self._latest = query
        self._asked += 1
        number = self._asked
        self.pending += 1
        open_store = self._open_store

        def list_ids(control: TaskControl) -> list[str]:
            with open_store() as store:
                return store.orders.ids(query)

        self._tasks.run(list_ids, name="Finding orders",
                        on_done=lambda ids: self._listed(number, query, ids),
                        on_failed=self._failed)
        if with_counts:
            self._counts_asked += 1
            counts_number = self._counts_asked

            def count(control: TaskControl) -> dict[str, int]:
                with open_store() as store:
                    return store.orders.counts(query)

            self._tasks.run(count, name="Counting orders",
                            on_done=lambda counts: self._counted(counts_number, query, counts))

    def _listed(self, number: int, query: OrderQuery, ids: list[str]) -> None:
        self.pending -= 1
        if number == self._asked:
            self.listed.emit(query, ids)

    def _counted(self, number: int, query: OrderQuery, counts: dict[str, int]) -> None:
        if number == self._counts_asked:
            self.counted.emit(query, counts)

    def _failed(self, error: BaseException) -> None:
        self.pending -= 1
        messages.report_failure(error, doing="Finding orders")


def store_opener(path: Path) -> OpenStore:
    """Opens a new connection to the cache file (one per task: each thread its own)."""
    return lambda: Store.open(path)
