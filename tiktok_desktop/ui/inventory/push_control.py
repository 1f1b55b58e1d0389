"""Running a stock push in the background: progress, cancel, and what the seller is told."""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.sync.edit_push import PushProgress, PushResult
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.inventory.push_bar import PushBar
from tiktok_desktop.ui.tasks import Task, TaskControl, TaskRunner

REFRESH_EVERY_S = 0.5  # how often the table shows a running push's progress


class StockSession(Protocol):
    """What the Inventory tab needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes

    def push_stock(self, progress: object = None, cancel: object = None, *,
                   resume: bool = False) -> PushResult: ...


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def describe(result: PushResult) -> tuple[str, bool]:
    """The message after a push, and whether it is a warning."""
    parts = []
    if result.done:
        parts.append(f"{_count(result.done, 'stock change', 'stock changes')} saved in the shop.")
    if result.failed:
        parts.append(f"{_count(result.failed, 'change was', 'changes were')} refused by "
                     "TikTok Shop.")
    if result.conflicts:
        parts.append(f"{_count(result.conflicts, 'number was', 'numbers were')} changed "
                     "elsewhere.")
    if result.failed or result.conflicts:
        parts.append("Use Resolve… to keep yours or take the shop's.")
    if result.problem:
        parts.append(f"The push stopped: {result.problem}")
    if result.left:
        parts.append(f"{_count(result.left, 'change waits', 'changes wait')} and will be sent "
                     "at the next push.")
    if not parts:
        parts.append("Nothing to push.")
    return " ".join(parts), bool(result.failed or result.conflicts or result.problem
                                 or result.left)


class PushControl(QObject):
    finished = Signal(object)  # PushResult, or None when cancelled or failed
    progressed = Signal()  # some edits were settled: the table may show them
    resolve_requested = Signal()  # "Resolve…" next to the push's message was clicked

    def __init__(self, session: StockSession, tasks: TaskRunner, bar: PushBar,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bar = session, tasks, bar
        self.task: Task | None = None
        self._control: TaskControl | None = None
        self._shown_at = 0.0
        bar.cancel_requested.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, *, resume: bool = False) -> None:
        if self.task is not None:
            return
        self.bar.start("Finishing the interrupted stock push…" if resume else "Pushing stock…")
        session = self.session

        def work(control: TaskControl) -> PushResult:
            self._control = control  # lets Cancel reach a push a synchronous runner is running
            return session.push_stock(control.progress, control.cancelled, resume=resume)

        task = self.tasks.run(work, name="Pushing stock", on_done=self._done,
                              on_failed=self._failed, on_cancelled=self._cancelled,
                              on_progress=self._progress)
        self.task = None if task.finished else task  # a synchronous runner is done already

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self._control is not None:
            self._control.cancelled.set()

    def _progress(self, progress: PushProgress) -> None:
        self.bar.update_progress(progress)
        now = time.monotonic()
        if now - self._shown_at >= REFRESH_EVERY_S:
            self._shown_at = now
            self.progressed.emit()

    def _done(self, result: PushResult) -> None:
        self.task = self._control = None
        self.bar.finish()
        text, worrying = describe(result)
        resolve = (messages.MessageAction("Resolve…", self.resolve_requested.emit)
                   if result.failed or result.conflicts else None)
        (messages.warning if worrying else messages.info)(text, resolve)
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.task = self._control = None
        self.bar.finish()
        messages.report_failure(error, doing="Pushing stock")
        self.finished.emit(None)

    def _cancelled(self) -> None:
        self.task = self._control = None
        self.bar.finish()
        messages.info("Push stopped. Changes not sent yet wait for the next push.")
        self.finished.emit(None)
