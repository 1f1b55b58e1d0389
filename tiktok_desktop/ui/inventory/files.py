"""The Inventory tab's files: import stock from CSV (report first), export the stock (what to
export asked first), and the stock history with its CSV export. Reading, matching and writing
run in the background.

File dialogs open in the folder the seller last used for a stock file, else their documents
folder: never the app's own folder or wherever it was started from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from tiktok_desktop.services.stock_audit import AuditLine, audit_csv
from tiktok_desktop.services.stock_csv import export_csv, export_name, read_import_file
from tiktok_desktop.services.stock_edits import Change, StockCell
from tiktok_desktop.services.stock_import import ImportReport
from tiktok_desktop.store import ShopInfo
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.editing.history_dialog import HistoryDialog
from tiktok_desktop.ui.inventory.export_dialog import ExportChoice, ExportDialog
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog
from tiktok_desktop.ui.inventory.stock_kind import HISTORY
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
Apply = Callable[[str, list[Change], list[StockCell]], None]
WithShopCells = Callable[[Callable[[list[StockCell]], None]], None]


def documents_folder() -> Path:
    """The seller's documents folder (their home folder on a system without one)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class StockFiles(QObject):
    def __init__(self, window: QWidget, tasks: TaskRunner, apply: Apply, settings: Settings,
                 shop: ShopInfo | None) -> None:
        super().__init__(window)
        self.window, self.tasks, self.apply = window, tasks, apply
        self.settings = settings
        self.shop_name = shop.name if shop is not None and shop.name else ""
        self.dialog: QDialog | None = None  # the last dialog opened (tests look at it)

    # -- file dialogs ---------------------------------------------------------------------------

    def start_folder(self) -> Path:
        return self.settings.stock_files_folder or documents_folder()

    def _remember(self, path: str) -> Path | None:
        if not path:
            return None
        self.settings.stock_files_folder = Path(path).parent
        return Path(path)

    def ask_open_path(self, title: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.window, title, str(self.start_folder()),
                                              CSV_FILTER)
        return self._remember(path)

    def ask_save_path(self, title: str, name: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(self.start_folder() / name),
                                              CSV_FILTER)
        chosen = self._remember(path)
        return chosen.with_suffix(".csv") if chosen is not None and not chosen.suffix else chosen

    # -- import ---------------------------------------------------------------------------------

    def choose_import(self, with_shop_cells: Callable[[Callable[[list[StockCell]], None]], None]
                      ) -> None:
        """Ask for the file, then match it against the shop's cells (read in the background)."""
        path = self.ask_open_path("Import stock from a CSV file")
        if path is not None:
            with_shop_cells(lambda cells: self.import_csv(path, cells))

    def import_csv(self, path: Path, shop_cells: list[StockCell]) -> None:
        """Read and match in the background, then show the report; nothing applied yet."""
        self.tasks.run(lambda control: read_import_file(path, shop_cells),
                       name=f"Reading {path.name}",
                       on_done=lambda report: self._show_report(path.name, report, shop_cells))

    def _show_report(self, name: str, report: ImportReport, cells: list[StockCell]) -> None:
        dialog = ImportDialog(name, report, self.window)
        dialog.apply_requested.connect(
            lambda changes: self.apply(f"Import {name}", changes, cells))
        self._open(dialog)

    # -- export ---------------------------------------------------------------------------------

    def choose_export(self, shown: Sequence[StockCell], with_shop_cells: WithShopCells) -> None:
        """Ask what to export (once every cell of the shop is read), then where."""
        snapshot = list(shown)
        with_shop_cells(lambda cells: self._ask_what_to_export(snapshot, cells))

    def _ask_what_to_export(self, shown: list[StockCell], everything: list[StockCell]) -> None:
        dialog = ExportDialog(
            len({c.sku_id for c in everything}), len({c.sku_id for c in shown}),
            filtered={c.key for c in shown} != {c.key for c in everything},
            has_edits=any(c.edit is not None for c in everything), parent=self.window)
        dialog.export_requested.connect(
            lambda choice: self._export_as(choice, shown if choice.filtered else everything))
        self._open(dialog)

    def _export_as(self, choice: ExportChoice, cells: list[StockCell]) -> None:
        name = export_name(self.shop_name, filtered=choice.filtered,
                           with_edits=choice.with_edits, day=date.today())
        path = self.ask_save_path("Export stock to a CSV file", name)
        if path is not None:
            self.export_csv(path, cells, with_edits=choice.with_edits,
                            excel_safe=choice.excel_safe)

    def export_csv(self, path: Path, cells: Sequence[StockCell], *, with_edits: bool = True,
                   excel_safe: bool = False) -> None:
        skus = len({c.sku_id for c in cells})
        snapshot = list(cells)
        self.tasks.run(lambda control: path.write_bytes(export_csv(
                           snapshot, with_edits=with_edits, excel_safe=excel_safe)),
                       name=f"Exporting stock to {path.name}",
                       on_done=lambda _n: messages.info(
                           f"Exported {skus:,} SKU{'s' * (skus != 1)} to {path.name}."))

    # -- history --------------------------------------------------------------------------------

    def show_history(self, lines: Sequence[AuditLine]) -> None:
        dialog = HistoryDialog(lines, HISTORY, "stock", self.window)
        dialog.export_requested.connect(lambda: self.choose_history_export(lines))
        self._open(dialog)

    def choose_history_export(self, lines: Sequence[AuditLine]) -> None:
        path = self.ask_save_path("Export stock history", "stock-history.csv")
        if path is not None:
            self.export_history(path, lines)

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
