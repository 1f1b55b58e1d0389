"""The labels printed before, job by job, for a reprint in one click (from the files kept on
this computer: no network needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from tiktok_desktop.store.shipping import PrintRecord
from tiktok_desktop.ui.formatting import date_time

if TYPE_CHECKING:
    from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab

ORDER_NAMES = {"sku": "by SKU", "ship_by": "by ship-by", "order": "by order"}


def job_text(job: PrintRecord) -> str:
    return (f"{date_time(job.printed_at)} · {job.pages} labels · {job.size} · {job.printer} · "
            f"{ORDER_NAMES.get(job.order_by, job.order_by)}")


class PrintHistoryDialog(QDialog):
    def __init__(self, tab: FulfillmentTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.setWindowTitle("Printed labels")
        self.resize(620, 360)
        column = QVBoxLayout(self)
        self.jobs = tab.session.cache.gui().shipping.print_jobs(tab.session.shop_id)
        column.addWidget(QLabel("Each print job, newest first. Reprint uses the labels saved "
                                "on this computer, in the same order."))
        self.list = QListWidget()
        for job in self.jobs:
            self.list.addItem(QListWidgetItem(job_text(job)))
        if not self.jobs:
            self.list.addItem("No labels printed yet.")
            self.list.setEnabled(False)
        self.list.setCurrentRow(0)
        column.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reprint_button = buttons.addButton("Reprint…",
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.reprint_button.setEnabled(bool(self.jobs))
        self.reprint_button.clicked.connect(self.reprint)
        self.list.itemDoubleClicked.connect(self.reprint)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    @Slot()
    def reprint(self) -> None:
        row = self.list.currentRow()
        if not self.jobs or row < 0:
            return
        from tiktok_desktop.ui.fulfillment.printing import LabelPrintDialog

        job = self.jobs[row]
        dialog = LabelPrintDialog(self.tab, [], reprint=job.package_ids, size=job.size)
        self.tab.label_dialog = dialog
        self.accept()
        dialog.open()
