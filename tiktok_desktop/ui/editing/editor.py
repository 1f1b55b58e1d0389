"""The editing half of a table of shop values (stock in the Inventory tab, prices in the
Listings tab): undo and redo, the outbox writes, the counts of what waits, and review → push →
resolve, with the push finished after a crash.

The host widget owns its table and reads its rows; it hands every change to `apply`, tells
`show_edits` what the outbox holds after each read, and reloads on `pushed`. What differs between
stock and prices is a `Kind`; the flow is the same, so a seller who knows one knows the other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.cell_edits import Cell, CellChange, CellEdit, EditWriter
from tiktok_desktop.services.edit_audit import AuditLine, audit_csv
from tiktok_desktop.services.edit_review import Review
from tiktok_desktop.store import Store
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.editing.commands import Editing
from tiktok_desktop.ui.editing.conflict_dialog import ConflictDialog
from tiktok_desktop.ui.editing.history_dialog import HistoryDialog
from tiktok_desktop.ui.editing.push_bar import PushBar
from tiktok_desktop.ui.editing.push_control import Push, PushControl
from tiktok_desktop.ui.editing.review_dialog import ReviewDialog
from tiktok_desktop.ui.editing.rows_model import Columns
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.tasks import TaskRunner


class Session(Protocol):
    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes


class EditedTable(Protocol):
    """The host's table model."""

    def apply_local(self, changes: Iterable[CellChange]) -> None: ...
    def set_sending(self, sending: bool) -> None: ...
    def set_edits(self, edits: dict[Any, CellEdit | None]) -> None: ...
    def loaded_cells(self) -> list[Any]: ...


@dataclass(frozen=True)
class Kind:
    """What one measure's editing says and reads (stock: ui/inventory/tab.py, prices:
    ui/listings/prices.py)."""

    what: str  # "stock", "price": in messages and task names
    outbox_kind: str  # the outbox's and audit log's kind
    noun: tuple[str, str]  # one value, many: ("stock number", "stock numbers"), ("price", …)
    writer: EditWriter
    push: Push
    cells: Callable[[Store], list[Any]]  # every cell of the shop with its edit (a background read)
    edits: Callable[[Store], dict[Hashable, CellEdit]]  # the open edits
    interrupted: Callable[[Store], bool]  # a push waits to be finished
    history: Callable[[Store], list[AuditLine]]  # the pushed changes, newest first
    review: Callable[[list[Any]], Review]
    review_columns: Columns
    conflict_columns: Columns
    history_columns: Columns
    conflicts_explained: str


