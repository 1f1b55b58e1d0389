"""The preview of stock numbers from a CSV file or a pasted block: what each row would do, with
counts that add up; nothing applied until confirmed.

An import applies the rows that matched and leaves the others out (the seller fixes the file and
imports it again). A paste applies whole or not at all, and when its rows name no warehouse in a
shop with several, the seller chooses the warehouse here first.
"""

from __future__ import annotations

from collections.abc import Callable

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

from tiktok_desktop.services.import_preview import ImportPreview, preview_of
from tiktok_desktop.services.price_import import PriceLine
from tiktok_desktop.services.stock_edits import Change
from tiktok_desktop.services.stock_import import (
    AMBIGUOUS,
    INVALID,
    MATCHED,
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


def _changes(n: int) -> str:
    return f"{n:,} change" if n == 1 else f"{n:,} changes"


class ImportDialog(QDialog):
    apply_requested = Signal(object)  # list[Change]

    def __init__(self, file_name: str, preview: ImportPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import stock from {file_name}")
        self.heading = f"<b>{file_name}</b>: "
        self.preview = preview
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
        self.show_preview(preview)
        self.resize(900, 520)

    def show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.summary.setText(self.heading + preview.summary)
        advice = list(preview.notes)
        if preview.has_problems:
            advice.append(self._problem_advice())
        self.advice.setText(" ".join(advice))
        self.advice.setVisible(bool(advice))
        self.show_unchanged.setText(f"Show unchanged rows ({preview.unchanged:,})")
        n = len(self.applicable()) + len(preview.price_changes)
        self.apply_button.setText(self._apply_text(n))
        self.apply_button.setEnabled(n > 0)
        self._fill()

    def applicable(self) -> list[Change]:
        """What Apply would change: the matched rows (the others are left out)."""
        return list(self.preview.changes)

    def _problem_advice(self) -> str:
        return ("Rows with a problem are left out: fix them in the file and import it again, "
                "or apply the rows that matched now.")

    def _apply_text(self, n: int) -> str:
        return f"Apply {_changes(n)}" if n else "Nothing to apply"

    @Slot()
    def _fill(self) -> None:
        listing = self.preview.listing(self.show_unchanged.isChecked())
        self.model.set_rows([_row(line) for line in listing.stock]
                            + [_price_row(line) for line in listing.prices])
        self.table.resizeColumnsToContents()
        shown = len(listing.stock) + len(listing.prices)
        self.more.setText(f"The first {shown:,} of {listing.total:,} rows are listed, problems "
                          "first; the counts above are for the whole file.")
        self.more.setVisible(listing.cut)

    @Slot()
    def _apply(self) -> None:
        self.accept()
        self.apply_requested.emit(self.applicable())


class PasteDialog(ImportDialog):
    """A pasted block whose rows name no warehouse, in a shop with several: which one?
    `report_for(warehouse_id)` gives the rows' preview for that warehouse."""

    def __init__(self, warehouses: dict[str, str], report_for: Callable[[str], ImportReport],
                 parent: QWidget | None = None) -> None:
        super().__init__("", ImportPreview(), parent)
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
            self.show_preview(preview_of(self.report_for(self.warehouse.itemData(position))))

    def applicable(self) -> list[Change]:
        """All of it, or nothing while a row has a problem."""
        preview = self.preview
        return [] if preview.has_problems or preview.problem else list(preview.changes)

    def _problem_advice(self) -> str:
        return ("Nothing is pasted while a row has a problem: fix it in the spreadsheet and "
                "paste again, or choose another warehouse.")

    def _apply_text(self, n: int) -> str:
        return f"Paste {_changes(n)}" if n else "Nothing to paste"
