"""The task runner: GUI-thread callbacks, failures, cancel, lanes, shutdown; and its fake."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from tiktok_desktop.ui import messages
from tiktok_desktop.ui.tasks import (
    ImmediateTaskRunner,
    TaskCancelled,
    TaskControl,
    TaskRunner,
    TaskState,
)


def on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


@pytest.fixture
def runner(qapp):
    runner = TaskRunner()
    yield runner
    runner.shutdown()
    runner.deleteLater()


class Recorder:
    """Collects callback calls, with the thread each ran on."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, bool]] = []

    def __getattr__(self, kind: str):
        return lambda *value: self.calls.append((kind, value[0] if value else None,
                                                 on_gui_thread()))

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.calls]


def test_work_runs_off_the_gui_thread_and_callbacks_on_it(qtbot, runner):
    seen = Recorder()
    worker_threads = []

    def work(control: TaskControl) -> int:
        worker_threads.append(on_gui_thread())
        control.progress(50)
        return 42

    with qtbot.waitSignal(runner.task_finished) as finished:
        task = runner.run(work, name="Counting", on_done=seen.done, on_progress=seen.progress)
    assert finished.args == [task]
    assert worker_threads == [False]
    assert seen.calls[-1] == ("done", 42, True)
    assert all(gui for _, _, gui in seen.calls)
    assert task.state is TaskState.DONE
    assert runner.active_tasks == []


def test_errors_reach_the_failure_callback(qtbot, runner):
    seen = Recorder()

    def work(control: TaskControl) -> None:
        raise ValueError("bad stock value")

    with qtbot.waitSignal(runner.task_finished):
        task = runner.run(work, name="Saving stock", on_done=seen.done, on_failed=seen.failed)
    (kind, exc, gui), = seen.calls
    assert (kind, gui) == ("failed", True)
    assert isinstance(exc, ValueError) and str(exc) == "bad stock value"
    assert task.state is TaskState.FAILED


def test_known_failure_without_callback_goes_to_the_message_area(qtbot, runner):
    shown = []
    messages.bus().posted.connect(shown.append)

    def work(control: TaskControl) -> None:
        raise sqlite3.OperationalError("database is locked")

    with qtbot.waitSignal(runner.task_finished):
        runner.run(work, name="Saving stock")
    messages.bus().posted.disconnect(shown.append)
    assert [m.level for m in shown] == [messages.Level.ERROR]
    assert shown[0].text.startswith("Saving stock failed. The local copy of your shop is busy")


def test_a_bug_without_callback_goes_to_the_excepthook(qtbot, runner, monkeypatch):
    hooked = []
    monkeypatch.setattr("sys.excepthook", lambda *args: hooked.append(args[1]))

    def work(control: TaskControl) -> None:
        raise KeyError("oops")

    with qtbot.waitSignal(runner.task_finished):
        runner.run(work, name="Loading orders")
    assert [type(exc) for exc in hooked] == [KeyError]


def test_cancel_stops_the_work_and_calls_only_on_cancelled(qtbot, runner):
    seen = Recorder()
    started = threading.Event()

    def work(control: TaskControl) -> str:
        started.set()
        while True:
            control.check()
            control.cancelled.wait(0.01)

    task = runner.run(work, name="Syncing", on_done=seen.done, on_failed=seen.failed,
                      on_cancelled=seen.cancelled)
    assert started.wait(5)
    with qtbot.waitSignal(runner.task_finished):
        task.cancel()
    assert seen.kinds() == ["cancelled"]
    assert task.state is TaskState.CANCELLED


def test_result_of_a_cancelled_task_is_not_delivered(qtbot, runner):
    seen = Recorder()
    go = threading.Event()

    def work(control: TaskControl) -> str:
        go.wait(5)
        return "too late"

    task = runner.run(work, name="Syncing", on_done=seen.done, on_cancelled=seen.cancelled)
    task.cancel()
    with qtbot.waitSignal(runner.task_finished):
        go.set()
    assert seen.kinds() == ["cancelled"]


