"""A table's default column widths, fitted to the room the window gives it.

On a small screen (1024x700) the default widths would push the last columns out of sight behind
a scroll bar. Until the seller sizes a column themselves, the columns that can give room (long
texts: product names, variants, warehouses — elided with "…", the whole text in the tooltip)
shrink, in proportion and never below their minimum, so every column shows; on a wider window
they grow back to their defaults. Once the seller drags a column edge, their widths rule.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QEvent, QObject, Slot
from PySide6.QtWidgets import QTableView


class ColumnFitter(QObject):
    def __init__(self, table: QTableView, wanted: Mapping[int, int],
                 minimum: Mapping[int, int]) -> None:
        """`wanted`: each column's default width; `minimum`: how far each column that may
        give room can shrink (the others keep their width)."""
        super().__init__(table)
        self.table, self.wanted, self.minimum = table, dict(wanted), dict(minimum)
        self.active = True
        self._fitting = False
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._resized_by_hand)

    def restore(self, state: QByteArray | None, *, fitted: bool) -> bool:
        """Put back a saved layout (order, sort, hidden columns, widths); False when there is
        none. `fitted`: its widths were this fitter's, so they are fitted afresh to this window
        (a layout saved on a small screen does not stay small on a big one)."""
        if state is None or not self.table.horizontalHeader().restoreState(state):
            return False
        self.active = fitted
        if fitted:
            self.fit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.active:
            self.fit()
        return False

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        shown = [c for c in self.wanted if not header.isSectionHidden(c)]
        # The last column stretches into what is left: count it at its default.
        excess = sum(self.wanted[c] for c in shown) - self.table.viewport().width()
        give = {c: self.wanted[c] - self.minimum[c] for c in shown if c in self.minimum}
        share = min(1.0, max(0.0, excess) / sum(give.values())) if sum(give.values()) else 0.0
        self._fitting = True
        try:
            for column in shown:
                width = self.wanted[column] - round(give.get(column, 0) * share)
                if header.sectionSize(column) != width and column != self._stretched():
                    self.table.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _stretched(self) -> int:
        """The column the header stretches into the room left (it sizes itself)."""
        header = self.table.horizontalHeader()
        return header.logicalIndex(header.count() - 1) if header.stretchLastSection() else -1

    @Slot(int, int, int)
    def _resized_by_hand(self, section: int, old: int, new: int) -> None:
        # Hiding and showing a column (no variants in this shop) resize it to and from 0.
        if not self._fitting and section != self._stretched() and old and new:
            self.active = False  # the seller's widths from now on
