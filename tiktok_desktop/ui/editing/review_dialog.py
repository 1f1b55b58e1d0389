"""Review changes: what a push will change, each old → new, the risky ones first."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tiktok_desktop.services.edit_review import Review
from tiktok_desktop.ui.editing.rows_model import Columns, RowsModel, hide_empty_columns, rows_view


class ReviewDialog(QDialog):
    push_requested = Signal()

    def __init__(self, review: Review, columns: Columns, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(columns.title)
        self.review = review
        layout = QVBoxLayout(self)
        self.headline = QLabel(f"<b>{review.headline()}</b>")
        layout.addWidget(self.headline)
        notes = []
        if review.warning_count:
            n = review.warning_count
            notes.append(f"{n:,} change{'s' * (n != 1)} need{'s' * (n == 1)} a second look "
                         "(highlighted, at the top).")
        if review.waiting_elsewhere:
            n = review.waiting_elsewhere
            notes.append(f"{n:,} conflict{'s' * (n != 1)} or failure{'s' * (n != 1)} are not "
                         "in this push: resolve them in the table first.")
        self.notes = QLabel(" ".join(notes))
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        self.model = RowsModel(columns.headers, [columns.row(line) for line in review.lines],
                               self)
        self.table = rows_view(self.model, self)
        hide_empty_columns(self.table, self.model)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        n = len(review.lines)
        self.push_button = buttons.addButton(
            f"Push {n:,} change{'s' * (n != 1)}", QDialogButtonBox.ButtonRole.AcceptRole)
        self.push_button.setEnabled(n > 0)
        self.push_button.setDefault(True)
        buttons.addButton("Keep editing", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._push)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 520)

    @Slot()
    def _push(self) -> None:
        self.accept()
        self.push_requested.emit()
