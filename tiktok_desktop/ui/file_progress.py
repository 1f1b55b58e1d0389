"""A file read or written in the background, with a progress dialog and its Cancel button.

    progress = run_with_progress(tasks, window, work, label=f"Reading {path.name}…",
                                 name=f"Reading {path.name}", on_done=show_preview)

The dialog appears only when the work takes a while (a small file never shows it), counts the
rows (`SheetProgress` from the spreadsheet layer) and, when the size is known, fills its bar.
Cancel cancels the task; the dialog closes before any callback runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from tiktok_desktop.services.sheet_source import SheetProgress
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.tasks import Lane, TaskControl, TaskRunner

STEPS = 1000
SHOWN_AFTER_MS = 400


class FileProgress(QProgressDialog):
    closing = Signal()  # the work ended: the dialog goes (before the work's callback runs)

    def __init__(self, label: str, window: QWidget) -> None:
        super().__init__(label, "Cancel", 0, STEPS, window)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(SHOWN_AFTER_MS)
        self.setValue(0)  # starts Qt's clock: shown after SHOWN_AFTER_MS even before a report
        # Open until the work ends: a file read to its end may still be matched for seconds.
        self.setAutoReset(False)
        self.setAutoClose(False)
        self.doing = label.rstrip("…")  # "Reading stock.csv"
        self.setWindowTitle(self.doing)
        self.setMinimumWidth(440)  # the title and a long file name readable
        self.ended = False  # the work ended (done, failed or cancelled): the dialog is gone
        self.rows = 0  # read or written so far

    def show_progress(self, value: object) -> None:
        if self.ended or not isinstance(value, SheetProgress):
            return
        self.rows = value.rows
        if value.fraction is None:
            self.setRange(0, 0)  # the size is unknown: a busy bar
        else:
            self.setRange(0, STEPS)
            self.setValue(int(value.fraction * STEPS))
        # The last row read or written is not the end: matching or saving follows.
        finishing = ", finishing…" if value.fraction is not None and value.fraction >= 1 else ""
        self.setLabelText(f"{self.doing}… {value.rows:,} rows{finishing}")

    def end(self) -> None:
        if not self.ended:
            self.ended = True
            self.reset()
            self.closing.emit()
            self.deleteLater()


def run_with_progress(tasks: TaskRunner, window: QWidget, work: Callable[[TaskControl], Any], *,
                      label: str, name: str, on_done: Callable[[Any], None],
                      on_failed: Callable[[BaseException], None] | None = None,
                      on_cancelled: Callable[[], None] | None = None,
                      lane: Lane = "parallel", parent: QObject | None = None,
                      disables: QWidget | None = None) -> FileProgress:
    """Run `work` on `tasks` with a progress dialog over `window` (see the module); failures
    without `on_failed` are reported as `name` failing. The task's `parent` (see TaskRunner.run)
    is the dialog unless given. `disables` (the button that started it) is disabled until the
    work ends."""
    progress = FileProgress(label, window)
    if disables is not None:
        disables.setEnabled(False)
        progress.closing.connect(lambda: disables.setEnabled(True))

    def ending(then: Callable[..., None] | None) -> Callable[..., None]:
        def callback(*args: Any) -> None:
            progress.end()
            if then is not None:
                then(*args)
        return callback

    task = tasks.run(
        work, name=name, lane=lane, on_done=ending(on_done),
        on_failed=ending(on_failed or (lambda error: messages.report_failure(error,
                                                                             doing=name))),
        on_progress=progress.show_progress, on_cancelled=ending(on_cancelled),
        parent=parent or progress)  # the dialog gone with its window: the callbacks are dropped
    if not progress.ended:  # a synchronous runner has finished already
        progress.canceled.connect(task.cancel)
    return progress
