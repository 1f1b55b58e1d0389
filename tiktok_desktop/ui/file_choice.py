"""Asking for a CSV file to open or save: in the folder the seller last used for the shop's
files, else their documents folder — never the app's own folder or wherever it was started
from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from tiktok_desktop.ui.settings import Settings

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
XLSX_FILTER = "Excel workbooks (*.xlsx)"
# Saving a table either way (services/sheets.py writes .xlsx by the name's suffix, else CSV).
SHEET_FILTER = f"CSV files (*.csv);;{XLSX_FILTER};;All files (*)"
# What the imports read (services/sheets.py): a spreadsheet's CSV or Seller Center's workbook.
SHEET_FILTER = "Spreadsheets (*.csv *.txt *.xlsx);;CSV files (*.csv *.txt);;Excel workbooks " \
               "(*.xlsx);;All files (*)"


def documents_folder() -> Path:
    """The seller's documents folder (their home folder on a system without one)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class FileChoice:
    def __init__(self, window: QWidget, settings: Settings) -> None:
        self.window, self.settings = window, settings

    def start_folder(self) -> Path:
        return self.settings.stock_files_folder or documents_folder()

    def _remember(self, path: str) -> Path | None:
        if not path:
            return None
        self.settings.stock_files_folder = Path(path).parent
        return Path(path)

    def ask_open_path(self, title: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.window, title, str(self.start_folder()),
                                              SHEET_FILTER)
        return self._remember(path)

    def ask_save_path(self, title: str, name: str, filters: str = CSV_FILTER) -> Path | None:
        """Where to save; a name without a suffix gets the chosen filter's (.xlsx or .csv)."""
        path, chosen_filter = QFileDialog.getSaveFileName(
            self.window, title, str(self.start_folder() / name), filters)
        chosen = self._remember(path)
        if chosen is None or chosen.suffix:
            return chosen
        return chosen.with_suffix(".xlsx" if chosen_filter == XLSX_FILTER else ".csv")
