"""The Listings tab's price table: every SKU of the listings shown, its price edited like a
spreadsheet and pushed safely — the stock table's feel (ui/editing/: undo, review, push,
resolve, history), for prices.

The tab says which products are listed (`show_products`); their SKUs and open price edits are
read in the background, with the products' pictures. Nothing here writes the cache or talks to
the network but through the shared editor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.price_edits import PriceCell, load_cells
from tiktok_desktop.services.price_values import parse_price
from tiktok_desktop.store import Store
from tiktok_desktop.ui import cache_ops
from tiktok_desktop.ui.editing.delegate import NewValueDelegate, move_down
from tiktok_desktop.ui.editing.editor import CellEditor
from tiktok_desktop.ui.editing.table import set_up_table, table_action
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.listings.price_actions import PriceActions
from tiktok_desktop.ui.listings.price_kind import PriceSession, price_kind
from tiktok_desktop.ui.listings.price_model import (
    LISTING,
    NEW,
    PRICE,
    PRODUCT,
    SELLER_SKU,
    STATUS,
    VARIANT,
    PriceTableModel,
)
from tiktok_desktop.ui.pictures import THUMBNAIL_PX, Pictures, read_pictures
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

COLUMN_CHARS = {PRODUCT: 34, VARIANT: 16, SELLER_SKU: 20, LISTING: 14, PRICE: 13, NEW: 22,
                STATUS: 20}


class PricesView(QWidget):
    listed = Signal()  # the table shows the SKUs of the products last asked for
    product_chosen = Signal(str)  # the current row's product (the tab shows its detail)

    def __init__(self, session: PriceSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks = session, tasks
        self.shop_id = session.shop_id
        self.model = PriceTableModel(self)
        self.table = QTableView(self)
        self.editor = CellEditor(self, self.model, price_kind(session), session, tasks,
                                 FileChoice(self, settings))
        self.delegate = NewValueDelegate(
            lambda cell, text: parse_price(text, cell.currency if cell else None),
            "e.g. 12.99", self.table)
        self.price_actions = PriceActions(self, self.table, self.model, self.editor.apply,
                                    self.editor.refuse)
        self.count = QLabel(self)
        self._product_ids: list[str] = []
        self._picked: str | None = None  # a scanned code whose SKU to select once listed
        self._reads = 0  # the latest read wins
        self._closed = False
        self._build()
        self._connect()

    def _action(self, text: str, slot: Callable[[], object], *keys: QKeySequence | str,
                tip: str = "") -> QAction:
        return table_action(self, text, slot, *keys, tip=tip)

    def _build(self) -> None:
        set_up_table(self.table, self.model, self.delegate)
        char = self.fontMetrics().averageCharWidth()
        for column, chars in COLUMN_CHARS.items():
            self.table.setColumnWidth(column, char * chars + (THUMBNAIL_PX + 8
                                                              if column == PRODUCT else 0))
        act, ed = self.price_actions, self.editor
        self.edit_actions = {
            "set": self._action("Set to…", act.ask_set, tip="Set the selected prices to one "
                                "price"),
            "raise": self._action("Raise or lower by…", act.ask_raise,
                                  tip="Add an amount to the selected prices (a minus lowers "
                                      "them)"),
            "percent": self._action("By %…", act.ask_percent,
                                    tip="Raise or lower the selected prices by a percent, "
                                        "rounded to the cent"),
            "end_99": self._action("End in .99", act.end_in_99,
                                   tip="Each selected price to the nearest price ending in .99 "
                                       "(12.60 → 12.99, 12.40 → 11.99)"),
            "fill_down": self._action("Fill down", act.fill_down, "Ctrl+D",
                                      tip="Copy the first selected price down (Ctrl+D)"),
            "clear_edits": self._action(
                "Clear edits", act.clear_edits, QKeySequence.StandardKey.Delete,
                tip="Put the shop's price back on the selected rows (Delete)"),
        }
        bulk = list(self.edit_actions.values())
        self.edit_actions |= {
            "undo": ed.undo_action, "redo": ed.redo_action,
            "copy": self._action("Copy", act.copy, QKeySequence.StandardKey.Copy),
            "paste": self._action("Paste", act.paste_clipboard, QKeySequence.StandardKey.Paste,
                                  tip="Paste a column of prices from a spreadsheet, from the "
                                      "selected row down"),
            "select_all": self._action("Select all", self.table.selectAll,
                                       QKeySequence.StandardKey.SelectAll),
        }
        history = self._action("History…", ed.show_history,
                               tip="Every price change pushed from this app")
        toolbar = QToolBar(self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for group in (bulk, [ed.undo_action, ed.redo_action], [history]):
            toolbar.addActions(group)
            toolbar.addSeparator()
        actions = QHBoxLayout()
        actions.addWidget(toolbar, 1)
        actions.addWidget(self.count)
        actions.addSpacing(12)
        actions.addWidget(ed.counts)
        for button in (ed.conflicts_button, ed.review_button, ed.push_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addWidget(ed.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(ed.push_bar)

    def _connect(self) -> None:
        self.model.changes_requested.connect(
            lambda changes: self.editor.apply("Edit price", changes, self.model.loaded_cells()))
        self.model.refused.connect(self.editor.refuse)
        self.delegate.refused.connect(self.editor.refuse)
        self.delegate.entered.connect(lambda: move_down(self.table))
        self.editor.pushed.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    # -- reading --------------------------------------------------------------------------------

    def show_products(self, product_ids: Sequence[str]) -> None:
        """The SKUs of these listings, in this order (read in the background); the same
        listings again (a sync) are repainted in place, keeping the selection."""
        if list(product_ids) == self._product_ids and self.model.loaded_cells():
            self.refresh()
            return
        self._product_ids = list(product_ids)
        self._read(self.model.load)

    @Slot()
    def refresh(self) -> None:
        """The same rows with fresh prices and edits, in place (selection and scroll kept)."""
        self._read(self.model.update)

    def _read(self, show: Callable[[list[PriceCell]], None]) -> None:
        if self._closed:
            return
        self._reads += 1
        number, shop_id, ids = self._reads, self.shop_id, list(self._product_ids)
        held, pixel_ratio = self.model.picture_links(), self.table.devicePixelRatioF()

        def read(store: Store) -> tuple[list[PriceCell], dict, Pictures]:
            cells, edits = load_cells(store, shop_id, ids)
            return cells, edits, read_pictures(store, shop_id, set(ids), held, pixel_ratio)

        def shown(result: tuple[list[PriceCell], dict, Pictures]) -> None:
            if number != self._reads or self._closed:
                return  # a newer read is on its way
            cells, edits, pictures = result
            self.model.set_pictures(pictures)
            show(cells)
            self.table.setColumnHidden(VARIANT, not any(c.variant for c in cells))
            self.editor.show_edits(edits)
            self.count.setText(f"{self.model.rowCount():,} SKUs")
            if self._picked is not None:
                self._select_code(self._picked)
                self._picked = None
            self.listed.emit()

        cache_ops.read(self, self.tasks, self.session, read, name="Reading prices",
                       on_done=shown)

    # -- moving around --------------------------------------------------------------------------

    @Slot()
    def _current_changed(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.product_chosen.emit(self.model.cell(current.row()).product_id)

    def pick(self, code: str) -> None:
        """A scanned seller SKU or SKU id: its new price becomes the current cell once its
        listing is shown (at once if it is)."""
        self._picked = code
        self._select_code(code)  # listed already: selected now (and again once re-read)

    def _select_code(self, code: str) -> None:
        wanted = code.casefold()
        for row, cell in enumerate(self.model.cells()):
            if cell.sku_id == code or cell.seller_sku.casefold() == wanted:
                index = self.model.index(row, NEW)
                self.table.setCurrentIndex(index)
                self.table.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.table.scrollTo(index)
                return

    def close_shop(self) -> None:
        """The shop is closing: queued edits are still written; answers are ignored."""
        self.editor.close()
        self._closed = True
