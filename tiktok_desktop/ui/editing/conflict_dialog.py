"""Conflicts: values someone changed elsewhere after the seller edited them, and changes the
shop refused. Keep mine pushes the seller's value anyway; take theirs drops the edit and keeps
the shop's value."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.cell_edits import Cell
from tiktok_desktop.ui.editing.rows_model import Columns, RowsModel, hide_empty_columns, rows_view


class ConflictDialog(QDialog):
    keep_mine = Signal(object)  # list of cells
    take_theirs = Signal(object)  # list of cells

    def __init__(self, cells: Sequence[Cell], columns: Columns, explanation: str,
                 noun: tuple[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(columns.title)
        self.columns, self.noun = columns, noun
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        words = QLabel(explanation)
        words.setWordWrap(True)
        layout.addWidget(words)
        self.model = RowsModel(columns.headers, parent=self)
        self.table = rows_view(self.model, self)
        # "What happened" is a sentence: it wraps in the room left, rows grow to show it.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton("Keep mine")
        self.take_button = QPushButton("Take theirs")
        self.keep_all_button = QPushButton("Keep all mine")
        self.take_all_button = QPushButton("Take all theirs")
        close = QPushButton("Close")
        for button in (self.keep_button, self.take_button):
            buttons.addWidget(button)
        buttons.addSpacing(24)
        for button in (self.keep_all_button, self.take_all_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.keep_button.clicked.connect(lambda: self._decide(self.keep_mine, self.selected()))
        self.take_button.clicked.connect(lambda: self._decide(self.take_theirs, self.selected()))
        self.keep_all_button.clicked.connect(lambda: self._decide(self.keep_mine, self.cells()))
        self.take_all_button.clicked.connect(lambda: self._decide(self.take_theirs, self.cells()))
        close.clicked.connect(self.accept)
        self.set_cells(cells)
        self.resize(1150, 420)

    def set_cells(self, cells: Sequence[Cell]) -> None:
        self.model.set_rows([self.columns.row(c) for c in cells if c.edit is not None])
        self.table.resizeColumnsToContents()
        hide_empty_columns(self.table, self.model)
        n = self.model.rowCount()
        noun = self.noun[0] if n == 1 else self.noun[1]
        self.summary.setText(f"<b>{n:,} {noun} to decide.</b>" if n
                             else "<b>Nothing left to decide.</b>")
        for button in (self.keep_button, self.take_button, self.keep_all_button,
                       self.take_all_button):
            button.setEnabled(n > 0)
        if n:
            self.table.selectRow(0)

    def cells(self) -> list[Cell]:
        return [row.data for row in self.model.rows]  # type: ignore[misc]

    def selected(self) -> list[Cell]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r).data for r in rows]  # type: ignore[misc]

    def _decide(self, signal: Signal, cells: list[Cell]) -> None:
        if not cells:
            return
        signal.emit(cells)  # type: ignore[attr-defined]
        decided = {c.key for c in cells}
        self.set_cells([c for c in self.cells() if c.key not in decided])
