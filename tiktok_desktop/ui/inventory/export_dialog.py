"""What to export to a CSV file: all the stock or the rows shown, the shop's numbers or the
numbers with the seller's changes not pushed yet, and whether Excel should keep the ids exact."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ExportChoice:
    filtered: bool  # only the rows the table shows
    with_edits: bool  # the numbers with the changes not pushed yet
    excel_safe: bool  # ids written as ="…" so Excel keeps every digit
    workbook: bool = False  # Seller Center's batch-edit workbook (.xlsx), prices included


def _skus(n: int) -> str:
    return f"{n:,} SKU" if n == 1 else f"{n:,} SKUs"


def _choice(title: str, first: str, second: str, parent: QWidget
            ) -> tuple[QGroupBox, QRadioButton, QRadioButton]:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    group = QButtonGroup(box)
    buttons = (QRadioButton(first, box), QRadioButton(second, box))
    for button in buttons:
        group.addButton(button)
        layout.addWidget(button)
    buttons[0].setChecked(True)
    return box, *buttons


class ExportDialog(QDialog):
    """Emits `export_requested(ExportChoice)`; the file dialog comes next."""

    export_requested = Signal(object)

    def __init__(self, all_skus: int, shown_skus: int, filtered: bool, has_edits: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export stock")
        layout = QVBoxLayout(self)
        rows, self.all_rows, self.shown_rows = _choice(
            "Which rows", f"All stock ({_skus(all_skus)})",
            f"Only the rows shown in the table ({_skus(shown_skus)})", self)
        if not filtered:
            self.shown_rows.setText("Only the rows shown in the table (the table shows them all)")
            self.shown_rows.setEnabled(False)
        numbers, self.with_edits, self.without_edits = _choice(
            "Which numbers", "With my changes not pushed yet",
            "The shop's numbers, without my changes", self)
        if not has_edits:
            numbers.setTitle("Which numbers (no changes are waiting to be pushed)")
            self.without_edits.setChecked(True)
            numbers.setEnabled(False)
        kind, self.csv_file, self.workbook = _choice(
            "Which file", "CSV file (.csv)",
            "Seller Center batch-edit workbook (.xlsx), with prices", self)
        self.excel_safe = QCheckBox("Excel-safe file")
        self.workbook.toggled.connect(lambda on: self.excel_safe.setEnabled(not on))
        explained = QLabel("For Excel: it keeps long ID numbers exact, which other apps then show "
                           "wrapped in an equals sign and quotes.")
        explained.setWordWrap(True)
        explained.setEnabled(False)  # greyed: an explanation, not a setting
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._export)
        buttons.rejected.connect(self.reject)
        for widget in (rows, numbers, kind, self.excel_safe, explained, buttons):
            layout.addWidget(widget)

    def choice(self) -> ExportChoice:
        workbook = self.workbook.isChecked()
        return ExportChoice(self.shown_rows.isChecked(), self.with_edits.isChecked(),
                            self.excel_safe.isChecked() and not workbook, workbook)

    @Slot()
    def _export(self) -> None:
        self.accept()
        self.export_requested.emit(self.choice())
