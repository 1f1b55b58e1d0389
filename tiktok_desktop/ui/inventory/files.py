"""The Inventory tab's files: import stock from CSV (report first), export the table, and the
stock history with its CSV export. Reading, matching and writing run in the background."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from tiktok_desktop.services.stock_audit import AuditLine, audit_csv
from tiktok_desktop.services.stock_csv import export_csv, read_import
from tiktok_desktop.services.stock_edits import Change, StockCell
from tiktok_desktop.services.stock_import import ImportReport
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.inventory.history_dialog import HistoryDialog
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog
from tiktok_desktop.ui.tasks import TaskRunner

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
Apply = Callable[[str, list[Change], list[StockCell]], None]


class StockFiles(QObject):
    def __init__(self, window: QWidget, tasks: TaskRunner, apply: Apply) -> None:
        super().__init__(window)
        self.window, self.tasks, self.apply = window, tasks, apply
        self.dialog: QDialog | None = None  # the last dialog opened (tests look at it)

    # -- import ---------------------------------------------------------------------------------

    def choose_import(self, with_shop_cells: Callable[[Callable[[list[StockCell]], None]], None]
                      ) -> None:
        """Ask for the file, then match it against the shop's cells (read in the background)."""
        path, _ = QFileDialog.getOpenFileName(self.window, "Import stock from a CSV file", "",
                                              CSV_FILTER)
        if path:
            with_shop_cells(lambda cells: self.import_csv(Path(path), cells))

    def import_csv(self, path: Path, shop_cells: list[StockCell]) -> None:
        """Read and match in the background, then show the report; nothing applied yet."""
        self.tasks.run(lambda control: read_import(path.read_bytes(), shop_cells),
                       name=f"Reading {path.name}",
                       on_done=lambda report: self._show_report(path.name, report, shop_cells))

    def _show_report(self, name: str, report: ImportReport, cells: list[StockCell]) -> None:
        dialog = ImportDialog(name, report, self.window)
        dialog.apply_requested.connect(
            lambda changes: self.apply(f"Import {name}", changes, cells))
        self._open(dialog)

    # -- export ---------------------------------------------------------------------------------

    def choose_export(self, cells: Sequence[StockCell]) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export stock to a CSV file",
                                              "stock.csv", CSV_FILTER)
        if path:
            self.export_csv(Path(path), cells)

    def export_csv(self, path: Path, cells: Sequence[StockCell]) -> None:
        skus = len({c.sku_id for c in cells})
        snapshot = list(cells)
        self.tasks.run(lambda control: path.write_bytes(export_csv(snapshot)),
                       name=f"Exporting stock to {path.name}",
                       on_done=lambda _n: messages.info(
                           f"Exported {skus:,} SKU{'s' * (skus != 1)} to {path.name}."))

    # -- history --------------------------------------------------------------------------------

    def show_history(self, lines: Sequence[AuditLine]) -> None:
        dialog = HistoryDialog(lines, self.window)
        dialog.export_requested.connect(lambda: self.choose_history_export(lines))
        self._open(dialog)

    def choose_history_export(self, lines: Sequence[AuditLine]) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export stock history",
                                              "stock-history.csv", CSV_FILTER)
        if path:
            self.export_history(Path(path), lines)

    def export_history(self, path: Path, lines: Sequence[AuditLine]) -> None:
        snapshot = list(lines)
        self.tasks.run(lambda control: path.write_bytes(audit_csv(snapshot)),
                       name=f"Exporting stock history to {path.name}",
                       on_done=lambda _n: messages.info(
                           f"Exported {len(snapshot):,} history lines to {path.name}."))

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.open()
