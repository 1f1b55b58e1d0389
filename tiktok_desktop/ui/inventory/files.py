"""The Inventory tab's files: import stock from CSV (report first) and export the stock (what
to export asked first). Reading, matching and writing run in the background; file dialogs open
where ui/file_choice.py says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from tiktok_desktop.services.import_preview import ImportPreview, read_preview
from tiktok_desktop.services.price_edits import PriceCell, PriceChange
from tiktok_desktop.services.sheet_source import SheetCancelled, SheetRefused
from tiktok_desktop.services.sheets import XLSX_SUFFIXES
from tiktok_desktop.services.stock_csv import export_csv, export_name
from tiktok_desktop.services.stock_edits import Change, StockCell
from tiktok_desktop.services.stock_workbook import export_workbook
from tiktok_desktop.store import ShopInfo
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.file_progress import FileProgress, run_with_progress
from tiktok_desktop.ui.inventory.export_dialog import ExportChoice, ExportDialog
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog
from tiktok_desktop.ui.tasks import TaskRunner

Apply = Callable[[str, list[Change], list[StockCell]], None]
WithShopCells = Callable[[Callable[[list[StockCell]], None]], None]


class PriceEditor(Protocol):
    """The Listings tab's price editor (ui/editing/editor.py CellEditor), as the batch-edit
    workbook needs it: the shop's price cells with their edits, and an undoable apply."""

    def with_shop_cells(self, then: Callable[[list[Any]], None]) -> None: ...
    def apply(self, text: str, changes: Sequence[Any], before: Sequence[Any]) -> int: ...


class StockFiles(QObject):
    def __init__(self, window: QWidget, tasks: TaskRunner, apply: Apply, choice: FileChoice,
                 shop: ShopInfo | None) -> None:
        super().__init__(window)
        self.window, self.tasks, self.apply, self.choice = window, tasks, apply, choice
        self.shop_name = shop.name if shop is not None and shop.name else ""
        self.dialog: QDialog | None = None  # the last dialog opened (tests look at it)
        # Set by the main window once the Listings tab exists: the batch-edit workbook's prices
        # go through its editor (undoable, reviewed and pushed there). Without it a file that
        # changes prices is refused whole.
        self.prices: PriceEditor | None = None
        self.progress: FileProgress | None = None  # the last file read's (tests look at it)

    def _with_prices(self, then: Callable[[list[PriceCell] | None], None]) -> None:
        if self.prices is None:
            then(None)
        else:
            self.prices.with_shop_cells(then)

    # -- import ---------------------------------------------------------------------------------

    def choose_import(self, with_shop_cells: Callable[[Callable[[list[StockCell]], None]], None]
                      ) -> None:
        """Ask for the file, then match it against the shop's cells (read in the background)."""
        path = self.choice.ask_open_path("Import stock from a spreadsheet")
        if path is not None:
            with_shop_cells(lambda cells: self._with_prices(
                lambda prices: self.import_csv(path, cells, prices)))

    def import_csv(self, path: Path, shop_cells: list[StockCell],
                   prices: list[PriceCell] | None = None) -> None:
        """Read and match in the background (with progress and Cancel), then show the report;
        nothing applied yet. With the shop's `prices`, a workbook's prices are read too."""

        def failed(error: BaseException) -> None:
            if isinstance(error, SheetCancelled):
                messages.info(f"Reading {path.name} was cancelled; nothing was imported.")
            else:
                messages.report_failure(error, doing=f"Reading {path.name}")

        self.progress = run_with_progress(
            self.tasks, self.window,
            lambda control: read_preview(path, shop_cells, prices=prices,
                                         progress=control.progress, cancel=control.cancelled),
            label=f"Reading {path.name}…", name=f"Reading {path.name}",
            on_done=lambda preview: self._show_preview(path.name, preview, shop_cells,
                                                       prices or []),
            on_failed=failed)

    def _show_preview(self, name: str, preview: ImportPreview, cells: list[StockCell],
                      prices: list[PriceCell]) -> None:
        dialog = ImportDialog(name, preview, self.window)
        dialog.apply_requested.connect(
            lambda changes: self.apply_import(name, changes, cells, list(preview.price_changes),
                                              prices))
        self._open(dialog)

    def apply_import(self, name: str, changes: list[Change], cells: list[StockCell],
                     price_changes: list[PriceChange], prices: list[PriceCell]) -> None:
        """Both parts, each one undoable step in its own table, or neither."""
        if price_changes and self.prices is None:
            messages.error(f"Nothing was imported from {name}: its prices can't be applied "
                           "without the Listings tab.")
            return
        if changes:
            self.apply(f"Import {name}", changes, cells)
        if price_changes and self.prices is not None:
            self.prices.apply(f"Import prices from {name}", price_changes, prices)

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
                           with_edits=choice.with_edits, day=date.today(),
                           suffix=".xlsx" if choice.workbook else ".csv")
        title = ("Export stock and prices to a batch-edit workbook" if choice.workbook
                 else "Export stock to a CSV file")
        path = self.choice.ask_save_path(title, name)
        if path is None:
            return
        if path.suffix.lower() in XLSX_SUFFIXES:  # the file's name decides, as the seller typed
            self._with_prices(lambda prices: self.export_workbook(
                path, cells, prices or [], with_edits=choice.with_edits))
        else:
            self.export_csv(path, cells, with_edits=choice.with_edits,
                            excel_safe=choice.excel_safe)

    def export_workbook(self, path: Path, cells: Sequence[StockCell],
                        prices: Sequence[PriceCell], *, with_edits: bool = True) -> None:
        """Seller Center's batch-edit workbook: stock and prices, to edit and import back."""
        skus = len({c.sku_id for c in cells})
        stock, priced = list(cells), list(prices)
        self.tasks.run(lambda control: export_workbook(
                           path, stock, priced, with_edits=with_edits,
                           progress=control.progress, cancel=control.cancelled),
                       name=f"Exporting stock to {path.name}",
                       on_done=lambda _n: messages.info(
                           f"Exported {skus:,} SKU{'s' * (skus != 1)} to {path.name}."),
                       on_failed=lambda error: messages.error(f"Exporting failed. {error}")
                       if isinstance(error, SheetRefused) else messages.report_failure(error))

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
