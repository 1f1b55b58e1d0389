"""Review changes: what a push will change, each old → new, the risky ones first."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tiktok_desktop.services.stock_review import Review, ReviewLine
from tiktok_desktop.ui.inventory.rows_model import (
    CONFLICT,
    Row,
    RowsModel,
    hide_empty_columns,
    rows_view,
)

HEADERS = ("Product", "Variant", "Seller SKU", "Warehouse", "In the shop", "New", "Change",
           "Check")


def _row(line: ReviewLine) -> Row:
    cell = line.cell
    change = "" if line.old is None else f"{line.new - line.old:+,}"
    return Row((cell.product, cell.variant, cell.seller_sku, cell.warehouse, line.old, line.new,
                change, " ".join(line.warnings)),
               CONFLICT if line.warnings else None, "\n".join(line.warnings), cell)


class ReviewDialog(QDialog):
    push_requested = Signal()

    def __init__(self, review: Review, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review stock changes")
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
        self.model = RowsModel(HEADERS, [_row(line) for line in review.lines], self)
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
