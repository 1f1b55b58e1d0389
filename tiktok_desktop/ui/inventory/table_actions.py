"""Small helpers on the Inventory table's selection: which rows, and copying as a spreadsheet
expects it (tab-separated, plain numbers)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from tiktok_desktop.ui.inventory.table_model import (
    AVAILABLE,
    COMMITTED,
    NEW,
    StockTableModel,
)


def selected_rows(table: QTableView) -> list[int]:
    """The rows with a selected cell, top to bottom."""
    model = table.selectionModel()
    return sorted({index.row() for index in model.selectedIndexes()}) if model else []


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
