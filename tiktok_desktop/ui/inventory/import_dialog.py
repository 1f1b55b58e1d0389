"""The preview of stock numbers from a CSV file or a pasted block: what each row would do, with
counts that add up; nothing applied until confirmed.

An import applies the rows that matched and leaves the others out (the seller fixes the file and
imports it again). A paste applies whole or not at all, and when its rows name no warehouse in a
shop with several, the seller chooses the warehouse here first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.price_import import PriceLine
from tiktok_desktop.services.stock_edits import Change
from tiktok_desktop.services.stock_import import (
    AMBIGUOUS,
    INVALID,
    MATCHED,
    UNCHANGED,
    UNKNOWN,
    WORDS,
    ImportLine,
    ImportReport,
)
from tiktok_desktop.ui.editing.rows_model import (
    CONFLICT,
    EDITED,
    FAILED,
    Row,
    RowsModel,
    rows_view,
)

HEADERS = ("Row", "SKU", "Warehouse", "Now", "New", "Result", "Note")
SHOWN_AT_MOST = 2_000  # rows listed in the preview (the counts are the whole file's)
_COLOURS = {MATCHED: EDITED, INVALID: FAILED, UNKNOWN: FAILED, AMBIGUOUS: CONFLICT}


def _row(line: ImportLine) -> Row:
    return Row((line.row, line.sku, line.warehouse, line.old, line.new,
                WORDS.get(line.status, line.status), line.message),
               _COLOURS.get(line.status), line.message, line)


def _price_row(line: PriceLine) -> Row:
    return Row((line.row, line.sku, "Retail price", _money(line.old, line.currency),
                _money(line.new, line.currency), WORDS.get(line.status, line.status),
                line.message), _COLOURS.get(line.status), line.message, line)


def _money(amount: object, currency: str) -> str | None:
    return None if amount is None else f"{amount} {currency}".strip()


def _first(lines: Sequence[Any], every: bool, most: int | None = None) -> list[Any]:
    """Up to `most` (SHOWN_AT_MOST) lines to list, problems first, in the file's order; the
    unchanged ones only when asked for. A seller reads a few hundred rows, not 200,000, and
    building them all would hold the window for seconds."""
    most = SHOWN_AT_MOST if most is None else max(0, most)
    problems = [line for line in lines if line.status not in (MATCHED, UNCHANGED)][:most]
    matched = [line for line in lines if line.status == MATCHED or (
        every and line.status == UNCHANGED)][:most - len(problems)]
    return sorted(problems, key=_row_of) + sorted(matched, key=_row_of)


def _row_of(line: Any) -> int:
    return line.row


def _changes(n: int) -> str:
    return f"{n:,} change" if n == 1 else f"{n:,} changes"


class ImportDialog(QDialog):
    apply_requested = Signal(object)  # list[Change]

    def __init__(self, file_name: str, report: ImportReport,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import stock from {file_name}")
        self.heading = f"<b>{file_name}</b>: "
        self.report = report
        self.body = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.body.addWidget(self.advice)
        self.show_unchanged = QCheckBox()
        self.show_unchanged.toggled.connect(self._fill)
        self.body.addWidget(self.show_unchanged)
        self.model = RowsModel(HEADERS, parent=self)
        self.table = rows_view(self.model, self)
        self.body.addWidget(self.table, 1)
        self.more = QLabel()  # a huge file: only its first rows are listed
        self.more.hide()
        self.body.addWidget(self.more)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        self.body.addWidget(buttons)
        self.show_report(report)
        self.resize(900, 520)

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        self.summary.setText(self.heading + report.summary())
        advice = list(report.notes)
        if report.problems:
            advice.append(self._problem_advice())
        self.advice.setText(" ".join(advice))
        self.advice.setVisible(bool(advice))
        unchanged = report.count(UNCHANGED) + sum(p.status == UNCHANGED for p in report.prices)
        self.show_unchanged.setText(f"Show unchanged rows ({unchanged:,})")
        n = len(self.applicable()) + len(report.price_changes)
        self.apply_button.setText(self._apply_text(n))
        self.apply_button.setEnabled(n > 0)
        self._fill()

    def applicable(self) -> list[Change]:
        """What Apply would change: the matched rows (the others are left out)."""
        return self.report.changes

    def _problem_advice(self) -> str:
        return ("Rows with a problem are left out: fix them in the file and import it again, "
                "or apply the rows that matched now.")

    def _apply_text(self, n: int) -> str:
        return f"Apply {_changes(n)}" if n else "Nothing to apply"

    @Slot()
    def _fill(self) -> None:
        every = self.show_unchanged.isChecked()
        shown = _first(self.report.lines, every)
        prices = _first(self.report.prices, every, SHOWN_AT_MOST - len(shown))
        total = sum(1 for line in (*self.report.lines, *self.report.prices)
                    if every or line.status != UNCHANGED)
        self.model.set_rows([_row(line) for line in shown] + [_price_row(p) for p in prices])
        self.table.resizeColumnsToContents()
        self.more.setText(f"The first {SHOWN_AT_MOST:,} of {total:,} rows are listed, problems "
                          "first; the counts above are for the whole file.")
        self.more.setVisible(total > len(shown) + len(prices))

    @Slot()
    def _apply(self) -> None:
        self.accept()
        self.apply_requested.emit(self.applicable())


class PasteDialog(ImportDialog):
    """A pasted block whose rows name no warehouse, in a shop with several: which one?
    `report_for(warehouse_id)` gives the rows' preview for that warehouse."""

    def __init__(self, warehouses: dict[str, str], report_for: Callable[[str], ImportReport],
                 parent: QWidget | None = None) -> None:
        super().__init__("", ImportReport(), parent)
        self.report_for = report_for
        self.setWindowTitle("Paste stock numbers")
        self.heading = ""
        self.warehouse = QComboBox(self)
        self.warehouse.setPlaceholderText("Choose a warehouse")
        for warehouse_id, name in sorted(warehouses.items(), key=lambda w: w[1].casefold()):
            self.warehouse.addItem(name, warehouse_id)
        self.warehouse.setCurrentIndex(-1)  # never a guess: the seller chooses
        self.warehouse.currentIndexChanged.connect(self._choose)
        ask = QFormLayout()
        question = QLabel("The numbers you pasted don't say which warehouse they are for. This "
                          f"shop has {len(warehouses)} warehouses: choose one.")
        question.setWordWrap(True)
        ask.addRow(question)
        ask.addRow("Warehouse", self.warehouse)
        self.body.insertLayout(0, ask)
        self.summary.setText("Choose a warehouse to see what will change.")
        self.show_unchanged.hide()

    @property
    def warehouse_name(self) -> str:
        return self.warehouse.currentText()

    @Slot(int)
    def _choose(self, position: int) -> None:
        if position >= 0:
            self.show_unchanged.show()
            self.show_report(self.report_for(self.warehouse.itemData(position)))

    def applicable(self) -> list[Change]:
        """All of it, or nothing while a row has a problem."""
        return [] if self.report.problems or self.report.problem else self.report.changes

    def _problem_advice(self) -> str:
        return ("Nothing is pasted while a row has a problem: fix it in the spreadsheet and "
                "paste again, or choose another warehouse.")

    def _apply_text(self, n: int) -> str:
        return f"Paste {_changes(n)}" if n else "Nothing to paste"
