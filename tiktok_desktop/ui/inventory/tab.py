"""The Inventory tab: stock per SKU and warehouse, edited like a spreadsheet, pushed safely.

Rows are read from the cache on the task runner's parallel lane (a busy shop has ~10k), and so
is every whole-table read (the shop's cells for review, conflicts and import; the outbox after
edits); only small, indexed lookups stay on the GUI thread. The connections are the session's.
Every edit goes through `Editing` (undoable, written to the outbox on the serial lane);
operations on the selection live in `SelectionActions`; pushes run in the background through
`PushControl`. Nothing here talks to the network.

The main window connects its "cache changed" announcement to `refresh(changes)` and calls
`save_state()` at close (the table's column widths, order and sort, kept in the settings' UI state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.stock_audit import audit_lines
from tiktok_desktop.services.stock_edits import (
    CellEdit,
    Change,
    Key,
    StockCell,
    load_cells,
    open_edits,
    stock_writer,
)
from tiktok_desktop.services.stock_review import review
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.sync.stock_push import stock_push_interrupted
from tiktok_desktop.ui import cache_ops
from tiktok_desktop.ui.column_fit import ColumnFitter
from tiktok_desktop.ui.inventory.conflict_dialog import ConflictDialog
from tiktok_desktop.ui.inventory.delegate import NewValueDelegate
from tiktok_desktop.ui.inventory.editing import Editing
from tiktok_desktop.ui.inventory.files import StockFiles
from tiktok_desktop.ui.inventory.filter_bar import FilterBar
from tiktok_desktop.ui.inventory.pictures import THUMBNAIL_PX, Pictures, read_pictures
from tiktok_desktop.ui.inventory.push_bar import PushBar
from tiktok_desktop.ui.inventory.push_control import PushControl, StockSession
from tiktok_desktop.ui.inventory.review_dialog import ReviewDialog
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
    def __init__(self, session: StockSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.settings = session, tasks, settings
        self.shop_id = session.shop_id
        self.store = session.cache.gui()  # the window's connection, for small lookups
        self.model = StockTableModel(self)
        self.editing = Editing(self.model, stock_writer(session.cache, self.shop_id),
                               tasks, parent=self)
        self.filters = FilterBar(self)
        self.table = QTableView(self)
        self.delegate = NewValueDelegate(self.table)
        self.banner = QLabel(self)
        self.counts = QLabel(self)
        self.push_bar = PushBar(self)
        self.pusher = PushControl(session, tasks, self.push_bar, self)
        self.files = StockFiles(self, tasks, self.apply, settings,
                                self.store.shops.get(self.shop_id))
        self.selection = SelectionActions(self, self.table, self.model, self.apply, self.refuse,
                                          self.shop_cells, lambda: self.filters.warehouse_id)
        self.dialog: ReviewDialog | ConflictDialog | None = None
        self._after_writes: Callable[[], None] | None = None  # a push asked for meanwhile
        self._scan_editing = False
        self._reads = 0  # the latest read of rows wins
        self._edits: dict[Key, CellEdit] = {}  # the outbox's open edits, as last read
        self._closed = False
        self._build()
        self._connect()
        self.filters.set_warehouses(self.store.catalog.warehouses(self.shop_id))
        self.filters.set_threshold(settings.low_stock_threshold_for(self.shop_id))
        self._restore_filters()
        self.reload()
        QTimer.singleShot(0, self, self._resume_interrupted_push)

    # -- layout ---------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], None], *keys: QKeySequence | str,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setIconText(text)  # a tool button would drop the "…" that says "asks first"
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tip or text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build(self) -> None:
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(NEW, self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            max(self.fontMetrics().height() + 8, THUMBNAIL_PX + 4))
        self.table.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(False)
        self._default_columns()
        self._restore_columns()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff1d6; border: 1px solid #e0b060; "
                                  "border-radius: 3px; padding: 4px 8px; }")
        self.banner.hide()
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
        stack = self.editing.undo_stack
        self.undo_action = self._action("Undo", stack.undo, "Ctrl+Z")
        self.redo_action = self._action("Redo", stack.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        # Fixed labels (the toolbar doesn't jump); what would be undone is in the tooltip.
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_action.setToolTip(
            f"Undo: {text} (Ctrl+Z)" if text else "Undo (Ctrl+Z)"))
        stack.redoTextChanged.connect(lambda text: self.redo_action.setToolTip(
            f"Redo: {text} (Ctrl+Shift+Z)" if text else "Redo (Ctrl+Shift+Z)"))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self._edit_actions |= {
            "undo": self.undo_action, "redo": self.redo_action,
            "copy": self._action("Copy", self.selection.copy, QKeySequence.StandardKey.Copy),
            "paste": self._action("Paste", self.selection.paste_clipboard,
                                  QKeySequence.StandardKey.Paste),
            "select_all": self._action("Select all", self.table.selectAll,
                                       QKeySequence.StandardKey.SelectAll),
        }
        files = [
            self._action("Import CSV…", lambda: self.files.choose_import(self.with_shop_cells)),
            self._action("Export CSV…", lambda: self.files.choose_export(
                self.model.cells(), self.with_shop_cells)),
            self._action("History…", self.show_history,
                         tip="Every stock change pushed from this app"),
        ]
        toolbar = QToolBar(self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for group in (edit, [self.undo_action, self.redo_action], files):
            toolbar.addActions(group)
            toolbar.addSeparator()
        self.conflicts_button = QPushButton("Resolve…")
        self.conflicts_button.setToolTip("Keep mine or take theirs for numbers changed elsewhere "
                                         "or refused by TikTok Shop")
        self.review_button = QPushButton("Review changes…")
        self.push_button = QPushButton("Push")
        self.push_button.setDefault(True)
        actions = QHBoxLayout()
        actions.addWidget(toolbar, 1)
        actions.addWidget(self.counts)
        for button in (self.conflicts_button, self.review_button, self.push_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.push_bar)

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
        self.delegate.entered.connect(self._move_down)
        self.editing.settled.connect(self._writes_settled)
        self.pusher.finished.connect(self._pushed)
        self.pusher.progressed.connect(self.refresh_numbers)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.pusher.resolve_requested.connect(self.show_conflicts)
        self.review_button.clicked.connect(self.show_review)
        self.push_button.clicked.connect(self.push_or_review)

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
            self._edits = result[1]
            self._show_counts(result[1])
            if then is not None:
                then()

        cache_ops.read(self, self.tasks, self.session, read, name="Reading stock", on_done=shown)

    def _refresh_edits(self) -> None:
        """Re-read the edits only (ids and states), keeping rows and selection as they are."""
        shop_id = self.shop_id

        def shown(edits: dict[Key, CellEdit]) -> None:
            if self._closed:
                return
            self._edits = edits
            changed: dict[Key, CellEdit | None] = {}
            for cell in self.model.loaded_cells():
                edit = edits.get(cell.key)
                if edit != cell.edit:
                    changed[cell.key] = edit
            self.model.set_edits(changed)
            self._show_counts(edits)

        cache_ops.read(self, self.tasks, self.session, lambda store: open_edits(store, shop_id),
                       name="Reading stock edits", on_done=shown)

    def _show_counts(self, edits: dict[Key, CellEdit]) -> None:
        states = [e.state for e in edits.values()]
        waiting = sum(s in ("pending", "sent") for s in states)
        failed, conflicts = states.count("failed"), states.count("conflict")
        parts = [f"{waiting:,} not pushed"] if waiting else []
        if conflicts:
            parts.append(f"{conflicts:,} changed elsewhere")
        if failed:
            parts.append(f"{failed:,} refused")
        self.counts.setText(" · ".join(parts))
        self.conflicts_button.setText(f"Resolve {conflicts + failed:,}…")
        self.conflicts_button.setVisible(bool(conflicts or failed))
        self.push_button.setText(f"Push {waiting:,}" if waiting else "Push")
        self.push_button.setEnabled(bool(waiting) and not self.pusher.running)
        self.review_button.setEnabled(bool(waiting))
        self.filters.count.setText(f"{self.model.rowCount():,} rows")

    def shop_cells(self) -> list[StockCell]:
        """Every cell of the shop, with its edit as the table shows it (for matching a pasted
        block by SKU; a paste is applied at once, so this one reads here)."""
        return self._with_table_edits(load_cells(self.store, self.shop_id)[0])

    def with_shop_cells(self, then: Callable[[list[StockCell]], None]) -> None:
        """Like shop_cells, read in the background; `then(cells)` runs on the GUI thread."""
        shop_id = self.shop_id
        cache_ops.read(self, self.tasks, self.session,
                       lambda store: load_cells(store, shop_id)[0], name="Reading stock",
                       on_done=lambda cells: then(self._with_table_edits(cells)))

    def _with_table_edits(self, cells: list[StockCell]) -> list[StockCell]:
        shop = {c.key: c for c in cells}
        shop.update({c.key: c for c in self.model.loaded_cells()})  # edits not yet written
        return list(shop.values())

    # -- editing ----------------------------------------------------------------------------------

    def apply(self, text: str, changes: Sequence[Change], before: Sequence[StockCell]) -> int:
        """Make `changes` as one undoable step (shown now, written to the outbox at once)."""
        self.banner.hide()
        n = self.editing.change(text, list(changes), before)
        self._show_counts(self._local_edits())
        return n

    def _local_edits(self) -> dict[Key, CellEdit]:
        """The open edits as the table shows them: the outbox as last read, with the edits
        made since (no read here: this runs after every keystroke's edit)."""
        edits = dict(self._edits)
        edits.update({c.key: c.edit for c in self.model.loaded_cells() if c.edit is not None})
        for cell in self.model.loaded_cells():
            if cell.edit is None:
                edits.pop(cell.key, None)
        return edits

    @Slot(str)
    def refuse(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

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
    def _move_down(self) -> None:
        """Enter after typing a number: the next row, same column (a scan's count returns to
        the search box instead, which has the focus by now)."""
        if not self.table.hasFocus():
            return
        current = self.table.currentIndex()
        below = current.siblingAtRow(current.row() + 1)
        if below.isValid():
            self.table.setCurrentIndex(below)
            self.table.selectionModel().select(
                below, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    @Slot()
    def _editor_closed(self) -> None:
        if self._scan_editing:
            self._scan_editing = False
            if self.isVisible():  # not when the seller went to another tab meanwhile
                self.filters.focus_search()

    # -- review, push, conflicts ----------------------------------------------------------------

    def show_review(self) -> None:
        """The review of every change not pushed yet (opens once the shop's cells are read)."""
        self.with_shop_cells(self._open_review)

    def _open_review(self, cells: list[StockCell]) -> None:
        dialog = ReviewDialog(review(cells), self)
        dialog.push_requested.connect(self.push)
        self._open(dialog)

    @Slot()
    def push_or_review(self) -> None:
        """The Push button: a large push, or one with a change to look at twice, opens the
        review first (its Push button sends); a small plain one goes at once."""
        if self.editing.writing:  # the last edits are still on their way to the outbox
            self._after_writes = self.push_or_review
            return

        def decide(cells: list[StockCell]) -> None:
            waiting = review(cells)
            if waiting.needs_a_look:
                self._open_review(cells)
            else:
                self.push()

        self.with_shop_cells(decide)

    @Slot()
    def push(self) -> None:
        if self.editing.writing:  # the last edits are still on their way to the outbox
            self._after_writes = self.push
            return
        self.push_button.setEnabled(False)
        self.model.set_sending(True)
        self.pusher.start()

    @Slot()
    def _resume_interrupted_push(self) -> None:
        if self._closed:  # the shop was left before this first look
            return
        shop_id = self.shop_id

        def resume(interrupted: bool) -> None:
            if interrupted and not self._closed:
                self.pusher.start(resume=True)

        cache_ops.read(self, self.tasks, self.session,
                       lambda store: stock_push_interrupted(store, shop_id),
                       name="Looking for an interrupted push", on_done=resume)

    @Slot()
    def _writes_settled(self) -> None:
        if self._closed:
            return
        self._refresh_edits()
        then, self._after_writes = self._after_writes, None
        if then is not None:
            then()

    @Slot(object)
    def _pushed(self, result: object) -> None:
        self.model.set_sending(False)
        if self._closed:
            return
        self.editing.undo_stack.clear()  # what was pushed is in the shop: edit it anew
        self.reload()
        if result is not None and getattr(result, "conflicts", 0):
            self.show_conflicts()

    def show_conflicts(self) -> None:
        """Numbers changed elsewhere or refused, to keep or take (opens once they are read)."""
        self.with_shop_cells(self._open_conflicts)

    def _open_conflicts(self, shop: list[StockCell]) -> None:
        cells = [c for c in shop
                 if c.edit is not None and c.edit.state in ("conflict", "failed")]
        cells.sort(key=lambda c: (c.edit.state != "conflict", c.product, c.variant))  # type: ignore[union-attr]
        dialog = ConflictDialog(cells, self)
        dialog.keep_mine.connect(lambda chosen: self._resolve("Keep mine", chosen, True))
        dialog.take_theirs.connect(lambda chosen: self._resolve("Take theirs", chosen, False))
        self._open(dialog)

    def _resolve(self, name: str, cells: list[StockCell], keep: bool) -> None:
        self.editing.run(name, (lambda w: w.keep_mine(cells)) if keep
                         else (lambda w: w.take_theirs(cells)))

    def focus_search(self) -> None:
        """Ctrl+F (the main window): to the search box, its text selected."""
        self.filters.focus_search()

    def edit_actions(self) -> dict[str, QAction]:
        """The Edit menu's items this tab does (ui/edit_menu.py)."""
        return dict(self._edit_actions)

    def shop_closing(self) -> None:
        """The shop is closing (its session closes the connections). Edits still queued are
        written by the serial lane (at quit too); answers on their way are ignored from now on."""
        self.editing.close()
        self.pusher.cancel()
        self._closed = True

    def show_history(self) -> None:
        shop_id = self.shop_id
        cache_ops.read(self, self.tasks, self.session,
                       lambda store: audit_lines(store, shop_id),
                       name="Reading the stock history", on_done=self.files.show_history)

    def _open(self, dialog: ReviewDialog | ConflictDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.open()
