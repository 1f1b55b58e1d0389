"""What the seller does to the selected rows of the price table: Set to…, Raise or lower by…,
Raise or lower by %…, End in .99, Fill down, Clear edits, Copy and Paste. Each changes every
row it was given, as one undoable step, or refuses with a message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QTableView, QWidget

from tiktok_desktop.services import cell_edits, price_edits
from tiktok_desktop.services.cell_edits import EditRefused, rows_text
from tiktok_desktop.services.price_edits import PriceCell, PriceChange
from tiktok_desktop.services.price_values import PriceRefused, parse_price
from tiktok_desktop.ui.editing.prompt import ask_value
from tiktok_desktop.ui.editing.table import rows_from_selection, selected_rows
from tiktok_desktop.ui.listings.price_model import PriceTableModel

Apply = Callable[[str, Sequence[PriceChange], Sequence[PriceCell]], int]


def parse_amount(text: str, currency: str) -> Decimal:
    """A signed amount to raise (+) or lower (-) prices by: '2', '-1.50', '+0.99'."""
    raw = text.strip().replace("−", "-")
    sign = -1 if raw.startswith("-") else 1
    return sign * parse_price(raw.lstrip("+-").strip(), currency)


def parse_percent(text: str) -> Decimal:
    """'10', '-15', '+12.5%' → the percent; a plain message otherwise."""
    raw = text.strip().replace("−", "-").rstrip("%").strip()
    try:
        percent = Decimal(raw)
    except InvalidOperation:
        raise PriceRefused(f"“{text.strip()[:20]}” is not a percent: enter, say, 10 or "
                           "-15.") from None
    if not percent.is_finite() or percent == 0 or abs(percent) > 1000:
        raise PriceRefused("Enter a percent from -99 to 1000 (not 0): 10 raises prices by "
                           "10%, -15 lowers them by 15%.")
    return percent


class PriceActions(QObject):
    def __init__(self, window: QWidget, table: QTableView, model: PriceTableModel, apply: Apply,
                 refuse: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window, self.table, self.model = window, table, model
        self.apply, self.refuse = apply, refuse
        self.prompt: QInputDialog | None = None  # the last prompt (tests look at it)

    def selected_cells(self) -> list[PriceCell]:
        return self.model.cells(selected_rows(self.table))

    def _currency(self, cells: Sequence[PriceCell]) -> str:
        return cells[0].currency if cells else ""

    def _ask(self, title: str, question: str, then: Callable[[list[PriceCell], str], None]
             ) -> None:
        cells = self.selected_cells()
        if not cells:
            self.refuse("Select the rows to change first.")
            return
        self.prompt = ask_value(self.window, title, f"{question} ({rows_text(len(cells))})",
                                lambda text: then(self.selected_cells(), text))

    def ask_set(self) -> None:
        self._ask("Set price to…", "Set the price to", self.set_to)

    def ask_raise(self) -> None:
        self._ask("Raise or lower by…", "Raise by (-2.50 lowers by 2.50)", self.raise_by)

    def ask_percent(self) -> None:
        self._ask("Raise or lower by %…", "Raise by percent (-15 lowers by 15%)",
                  self.raise_by_percent)

    def _run(self, cells: list[PriceCell], text: str,
             make: Callable[[], list[PriceChange]]) -> int:
        if not cells:
            self.refuse("Select the rows to change first.")
            return 0
        try:
            changes = make()
        except (EditRefused, PriceRefused) as refused:
            self.refuse(str(refused))
            return 0
        return self.apply(f"{text} on {rows_text(len(cells))}", changes, cells)

    def set_to(self, cells: list[PriceCell], text: str) -> int:
        return self._run(cells, f"Set price to {text.strip()}", lambda: price_edits.set_to(
            cells, parse_price(text, self._currency(cells))))

    def raise_by(self, cells: list[PriceCell], text: str) -> int:
        return self._run(cells, f"Change price by {text.strip()}", lambda: price_edits.raise_by(
            cells, parse_amount(text, self._currency(cells))))

    def raise_by_percent(self, cells: list[PriceCell], text: str) -> int:
        return self._run(cells, f"Change price by {text.strip().rstrip('%')}%",
                         lambda: price_edits.raise_by_percent(cells, parse_percent(text)))

    def end_in_99(self) -> int:
        cells = self.selected_cells()
        return self._run(cells, "End in .99", lambda: price_edits.end_in_99(cells))

    def fill_down(self) -> int:
        cells = self.selected_cells()
        return self._run(cells, "Fill down", lambda: cell_edits.fill_down(  # type: ignore
            cells, "price"))

    def clear_edits(self) -> int:
        cells = self.selected_cells()
        return self._run(cells, "Clear edits", lambda: cell_edits.revert(cells))  # type: ignore

    def copy(self) -> None:
        """The selected rows' prices (new ones where edited), one per line, plain numbers that
        a spreadsheet reads as numbers."""
        cells = self.selected_cells()
        QGuiApplication.clipboard().setText("".join(
            f"{'' if c.current is None else c.current}\n" for c in cells))

    def paste_clipboard(self) -> int:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> int:
        below = rows_from_selection(self.table, self.model)
        try:
            changes = price_edits.paste(text, below)
        except EditRefused as refused:
            self.refuse(str(refused))
            return 0
        return self.apply(f"Paste {len(changes):,} prices", changes, below)

