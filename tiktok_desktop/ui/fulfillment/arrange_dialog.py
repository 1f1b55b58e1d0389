"""Arrange shipment for the selected packages: what will happen (it cannot be undone), then how.

TikTok shipping: drop-off or pickup (what the packages' handover options allow) and a pickup
slot. The seller's own carrier: a tracking number and a carrier per package (the carriers of its
delivery option), with the API's rule said plainly: a tracking number can be changed once,
within 72 hours. The options come from the shop (`ShipOptions`), read before the dialog opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.own_process import run_for_file
from tiktok_desktop.services.shipping import ShipChoice, ShipOptions
from tiktok_desktop.services.tracking_csv import TrackingFile, read_tracking_file, read_tracking_for
from tiktok_desktop.store.shipping import QueuedPackage
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.app_details_form import error_label
from tiktok_desktop.ui.file_choice import SHEET_FILTER
from tiktok_desktop.ui.file_progress import run_with_progress
from tiktok_desktop.ui.formatting import local_datetime
from tiktok_desktop.ui.tasks import TaskRunner

TRACKING_RULE = ("You can change a tracking number once, within 72 hours of shipping; after "
                 "that TikTok Shop keeps the one given here.")


def slot_text(start: int, end: int) -> str:
    return f"{local_datetime(start):%a %d %b, %H:%M}–{local_datetime(end):%H:%M}"


class ArrangeDialog(QDialog):
    def __init__(self, packages: Sequence[QueuedPackage], options: ShipOptions,
                 parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks  # reads a tracking file in the background (a workbook can be big)
        self.setWindowTitle("Arrange shipment")
        self.setMinimumWidth(520)
        self.options = options
        self.tiktok = [p for p in packages if p.shipping_type != "SELLER"]
        self.seller = [p for p in packages if p.shipping_type == "SELLER"]
        column = QVBoxLayout(self)
        summary = QLabel(self._summary())
        summary.setWordWrap(True)
        column.addWidget(summary)
        if self.tiktok:
            column.addWidget(self._handover_box())
        if self.seller:
            column.addWidget(self._tracking_box())
        self.problem = error_label()
        column.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ship_button = buttons.addButton(f"Arrange shipment for {len(packages)}",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def _summary(self) -> str:
        parts = []
        if self.tiktok:
            parts.append(f"{len(self.tiktok)} with TikTok shipping (labels are downloaded "
                         "right after)")
        if self.seller:
            parts.append(f"{len(self.seller)} with your own carrier")
        total = len(self.tiktok) + len(self.seller)
        return (f"Arrange shipment for {total} {'package' if total == 1 else 'packages'}: "
                f"{' and '.join(parts)}. <b>Shipping cannot be undone</b>: TikTok Shop tells "
                "the buyers their orders are on the way.")

    def _handover_box(self) -> QGroupBox:
        box = QGroupBox(f"TikTok shipping ({len(self.tiktok)})")
        layout = QVBoxLayout(box)
        self.drop_off = QRadioButton("Drop off at a carrier point")
        self.pickup = QRadioButton("Have the carrier pick them up")
        group = QButtonGroup(box)
        for button in (self.drop_off, self.pickup):
            group.addButton(button)
            layout.addWidget(button)
        self.drop_off.setEnabled(self.options.can_drop_off)
        self.pickup.setEnabled(self.options.can_pickup and bool(self.options.pickup_slots))
        (self.drop_off if self.options.can_drop_off else self.pickup).setChecked(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Pickup slot:"))
        self.slot = QComboBox()
        for start, end in self.options.pickup_slots:
            self.slot.addItem(slot_text(start, end), (start, end))
        row.addWidget(self.slot, 1)
        layout.addLayout(row)
        self.pickup.toggled.connect(self.slot.setEnabled)
        self.slot.setEnabled(self.pickup.isChecked())
        return box

    def _tracking_box(self) -> QGroupBox:
        box = QGroupBox(f"Your own carrier ({len(self.seller)})")
        layout = QVBoxLayout(box)
        self.tracking = QTableWidget(len(self.seller), 4)
        self.tracking.setHorizontalHeaderLabels(["Package", "Order", "Tracking number",
                                                 "Carrier"])
        header = self.tracking.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tracking.setMinimumWidth(720)
        self.tracking.verticalHeader().hide()
        for row, package in enumerate(self.seller):
            for column, text in ((0, package.id), (1, package.order_id)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.tracking.setItem(row, column, item)
            self.tracking.setCellWidget(row, 2, QLineEdit())
            carriers = QComboBox()
            for carrier_id, name in self.options.carriers.get(package.delivery_option_id, ()):
                carriers.addItem(name, carrier_id)
            self.tracking.setCellWidget(row, 3, carriers)
        layout.addWidget(self.tracking)
        row = QHBoxLayout()
        self.import_button = QPushButton("Fill from a file…")
        self.import_button.setToolTip("A CSV, or Seller Center's tracking upload workbook "
                                      "(.xlsx, sheet “Shipping info”)")
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.import_tracking)
        self.import_note = QLabel()
        self.import_note.setWordWrap(True)
        row.addWidget(self.import_button)
        row.addWidget(self.import_note, 1)
        layout.addLayout(row)
        rule = QLabel(TRACKING_RULE)
        rule.setWordWrap(True)
        layout.addWidget(rule)
        return box

    @Slot()
    def import_tracking(self) -> None:
        path = self.ask_for_csv()
        if path is None:
            return
        if self.tasks is None:
            self.fill_tracking(read_tracking_file(path))
            return
        packages = frozenset(p.id for p in self.seller)
        orders = frozenset(p.order_id for p in self.seller)
        run_with_progress(
            self.tasks, self,
            lambda control: run_for_file(path, read_tracking_for, packages, orders,
                                         progress=control.progress, cancel=control.cancelled),
            label=f"Reading {path.name}…", name=f"Reading {path.name}",
            on_done=self.fill_tracking, disables=self.import_button,
            on_failed=lambda error: messages.report_failure(
                error, doing="Reading the tracking file"))

    def ask_for_csv(self) -> Path | None:
        """A file dialog (tests replace this method)."""
        name, _ = QFileDialog.getOpenFileName(self, "Tracking numbers", "", SHEET_FILTER)
        return Path(name) if name else None

    def fill_tracking(self, read: TrackingFile) -> None:
        """Put each line's tracking number and carrier on its package's row (matched by package
        id, else by order id) and say what was used and what was not."""
        if read.problem:
            self.import_note.setText(read.problem)
            return
        rows = {p.id: n for n, p in enumerate(self.seller)}
        by_order = {p.order_id: n for n, p in enumerate(self.seller)}
        filled, unmatched, problems = 0, read.left_out, list(read.problems)
        for line in read.lines:
            row = rows.get(line.package_id, by_order.get(line.order_id))
            if row is None:
                unmatched += 1
                continue
            self.tracking_input(row).setText(line.tracking_number)
            carriers = self.carrier_input(row)
            if line.carrier:
                found = next((i for i in range(carriers.count())
                              if carriers.itemText(i).casefold() == line.carrier.casefold()), -1)
                if found < 0:
                    problems.append(f"Row {line.row}: carrier {line.carrier} is not one this "
                                    "delivery option offers; choose it on the package's row.")
                else:
                    carriers.setCurrentIndex(found)
            filled += 1
        text = f"Filled {filled} of {len(self.seller)} packages from the file."
        if unmatched:
            text += (f" {unmatched:,} {'line' if unmatched == 1 else 'lines'} matched none of "
                     "these packages.")
        if problems:
            text += " " + " ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
        self.import_note.setText(text)

    def tracking_input(self, row: int) -> QLineEdit:
        widget = self.tracking.cellWidget(row, 2)
        assert isinstance(widget, QLineEdit)
        return widget

    def carrier_input(self, row: int) -> QComboBox:
        widget = self.tracking.cellWidget(row, 3)
        assert isinstance(widget, QComboBox)
        return widget

    def choices(self) -> list[ShipChoice] | None:
        """The ship requests, or None after saying what is missing."""
        made: list[ShipChoice] = []
        for package in self.tiktok:
            if self.pickup.isChecked():
                start, end = self.slot.currentData()
                made.append(ShipChoice(package.id, "PICKUP",
                                       {"start_time": start, "end_time": end}))
            else:
                made.append(ShipChoice(package.id, "DROP_OFF"))
        for row, package in enumerate(self.seller):
            tracking = self.tracking_input(row).text().strip()
            carrier = self.carrier_input(row).currentData()
            if not 5 <= len(tracking) <= 50 or any(c.isspace() for c in tracking):
                return self._refuse(row, f"Package {package.id}: a tracking number is 5 to 50 "
                                    "characters, without spaces.")
            if not carrier:
                return self._refuse(row, f"Package {package.id}: choose its carrier.")
            made.append(ShipChoice(package.id, tracking_number=tracking,
                                   shipping_provider_id=str(carrier)))
        return made

    def _refuse(self, row: int, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.tracking_input(row).setFocus()
        return None

    @Slot()
    def accept(self) -> None:
        if self.choices() is not None:
            super().accept()
