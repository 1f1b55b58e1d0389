"""What the seller does to the selected rows of the Inventory table: Set to…, Add…, Subtract…,
Set to 0, Fill down, Clear edits, Copy and Paste. Each either changes every row it was given, as
one undoable step, or refuses with a message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QTableView, QWidget

from tiktok_desktop.services import cell_edits, stock_edits
from tiktok_desktop.services.cell_edits import rows_text
from tiktok_desktop.services.stock_edits import Change, EditRefused, StockCell
from tiktok_desktop.services.stock_match import StockIndex
from tiktok_desktop.services.stock_paste import WarehouseNeeded, paste, paste_report
from tiktok_desktop.services.stock_values import QuantityRefused, parse_quantity
from tiktok_desktop.ui.editing.prompt import ask_value
from tiktok_desktop.ui.editing.table import rows_from_selection, selected_rows
from tiktok_desktop.ui.inventory.import_dialog import PasteDialog
from tiktok_desktop.ui.inventory.table_model import (
    AVAILABLE,
    COMMITTED,
    NEW,
    StockTableModel,
)

Apply = Callable[[str, Sequence[Change], Sequence[StockCell]], int]
BULK_OPS: dict[str, tuple[str, Callable[[Sequence[StockCell], int], list[Change]]]] = {
    "set": ("Set to", stock_edits.set_to),
    "add": ("Add", stock_edits.add),
    "subtract": ("Subtract", stock_edits.subtract),
}


def _plain(model: StockTableModel, row: int, column: int) -> str:
    cell = model.cell(row)
    if column == NEW:
        return "" if cell.current is None else str(cell.current)
    if column == AVAILABLE:
        return "" if cell.available is None else str(cell.available)
    if column == COMMITTED:
        return "" if cell.committed is None else str(cell.committed)
    text = str(model.index(row, column).data() or "")
    return text.replace("\t", " ").replace("\n", " ")


def copy_text(table: QTableView, model: StockTableModel) -> str:
    """The selected cells as rows of tab-separated text (a rectangle over selected rows and
    columns), numbers without thousands separators so spreadsheets read them as numbers."""
    selection = table.selectionModel()
    if selection is None or not selection.selectedIndexes():
        return ""
    indexes = selection.selectedIndexes()
    rows = sorted({i.row() for i in indexes})
    columns = sorted({i.column() for i in indexes})
    return "\n".join("\t".join(_plain(model, r, c) for c in columns) for r in rows) + "\n"


class SelectionActions(QObject):
    def __init__(self, window: QWidget, table: QTableView, model: StockTableModel, apply: Apply,
                 refuse: Callable[[str], None], shop_cells: Callable[[], list[StockCell]],
                 warehouse_id: Callable[[], str | None]) -> None:
        super().__init__(window)
        self.window, self.table, self.model = window, table, model
        self.apply, self.refuse = apply, refuse
        self.shop_cells, self.warehouse_id = shop_cells, warehouse_id
        self.prompt: QInputDialog | None = None  # the last number prompt (tests look at it)
        self.paste_preview: PasteDialog | None = None  # the last warehouse question (same)

    def selected_cells(self) -> list[StockCell]:
        return self.model.cells(selected_rows(self.table))

    def ask_bulk(self, op: str) -> None:
        """Ask for the number (non-modal), then apply the operation to the selected rows."""
        cells = self.selected_cells()
        if not cells:
            self.refuse("Select the rows to change first.")
            return
        title = BULK_OPS[op][0]
        self.prompt = ask_value(self.window, f"{title}…",
                                f"{title} how many units? ({rows_text(len(cells))})",
                                lambda text: self._bulk_text(op, text))

    def _bulk_text(self, op: str, text: str) -> None:
        try:
            self.bulk(op, parse_quantity(text))
        except QuantityRefused as refused:
            self.refuse(str(refused))

    def bulk(self, op: str, quantity: int) -> int:
        cells = self.selected_cells()
        if not cells:
            self.refuse("Select the rows to change first.")
            return 0
        title, operation = BULK_OPS[op]
        try:
            changes = operation(cells, quantity)
        except EditRefused as refused:
            self.refuse(str(refused))
            return 0
        return self.apply(f"{title} {quantity:,} on {rows_text(len(cells))}", changes, cells)

    def fill_down(self) -> int:
        cells = self.selected_cells()
        try:
            changes = cell_edits.fill_down(cells, "stock")
        except EditRefused as refused:
            self.refuse(str(refused))
            return 0
        return self.apply(f"Fill down {rows_text(len(cells))}", changes, cells)

    def clear_edits(self) -> int:
        cells = self.selected_cells()
        return self.apply(f"Clear edits on {rows_text(len(cells))}", cell_edits.revert(cells),
                          cells)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(copy_text(self.table, self.model))

    def paste_clipboard(self) -> int:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> int:
        rows = selected_rows(self.table)
        below = rows_from_selection(self.table, self.model)
        shop = self.shop_cells()
        index = StockIndex(shop)
        try:
            pasted = paste(text, below=below, selected=self.model.cells(rows), shop=index,
                           warehouse_id=self.warehouse_id())
        except WarehouseNeeded as needed:
            self._ask_warehouse(text, index, shop, needed.warehouses)
            return 0
        except EditRefused as refused:
            self.refuse(str(refused))
            return 0
        return self.apply(f"Paste {len(pasted.changes):,} numbers", pasted.changes, shop)

    def _ask_warehouse(self, text: str, index: StockIndex, shop: list[StockCell],
                       warehouses: dict[str, str]) -> None:
        """The paste preview with its warehouse chooser; applied whole once confirmed."""
        if self.paste_preview is not None:
            self.paste_preview.close()
        dialog = PasteDialog(warehouses, lambda warehouse_id: paste_report(text, index,
                                                                            warehouse_id),
                             self.window)
        dialog.apply_requested.connect(lambda changes: self.apply(
            f"Paste {len(changes):,} numbers into {dialog.warehouse_name}", changes, shop))
        self.paste_preview = dialog
        dialog.open()
