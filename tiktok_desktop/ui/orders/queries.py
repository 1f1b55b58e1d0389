"""Asking the cache which orders a view shows, off the GUI thread; the latest question wins.

A broad search over 100,000 orders takes longer than a frame (tens of milliseconds), so the
sorted id list, the rows of the screen to show and the status counts are read in the
background. When the seller has typed on in the meantime, an older question is skipped before
it starts, and an older answer dropped.

Why the reads lane: it answers one question at a time, in order, on one connection of the shop
session's (services/cache_lanes.py) opened when the tab first asks; and it runs beside the serial
lane, never in it (WAL: a reader never waits for the writer, nor the writer for a reader). A slow
question (a broad search over a busy shop) never holds back a stock edit on its way to the
outbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

from tiktok_desktop.logs import get_logger
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.store import OrderQuery
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.orders.model import BLOCK, Listing, read_block, read_listing
from tiktok_desktop.ui.orders.selection import table_text
from tiktok_desktop.ui.tasks import TaskControl, TaskRunner

log = get_logger("ui.orders")
LANE = "reads"
COUNTS_PAUSE_S = 0.3  # counts wait until questions stop coming this quickly


class OrderLists(QObject):
    """Runs queries for one tab; `listed` and `counted` carry the answers to the latest one."""

    listed = Signal(object, object)  # OrderQuery, Listing (sorted order ids, rows to show)
    counted = Signal(object, object)  # OrderQuery, dict[str, int] (orders per status filter)
    copied = Signal(str)  # the text just put on the clipboard

    def __init__(self, cache: CacheLanes, tasks: TaskRunner, parent: QObject | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._clock = clock
        self._cache = cache
        self._tasks = tasks
        self._asked = 0  # numbers the questions: only the last one is answered
        self._counts_asked = 0
        self._asked_at = -COUNTS_PAUSE_S  # monotonic time of the last question
        self._counts_for: OrderQuery | None = None  # waiting for the typing to pause
        self._counts_pause = QTimer(self)
        self._counts_pause.setSingleShot(True)
        self._counts_pause.setInterval(int(COUNTS_PAUSE_S * 1000))
        self._counts_pause.timeout.connect(self._count_now)
        self.pending = 0  # lists not answered yet

    def ask(self, query: OrderQuery, *, with_counts: bool = True, counts_later: bool = False,
            top: str | None = None, rows: int = BLOCK, find: Sequence[str] = ()) -> None:
        """List the orders of `query` with the rows of the screen to show (`rows` rows from
        order `top`, or from the first) and the places of the orders in `find`; count them per
        status unless only the status filter or the sort changed (counts ignore both).

        While questions come quickly (the seller typing), the counts wait for a pause: one lane
        runs the queries, and a count per letter would delay the list of the next letter. They
        wait too when `counts_later` (a refresh after a sync): counting then does not compete
        with repainting the table for the processor."""
        asked_at = time.monotonic()
        typing, self._asked_at = asked_at - self._asked_at < COUNTS_PAUSE_S, asked_at
        self._asked += 1
        number = self._asked
        self.pending += 1
        cache = self._cache
        now = int(self._clock())

        def list_orders(control: TaskControl) -> Listing | None:
            if number != self._asked:  # read across threads: an int, at worst one stale query
                return None
            with cache.using(LANE) as store:
                orders = store.orders
                return read_listing(orders.rows, orders.ids(query), top=top, rows=rows,
                                    find=find, now=now)

        self._tasks.run(list_orders, name="Finding orders", lane=LANE, parent=self,
                        on_done=lambda listing: self._listed(number, query, listing),
                        on_failed=self._failed)
        if with_counts or self._counts_pause.isActive():
            self._counts_for = query
            if typing or counts_later:
                self._counts_pause.start()
            else:
                self._count_now()

    @Slot()
    def _count_now(self) -> None:
        query, self._counts_for = self._counts_for, None
        self._counts_pause.stop()
        if query is None:
            return
        self._counts_asked += 1
        counts_number = self._counts_asked
        cache = self._cache

        def count(control: TaskControl) -> dict[str, int] | None:
            if counts_number != self._counts_asked:
                return None
            with cache.using(LANE) as store:
                return store.orders.counts(query)

        self._tasks.run(count, name="Counting orders", lane=LANE, parent=self,
                        on_done=lambda counts: self._counted(counts_number, query, counts),
                        on_failed=self._failed_count)

    def copy(self, order_ids: Sequence[str], columns: Sequence[int]) -> None:
        """Put these orders on the clipboard as tab-separated text of these columns, read in
        the background (Ctrl+A, Ctrl+C over 100,000 orders reads every one of them)."""
        cache, now = self._cache, int(self._clock())
        blocks = range((len(order_ids) + BLOCK - 1) // BLOCK)

        def text(control: TaskControl) -> str:
            with cache.using(LANE) as store:
                return table_text(columns, (row for number in blocks for row in read_block(
                    store.orders.rows, order_ids, number, now)))

        self._tasks.run(text, name="Copying orders", lane=LANE, parent=self,
                        on_done=self._copied)

    def _copied(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)

    def _listed(self, number: int, query: OrderQuery, listing: Listing | None) -> None:
        self.pending -= 1
        if number == self._asked and listing is not None:
            self.listed.emit(query, listing)

    def _counted(self, number: int, query: OrderQuery, counts: dict[str, int] | None) -> None:
        if number == self._counts_asked and counts is not None:
            self.counted.emit(query, counts)

    def _failed(self, error: BaseException) -> None:
        self.pending -= 1
        messages.report_failure(error, doing="Finding orders")

    def _failed_count(self, error: BaseException) -> None:
        messages.report_failure(error, doing="Counting orders")

    def close(self) -> None:
        """The tab is going: no more counts, and questions not started yet are skipped (the
        shop's connections close next; answers on their way are dropped with the tab)."""
        self._counts_pause.stop()
        self._asked += 1
        self._counts_asked += 1
