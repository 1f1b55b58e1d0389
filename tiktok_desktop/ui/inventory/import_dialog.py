"""Import stock from a CSV file: the per-row report first, nothing applied until confirmed."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.stock_import import (
    AMBIGUOUS,
    INVALID,
    MATCHED,
    UNCHANGED,
    UNKNOWN,
    ImportLine,
    ImportReport,
)
from tiktok_desktop.ui.inventory.rows_model import (
    CONFLICT,
    EDITED,
    FAILED,
    Row,
    RowsModel,
    rows_view,
)

HEADERS = ("Row", "SKU", "Warehouse", "Now", "New", "Result", "Note")
_COLOURS = {MATCHED: EDITED, INVALID: FAILED, UNKNOWN: FAILED, AMBIGUOUS: CONFLICT}
_WORDS = {MATCHED: "Will change", UNCHANGED: "Unchanged", INVALID: "Invalid value",
          UNKNOWN: "Unknown SKU", AMBIGUOUS: "Ambiguous"}


def _row(line: ImportLine) -> Row:
    return Row((line.row, line.sku, line.warehouse, line.old, line.new,
                _WORDS.get(line.status, line.status), line.message),
               _COLOURS.get(line.status), line.message, line)


class ImportDialog(QDialog):
    apply_requested = Signal(object)  # list[Change]

    def __init__(self, file_name: str, report: ImportReport,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import stock from {file_name}")
        self.report = report
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"<b>{file_name}</b>: {report.summary()}")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        advice = list(report.notes)
        if report.problems:
            advice.append("Rows with a problem are left out: fix them in the file and import "
                          "it again, or apply the rows that matched now.")
        self.advice = QLabel(" ".join(advice))
        self.advice.setWordWrap(True)
        self.advice.setVisible(bool(advice))
        layout.addWidget(self.advice)
        self.show_unchanged = QCheckBox(f"Show unchanged rows ({report.count(UNCHANGED):,})")
        self.show_unchanged.toggled.connect(self._fill)
        layout.addWidget(self.show_unchanged)
        self.model = RowsModel(HEADERS, parent=self)
        self.table = rows_view(self.model, self)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        n = len(report.changes)
        self.apply_button = buttons.addButton(
            f"Apply {n:,} change{'s' * (n != 1)}" if n else "Nothing to apply",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(n > 0)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill()
        self.resize(900, 520)

    @Slot()
    def _fill(self) -> None:
        shown = [line for line in self.report.lines
                 if line.status != UNCHANGED or self.show_unchanged.isChecked()]
        # Problems first: they are what the seller has to act on.
        shown.sort(key=lambda line: (line.status in (MATCHED, UNCHANGED), line.row))
        self.model.set_rows([_row(line) for line in shown])
        self.table.resizeColumnsToContents()

    @Slot()
    def _apply(self) -> None:
        self.accept()
        self.apply_requested.emit(self.report.changes)
