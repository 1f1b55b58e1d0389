"""The progress dialog of a file read or written in the background: shown only when it takes a
while, counting rows, open until the work ends, closed before the work's callbacks run."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tiktok_desktop.services.sheet_source import SheetCancelled, SheetProgress
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.file_progress import FileProgress, run_with_progress
from tiktok_desktop.ui.tasks import ImmediateTaskRunner, TaskControl, TaskRunner


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_it_shows_itself_after_a_moment_even_before_a_report(
        qtbot: QtBot, window: QWidget) -> None:
    progress = FileProgress("Reading stock.csv…", window)
    assert not progress.isVisible()
    qtbot.waitUntil(progress.isVisible, timeout=2_000)
    assert progress.windowTitle() == "Reading stock.csv"


def test_it_counts_rows_and_stays_open_at_the_end_of_the_file(
        qtbot: QtBot, window: QWidget) -> None:
    progress = FileProgress("Reading stock.csv…", window)
    progress.show_progress(SheetProgress(4_000, 0.5))
    assert (progress.value(), progress.labelText()) == (500, "Reading stock.csv… 4,000 rows")
    qtbot.waitUntil(progress.isVisible, timeout=2_000)
    progress.show_progress(SheetProgress(8_000, 1.0))
    assert progress.labelText() == "Reading stock.csv… 8,000 rows, finishing…"
    qtbot.wait(50)
    assert progress.isVisible() and not progress.ended  # matching the rows may take seconds
    progress.show_progress(SheetProgress(10_000))  # a size it can't know: a busy bar
    assert progress.maximum() == 0
    progress.end()
    assert progress.ended


def test_callbacks_run_once_the_dialog_is_gone(
        qtbot: QtBot, window: QWidget) -> None:
    seen: list[object] = []

    def done(result: object) -> None:
        seen.append((result, window.findChild(FileProgress).ended))

    def work(control: TaskControl) -> str:
        control.progress(SheetProgress(2_000, 0.25))
        return "preview"

    progress = run_with_progress(ImmediateTaskRunner(), window, work, label="Reading stock.csv…",
                                 name="Reading stock.csv", on_done=done)
    assert seen == [("preview", True)]
    assert progress.rows == 2_000


def test_a_failure_without_its_own_handling_is_reported_as_what_was_done(
        qtbot: QtBot, window: QWidget) -> None:
    heard: list[messages.Message] = []
    messages.bus().posted.connect(heard.append)
    try:
        def work(control: TaskControl) -> None:
            raise PermissionError(13, "Permission denied", "/shop/stock.csv")

        progress = run_with_progress(ImmediateTaskRunner(), window, work,
                                     label="Reading stock.csv…", name="Reading stock.csv",
                                     on_done=lambda _r: None)
    finally:
        messages.bus().posted.disconnect(heard.append)
    assert progress.ended
    assert len(heard) == 1 and heard[0].level is messages.Level.ERROR


def test_cancel_stops_the_work_and_nothing_else_runs(
        qtbot: QtBot, window: QWidget) -> None:
    tasks = TaskRunner()
    started = threading.Event()
    done: list[object] = []
    cancelled: list[bool] = []

    def work(control: TaskControl) -> None:
        started.set()
        control.progress(SheetProgress(2_000, 0.1))
        control.cancelled.wait(10)
        raise SheetCancelled

    progress = run_with_progress(tasks, window, work, label="Reading stock.csv…",
                                 name="Reading stock.csv", on_done=done.append,
                                 on_cancelled=lambda: cancelled.append(progress.ended))
    try:
        assert started.wait(5)
        qtbot.waitUntil(lambda: progress.rows == 2_000, timeout=5_000)
        progress.canceled.emit()  # its Cancel button
        qtbot.waitUntil(lambda: progress.ended, timeout=5_000)
        assert cancelled == [True] and done == []
    finally:
        tasks.shutdown()
