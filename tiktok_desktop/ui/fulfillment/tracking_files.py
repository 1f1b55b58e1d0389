"""Seller Center's tracking-number upload, from the Fulfillment tab: export the seller-shipped
packages awaiting shipment in its shape, and import the file filled in. The import is read in
the background (a big file in a process of its own, with progress and Cancel), matched to the
tab's packages and the carriers of their delivery options, shown as a preview (what ships with
which tracking number and carrier, which lines were refused and why: the first SHOWN_AT_MOST
listed, all counted); confirmed, it opens the Arrange shipment dialog with the tracking numbers
filled, so the packages ship through the one shipping path (services/tracking_upload.py has the
rules)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.shipping import ShipOptions
from tiktok_desktop.services.tracking_upload import (
    SPLIT,
    UploadPlan,
    plan_of,
    read_upload,
    upload_rows,
    write_upload,
)
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.file_choice import XLSX_FILTER, FileChoice
from tiktok_desktop.ui.file_progress import run_with_progress

if TYPE_CHECKING:
    from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab
    from tiktok_desktop.ui.tasks import TaskControl

SAVE_FILTER = f"{XLSX_FILTER};;CSV files (*.csv);;All files (*)"


def export_upload(tab: FulfillmentTab) -> None:
    """The selected packages (else all shown) that ship with the seller's carrier and await
    shipment, written where the seller says, in the background."""
    export = upload_rows(tab.selected() or tab.model.packages, tab.all)
    if export.split:
        messages.warning(f"{len(export.split)} split {_orders(len(export.split))} left out "
                         f"({', '.join(export.split[:3])}{'…' if len(export.split) > 3 else ''})"
                         f": {SPLIT}.")
    if not export.orders:
        messages.info("No orders shipped with your own carrier are awaiting shipment here.")
        return
    path = tab.ask_where_to_save_upload()
    if path is None:
        return
    orders = export.orders
    tab.tasks.run(lambda control: write_upload(path, orders, progress=control.progress,
                                               cancel=control.cancelled),
                  name=f"Writing {path.name}", parent=tab,
                  on_done=lambda n: messages.info(
                      f"{n} {_orders(n)} written to {path.name}: fill in the tracking numbers "
                      "and carriers, then use “Import tracking upload…”."),
                  on_failed=lambda error: messages.report_failure(
                      error, doing="Writing the tracking upload file"))


def import_upload(tab: FulfillmentTab) -> None:
    """Read the file in the background (with progress and Cancel), match it, ask the shop for
    the carriers; then the preview, and on confirm the Arrange shipment dialog with the
    tracking numbers filled."""
    path = tab.ask_for_upload()
    if path is None:
        return
    packages = list(tab.all)  # frozen rows: safe to hand to the worker
    session = tab.session

    def work(control: TaskControl) -> UploadPlan:
        match = read_upload(path, packages, progress=control.progress, cancel=control.cancelled)
        control.check()  # cancelled: the shop is not asked
        return plan_of(match, lambda ids: session.ship_options(None, ids).carriers)

    run_with_progress(
        tab.tasks, tab, work, label=f"Reading {path.name}…", name=f"Reading {path.name}",
        parent=tab, disables=tab.import_upload_button, on_done=lambda plan: show_plan(tab, plan),
        on_failed=lambda error: messages.report_failure(error, doing=f"Reading {path.name}"))


def show_plan(tab: FulfillmentTab, plan: UploadPlan) -> None:
    if plan.problem:
        messages.warning(f"The tracking file can't be used: {plan.problem}")
        return
    if not tab.preview_upload(plan) or not plan.matched:
        return
    # The carriers were read with the file: the dialog offers the same ones.
    tab.ask_how([m.package for m in plan.matched], ShipOptions(carriers=dict(plan.carriers)),
                plan.tracking_file())


def _orders(n: int) -> str:
    return "order" if n == 1 else "orders"


class UploadPreview(QDialog):
    """What an import will do: the packages that ship and the lines refused, with reasons."""

    def __init__(self, plan: UploadPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tracking upload")
        self.setMinimumWidth(640)
        column = QVBoxLayout(self)
        n, refused = len(plan.matched), plan.refused_total
        self.summary = QLabel(
            f"<b>{n:,}</b> {'package gets' if n == 1 else 'packages get'} a tracking number"
            + (f"; <b>{refused:,}</b> {'line' if refused == 1 else 'lines'} refused" if refused
               else "")
            + (f"; {plan.blank:,} left without a tracking number" if plan.blank else "")
            + ". Next, check them in Arrange shipment: nothing ships before you "
            "confirm there.")
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.table = QTableWidget(n, 5)
        self.table.setHorizontalHeaderLabels(["Row", "Order", "Package", "Tracking number",
                                              "Carrier"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        for row, m in enumerate(plan.matched):
            for col, text in enumerate((str(m.row), m.package.order_id, m.package.id,
                                        m.tracking_number, m.carrier)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        column.addWidget(self.table, 2)
        self.refused = QPlainTextEdit("\n".join(_refused_lines(plan)))
        self.refused.setReadOnly(True)
        self.refused.setVisible(bool(plan.refused))
        if plan.refused:
            column.addWidget(QLabel("Refused:"))
        column.addWidget(self.refused, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(f"Arrange shipment for {n:,}…",
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(n > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)


def _refused_lines(plan: UploadPlan) -> list[str]:
    """Each refused line listed, and how many more there are."""
    lines = [r.text() for r in plan.refused]
    if plan.unlisted:
        lines.append(f"… and {plan.unlisted:,} more {'line' if plan.unlisted == 1 else 'lines'} "
                     f"refused (the first {len(plan.refused):,} are listed).")
    return lines


def ask_where_to_save(tab: FulfillmentTab) -> Path | None:
    return FileChoice(tab, tab.settings).ask_save_path(
        "Export for tracking upload", "tracking upload.xlsx", SAVE_FILTER)


def ask_to_open(tab: FulfillmentTab) -> Path | None:
    return FileChoice(tab, tab.settings).ask_open_path("Import tracking upload")
