"""Applying the seller's changes (stock, prices): shown at once, undoable, in the outbox.

Every change (typing, a bulk operation, a paste, an import) is one QUndoCommand. Doing or undoing
it updates the table immediately and queues one outbox write on the task runner's serial lane, so
writes happen off the GUI thread, in the order they were made, each in one transaction. When the
last queued write is done, `settled` tells the tab to re-read the edits (their ids and states).
At quit, the runner still makes the writes already queued on its serial lane.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from tiktok_desktop.services.cell_edits import Cell, CellChange, EditWriter, undo_of
from tiktok_desktop.store import Changes
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.tasks import TaskRunner


class EditedTable(Protocol):
    """The table model the changes show in."""

    def apply_local(self, changes: Iterable[CellChange]) -> None: ...


class EditCommand(QUndoCommand):
    """One undoable change of values ("Set to 0 on 12 rows")."""

    def __init__(self, text: str, forward: list[CellChange], backward: list[CellChange],
                 apply: Callable[[list[CellChange]], None]) -> None:
        super().__init__(text)
        self._forward, self._backward, self._apply = forward, backward, apply

    def redo(self) -> None:
        self._apply(self._forward)

    def undo(self) -> None:
        self._apply(self._backward)


class Editing(QObject):
    settled = Signal()  # every queued outbox write is done
    saved = Signal(object)  # Changes of one write

    def __init__(self, model: EditedTable, writer: EditWriter, tasks: TaskRunner,
                 what: str = "stock", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.writer, self.tasks = model, writer, tasks
        self.what = what  # "stock", "price": in the names of its writes
        self.undo_stack = QUndoStack(self)
        self._writes = 0
        self._closed = False

    @property
    def writing(self) -> bool:
        return self._writes > 0

    def change(self, text: str, changes: Sequence[CellChange], before: Iterable[Cell]) -> int:
        """Make `changes` as one undoable step; `before` holds the cells as they are now.
        Returns how many cells change."""
        changes = [c for c in changes if c is not None]
        if not changes:
            return 0
        self.undo_stack.push(EditCommand(text, list(changes), undo_of(before, changes),
                                         self._apply))
        return len(changes)

    def run(self, name: str, work: Callable[[EditWriter], Changes]) -> None:
        """A write that isn't undoable (keep mine / take theirs), in line with the edits."""
        self._queue(name, lambda: work(self.writer))

    def _apply(self, changes: list[CellChange]) -> None:
        self.model.apply_local(changes)
        self._queue(f"Saving {self.what} edits", lambda: self.writer.save(changes))

    def _queue(self, name: str, write: Callable[[], Changes]) -> None:
        self._writes += 1
        self.tasks.run(lambda control: write(), name=name, lane="serial", parent=self,
                       on_done=self._written, on_failed=self._failed)

    def close(self) -> None:
        """The tab is going: writes still queued are made all the same, but from now on they
        announce nothing (the tab, and this object with it, may be deleted before they end)."""
        self._closed = True

    def _written(self, changes: Changes) -> None:
        self._writes -= 1
        if self._closed:
            return
        self.saved.emit(changes)
        if self._writes == 0:
            self.settled.emit()

    def _failed(self, error: BaseException) -> None:
        self._writes -= 1
        messages.report_failure(error, doing=f"Saving {self.what} edits")
        if self._writes == 0 and not self._closed:
            self.settled.emit()  # the tab re-reads the outbox: the table shows what was kept
