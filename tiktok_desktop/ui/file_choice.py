"""Asking for a CSV file to open or save: in the folder the seller last used for the shop's
files, else their documents folder — never the app's own folder or wherever it was started
from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from tiktok_desktop.ui.settings import Settings

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
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

    def ask_save_path(self, title: str, name: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(self.start_folder() / name),
                                              CSV_FILTER)
        chosen = self._remember(path)
        return chosen.with_suffix(".csv") if chosen is not None and not chosen.suffix else chosen
