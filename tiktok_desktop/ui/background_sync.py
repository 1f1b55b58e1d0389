"""Keeping the shop's local copy fresh: a sync now (F5) and one every few minutes.

The sync runs on the task runner (never on the GUI thread), which hands the work to a process
of its own (sync/own_process.py: the window then never waits for Python's lock); its progress
and outcome come back as signals carrying plain data. During a long first sync, the orders
written so far are announced every few seconds, so the Orders tab fills while the seller
watches instead of staying empty until the end.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tiktok_desktop.api import RequestCancelled
from tiktok_desktop.logs import get_logger
from tiktok_desktop.store import Changes
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.tasks import Task, TaskControl, TaskRunner

if TYPE_CHECKING:  # types only: the services and sync packages load when a shop opens
    from tiktok_desktop.services import ConnectionState
    from tiktok_desktop.sync import SyncProgress, SyncResult

log = get_logger("ui.sync")

PARTIAL_EVERY_S = 3.0  # while a sync writes orders, the tabs hear about them this often


class SyncingSession(Protocol):
    """What background syncing needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    def sync(self, progress: object = None, cancel: object = None) -> SyncResult: ...

    def connection(self) -> ConnectionState: ...

    def note_failure(self, error: BaseException) -> None: ...


@dataclass(frozen=True)
class SyncOutcome:
    """How a sync ended. `result` is None when it failed before pulling anything."""

    result: SyncResult | None
    connection: ConnectionState
    error: BaseException | None = None
    synced_at: int | None = None  # when it completed, for "Synced 2 minutes ago"


class BackgroundSync(QObject):
    started = Signal()
    progressed = Signal(object)  # SyncProgress
    changed = Signal(object)  # Changes: what was written (also partway through)
    finished = Signal(object)  # SyncOutcome

    def __init__(self, session: SyncingSession, tasks: TaskRunner, interval_minutes: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self.task: Task | None = None
        self.poll = QTimer(self)
        self.poll.timeout.connect(self.sync_now)
        self.set_interval(interval_minutes)
        self._orders_announced = 0
        self._announced_at = 0.0
        self._stopped = False  # after stop(), a sync still running reports to no one

    @property
    def running(self) -> bool:
        return self.task is not None

    def set_interval(self, minutes: int) -> None:
        self.poll.setInterval(max(1, minutes) * 60_000)

    def start_polling(self) -> None:
        self.poll.start()

    @Slot()
    def sync_now(self) -> bool:
        """Start a sync unless one is running; the poll timer counts again from now."""
        if self.task is not None or self._stopped:
            return False
        if self.poll.isActive():
            self.poll.start()
        self._orders_announced, self._announced_at = 0, time.monotonic()
        session = self._session

        def work(control: TaskControl) -> SyncOutcome:
            try:
                result = session.sync(control.progress, control.cancelled)
            except RequestCancelled:
                raise  # the shop was closed under the sync: the runner ends it as cancelled
            except Exception as error:  # known or not: the GUI decides how to tell
                session.note_failure(error)
                return SyncOutcome(None, session.connection(), error)
            synced_at = int(time.time()) if result.complete else None
            return SyncOutcome(result, session.connection(), synced_at=synced_at)

        self.started.emit()
        task = self._tasks.run(work, name="Syncing your shop", on_done=self._done,
                               on_progress=self._progressed, on_cancelled=self._cancelled)
        self.task = None if task.finished else task  # a synchronous runner is done already
        return True

    def stop(self) -> None:
        """Stop polling and ask a running sync to stop; no more signals from here on."""
        self._stopped = True
        self.poll.stop()
        if self.task is not None:
            self.task.cancel()

    def _progressed(self, progress: SyncProgress) -> None:
        if self._stopped:
            return
        self.progressed.emit(progress)
        orders = next((r.items for r in progress.resources if r.resource == "orders"), 0)
        now = time.monotonic()
        if orders > self._orders_announced and now - self._announced_at >= PARTIAL_EVERY_S:
            written = orders - self._orders_announced
            self._orders_announced, self._announced_at = orders, now
            self.changed.emit(Changes.of(self._session.shop_id, orders=written))

    def _done(self, outcome: SyncOutcome) -> None:
        self.task = None
        if self._stopped:
            return
        result = outcome.result
        if result is not None:
            log.info("sync %s: %d items, %d new orders, %d requests in %.1f s",
                     "complete" if result.complete else "incomplete", result.items,
                     len(result.new_order_ids), result.requests, result.seconds)
        if outcome.error is not None:
            messages.report_failure(outcome.error, doing="Syncing your shop")
        elif result is not None and result.needs_sign_in:
            messages.error("The shop's authorization has ended, so nothing new comes in: "
                           "reconnect it to keep orders and stock up to date.")
        elif result is not None and result.errors and not result.cancelled:
            messages.warning("Part of the shop could not be synced ("
                             + "; ".join(result.errors[:2])
                             + "). The app tries again at the next sync.")
        if result is not None and result.changes:
            self.changed.emit(result.changes)
        self.finished.emit(outcome)

    def _cancelled(self) -> None:
        self.task = None
        if self._stopped:
            return
        self.finished.emit(SyncOutcome(None, self._session.connection()))