class CellEditor(QObject):
    pushed = Signal()  # a push ended: the host reads its rows again
    changed = Signal(object)  # Changes a push wrote to the cache (for the other tabs)

    def __init__(self, host: QWidget, model: EditedTable, kind: Kind, session: Session,
                 tasks: TaskRunner, files: FileChoice) -> None:
        super().__init__(host)
        self.host, self.model, self.kind = host, model, kind
        self.session, self.tasks, self.files = session, tasks, files
        self.editing = Editing(model, kind.writer, tasks, kind.what, parent=self)
        self.push_bar = PushBar(host)
        self.pusher = PushControl(kind.push, tasks, self.push_bar, kind.what, kind.noun, self)
        self.banner = QLabel(host)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff1d6; border: 1px solid #e0b060; "
                                  "border-radius: 3px; padding: 4px 8px; }")
        self.banner.hide()
        self.counts = QLabel(host)
        self.conflicts_button = QPushButton("Resolve…", host)
        self.conflicts_button.setToolTip(f"Keep mine or take theirs for {kind.noun[1]} changed "
                                         "elsewhere or refused by TikTok Shop")
        self.conflicts_button.hide()
        self.review_button = QPushButton("Review changes…", host)
        self.push_button = QPushButton("Push", host)
        self.push_button.setDefault(True)
        self.dialog: ReviewDialog | ConflictDialog | HistoryDialog | None = None
        self._edits: dict[Hashable, CellEdit] = {}  # the outbox's open edits, as last read
        self._after_writes: Callable[[], None] | None = None  # a push asked for meanwhile
        self._closed = False
        self.undo_action, self.redo_action = self._undo_actions()
        self.editing.settled.connect(self._writes_settled)
        self.pusher.finished.connect(self._pushed)
        self.pusher.progressed.connect(self.pushed)
        self.pusher.resolve_requested.connect(self.show_conflicts)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.review_button.clicked.connect(self.show_review)
        self.push_button.clicked.connect(self.push_or_review)
        QTimer.singleShot(0, self, self._resume_interrupted_push)

    def _undo_actions(self) -> tuple[QAction, QAction]:
        stack = self.editing.undo_stack
        undo, redo = QAction("Undo", self.host), QAction("Redo", self.host)
        for action, slot, keys in ((undo, stack.undo, ("Ctrl+Z",)),
                                   (redo, stack.redo, ("Ctrl+Shift+Z", "Ctrl+Y"))):
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(action.text())
            action.triggered.connect(slot)
            action.setEnabled(False)
            self.host.addAction(action)
        # Fixed labels (the toolbar doesn't jump); what would be undone is in the tooltip.
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda text: undo.setToolTip(
            f"Undo: {text} (Ctrl+Z)" if text else "Undo (Ctrl+Z)"))
        stack.redoTextChanged.connect(lambda text: redo.setToolTip(
            f"Redo: {text} (Ctrl+Shift+Z)" if text else "Redo (Ctrl+Shift+Z)"))
        return undo, redo

    # -- changes ----------------------------------------------------------------------------------

    def apply(self, text: str, changes: Sequence[CellChange], before: Sequence[Cell]) -> int:
        """Make `changes` as one undoable step (shown now, written to the outbox at once)."""
        self.banner.hide()
        n = self.editing.change(text, list(changes), before)
        self._show_counts(self._local_edits())
        return n

    @Slot(str)
    def refuse(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

    def show_edits(self, edits: dict[Hashable, CellEdit]) -> None:
        """The open edits as the host's read found them."""
        self._edits = edits
        self._show_counts(edits)

    def _local_edits(self) -> dict[Hashable, CellEdit]:
        """The open edits as the table shows them: the outbox as last read, with the edits
        made since (no read here: this runs after every keystroke's edit)."""
        edits = dict(self._edits)
        for cell in self.model.loaded_cells():
            if cell.edit is None:
                edits.pop(cell.key, None)
            else:
                edits[cell.key] = cell.edit
        return edits

    def _show_counts(self, edits: dict[Hashable, CellEdit]) -> None:
        states = [e.state for e in edits.values()]
        waiting = sum(s in ("pending", "sent") for s in states)
        failed, conflicts = states.count("failed"), states.count("conflict")
        parts = [f"{waiting:,} not pushed"] if waiting else []
        if conflicts:
            parts.append(f"{conflicts:,} changed elsewhere")
        if failed:
            parts.append(f"{failed:,} refused")
        self.counts.setText(" · ".join(parts))
        self.conflicts_button.setText(f"Resolve {conflicts + failed:,}…")
        self.conflicts_button.setVisible(bool(conflicts or failed))
        self.push_button.setText(f"Push {waiting:,}" if waiting else "Push")
        self.push_button.setEnabled(bool(waiting) and not self.pusher.running)
        self.review_button.setEnabled(bool(waiting))

    def refresh_edits(self) -> None:
        """Re-read the edits only (ids and states), keeping rows and selection as they are."""
        read = self.kind.edits

        def shown(edits: dict[Hashable, CellEdit]) -> None:
            if self._closed:
                return
            changed: dict[Hashable, CellEdit | None] = {}
            for cell in self.model.loaded_cells():
                edit = edits.get(cell.key)
                if edit != cell.edit:
                    changed[cell.key] = edit
            self.model.set_edits(changed)
            self.show_edits(edits)

        cache_ops.read(self.host, self.tasks, self.session, read,
                       name=f"Reading {self.kind.what} edits", on_done=shown)

    def with_table_edits(self, cells: list[Any]) -> list[Any]:
        """The shop's `cells` as just read, with the table's rows in their place while edits
        are still on their way to the outbox (the table is ahead then; otherwise the read is:
        a push may have settled edits the table still shows as waiting)."""
        if not self.editing.writing:
            return cells
        shop = {c.key: c for c in cells}
        shop.update({c.key: c for c in self.model.loaded_cells()})
        return list(shop.values())

    def with_shop_cells(self, then: Callable[[list[Any]], None]) -> None:
        """Every cell of the shop with its edit as the table shows it, read in the background;
        `then(cells)` runs on the GUI thread."""
        cache_ops.read(self.host, self.tasks, self.session, self.kind.cells,
                       name=f"Reading {self.kind.what}",
                       on_done=lambda cells: then(self.with_table_edits(cells)))

    # -- review, push, conflicts ----------------------------------------------------------------

    def show_review(self) -> None:
        """The review of every change not pushed yet (opens once the shop's cells are read)."""
        self.with_shop_cells(self._open_review)

    def _open_review(self, cells: list[Any]) -> None:
        dialog = ReviewDialog(self.kind.review(cells), self.kind.review_columns, self.host)
        dialog.push_requested.connect(self.push)
        self._open(dialog)

    @Slot()
    def push_or_review(self) -> None:
        """The Push button: a large push, or one with a change to look at twice, opens the
        review first (its Push button sends); a small plain one goes at once."""
        if self.editing.writing:  # the last edits are still on their way to the outbox
            self._after_writes = self.push_or_review
            return

        def decide(cells: list[Any]) -> None:
            if self.kind.review(cells).needs_a_look:
                self._open_review(cells)
            else:
                self.push()

        self.with_shop_cells(decide)

    @Slot()
    def push(self) -> None:
        if self.editing.writing:  # the last edits are still on their way to the outbox
            self._after_writes = self.push
            return
        self.push_button.setEnabled(False)
        self.model.set_sending(True)
        self.pusher.start()

    @Slot()
    def _resume_interrupted_push(self) -> None:
        if self._closed:  # the shop was left before this first look
            return

        def resume(interrupted: bool) -> None:
            if interrupted and not self._closed:
                self.pusher.start(resume=True)

        cache_ops.read(self.host, self.tasks, self.session, self.kind.interrupted,
                       name=f"Looking for an interrupted {self.kind.what} push",
                       on_done=resume)

    @Slot()
    def _writes_settled(self) -> None:
        if self._closed:
            return
        self.refresh_edits()
        then, self._after_writes = self._after_writes, None
        if then is not None:
            then()

    @Slot(object)
    def _pushed(self, result: object) -> None:
        self.model.set_sending(False)
        if self._closed:
            return
        self.editing.undo_stack.clear()  # what was pushed is in the shop: edit it anew
        self.pushed.emit()
        changes = getattr(result, "changes", None)
        if changes:
            self.changed.emit(changes)
        if result is not None and getattr(result, "conflicts", 0):
            self.show_conflicts()

    def show_conflicts(self) -> None:
        """Values changed elsewhere or refused, to keep or take (opens once they are read)."""
        self.with_shop_cells(self._open_conflicts)

    def _open_conflicts(self, shop: list[Any]) -> None:
        cells = [c for c in shop
                 if c.edit is not None and c.edit.state in ("conflict", "failed")]
        cells.sort(key=lambda c: (c.edit.state != "conflict", c.product, c.variant))
        dialog = ConflictDialog(cells, self.kind.conflict_columns, self.kind.conflicts_explained,
                                self.kind.noun, self.host)
        dialog.keep_mine.connect(lambda chosen: self._resolve("Keep mine", chosen, True))
        dialog.take_theirs.connect(lambda chosen: self._resolve("Take theirs", chosen, False))
        self._open(dialog)

    def _resolve(self, name: str, cells: list[Any], keep: bool) -> None:
        self.editing.run(name, (lambda w: w.keep_mine(cells)) if keep
                         else (lambda w: w.take_theirs(cells)))

    # -- history ----------------------------------------------------------------------------------

    def show_history(self) -> None:
        """Every change of this kind pushed from the app, newest first, with a CSV export."""
        cache_ops.read(self.host, self.tasks, self.session, self.kind.history,
                       name=f"Reading the {self.kind.what} history",
                       on_done=self._open_history)

    def _open_history(self, lines: list[AuditLine]) -> None:
        dialog = HistoryDialog(lines, self.kind.history_columns, self.kind.what, self.host)
        dialog.export_requested.connect(lambda: self.choose_history_export(lines))
        self._open(dialog)

    def choose_history_export(self, lines: Sequence[AuditLine]) -> None:
        what = self.kind.what
        path = self.files.ask_save_path(f"Export {what} history", f"{what}-history.csv")
        if path is not None:
            self.export_history(path, lines)

    def export_history(self, path: Path, lines: Sequence[AuditLine]) -> None:
        snapshot, kind = list(lines), self.kind.outbox_kind
        self.tasks.run(lambda control: path.write_bytes(audit_csv(snapshot, kind)),
                       name=f"Exporting {self.kind.what} history to {path.name}",
                       on_done=lambda _n: messages.info(
                           f"Exported {len(snapshot):,} history lines to {path.name}."))

    def _open(self, dialog: ReviewDialog | ConflictDialog | HistoryDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.open()

    def close(self) -> None:
        """The shop is closing (its session closes the connections). Edits still queued are
        written by the serial lane (at quit too); answers on their way are ignored from now on."""
        self.editing.close()
        self.pusher.cancel()
        self._closed = True
