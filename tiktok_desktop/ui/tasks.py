"""The task runner: the one owner of background work and of the threads it runs on.

    def pull_orders(control: TaskControl) -> int:           # plain Python, runs in a worker
        return engine.pull("orders", progress=control.progress, cancel=control.cancelled)

    task = runner.run(pull_orders, name="Syncing orders",
                      on_done=self.show_count,               # these four run on the GUI thread
                      on_progress=self.progress_bar.setValue)
    task.cancel()                                            # sets control.cancelled

Why QThreadPool rather than a QThread per worker: the pool owns its QThreads, so none can be
dropped while running (the classic "QThread destroyed while still running" abort); its threads are
reused instead of started per task; `maxThreadCount` is exactly the width of a lane; and
`waitForDone` gives a bounded wait at exit. Three pools make three lanes:

- "parallel" (default, several threads): HTTP and other work that may overlap.
- "serial" (one thread that never expires, FIFO): cache writes, one at a time, always on the same
  thread, so a writer may keep a per-thread SQLite connection there. Nothing else runs there: a
  slow read queued ahead of an edit's write would keep the edit out of the outbox that long
  (and lose it if the app died meanwhile).
- "reads" (one thread, FIFO): reads that are asked in a quick series and answered in order, one
  at a time (the Orders tab's questions while the seller types), beside the writes.

At exit (`shutdown`), parallel and read work is cancelled and what it hasn't started is dropped,
but serial work already queued still runs, in order, within the shutdown timeout: a cache write
queued just before quitting (an edit the seller made) is kept, never silently dropped.

How results reach the GUI thread (STYLE items 6-7): the worker emits a private signal of the
runner, a QObject living on the GUI thread, connected to the runner's own @Slot; Qt queues it to
the GUI thread, where the runner calls your callbacks. You never connect to a worker's signal, so
a lambda or bound method of any kind is fine as a callback. Progress is "latest wins": a worker
may report thousands of times, the GUI gets at most one pending update per task.

A task may have a `parent` (the widget that asked, as Anki's QueryOp/CollectionOp have): once
the parent is deleted (its tab closed, the shop left), its callbacks are dropped, never run
against a widget that is gone, and parallel and read work is cancelled. Serial work (a cache
write: an edit the seller made) is still done.

Failures: `on_failed(exc)` if given; otherwise known failures are shown in the message area and
bugs go to the crash handler (`messages.report_failure`). A cancelled task (or one whose network
call was cancelled: the shop was closed) calls `on_cancelled`
(if given) and neither of the others, whatever the callable did after the cancel.

For other modules' unit tests, `ImmediateTaskRunner` has the same API and runs everything at once
on the calling thread (STYLE item 13); a bug in a task raises in the test that ran it.
"""

from __future__ import annotations

import enum
import functools
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from shiboken6 import Shiboken

from tiktok_desktop.api import RequestCancelled
from tiktok_desktop.logs import get_logger
from tiktok_desktop.ui import messages

log = get_logger("ui.tasks")

Lane = Literal["parallel", "serial", "reads"]
LANES: tuple[Lane, ...] = ("parallel", "serial", "reads")
PARALLEL_THREADS = 4


class TaskCancelled(Exception):
    """Raised by `TaskControl.check()` to stop a task that was asked to stop."""


class TaskState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskControl:
    """What the callable gets: the cancel flag and a way to report progress. No Qt in here."""

    def __init__(self, report: Callable[[object], None]) -> None:
        self.cancelled = threading.Event()
        self._report = report

    def progress(self, value: object) -> None:
        """Report progress (any plain, immutable value); the GUI sees the latest one."""
        self._report(value)

    def check(self) -> None:
        """Raise TaskCancelled if the task was asked to stop (call it between steps)."""
        if self.cancelled.is_set():
            raise TaskCancelled


_numbers = itertools.count(1)


@dataclass(eq=False)
class Task:
    """A handle on one piece of background work."""

    name: str
    work: Callable[[TaskControl], Any]
    lane: Lane
    on_done: Callable[[Any], None] | None = None
    on_failed: Callable[[BaseException], None] | None = None
    on_progress: Callable[[Any], None] | None = None
    on_cancelled: Callable[[], None] | None = None
    parent: QObject | None = None
    number: int = field(default_factory=lambda: next(_numbers))
    state: TaskState = TaskState.QUEUED
    control: TaskControl = field(init=False)
    _progress_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _latest_progress: object = field(default=None, repr=False)
    _progress_pending: bool = field(default=False, repr=False)

    def cancel(self) -> None:
        """Ask the task to stop: sets `control.cancelled`. The callable decides when it stops."""
        self.control.cancelled.set()

    @property
    def finished(self) -> bool:
        return self.state in (TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED)

    @property
    def orphaned(self) -> bool:
        """Its parent widget is gone: nobody is left to call back."""
        return self.parent is not None and not Shiboken.isValid(self.parent)


