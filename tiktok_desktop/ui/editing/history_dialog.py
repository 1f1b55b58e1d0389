"""History: every change pushed to the shop (when, what, old → new, result), with a CSV export
for the seller's records (Seller Center keeps only 30 days). The request id TikTok Shop
support asks for is not a column a seller reads: it is in the row's tooltip and copied with
"Copy request ID" (and in the CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tiktok_desktop.ui.editing.rows_model import Columns, RowsModel, hide_empty_columns, rows_view


class HistoryDialog(QDialog):
    export_requested = Signal()

    def __init__(self, lines: Sequence[Any], columns: Columns, what: str,
                 parent: QWidget | None = None) -> None:
        """`lines` newest first, each with its `request_id`; `what`: "stock", "price"."""
        super().__init__(parent)
        self.setWindowTitle(columns.title)
        layout = QVBoxLayout(self)
        n = len(lines)
        self.summary = QLabel(f"<b>{n:,} {what} change{'s' * (n != 1)} pushed from this app"
                              f"{', newest first' if n > 1 else ''}.</b>" if n else
                              f"<b>No {what} change has been pushed from this app yet.</b>")
        layout.addWidget(self.summary)
        self.model = RowsModel(columns.headers, [columns.row(line) for line in lines], self)
        self.table = rows_view(self.model, self)
        hide_empty_columns(self.table, self.model)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setEnabled(n > 0)
        self.export_button.clicked.connect(self._export)
        self.copy_button = QPushButton("Copy request ID")
        self.copy_button.setToolTip("What TikTok Shop support asks for about a change")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_request_id)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(1000, 520)

    def _line(self) -> Any:
        current = self.table.currentIndex()
        return self.model.row(current.row()).data if current.isValid() else None

    @Slot()
    def _row_chosen(self) -> None:
        line = self._line()
        self.copy_button.setEnabled(bool(line and line.request_id))

    @Slot()
    def copy_request_id(self) -> None:
        line = self._line()
        if line is not None and line.request_id:
            QGuiApplication.clipboard().setText(line.request_id)

    @Slot()
    def _export(self) -> None:
        self.export_requested.emit()
