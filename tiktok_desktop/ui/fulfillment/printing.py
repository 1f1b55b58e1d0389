"""Printing from the Fulfillment tab: the selected packages' labels as one job in pick order
(through QPrinter, or saved as one PDF, or sent to the print queue), and their pick list.

Labels are read from the files downloaded after shipping; a package whose label (in the chosen
document type and size) is not on disk yet is downloaded first. Each print job is recorded, and
its labels marked printed. Per printer, the label size and the calibration are remembered.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from tiktok_desktop.services.pick_list import PickUnit, natural_key, pick_list, pick_list_csv
from tiktok_desktop.store.shipping import QueuedPackage
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.app_details_form import error_label
from tiktok_desktop.ui.fulfillment.label_print import (
    Calibration,
    PrintJob,
    calibration_page,
    print_labels,
    queue_command,
    save_as_one_pdf,
    setup_printer,
)
from tiktok_desktop.ui.fulfillment.pick_list_print import print_pick_list

if TYPE_CHECKING:
    from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab

ORDERS = (("By SKU (the stack follows the pick walk)", "sku"), ("By ship-by deadline", "ship_by"),
          ("By order number", "order"))
SIZES = (("4 × 6 in label", "4x6"), ("A6", "A6"), ("A5", "A5"))
DOCUMENTS = (("Shipping label", "SHIPPING_LABEL"), ("Packing slip", "PACKING_SLIP"),
             ("Label and packing slip", "SHIPPING_LABEL_AND_PACKING_SLIP"))
NO_PRINTER = ("No printer is installed on this computer. Save the labels as one PDF and print it "
              "from another computer, or add the label printer in your system settings.")


def in_pick_order(packages: Sequence[QueuedPackage], order_by: str) -> list[QueuedPackage]:
    if order_by == "ship_by":
        return sorted(packages, key=lambda p: (p.ship_by is None, p.ship_by or 0, p.id))
    if order_by == "order":
        return sorted(packages, key=lambda p: (p.order_id, p.id))
    return sorted(packages, key=lambda p: (
        natural_key(p.items[0].seller_sku if p.items else "~"), p.id))


def printer_names() -> list[str]:
    return [p.printerName() for p in QPrinterInfo.availablePrinters()]


class LabelPrintDialog(QDialog):
    """How to print: order, size, document, printer (and its calibration); then Preview, Print,
    Save as one PDF or Send to the print queue."""

    def __init__(self, tab: FulfillmentTab, packages: Sequence[QueuedPackage], *,
                 reprint: Sequence[str] | None = None, size: str | None = None) -> None:
        """`reprint`: the package ids of an earlier job, printed again in their order."""
        super().__init__(tab)
        self.tab, self.packages = tab, list(packages)
        self.reprint = list(reprint) if reprint is not None else None
        count = len(self.reprint) if self.reprint is not None else len(packages)
        self.setWindowTitle(f"{'Reprint' if self.reprint is not None else 'Print'} {count} "
                            "labels")
        column = QVBoxLayout(self)
        form = QFormLayout()
        self.order = _combo(ORDERS)
        self.size = _combo(SIZES)
        self.feed = _combo((("Upright (portrait)", "portrait"),
                            ("Sideways (landscape)", "landscape")))
        self.document = _combo(DOCUMENTS)
        self.printer = QComboBox()
        names = printer_names()
        self.printer.addItems(names)
        self.printer.currentTextChanged.connect(self._load_printer_settings)
        form.addRow("Order", self.order)
        form.addRow("Size", self.size)
        form.addRow("Labels feed", self.feed)
        form.addRow("Print", self.document)
        form.addRow("Printer", self.printer)
        self.offset_x, self.offset_y = _spin(-10, 10, " mm"), _spin(-10, 10, " mm")
        self.scale = _spin(0.8, 1.2, "", step=0.01)
        calibration = QHBoxLayout()
        for label, spin in (("right", self.offset_x), ("down", self.offset_y),
                            ("scale", self.scale)):
            calibration.addWidget(QLabel(label))
            calibration.addWidget(spin)
        self.calibrate_button = QPushButton("Print a test page")
        self.calibrate_button.clicked.connect(self.print_test_page)
        calibration.addWidget(self.calibrate_button)
        form.addRow("Calibration", calibration)
        column.addLayout(form)
        self.note = QLabel(NO_PRINTER if not names else "")
        self.note.setWordWrap(True)
        self.note.setVisible(not names)
        column.addWidget(self.note)
        self.problem = error_label()
        column.addWidget(self.problem)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Preview…")
        self.save_button = QPushButton("Save as one PDF…")
        self.queue_button = QPushButton("Send to the print queue")
        self.print_button = QPushButton("Print")
        close = QPushButton("Close")
        for button, slot in ((self.preview_button, self.preview), (self.save_button, self.save),
                             (self.queue_button, self.send_to_queue),
                             (self.print_button, self.print_now), (close, self.reject)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.print_button.setDefault(True)
        self.print_button.setEnabled(bool(names))
        self.calibrate_button.setEnabled(bool(names))
        self.queue_button.setEnabled(queue_command(Path("x.pdf"), None) is not None)
        column.addLayout(buttons)
        self._load_printer_settings(self.printer.currentText())
        if self.reprint is not None:
            self.order.setEnabled(False)  # the earlier job's order
            if size is not None:
                self.size.setCurrentIndex(max(0, self.size.findData(size)))

    # -- settings per printer ---------------------------------------------------------------

    @Slot(str)
    def _load_printer_settings(self, name: str) -> None:
        settings = self.tab.settings
        size = settings.label_size_for(name)
        self.size.setCurrentIndex(max(0, self.size.findData(size)))
        self.feed.setCurrentIndex(1 if settings.label_landscape_for(name) else 0)
        x, y, scale = settings.label_calibration_for(name)
        self.offset_x.setValue(x)
        self.offset_y.setValue(y)
        self.scale.setValue(scale)

    def _keep_printer_settings(self) -> None:
        name = self.printer.currentText()
        if name:
            settings = self.tab.settings
            settings.set_label_size_for(name, self.size.currentData())
            settings.set_label_landscape_for(name, self.landscape())
            settings.set_label_calibration_for(name, self.offset_x.value(),
                                               self.offset_y.value(), self.scale.value())

    def landscape(self) -> bool:
        return self.feed.currentData() == "landscape"

    def calibration(self) -> Calibration:
        return Calibration(self.offset_x.value(), self.offset_y.value(), self.scale.value())

    # -- the job ----------------------------------------------------------------------------

    def _with_labels(self, then: Callable[[PrintJob, list[str]], None]) -> None:
        """Download what is missing, then `then(job, ordered package ids)`."""
        ids = self.reprint if self.reprint is not None else [
            p.id for p in in_pick_order(self.packages, self.order.currentData())]
        document, size = self.document.currentData(), self._document_size()
        session = self.tab.session

        def gather(control: object) -> PrintJob:
            with session.cache.using("parallel") as store:
                held = store.shipping.labels(ids, document, size)
            missing = [i for i in ids if i not in held or not Path(held[i].path).exists()]
            if missing:
                _, problems = session.fetch_labels(missing, document, size)
                if problems:
                    raise LabelsMissing(problems)
                with session.cache.using("parallel") as store:
                    held = store.shipping.labels(ids, document, size)
            return PrintJob([Path(held[i].path) for i in ids if i in held],
                            self.size.currentData(), self.calibration(),
                            landscape=self.landscape())

        self.problem.hide()
        self.tab.tasks.run(gather, name="Getting the labels ready", parent=self,
                           on_done=lambda job: then(job, ids), on_failed=self._failed)

    def _document_size(self) -> str:
        """The API offers A6 and A5 only (no 4x6): A6 is fitted onto a 4x6 label."""
        return "A5" if self.size.currentData() == "A5" else "A6"

    def _failed(self, error: BaseException) -> None:
        text = getattr(error, "plain", None) or messages.describe_failure(error)
        if text is None:
            messages.report_failure(error, doing="Printing labels")
            return
        self.problem.setText(text)
        self.problem.show()

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(self.printer.currentText())
        warning = setup_printer(printer, self.size.currentData(), self.landscape())
        if warning:
            messages.warning(warning)
        return printer

    @Slot()
    def print_now(self) -> None:
        self._keep_printer_settings()
        self._with_labels(self._print)

    def _print(self, job: PrintJob, ids: list[str]) -> None:
        printer, name = self._printer(), self.printer.currentText()
        self.tab.tasks.run(lambda control: print_labels(job, printer, cancel=control.cancelled),
                           name="Printing labels", parent=self,
                           on_done=lambda pages: self._printed(name, ids, pages),
                           on_failed=self._failed)

    def _printed(self, printer: str, ids: list[str], pages: int) -> None:
        size, order_by, shop_id = (self.size.currentData(), self.order.currentData(),
                                   self.tab.session.shop_id)
        cache_ops.write(self.tab, self.tab.tasks, self.tab.session,
                        lambda store: store.shipping.record_print(shop_id, printer, size,
                                                                  order_by, ids, pages),
                        name="Noting the printed labels", on_done=self.tab.refresh)
        messages.info(f"{pages} labels sent to {printer}.")

    @Slot()
    def preview(self) -> None:
        self._with_labels(self._preview)

    def _preview(self, job: PrintJob, ids: list[str]) -> None:
        # Kept: the preview holds a pointer to the printer, not a reference (a collected
        # QPrinter under it crashes the app).
        self.preview_printer = printer = self._printer()
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("Label preview — exactly what is printed")
        dialog.paintRequested.connect(lambda device: print_labels(job, device))
        self.preview_dialog = dialog
        dialog.open()

    @Slot()
    def save(self) -> None:
        path = self.ask_where_to_save()
        if path is not None:
            self._with_labels(lambda job, ids: self._save(job, ids, path))

    def ask_where_to_save(self) -> Path | None:
        """A file dialog (tests replace this method)."""
        name, _ = QFileDialog.getSaveFileName(self, "Save the labels as one PDF",
                                              f"labels-{time.strftime('%Y-%m-%d')}.pdf",
                                              "PDF (*.pdf)")
        return Path(name) if name else None

    def _save(self, job: PrintJob, ids: list[str], path: Path) -> None:
        self.tab.tasks.run(lambda control: save_as_one_pdf(job, path),
                           name="Saving the labels", parent=self,
                           on_done=lambda pages: self._saved(ids, path, pages),
                           on_failed=self._failed)

    def _saved(self, ids: list[str], path: Path, pages: int) -> None:
        self._printed(f"PDF {path.name}", ids, pages)
        messages.info(f"{pages} labels saved in {path}.")

    @Slot()
    def send_to_queue(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="labels-"))
        self._with_labels(lambda job, ids: self._queue(job, ids, folder / "labels.pdf"))

    def _queue(self, job: PrintJob, ids: list[str], path: Path) -> None:
        name = self.printer.currentText() or None

        def send(control: object) -> int:
            pages = save_as_one_pdf(job, path)
            command = queue_command(path, name)
            if command is None:
                raise LabelsMissing(["The print queue command (lp) is not available here."])
            subprocess.run(command, check=True, capture_output=True, timeout=60)
            return pages

        self.tab.tasks.run(send, name="Sending the labels to the print queue", parent=self,
                           on_done=lambda pages: self._printed(name or "print queue", ids,
                                                               pages),
                           on_failed=self._failed)

    @Slot()
    def print_test_page(self) -> None:
        self._keep_printer_settings()
        calibration_page(self._printer(), self.size.currentData(), self.calibration())
        messages.info("A test page was sent: check the rulers and the barcode, then adjust.")


class LabelsMissing(Exception):
    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.plain = ("Some labels could not be downloaded: " + "; ".join(problems[:3])
                      + (" …" if len(problems) > 3 else ""))


def print_labels_of(tab: FulfillmentTab, packages: Sequence[QueuedPackage]) -> None:
    if not packages:
        return
    dialog = LabelPrintDialog(tab, packages)
    tab.label_dialog = dialog
    dialog.open()


# -- the pick list ------------------------------------------------------------------------------

def pick_units(packages: Sequence[QueuedPackage]) -> list[PickUnit]:
    """One unit per item piece, as the API counts them."""
    return [PickUnit(p.id, p.order_id, i.sku_id, i.seller_sku, i.product_name, i.variant)
            for p in packages for i in p.items for _ in range(i.quantity)]


class PickListDialog(QDialog):
    def __init__(self, tab: FulfillmentTab, packages: Sequence[QueuedPackage]) -> None:
        super().__init__(tab)
        self.tab = tab
        self.lines = pick_list(pick_units(packages))
        units = sum(line.quantity for line in self.lines)
        self.setWindowTitle("Pick list")
        column = QVBoxLayout(self)
        column.addWidget(QLabel(f"{units} units of {len(self.lines)} SKUs in {len(packages)} "
                                "packages, sorted by seller SKU."))
        form = QFormLayout()
        self.paper = _combo((("A4", "A4"), ("Letter", "Letter"), ("4 × 6 in label", "4x6")))
        self.printer = QComboBox()
        self.printer.addItems(printer_names())
        form.addRow("Paper", self.paper)
        form.addRow("Printer", self.printer)
        column.addLayout(form)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("Print")
        self.print_button.setEnabled(self.printer.count() > 0)
        self.pdf_button = QPushButton("Save as PDF…")
        self.csv_button = QPushButton("Export CSV…")
        close = QPushButton("Close")
        for button, slot in ((self.print_button, self.print_now), (self.pdf_button, self.save_pdf),
                             (self.csv_button, self.save_csv), (close, self.reject)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        column.addLayout(buttons)

    def _title(self) -> str:
        return self.tab.session.shop_name

    @Slot()
    def print_now(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(self.printer.currentText())
        pages = print_pick_list(self.lines, self._title(), printer, self.paper.currentData(),
                                datetime.now())
        messages.info(f"The pick list ({pages} pages) was sent to {printer.printerName()}.")

    @Slot()
    def save_pdf(self) -> None:
        path = self.ask_where_to_save("pick-list", "PDF (*.pdf)", ".pdf")
        if path is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        pages = print_pick_list(self.lines, self._title(), printer, self.paper.currentData(),
                                datetime.now())
        messages.info(f"The pick list ({pages} pages) was saved in {path}.")

    @Slot()
    def save_csv(self) -> None:
        path = self.ask_where_to_save("pick-list", "CSV (*.csv)", ".csv")
        if path is not None:
            path.write_bytes(pick_list_csv(self.lines))
            messages.info(f"The pick list was saved in {path}.")

    def ask_where_to_save(self, stem: str, kinds: str, suffix: str) -> Path | None:
        """A file dialog (tests replace this method)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the pick list", f"{stem}-{time.strftime('%Y-%m-%d')}{suffix}", kinds)
        return Path(name) if name else None


def pick_list_of(tab: FulfillmentTab, packages: Sequence[QueuedPackage]) -> None:
    if not packages:
        return
    dialog = PickListDialog(tab, packages)
    tab.pick_dialog = dialog
    dialog.open()


def _combo(choices: Sequence[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for text, key in choices:
        combo.addItem(text, key)
    return combo


def _spin(low: float, high: float, suffix: str, step: float = 0.5) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setDecimals(2)
    return spin

