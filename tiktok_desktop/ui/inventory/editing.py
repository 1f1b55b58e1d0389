"""Applying the seller's stock changes: shown at once, undoable, written to the outbox.

Every change (typing, a bulk operation, a paste, an import) is one QUndoCommand. Doing or undoing
it updates the table immediately and queues one outbox write on the task runner's serial lane, so
writes happen off the GUI thread, in the order they were made, each in one transaction. When the
last queued write is done, `settled` tells the tab to re-read the edits (their ids and states).
At quit, writes the runner never started are made by `flush()`.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from tiktok_desktop.logs import get_logger
from tiktok_desktop.services.stock_edits import Change, StockCell, StockEditWriter, undo_of
from tiktok_desktop.store import Changes
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.inventory.table_model import StockTableModel
from tiktok_desktop.ui.tasks import TaskRunner

log = get_logger("ui.inventory")


class StockCommand(QUndoCommand):
    """One undoable change of stock numbers ("Set to 0 on 12 rows")."""

    def __init__(self, text: str, forward: list[Change], backward: list[Change],
                 apply: Callable[[list[Change]], None]) -> None:
        super().__init__(text)
        self._forward, self._backward, self._apply = forward, backward, apply

    def redo(self) -> None:
        self._apply(self._forward)

    def undo(self) -> None:
        self._apply(self._backward)


class StockEditing(QObject):
    settled = Signal()  # every queued outbox write is done
    saved = Signal(object)  # Changes of one write

    def __init__(self, model: StockTableModel, writer: StockEditWriter, tasks: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.writer, self.tasks = model, writer, tasks
        self.undo_stack = QUndoStack(self)
        self._writes = 0
        self._numbers = itertools.count(1)
        self._queued: dict[int, Callable[[], Changes]] = {}  # writes not run yet, in order
        self._lock = threading.Lock()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)

    @property
    def writing(self) -> bool:
        return self._writes > 0

    def change(self, text: str, changes: Sequence[Change], before: Iterable[StockCell]) -> int:
        """Make `changes` as one undoable step; `before` holds the cells as they are now.
        Returns how many cells change."""
        changes = [c for c in changes if c is not None]
        if not changes:
            return 0
        self.undo_stack.push(StockCommand(text, list(changes), undo_of(before, changes),
                                          self._apply))
        return len(changes)

    def run(self, name: str, work: Callable[[StockEditWriter], Changes]) -> None:
        """A write that isn't undoable (keep mine / take theirs), in line with the edits."""
        self._queue(name, lambda: work(self.writer))

    def _apply(self, changes: list[Change]) -> None:
        self.model.apply_local(changes)
        self._queue("Saving stock edits", lambda: self.writer.save(changes))

    def _queue(self, name: str, write: Callable[[], Changes]) -> None:
        self._writes += 1
        number = next(self._numbers)
        with self._lock:
            self._queued[number] = write
        self.tasks.run(lambda control: self._write(number), name=name, lane="serial",
                       on_done=self._written, on_failed=self._failed)

    def _write(self, number: int) -> Changes:
        # The lock keeps writes in order with flush(): each runs once, oldest first.
        with self._lock:
            write = self._queued.pop(number, None)
            return write() if write is not None else Changes()

    @Slot()
    def flush(self) -> None:
        """At quit: the task runner drops work it hasn't started, so write what is still
        queued here and now (a few small transactions) — an edit made just before quitting
        is kept like any other."""
        with self._lock:
            writes = [self._queued.pop(n) for n in sorted(self._queued)]
            for write in writes:
                try:
                    write()
                except Exception:  # the app is closing: say it in the log, keep quitting
                    log.exception("A stock edit could not be saved while quitting")

    def _written(self, changes: Changes) -> None:
        self._writes -= 1
        self.saved.emit(changes)
        if self._writes == 0:
            self.settled.emit()

    def _failed(self, error: BaseException) -> None:
        self._writes -= 1
        messages.report_failure(error, doing="Saving stock edits")
        if self._writes == 0:
            self.settled.emit()  # the tab re-reads the outbox: the table shows what was kept
