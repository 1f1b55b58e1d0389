"""Running a push (stock, prices) in the background: progress, cancel, and what the seller is
told."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from tiktok_desktop.sync.edit_push import PushProgress, PushResult
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.editing.push_bar import PushBar
from tiktok_desktop.ui.tasks import Task, TaskControl, TaskRunner

REFRESH_EVERY_S = 0.5  # how often the table shows a running push's progress


# The session's push: push(progress, cancel, resume=…) (ShopSession.push_stock, push_prices).
Push = Callable[..., PushResult]


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def describe(result: PushResult, what: str = "stock",
             noun: tuple[str, str] = ("stock number", "stock numbers")) -> tuple[str, bool]:
    """The message after a push of `what` ("stock", "price"), whose values are `noun`s, and
    whether it is a warning."""
    parts = []
    if result.done:
        parts.append(f"{_count(result.done, f'{what} change', f'{what} changes')} saved in the "
                     "shop.")
    if result.failed:
        parts.append(f"{_count(result.failed, 'change was', 'changes were')} refused by "
                     "TikTok Shop.")
    if result.conflicts:
        parts.append(f"{_count(result.conflicts, f'{noun[0]} was', f'{noun[1]} were')} "
                     "changed elsewhere.")
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

    def __init__(self, push: Push, tasks: TaskRunner, bar: PushBar, what: str = "stock",
                 noun: tuple[str, str] = ("stock number", "stock numbers"),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.push, self.tasks, self.bar = push, tasks, bar
        self.what, self.noun = what, noun
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
        things = "stock" if self.what == "stock" else f"{self.what}s"
        self.bar.start(f"Finishing the interrupted {self.what} push…" if resume
                       else f"Pushing {things}…")
        push = self.push

        def work(control: TaskControl) -> PushResult:
            self._control = control  # lets Cancel reach a push a synchronous runner is running
            cancel: threading.Event = control.cancelled
            return push(control.progress, cancel, resume=resume)

        task = self.tasks.run(work, name=f"Pushing {things}", on_done=self._done,
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
        text, worrying = describe(result, self.what, self.noun)
        resolve = (messages.MessageAction("Resolve…", self.resolve_requested.emit)
                   if result.failed or result.conflicts else None)
        (messages.warning if worrying else messages.info)(text, resolve)
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.task = self._control = None
        self.bar.finish()
        messages.report_failure(error, doing=f"Pushing {self.what} changes")
        self.finished.emit(None)

    def _cancelled(self) -> None:
        self.task = self._control = None
        self.bar.finish()
        messages.info("Push stopped. Changes not sent yet wait for the next push.")
        self.finished.emit(None)
