"""The Inventory tab's files: import stock from CSV (report first) and export the stock (what
to export asked first). Reading, matching and writing run in the background; file dialogs open
where ui/file_choice.py says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from tiktok_desktop.services.stock_csv import export_csv, export_name, read_import_file
from tiktok_desktop.services.stock_edits import Change, StockCell
from tiktok_desktop.services.stock_import import ImportReport
from tiktok_desktop.store import ShopInfo
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.inventory.export_dialog import ExportChoice, ExportDialog
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog
from tiktok_desktop.ui.tasks import TaskRunner

Apply = Callable[[str, list[Change], list[StockCell]], None]
WithShopCells = Callable[[Callable[[list[StockCell]], None]], None]


class StockFiles(QObject):
    def __init__(self, window: QWidget, tasks: TaskRunner, apply: Apply, choice: FileChoice,
                 shop: ShopInfo | None) -> None:
        super().__init__(window)
        self.window, self.tasks, self.apply, self.choice = window, tasks, apply, choice
        self.shop_name = shop.name if shop is not None and shop.name else ""
        self.dialog: QDialog | None = None  # the last dialog opened (tests look at it)

    # -- import ---------------------------------------------------------------------------------

    def choose_import(self, with_shop_cells: Callable[[Callable[[list[StockCell]], None]], None]
                      ) -> None:
        """Ask for the file, then match it against the shop's cells (read in the background)."""
        path = self.choice.ask_open_path("Import stock from a spreadsheet")
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
        path = self.choice.ask_save_path("Export stock to a CSV file", name)
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

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.open()