@pytest.mark.parametrize("lane", ["serial", "reads"])
def test_a_one_at_a_time_lane_runs_in_order_on_one_thread(qtbot, runner, lane):
    """Writes (serial) and the window's questions (reads): first in, first out, never two."""
    order, threads, running, overlaps = [], set(), [0], []
    lock = threading.Lock()

    def task(n: int):
        def work(control: TaskControl) -> None:
            with lock:
                running[0] += 1
                overlaps.append(running[0])
            threads.add(threading.get_ident())
            threading.Event().wait(0.005)
            order.append(n)
            with lock:
                running[0] -= 1
        return work

    for n in range(6):
        runner.run(task(n), name="Saving", lane=lane)
    qtbot.waitUntil(lambda: not runner.active_tasks, timeout=5000)
    assert order == list(range(6))
    assert max(overlaps) == 1
    assert len(threads) == 1


def test_parallel_lane_overlaps(qtbot, runner):
    barrier = threading.Barrier(3, timeout=5)  # only passes if three run at once

    for _ in range(3):
        runner.run(lambda control: barrier.wait(), name="Fetching")
    qtbot.waitUntil(lambda: not runner.active_tasks, timeout=5000)
    assert not barrier.broken


def test_a_slow_read_never_holds_back_a_write(qtbot, runner):
    reading, release = threading.Event(), threading.Event()
    order = []

    def slow_read(control: TaskControl) -> None:
        reading.set()
        release.wait(10)
        order.append("read")

    runner.run(slow_read, name="Finding orders", lane="reads")
    assert reading.wait(5)
    try:
        write = runner.run(lambda control: order.append("write"), name="Saving stock edits",
                           lane="serial")
        qtbot.waitUntil(lambda: write.finished, timeout=5000)
        assert order == ["write"]  # while the read still runs
    finally:
        release.set()
    qtbot.waitUntil(lambda: not runner.active_tasks, timeout=5000)
    assert order == ["write", "read"]


def test_shutdown_cancels_reads_and_drops_the_queued_ones(qtbot, qapp):
    runner = TaskRunner()
    started, stopped = threading.Event(), threading.Event()
    ran, written = [], []

    def long_read(control: TaskControl) -> None:
        started.set()
        control.cancelled.wait(5)
        stopped.set()

    runner.run(long_read, name="Finding orders", lane="reads")
    runner.run(lambda control: ran.append(1), name="Counting orders", lane="reads")
    runner.run(lambda control: written.append(1), name="Saving stock edits", lane="serial")
    assert started.wait(5)
    assert runner.shutdown(timeout_ms=5000)
    assert stopped.is_set() and ran == [] and written == [1]