@dataclass(frozen=True)
class _Outcome:
    task: Task
    state: TaskState | None  # None: a progress update
    value: Any = None


class _RunnerBase(QObject):
    """What both runners share: making tasks and finishing them on the GUI thread."""

    task_finished = Signal(object)  # Task, after its callback ran

    def run(self, work: Callable[[TaskControl], Any], *, name: str, lane: Lane = "parallel",
            on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[Any], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            parent: QObject | None = None) -> Task:
        """Run `work(control)` in the background; `name` says what it does, in the seller's words
        ("Syncing orders"), and is used in failure messages. With a `parent`, the task is
        cancelled and its callbacks dropped when the parent is deleted."""
        if lane not in LANES:
            raise ValueError(f"unknown lane {lane!r}")
        task = Task(name, work, lane, on_done, on_failed, on_progress, on_cancelled, parent)
        task.control = TaskControl(functools.partial(self._report_progress, task))
        self._start(task)
        return task

    def _start(self, task: Task) -> None:
        raise NotImplementedError

    def _report_progress(self, task: Task, value: object) -> None:
        raise NotImplementedError

    @staticmethod
    def _execute(task: Task) -> _Outcome:
        """Run the callable and say how it ended (on the worker thread)."""
        if task.control.cancelled.is_set():
            return _Outcome(task, TaskState.CANCELLED)
        task.state = TaskState.RUNNING
        try:
            result = task.work(task.control)
        except TaskCancelled:
            return _Outcome(task, TaskState.CANCELLED)
        except BaseException as exc:  # every failure is delivered, none is lost
            # RequestCancelled: the shop was closed under the task (its session cancels calls).
            if task.control.cancelled.is_set() or isinstance(exc, RequestCancelled):
                log.info("%s stopped after a cancel with %r", task.name, exc)
                return _Outcome(task, TaskState.CANCELLED)
            return _Outcome(task, TaskState.FAILED, exc)
        if task.control.cancelled.is_set():
            return _Outcome(task, TaskState.CANCELLED)
        return _Outcome(task, TaskState.DONE, result)

    def _finish(self, outcome: _Outcome) -> None:
        """Call the task's callback for how it ended (on the GUI thread)."""
        task = outcome.task
        task.state = outcome.state  # type: ignore[assignment]  # never None here
        try:
            if task.orphaned:
                log.debug("%s ended after its window was closed", task.name)
            elif outcome.state is TaskState.DONE and task.on_done is not None:
                task.on_done(outcome.value)
            elif outcome.state is TaskState.CANCELLED and task.on_cancelled is not None:
                task.on_cancelled()
            elif outcome.state is TaskState.FAILED:
                if task.on_failed is not None:
                    task.on_failed(outcome.value)
                else:
                    self._unhandled_failure(task, outcome.value)
        finally:
            self.task_finished.emit(task)

    def _unhandled_failure(self, task: Task, exc: BaseException) -> None:
        messages.report_failure(exc, doing=task.name)


