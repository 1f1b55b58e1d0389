"""Several orders at once: the table's selected rows, put back after a refresh, and written as
tab-separated text with a header line (what a seller pastes into a spreadsheet).

Rows are read from the selection's ranges, never index by index: Ctrl+A over 100,000 orders is
one range, but 1.6 million selected indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QHeaderView, QTableView

from tiktok_desktop.ui.orders.columns import COLUMNS, DisplayRow

_ONE_LINE = str.maketrans("\t\r\n", "   ")  # a tab or a line break would split the cell


def selected_rows(table: QTableView) -> list[int]:
    """The selected rows, top to bottom."""
    rows: set[int] = set()
    for part in table.selectionModel().selection():
        rows.update(range(part.top(), part.bottom() + 1))
    return sorted(rows)


def runs(rows: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted rows as (first, last) runs of neighbours: [1, 2, 3, 7] → (1, 3), (7, 7)."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[i - 1] + 1:
            yield rows[start], rows[i - 1]
            start = i


def select_rows(table: QTableView, rows: Iterable[int]) -> None:
    """Select these rows and only these (the current row stays where it is)."""
    model = table.model()
    last = model.columnCount() - 1
    selection = QItemSelection()
    for first, end in runs(sorted(rows)):
        selection.select(model.index(first, 0), model.index(end, last))
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
             | QItemSelectionModel.SelectionFlag.Rows)
    table.selectionModel().select(selection, flags)


def shown_columns(header: QHeaderView) -> list[int]:
    """The columns the seller sees, left to right as arranged (logical numbers)."""
    columns = (header.logicalIndex(place) for place in range(header.count()))
    return [column for column in columns if not header.isSectionHidden(column)]


def table_text(columns: Sequence[int], rows: Iterable[DisplayRow]) -> str:
    """A header line of column titles, then one line per order, cells as the table shows them."""
    lines = ["\t".join(COLUMNS[c].title for c in columns)]
    lines.extend("\t".join(row.texts[c].translate(_ONE_LINE) for c in columns) for row in rows)
    return "\n".join(lines) + "\n"