def test_progress_is_coalesced_latest_wins(qtbot, runner):
    values = []
    release = threading.Event()

    def work(control: TaskControl) -> None:
        for n in range(1, 1001):
            control.progress(n)
        release.wait(5)

    task = runner.run(work, name="Syncing", on_progress=values.append)
    qtbot.waitUntil(lambda: bool(values) and values[-1] == 1000, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    assert values == sorted(values)
    assert len(values) < 1000  # never one queued event per report


def test_shutdown_cancels_waits_and_drops_queued_work(qtbot, qapp):
    runner = TaskRunner(parallel_threads=1)
    seen = Recorder()
    started, stopped = threading.Event(), threading.Event()
    ran = []

    def long_work(control: TaskControl) -> None:
        started.set()
        control.cancelled.wait(5)
        stopped.set()

    runner.run(long_work, name="Syncing", on_cancelled=seen.cancelled)
    runner.run(lambda control: ran.append(1), name="Queued behind it", on_done=seen.done)
    assert started.wait(5)
    assert runner.shutdown(timeout_ms=5000)
    assert stopped.is_set()  # shutdown returned only after the worker did
    assert runner.active_tasks == []
    qapp.processEvents()
    assert ran == [] and seen.calls == []  # no callbacks once the app is closing
    with pytest.raises(RuntimeError, match="closing"):
        runner.run(lambda control: None, name="Late")


def test_shutdown_still_runs_the_serial_work_already_queued(qtbot, qapp):
    runner = TaskRunner(parallel_threads=1)
    seen = Recorder()
    started, lane_free = threading.Event(), threading.Event()
    ran, written = [], []

    def syncing(control: TaskControl) -> None:  # HTTP: stopped by the shutdown's cancel
        started.set()
        control.cancelled.wait(5)
        lane_free.set()

    runner.run(syncing, name="Syncing")
    runner.run(lambda control: ran.append(1), name="Fetching", on_done=seen.done)
    # The serial lane is busy until the shutdown has begun: the writes behind it are queued.
    runner.run(lambda control: lane_free.wait(5), name="Saving", lane="serial")
    for n in range(3):
        runner.run(lambda control, n=n: written.append(n), name="Saving stock edits",
                   lane="serial", on_done=seen.done)
    assert started.wait(5)
    assert runner.shutdown(timeout_ms=5000)
    assert written == [0, 1, 2]  # every queued write, in order
    assert ran == []  # queued HTTP never started
    qapp.processEvents()
    assert seen.calls == [] and runner.active_tasks == []


def test_shutdown_drops_serial_work_not_started_within_the_timeout(qtbot, qapp):
    runner = TaskRunner()
    started, returned = threading.Event(), threading.Event()
    written = []

    def stuck(control: TaskControl) -> None:  # a write that only stops when asked to
        started.set()
        control.cancelled.wait(5)
        returned.set()

    runner.run(stuck, name="Saving", lane="serial")
    runner.run(lambda control: written.append(1), name="Saving stock edits", lane="serial")
    assert started.wait(5)
    assert not runner.shutdown(timeout_ms=50)
    assert returned.wait(5)  # asked to stop once the time was up
    assert runner.shutdown(timeout_ms=5000)  # idempotent: nothing left to wait for
    assert written == []


def test_unknown_lane_is_refused(runner):
    with pytest.raises(ValueError, match="lane"):
        runner.run(lambda control: None, name="x", lane="fast")  # type: ignore[arg-type]


def test_immediate_runner_runs_synchronously_with_the_same_api(qapp):
    runner = ImmediateTaskRunner()
    seen = Recorder()

    def work(control: TaskControl) -> int:
        control.progress("half")
        return 7

    task = runner.run(work, name="Counting", on_done=seen.done, on_progress=seen.progress)
    assert seen.calls == [("progress", "half", True), ("done", 7, True)]
    assert runner.tasks == [task] and task.state is TaskState.DONE

    def cancelled(control: TaskControl) -> None:
        raise TaskCancelled

    runner.run(cancelled, name="Stop", on_cancelled=seen.cancelled)
    assert seen.kinds()[-1] == "cancelled"


def test_immediate_runner_raises_bugs_and_shows_known_failures(qapp):
    runner = ImmediateTaskRunner()
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda control: 1 / 0, name="Dividing")
    shown = []
    messages.bus().posted.connect(shown.append)

    def full(control: TaskControl) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    runner.run(full, name="Saving")
    messages.bus().posted.disconnect(shown.append)
    assert "disk is full" in shown[0].text


def test_a_task_whose_parent_is_gone_calls_nobody_and_stops(qtbot, runner) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    started, release = threading.Event(), threading.Event()
    answers: list[object] = []

    def slow_read(control: TaskControl) -> str:
        started.set()
        release.wait(5)
        control.check()  # a cancelled read stops here
        return "rows"

    written: list[str] = []
    read = runner.run(slow_read, name="Reading stock", on_done=answers.append,
                      on_cancelled=lambda: answers.append("cancelled"), parent=parent)
    def save(control: TaskControl) -> str:
        release.wait(5)
        written.append("edit")
        return "saved"

    write = runner.run(save, lane="serial", name="Saving stock edits", on_done=answers.append,
                       parent=parent)
    assert started.wait(5)
    parent.deleteLater()
    qtbot.waitUntil(lambda: read.control.cancelled.is_set())  # the parent's end cancels reads
    assert not write.control.cancelled.is_set()
    release.set()
    qtbot.waitUntil(lambda: read.finished and write.finished)
    assert written == ["edit"]  # a cache write is made all the same: an edit is never dropped
    assert answers == []  # and nobody is called back: the widget is gone


def test_a_task_whose_parent_lives_is_answered(qtbot, runner) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    answers: list[object] = []
    task = runner.run(lambda control: 7, name="Counting", on_done=answers.append, parent=parent)
    qtbot.waitUntil(lambda: task.finished)
    assert answers == [7]
    parent.deleteLater()
