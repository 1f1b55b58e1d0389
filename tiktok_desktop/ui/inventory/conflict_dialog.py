"""Conflicts: stock someone changed elsewhere after the seller edited it. Keep mine pushes the
seller's number anyway; take theirs drops the edit and keeps the shop's number."""

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

from tiktok_desktop.services.stock_edits import StockCell
from tiktok_desktop.ui.inventory.rows_model import (
    CONFLICT,
    FAILED,
    Row,
    RowsModel,
    hide_empty_columns,
    rows_view,
)

HEADERS = ("Product", "Variant", "Seller SKU", "Warehouse", "You set", "Shop has now",
           "Shop had", "What happened")
EXPLANATION = (
    "These numbers changed in the shop after you edited them: in Seller Center, another app, or "
    "an order. <b>Keep mine</b> sends your number anyway at the next push; <b>Take theirs</b> "
    "drops your edit and keeps the shop's number. A number TikTok Shop refused (pink) needs a "
    "new number typed in the table, or Take theirs.")


def _row(cell: StockCell) -> Row:
    edit = cell.edit
    assert edit is not None
    yours = f"{cell.delta:+,}" if cell.delta is not None else edit.new  # an amount: "+10"
    return Row((cell.product, cell.variant, cell.seller_sku, cell.warehouse, yours,
                cell.available, edit.based_on, edit.message or ""),
               CONFLICT if edit.state == "conflict" else FAILED, edit.message or "", cell)


class ConflictDialog(QDialog):
    keep_mine = Signal(object)  # list[StockCell]
    take_theirs = Signal(object)  # list[StockCell]

    def __init__(self, cells: Sequence[StockCell], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicts and refused changes")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.model = RowsModel(HEADERS, parent=self)
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

    def set_cells(self, cells: Sequence[StockCell]) -> None:
        self.model.set_rows([_row(c) for c in cells if c.edit is not None])
        self.table.resizeColumnsToContents()
        hide_empty_columns(self.table, self.model)
        n = self.model.rowCount()
        self.summary.setText(f"<b>{n:,} stock number{'s' * (n != 1)} to decide.</b>" if n
                             else "<b>Nothing left to decide.</b>")
        for button in (self.keep_button, self.take_button, self.keep_all_button,
                       self.take_all_button):
            button.setEnabled(n > 0)
        if n:
            self.table.selectRow(0)

    def cells(self) -> list[StockCell]:
        return [row.data for row in self.model.rows]  # type: ignore[misc]

    def selected(self) -> list[StockCell]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r).data for r in rows]  # type: ignore[misc]

    def _decide(self, signal: Signal, cells: list[StockCell]) -> None:
        if not cells:
            return
        signal.emit(cells)  # type: ignore[attr-defined]
        decided = {c.key for c in cells}
        self.set_cells([c for c in self.cells() if c.key not in decided])
