"""A plain rows table whose money columns read as amounts: right-aligned, with the currency's
symbol ("$1,234.50", "−$3.00"), the way ui/formatting.money writes them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QObject, Qt

from tiktok_desktop.ui.editing.rows_model import Index, Row, RowsModel

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class AmountsModel(RowsModel):
    def __init__(self, headers: Sequence[str], amount_columns: Collection[int],
                 parent: QObject | None = None) -> None:
        super().__init__(headers, (), parent)
        self._amount_columns = frozenset(amount_columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role == Qt.ItemDataRole.TextAlignmentRole and index.isValid()
                and index.column() in self._amount_columns):
            return RIGHT
        return super().data(index, role)

    def find(self, data: object) -> int | None:
        """The row standing for `data` (Row.data), if shown."""
        return next((n for n, row in enumerate(self.rows) if row.data == data), None)


__all__ = ["AmountsModel", "Row"]
