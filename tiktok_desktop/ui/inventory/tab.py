"""The Inventory tab: stock per SKU and warehouse, edited like a spreadsheet, pushed safely.

Rows are read from the cache on the task runner's parallel lane (a busy shop has ~10k), and so
is every whole-table read (the shop's cells for review, conflicts and import; the outbox after
edits); only small, indexed lookups stay on the GUI thread. The connections are the session's.
Every edit goes through the shared `CellEditor` (undoable, written to the outbox on the serial
lane; review, push and resolve, as for prices); operations on the selection live in
`SelectionActions`. Nothing here talks to the network.

The main window connects its "cache changed" announcement to `refresh(changes)` and calls
`save_state()` at close (the table's column widths, order and sort, kept in the settings' UI state).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.stock_edits import (
    CellEdit,
    Key,
    StockCell,
    load_cells,
)
from tiktok_desktop.services.stock_values import parse_quantity
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui import cache_ops
from tiktok_desktop.ui.column_fit import ColumnFitter
from tiktok_desktop.ui.editing.delegate import NewValueDelegate, move_down
from tiktok_desktop.ui.editing.editor import CellEditor
from tiktok_desktop.ui.editing.table import set_up_table, table_action
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.inventory.files import StockFiles
from tiktok_desktop.ui.inventory.filter_bar import FilterBar
from tiktok_desktop.ui.inventory.stock_kind import StockSession, stock_kind
from tiktok_desktop.ui.inventory.table_actions import SelectionActions
from tiktok_desktop.ui.inventory.table_model import (
    AVAILABLE,
    COMMITTED,
    NEW,
    PRODUCT,
    SELLER_SKU,
    STATUS,
    VARIANT,
    WAREHOUSE,
    Show,
    StockTableModel,
)
from tiktok_desktop.ui.pictures import THUMBNAIL_PX, Pictures, read_pictures
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

WATCHED = ("stock", "skus", "products", "product_images", "warehouses", "outbox")
LAYOUT_KEY = "inventory/columns"
FITTED_KEY = "inventory/columns_fitted"  # "yes": the widths were the default fitted to the window
SHOW_KEY = "inventory/show"
WAREHOUSE_KEY = "inventory/warehouse"
COLUMN_WIDTHS = {PRODUCT: 34, VARIANT: 22, SELLER_SKU: 24, WAREHOUSE: 24, AVAILABLE: 13,
                 COMMITTED: 14, NEW: 22}


class InventoryTab(QWidget):
    changed = Signal(object)  # Changes this tab wrote to the cache (a push), for the others
    def __init__(self, session: StockSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.settings = session, tasks, settings
        self.shop_id = session.shop_id
        self.store = session.cache.gui()  # the window's connection, for small lookups
        self.model = StockTableModel(self)
        files = FileChoice(self, settings)
        self.editor = CellEditor(self, self.model, stock_kind(session), session, tasks, files)
        self.editing = self.editor.editing
        self.apply, self.refuse = self.editor.apply, self.editor.refuse
        self.files = StockFiles(self, tasks, self.apply, files,
                                self.store.shops.get(self.shop_id))
        self.filters = FilterBar(self)
        self.table = QTableView(self)
        self.delegate = NewValueDelegate(lambda cell, text: parse_quantity(text), "0 – 99,999",
                                         self.table)
        self.selection = SelectionActions(self, self.table, self.model, self.apply, self.refuse,
                                          self.shop_cells, lambda: self.filters.warehouse_id)
        self._scan_editing = False
        self._reads = 0  # the latest read of rows wins
        self._closed = False
        self._build()
        self._connect()
        self.filters.set_warehouses(self.store.catalog.warehouses(self.shop_id))
        self.filters.set_threshold(settings.low_stock_threshold_for(self.shop_id))
        self._restore_filters()
        self.reload()

    # -- layout ---------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object], *keys: QKeySequence | str,
                tip: str = "") -> QAction:
        return table_action(self, text, slot, *keys, tip=tip)

    def _build(self) -> None:
        set_up_table(self.table, self.model, self.delegate)
        self._default_columns()
        self._restore_columns()
        self._edit_actions = {
            "set": self._action("Set to…", lambda: self.selection.ask_bulk("set"),
                                tip="Set the selected rows to one number"),
            "add": self._action("Add…", lambda: self.selection.ask_bulk("add"),
                                tip="Add units to the selected rows (a delivery came in): "
                                    "added to what the shop has when you push"),
            "subtract": self._action("Subtract…", lambda: self.selection.ask_bulk("subtract"),
                                     tip="Take units off the selected rows"),
            "set_zero": self._action("Set to 0", lambda: self.selection.bulk("set", 0)),
            "fill_down": self._action("Fill down", self.selection.fill_down, "Ctrl+D",
                                      tip="Copy the first selected number down (Ctrl+D)"),
            "clear_edits": self._action(
                "Clear edits", self.selection.clear_edits, QKeySequence.StandardKey.Delete,
                tip="Put the shop's number back on the selected rows (Delete)"),
        }
        edit = list(self._edit_actions.values())
        self.undo_action, self.redo_action = self.editor.undo_action, self.editor.redo_action
        self._edit_actions |= {
            "undo": self.undo_action, "redo": self.redo_action,
            "copy": self._action("Copy", self.selection.copy, QKeySequence.StandardKey.Copy),
            "paste": self._action("Paste", self.selection.paste_clipboard,
                                  QKeySequence.StandardKey.Paste),
            "select_all": self._action("Select all", self.table.selectAll,
                                       QKeySequence.StandardKey.SelectAll),
        }
        files = [
            self._action("Import…", lambda: self.files.choose_import(self.with_shop_cells),
                         tip="Stock from a CSV or Seller Center's batch-edit workbook (.xlsx)"),
            self._action("Export CSV…", lambda: self.files.choose_export(
                self.model.cells(), self.with_shop_cells)),
            self._action("History…", self.editor.show_history,
                         tip="Every stock change pushed from this app"),
        ]
        toolbar = QToolBar(self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for group in (edit, [self.undo_action, self.redo_action], files):
            toolbar.addActions(group)
            toolbar.addSeparator()
        editor = self.editor
        actions = QHBoxLayout()
        actions.addWidget(toolbar, 1)
        actions.addWidget(editor.counts)
        for button in (editor.conflicts_button, editor.review_button, editor.push_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(editor.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(editor.push_bar)

    def _default_columns(self) -> None:
        char = self.fontMetrics().averageCharWidth()
        wanted = {column: char * characters for column, characters in COLUMN_WIDTHS.items()}
        wanted[PRODUCT] += THUMBNAIL_PX + 8  # the product's picture sits beside its name
        wanted[STATUS] = char * 24
        for column, width in wanted.items():
            self.table.setColumnWidth(column, width)
        # On a small screen the long texts give room, so Status shows without scrolling.
        minimum = {PRODUCT: THUMBNAIL_PX + 8 + char * 14, VARIANT: char * 10,
                   SELLER_SKU: char * 14, WAREHOUSE: char * 10}
        self.fitter = ColumnFitter(self.table, wanted, minimum)

    def _restore_columns(self) -> None:
        """The columns as the seller left them (widths, order, sort). An unreadable layout is
        refused by Qt and the defaults stay; Qt also copes with a layout saved when there
        were fewer or more columns."""
        self.fitter.restore(self.settings.ui_state(LAYOUT_KEY),
                            fitted=self.settings.ui_choice(FITTED_KEY) == "yes")

    def _restore_filters(self) -> None:
        """The warehouse and quick filter of the last session (not the search text)."""
        self.filters.blockSignals(True)  # one read, below
        try:
            show = self.settings.ui_choice(SHOW_KEY)
            if show in Show.__members__:
                self.filters.set_quick_filter(Show[show])
            warehouse = self.settings.ui_choice(WAREHOUSE_KEY)
            found = self.filters.warehouse.findData(warehouse) if warehouse else -1
            if found >= 0:
                self.filters.warehouse.setCurrentIndex(found)
        finally:
            self.filters.blockSignals(False)

    def save_state(self) -> None:
        self.settings.set_ui_choice(SHOW_KEY, self.filters.quick_filter.name)
        self.settings.set_ui_choice(WAREHOUSE_KEY, self.filters.warehouse_id)
        self.settings.set_ui_state(LAYOUT_KEY, self.table.horizontalHeader().saveState())
        self.settings.set_ui_choice(FITTED_KEY, "yes" if self.fitter.active else None)

    def _connect(self) -> None:
        self.filters.changed.connect(self.reload)
        self.filters.scanned.connect(self.scan)
        self.filters.threshold_changed.connect(self._set_threshold)
        self.model.changes_requested.connect(lambda changes: self.apply(
            "Edit stock", changes, self.model.loaded_cells()))
        self.model.refused.connect(self.refuse)
        self.delegate.refused.connect(self.refuse)
        self.delegate.closeEditor.connect(self._editor_closed)
        self.delegate.entered.connect(lambda: move_down(self.table))
        self.editor.pushed.connect(self.refresh_numbers)
        self.editor.changed.connect(self.changed)

    # -- loading --------------------------------------------------------------------------------

    @Slot()
    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Rows of the current search and warehouse, with their edits (read in the background;
        `then` runs once they are shown)."""
        self._read(lambda cells: self.model.load(cells, self.filters.quick_filter,
                                                 self.filters.threshold.value()), then)

    @Slot()
    def refresh_numbers(self) -> None:
        """The same rows with fresh numbers and edits, in place (selection and scroll kept)."""
        self._read(self.model.update, None)

    @Slot(int)
    def _set_threshold(self, value: int) -> None:
        self.settings.set_low_stock_threshold_for(self.shop_id, value)  # each shop its own line
        self.model.set_filter(self.filters.quick_filter, value)

    def settings_changed(self) -> None:
        """Preferences were applied: the global low-stock line may have moved, which is this
        shop's line unless it has its own."""
        value = self.settings.low_stock_threshold_for(self.shop_id)
        self.filters.set_threshold(value)
        self.model.set_filter(self.filters.quick_filter, value)

    @Slot(object)
    def refresh(self, changes: Changes) -> None:
        """Another part of the app wrote to the cache (a sync, a push): reload if it matters."""
        if self._closed:
            return
        if changes.touches(*WATCHED) and self.shop_id in changes.shop_ids:
            if changes.touches("warehouses"):
                self.filters.set_warehouses(self.store.catalog.warehouses(self.shop_id))
            self.refresh_numbers()

    def _read(self, show: Callable[[list[StockCell]], None],
              then: Callable[[], None] | None) -> None:
        # A busy shop has ~10k rows: reading them takes longer than a frame, so not here.
        if self._closed:
            return
        self._reads += 1
        number, shop_id = self._reads, self.shop_id
        warehouse_id, search = self.filters.warehouse_id, self.filters.text
        held, pixel_ratio = self.model.picture_links(), self.table.devicePixelRatioF()

        def read(store: Store) -> tuple[list[StockCell], dict[Key, CellEdit], Pictures]:
            cells, edits = load_cells(store, shop_id, warehouse_id=warehouse_id, search=search)
            pictures = read_pictures(store, shop_id, {c.product_id for c in cells}, held,
                                     pixel_ratio)
            return cells, edits, pictures

        def shown(result: tuple[list[StockCell], dict[Key, CellEdit], Pictures]) -> None:
            if number != self._reads or self._closed:
                return  # a newer read is on its way
            self.model.set_pictures(result[2])
            show(result[0])
            self.table.setColumnHidden(VARIANT, not any(c.variant for c in result[0]))
            self.editor.show_edits(result[1])
            self.filters.count.setText(f"{self.model.rowCount():,} rows")
            if then is not None:
                then()

        cache_ops.read(self, self.tasks, self.session, read, name="Reading stock", on_done=shown)

    def shop_cells(self) -> list[StockCell]:
        """Every cell of the shop, with its edit as the table shows it (for matching a pasted
        block by SKU; a paste is applied at once, so this one reads here)."""
        return self.editor.with_table_edits(load_cells(self.store, self.shop_id)[0])

    def with_shop_cells(self, then: Callable[[list[StockCell]], None]) -> None:
        """Like shop_cells, read in the background; `then(cells)` runs on the GUI thread."""
        self.editor.with_shop_cells(then)

    # -- scanning ---------------------------------------------------------------------------------

    @Slot(str)
    def scan(self, code: str) -> None:
        """Enter in the search box: show the matches; one SKU found → its New value, ready to
        type the count (then back to the search box for the next scan)."""
        self.reload(lambda: self._open_scanned(code))

    def take_scan(self, code: str) -> bool:
        """A scan from anywhere in the window: a seller SKU (or SKU id) of this shop shows its
        rows, ready for the count; anything else is not for this tab."""
        if not self.store.catalog.has_sku(self.shop_id, code):
            return False
        self.filters.search.setText(code)
        self.scan(code)
        return True

    def _open_scanned(self, code: str) -> None:
        wanted = code.casefold()
        hits = [r for r, c in enumerate(self.model.cells())
                if wanted and (c.seller_sku.casefold() == wanted or c.sku_id == code)]
        if len({self.model.cell(r).sku_id for r in hits}) != 1:
            return
        index = self.model.index(hits[0], NEW)
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.setFocus()
        self._scan_editing = True
        self.table.edit(index)

    @Slot()
    def _editor_closed(self) -> None:
        if self._scan_editing:
            self._scan_editing = False
            if self.isVisible():  # not when the seller went to another tab meanwhile
                self.filters.focus_search()

    def focus_search(self) -> None:
        """Ctrl+F (the main window): to the search box, its text selected."""
        self.filters.focus_search()

    def edit_actions(self) -> dict[str, QAction]:
        """The Edit menu's items this tab does (ui/edit_menu.py)."""
        return dict(self._edit_actions)

    def shop_closing(self) -> None:
        """The shop is closing (its session closes the connections). Edits still queued are
        written by the serial lane (at quit too); answers on their way are ignored from now on."""
        self.editor.close()
        self._closed = True