class TaskRunner(_RunnerBase):
    """Runs tasks on two thread pools and delivers their outcomes on the GUI thread.

    Create it on the GUI thread. Call `shutdown()` before the app quits (app.py connects it to
    `aboutToQuit`): it cancels parallel work, finishes the serial lane's queue, and waits.
    """

    _delivered = Signal(object)  # _Outcome, emitted on worker threads

    def __init__(self, parent: QObject | None = None, *,
                 parallel_threads: int = PARALLEL_THREADS) -> None:
        super().__init__(parent)
        self._pools: dict[Lane, QThreadPool] = {lane: QThreadPool(self) for lane in LANES}
        self._pools["parallel"].setMaxThreadCount(parallel_threads)
        self._pools["serial"].setMaxThreadCount(1)
        self._pools["reads"].setMaxThreadCount(1)
        self._pools["serial"].setExpiryTimeout(-1)  # the same thread for every cache write
        self._live: dict[int, Task] = {}  # every task not yet finished: references kept here
        self._closed = False
        self._watched: set[int] = set()  # id() of parents whose `destroyed` cancels their tasks
        self._delivered.connect(self._on_delivered)

    @property
    def active_tasks(self) -> list[Task]:
        return list(self._live.values())

    def _start(self, task: Task) -> None:
        if self._closed:
            raise RuntimeError(f"the app is closing; {task.name!r} was not started")
        self._live[task.number] = task
        parent = task.parent
        if parent is not None and id(parent) not in self._watched:
            self._watched.add(id(parent))  # one connection per parent, however many tasks
            parent.destroyed.connect(functools.partial(self._parent_gone, id(parent)))
        self._pools[task.lane].start(functools.partial(self._work_on, task))

    def _parent_gone(self, key: int, _: object = None) -> None:  # on the GUI thread
        self._watched.discard(key)
        for task in self._live.values():
            if task.lane != "serial" and task.parent is not None and id(task.parent) == key:
                task.cancel()

    def _work_on(self, task: Task) -> None:  # on a worker thread
        self._delivered.emit(self._execute(task))

    def _report_progress(self, task: Task, value: object) -> None:  # on a worker thread
        with task._progress_lock:
            task._latest_progress = value
            if task._progress_pending:
                return
            task._progress_pending = True
        self._delivered.emit(_Outcome(task, None))

    @Slot(object)
    def _on_delivered(self, outcome: _Outcome) -> None:  # on the GUI thread
        task = outcome.task
        if self._closed or task.number not in self._live:
            return  # the app is closing: widgets may be gone, so no callbacks any more
        if outcome.state is None:
            with task._progress_lock:
                value, task._progress_pending = task._latest_progress, False
            if (task.on_progress is not None and not task.control.cancelled.is_set()
                    and not task.orphaned):
                task.on_progress(value)
            return
        del self._live[task.number]
        self._finish(outcome)

    def cancel_all(self) -> None:
        for task in self._live.values():
            task.cancel()

    def wait_for_writes(self, timeout_ms: int = 10_000) -> bool:
        """Block until the serial lane's queue (cache writes: edits the seller made) is done,
        e.g. before the shop's connections close. True when it was done in time."""
        return self._pools["serial"].waitForDone(timeout_ms)

    @Slot()
    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stop for the app's exit: cancel parallel and read work and forget what it hasn't
        started; let the serial lane finish the work already queued (cache writes), in order; wait.

        Everything is bounded by `timeout_ms` in all: serial work still queued then is dropped
        (and named in the log) and running work is asked to stop. True when every worker
        returned in time. No callbacks run from now on. Idempotent.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        self._closed = True
        for task in self._live.values():
            if task.lane != "serial":
                task.cancel()
        serial = self._pools["serial"]
        others = [pool for lane, pool in self._pools.items() if lane != "serial"]
        for pool in others:
            pool.clear()  # queued HTTP and reads never start
        stopped = serial.waitForDone(_ms_left(deadline))
        if not stopped:
            serial.clear()
            dropped = [t.name for t in self._live.values()
                       if t.lane == "serial" and t.state is TaskState.QUEUED]
            if dropped:
                log.warning("not started within %d ms at exit: %s", timeout_ms,
                            ", ".join(dropped))
            self.cancel_all()
        stopped = all([pool.waitForDone(_ms_left(deadline)) for pool in others]) and stopped
        if not stopped:
            running = [t.name for t in self._live.values() if t.state is TaskState.RUNNING]
            log.warning("still running after %d ms at exit: %s", timeout_ms, ", ".join(running))
        self._live.clear()
        return stopped


def _ms_left(deadline: float) -> int:
    return max(0, round((deadline - time.monotonic()) * 1000))


class ImmediateTaskRunner(_RunnerBase):
    """A synchronous stand-in for unit tests: `run()` returns after the callbacks ran.

    Progress is delivered as it is reported. A bug (a failure no `on_failed` takes and no
    friendly message describes) is raised, so it fails the test instead of opening a dialog.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks: list[Task] = []  # every task run, in order, for assertions

    @property
    def active_tasks(self) -> list[Task]:
        return []

    def _start(self, task: Task) -> None:
        self.tasks.append(task)
        self._finish(self._execute(task))

    def _report_progress(self, task: Task, value: object) -> None:
        if task.on_progress is not None and not task.orphaned:
            task.on_progress(value)

    def _unhandled_failure(self, task: Task, exc: BaseException) -> None:
        if messages.describe_failure(exc) is None:
            raise exc
        messages.report_failure(exc, doing=task.name)

    def cancel_all(self) -> None:
        """Nothing is ever running."""

    def wait_for_writes(self, timeout_ms: int = 0) -> bool:
        return True

    @Slot()
    def shutdown(self, timeout_ms: int = 0) -> bool:
        return True
