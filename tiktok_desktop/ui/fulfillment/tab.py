"""The Fulfillment tab: the day's packages to ship, most urgent first; arrange their shipment,
print their labels in pick order and a pick list.

The queue is read in the background after every sync that touched packages or orders (and after
each shipment, print or label download); filters and the scan box work on the rows read. A
scanned (or typed + Enter) order, package or tracking number selects its package.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.shipping import QueuedPackage
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.column_fit import ColumnFitter
from tiktok_desktop.ui.formatting import local_datetime
from tiktok_desktop.ui.fulfillment.queue_model import ITEMS, SHIPPING, QueueModel, items_text
from tiktok_desktop.ui.scanner import mark_scan_target
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from tiktok_desktop.services import ShopSession
    from tiktok_desktop.services.shipping import ArrangeResult, ShipChoice, ShipOptions
    from tiktok_desktop.services.tracking_csv import TrackingFile
    from tiktok_desktop.services.tracking_upload import UploadPlan
    from tiktok_desktop.ui.fulfillment.arrange_dialog import ArrangeDialog

WATCHED = ("packages", "orders", "order_line_items", "labels", "print_jobs",
           "cancellations")  # a buyer's request to cancel holds a package back
TICK_MS = 60_000
MAX_WIDTH = 300  # a column sized to its contents, up to this (items, delivery options)
LAYOUT_KEY = "fulfillment/columns"
ALL, TIKTOK, SELLER = "all", "TIKTOK", "SELLER"


class FulfillmentTab(QWidget):
    title = "Fulfillment"
    queue_read = Signal()  # the table shows the latest read (tests wait on it)
    arranged = Signal(object)  # ArrangeResult, after an "Arrange shipment" ended

    def __init__(self, session: ShopSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.settings = session, tasks, settings
        self._clock = clock
        self._closed = False
        self.all: list[QueuedPackage] = []
        self.shipped_today = 0
        self._stale = True  # changed since the last read: read again when shown
        self._delivery_wanted: str | None = None  # a remembered option, until it is listed
        self._reading = self._again = False
        self.model = QueueModel(self, clock)
        self._build()
        self._restore_filters()
        self.reload()
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.model.tick)
        self._ticker.start()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        column = QVBoxLayout(self)
        self.counts = QLabel()
        column.addWidget(self.counts)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Scan or type an order, package or tracking number — or "
                                       "a SKU")
        self.search.setClearButtonEnabled(True)
        mark_scan_target(self.search)
        self.search.textChanged.connect(self._apply_filters)
        self.search.returnPressed.connect(self._scanned)
        self.shipping = QComboBox()
        for text, key in (("All shipping", ALL), ("TikTok shipping", TIKTOK),
                          ("Your carrier", SELLER)):
            self.shipping.addItem(text, key)
        self.shipping.currentIndexChanged.connect(self._apply_filters)
        self.delivery = QComboBox()
        self.delivery.addItem("Every delivery option", "")
        self.delivery.currentIndexChanged.connect(self._apply_filters)
        self.state = QComboBox()
        for text, key in (("To arrange and arranged", "open"), ("To arrange", "to_arrange"),
                          ("Arranged", "arranged"), ("Labels not printed", "not_printed")):
            self.state.addItem(text, key)
        self.state.currentIndexChanged.connect(self._apply_filters)
        filters.addWidget(self.search, 1)
        for combo in (self.state, self.shipping, self.delivery):
            filters.addWidget(combo)
        column.addLayout(filters)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self._fitter: ColumnFitter | None = None  # the default layout's, until the seller's
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The seller's layout of the last session; else sized to the first packages read.
        saved = self.settings.ui_state(LAYOUT_KEY)
        self._sized = saved is not None and self.table.horizontalHeader().restoreState(saved)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        split.addWidget(self.table)
        self.items = QLabel()
        self.items.setWordWrap(True)
        self.items.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.items.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.items.setMinimumWidth(260)
        split.addWidget(self.items)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        column.addWidget(split, 1)
        actions = QHBoxLayout()
        self.select_to_arrange = QPushButton("Select all to arrange")
        self.select_to_arrange.clicked.connect(self.select_all_to_arrange)
        self.arrange_button = QPushButton("Arrange shipment…")
        self.arrange_button.clicked.connect(self.arrange)
        self.print_button = QPushButton("Print labels…")
        self.print_button.clicked.connect(self.print_labels)
        self.pick_button = QPushButton("Pick list…")
        self.pick_button.clicked.connect(self.pick_list)
        self.history_button = QPushButton("Printed labels…")
        self.history_button.clicked.connect(self.print_history)
        # Seller Center's tracking-number upload, both ways (tracking_files.py).
        self.export_upload_button = QPushButton("Export for tracking upload…")
        self.export_upload_button.setToolTip(
            "Your own carrier's orders awaiting shipment (the selected, else all shown), as "
            "Seller Center's tracking upload file (.xlsx or CSV)")
        self.export_upload_button.clicked.connect(self.export_upload)
        self.import_upload_button = QPushButton("Import tracking upload…")
        self.import_upload_button.setToolTip(
            "A tracking upload file filled in: preview, then Arrange shipment")
        self.import_upload_button.clicked.connect(self.import_upload)
        actions.addWidget(self.select_to_arrange)
        actions.addWidget(self.history_button)
        actions.addWidget(self.export_upload_button)
        actions.addWidget(self.import_upload_button)
        actions.addStretch(1)
        for button in (self.arrange_button, self.print_button, self.pick_button):
            actions.addWidget(button)
        column.addLayout(actions)
        self._selection_changed()

    # -- reading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the queue again — now if the tab is on screen, else when it is shown (a sync
        announces changes every few seconds; a hidden tab reading 100k orders' packages each
        time would compete with the tab the seller looks at). One read at a time."""
        if self._closed:
            return
        if not self.isVisible():
            self._stale = True
            return
        if self._reading:
            self._again = True
            return
        self._stale, self._reading = False, True
        now = int(self._clock())
        midnight = int(local_datetime(now).replace(hour=0, minute=0, second=0).timestamp())
        shop_id = self.session.shop_id

        def read(store: Store) -> tuple[list[QueuedPackage], int]:
            return (store.shipping.queue(shop_id, now),
                    store.shipping.shipped_since(shop_id, midnight))

        cache_ops.read(self, self.tasks, self.session, read,
                       name="Reading the packages to ship", on_done=self._read,
                       on_failed=self._read_failed)

    def _read_failed(self, error: BaseException) -> None:
        self._reading = False
        messages.report_failure(error, doing="Reading the packages to ship")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _read(self, read: tuple[list[QueuedPackage], int]) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.reload()
        packages, self.shipped_today = read
        self.all = packages
        options = sorted({p.delivery_option for p in packages if p.delivery_option})
        current = self._delivery_wanted or self.delivery.currentData()
        self._delivery_wanted = None
        self.delivery.blockSignals(True)
        self.delivery.clear()
        self.delivery.addItem("Every delivery option", "")
        for option in options:
            self.delivery.addItem(option, option)
        self.delivery.setCurrentIndex(max(0, self.delivery.findData(current)))
        self.delivery.blockSignals(False)
        self._show_counts()
        self._apply_filters()
        if not self._sized and self.model.rowCount():
            self._sized = True
            self._size_columns()
        self.queue_read.emit()

    def _size_columns(self) -> None:
        """Columns sized to what they hold, fitted to the window."""
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_WIDTH))
        # On a small window the items and shipping give room first: the columns to the
        # left of the order number are the ones a seller packs and ships by.
        char = self.fontMetrics().averageCharWidth()
        self._fitter = ColumnFitter(self.table, {c: self.table.columnWidth(c)
                                                 for c in range(self.model.columnCount())},
                                    {ITEMS: char * 20, SHIPPING: char * 18})
        self._fitter.fit()

    def _show_counts(self) -> None:
        now = int(self._clock())
        to_arrange = sum(not p.arranged and not p.on_hold for p in self.all)
        on_hold = sum(p.on_hold for p in self.all)
        arranged = sum(p.arranged for p in self.all)
        not_printed = sum(p.arranged and p.shipping_type != "SELLER" and not p.printed_at
                          for p in self.all)
        overdue = sum(not p.arranged and p.ship_by is not None and p.ship_by < now
                      for p in self.all)
        late = f" · <span style='color:#c62828'><b>{overdue} overdue</b></span>" if overdue else ""
        asked = sum(p.cancel_requested and not p.arranged for p in self.all)
        if asked:  # counted in "to arrange", but held back until the seller answers
            late += (f" · <span style='color:#c62828'><b>{asked} held: the buyer asked to "
                     f"cancel</b> (answer in the Requests tab)</span>")
        self.counts.setText(
            f"<b>{to_arrange}</b> to arrange{late} · <b>{arranged}</b> arranged, awaiting "
            f"collection · <b>{self.shipped_today}</b> shipped today · <b>{not_printed}</b> "
            f"labels not printed · {on_hold} on hold (shippable an hour after payment)")

    @Slot()
    def _apply_filters(self) -> None:
        wanted = self.search.text().strip().casefold()
        shipping, delivery = self.shipping.currentData(), self.delivery.currentData()
        state = self.state.currentData()
        selected = set(self.selected_ids())

        def keep(p: QueuedPackage) -> bool:
            if shipping not in (None, ALL) and p.shipping_type != shipping:
                return False
            if delivery and p.delivery_option != delivery:
                return False
            if state == "to_arrange" and p.arranged:
                return False
            if state == "arranged" and not p.arranged:
                return False
            if state == "not_printed" and (not p.arranged or p.printed_at
                                           or p.shipping_type == "SELLER"):
                return False
            return not wanted or _matches(p, wanted)

        self.model.set_packages([p for p in self.all if keep(p)])
        self.select(selected, scroll=False)
        self._selection_changed()  # a reset drops rows without a selection signal

    # -- selecting ------------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.package(r).id for r in rows if r < self.model.rowCount()]

    def selected(self) -> list[QueuedPackage]:
        ids = set(self.selected_ids())
        return [p for p in self.model.packages if p.id in ids]

    def select(self, package_ids: Sequence[str] | set[str], *, scroll: bool = True) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        first: QModelIndex | None = None
        for package_id in package_ids:
            row = self.model.row_of(package_id)
            if row is None:
                continue
            index = self.model.index(row, 0)
            first = first or index
            selection.select(index, QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
        if first is not None and scroll:
            self.table.scrollTo(first)

    @Slot()
    def select_all_to_arrange(self) -> None:
        self.select([p.id for p in self.model.packages if p.shippable])

    @Slot()
    def _scanned(self) -> None:
        """Enter in the search box: select the package of that order, package or tracking
        number, and keep the text selected so the next scan replaces it."""
        if not self.take_scan(self.search.text().strip()):
            messages.info(f"No package to ship has the number {self.search.text().strip()}.")

    def take_scan(self, code: str) -> bool:
        """A scan: select the package it names (order, package or tracking number), the search
        box showing just that code. False when no package to ship has it."""
        found = next((p for p in self.all
                      if code in (p.id, p.order_id, p.tracking_number or "")), None)
        if found is None:
            return False
        self.search.setText(code)
        if self.model.row_of(found.id) is None:  # hidden by a filter: show everything
            for combo in (self.state, self.shipping, self.delivery):
                combo.setCurrentIndex(0)
        self.select([found.id])
        self.search.selectAll()
        return True

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected()
        self.arrange_button.setEnabled(any(p.shippable for p in chosen))
        self.print_button.setEnabled(any(p.arranged and p.shipping_type != "SELLER"
                                         for p in chosen))
        self.pick_button.setEnabled(bool(chosen))
        self.items.setText(_items_html(chosen))

    # -- arranging shipment ---------------------------------------------------------------------

    @Slot()
    def arrange(self) -> None:
        """Read what the shop offers (slots, carriers), then ask how they leave."""
        selected = self.selected()
        chosen = [p for p in selected if p.shippable]
        held = [p for p in selected if p.cancel_requested and not p.arranged]
        if held:  # never shipped while the buyer's request to cancel waits for an answer
            orders = ", ".join(p.order_id for p in held[:3]) + ("…" if len(held) > 3 else "")
            messages.warning(
                f"{len(held)} {'package is' if len(held) == 1 else 'packages are'} not shipped: "
                f"the buyer asked to cancel (order {orders}). Answer in the Requests tab first: "
                f"approve and the order is cancelled; reject and it can ship.")
        if not chosen:
            return
        tiktok = next((p.id for p in chosen if p.shipping_type != "SELLER"), None)
        options = [p.delivery_option_id for p in chosen if p.shipping_type == "SELLER"]
        session = self.session
        self.arrange_button.setEnabled(False)
        self.tasks.run(lambda control: session.ship_options(tiktok, options),
                       name="Reading the shipping options", parent=self,
                       on_done=lambda offered: self._ask_how(chosen, offered),
                       on_failed=self._arrange_failed)

    def _ask_how(self, chosen: list[QueuedPackage], options: ShipOptions) -> None:
        self.ask_how(chosen, options)

    def ask_how(self, chosen: list[QueuedPackage], options: ShipOptions,
                tracking: TrackingFile | None = None) -> None:
        """The arrange dialog (its tracking numbers filled from `tracking`), then shipment."""
        choices = (self.ask_how_to_ship(chosen, options) if tracking is None
                   else self.ask_how_to_ship(chosen, options, tracking))
        if not choices:
            self._selection_changed()
            return
        session = self.session
        messages.info(f"Arranging shipment for {len(choices)} packages…")
        self.tasks.run(lambda control: session.arrange_shipment(choices, control.cancelled),
                       name="Arranging shipment", parent=self, on_done=self._arranged,
                       on_failed=self._arrange_failed)

    def ask_how_to_ship(self, chosen: list[QueuedPackage], options: ShipOptions,
                        tracking: TrackingFile | None = None) -> list[ShipChoice] | None:
        """The arrange dialog (tests replace this method)."""
        dialog = self.arrange_dialog(chosen, options, tracking)
        return dialog.choices() if dialog.exec() else None

    def arrange_dialog(self, chosen: list[QueuedPackage], options: ShipOptions,
                       tracking: TrackingFile | None = None) -> ArrangeDialog:
        from tiktok_desktop.ui.fulfillment.arrange_dialog import ArrangeDialog

        dialog = ArrangeDialog(chosen, options, self, self.tasks)
        if tracking is not None:
            dialog.fill_tracking(tracking)
        return dialog

    def _arranged(self, result: ArrangeResult) -> None:
        self.model.set_results(result.results)
        done, failed = result.count("done"), result.count("failed")
        doubt = result.count("in_doubt")
        text = f"Shipment arranged for {done} {'package' if done == 1 else 'packages'}"
        if result.labels:
            text += f"; {result.labels} labels downloaded"
        if failed:
            text += f"; {failed} not shipped (the reason is on each row)"
        if doubt:
            text += f"; {doubt} being checked with TikTok Shop before anything is sent again"
        if result.problem:
            messages.warning(f"{text}. {result.problem}")
        elif failed or result.label_problems:
            messages.warning(text + ".")
        else:
            messages.info(text + ".")
        self.arranged.emit(result)
        self.reload()

    def _arrange_failed(self, error: BaseException) -> None:
        self._selection_changed()
        messages.report_failure(error, doing="Arranging shipment")

    # -- Seller Center's tracking upload -----------------------------------------------------------

    @Slot()
    def export_upload(self) -> None:
        from tiktok_desktop.ui.fulfillment.tracking_files import export_upload

        export_upload(self)

    @Slot()
    def import_upload(self) -> None:
        from tiktok_desktop.ui.fulfillment.tracking_files import import_upload

        import_upload(self)

    def ask_where_to_save_upload(self) -> Path | None:
        """A file dialog (tests replace this method)."""
        from tiktok_desktop.ui.fulfillment.tracking_files import ask_where_to_save

        return ask_where_to_save(self)

    def ask_for_upload(self) -> Path | None:
        """A file dialog (tests replace this method)."""
        from tiktok_desktop.ui.fulfillment.tracking_files import ask_to_open

        return ask_to_open(self)

    def preview_upload(self, plan: UploadPlan) -> bool:
        """The import's preview; True when the seller goes on (tests replace this method)."""
        from tiktok_desktop.ui.fulfillment.tracking_files import UploadPreview

        return bool(UploadPreview(plan, self).exec())

    # -- printing (labels and pick list) ---------------------------------------------------------

    @Slot()
    def print_labels(self) -> None:
        from tiktok_desktop.ui.fulfillment.printing import print_labels_of

        print_labels_of(self, [p for p in self.selected()
                               if p.arranged and p.shipping_type != "SELLER"])

    @Slot()
    def print_history(self) -> None:
        from tiktok_desktop.ui.fulfillment.print_history import PrintHistoryDialog

        dialog = PrintHistoryDialog(self)
        self.history_dialog = dialog
        dialog.open()

    @Slot()
    def pick_list(self) -> None:
        from tiktok_desktop.ui.fulfillment.printing import pick_list_of

        pick_list_of(self, self.selected())

    # -- the main window's hooks ----------------------------------------------------------------

    @Slot(object)
    def refresh(self, changes: Changes) -> None:
        if not self._closed and changes.touches(*WATCHED) \
                and self.session.shop_id in changes.shop_ids:
            self.reload()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _restore_filters(self) -> None:
        """The state, shipping and delivery filters of the last session (not the search)."""
        for combo, key in self._remembered():
            found = combo.findData(self.settings.ui_choice(key))
            if found >= 0:
                combo.setCurrentIndex(found)
            elif combo is self.delivery and self.settings.ui_choice(key):
                self._delivery_wanted = self.settings.ui_choice(key)  # once the options exist

    def _remembered(self) -> tuple[tuple[QComboBox, str], ...]:
        return ((self.state, "fulfillment/state"), (self.shipping, "fulfillment/shipping"),
                (self.delivery, "fulfillment/delivery"))

    def save_state(self) -> None:
        for combo, key in self._remembered():
            self.settings.set_ui_choice(key, combo.currentData() or None)
        if self._sized:  # empty while the layout is the fitted default
            fitted = self._fitter is not None and self._fitter.active
            self.settings.set_ui_state(LAYOUT_KEY, QByteArray() if fitted
                                       else self.table.horizontalHeader().saveState())

    def shop_closing(self) -> None:
        self._closed = True
        self._ticker.stop()


def _matches(package: QueuedPackage, wanted: str) -> bool:
    if any(wanted in code.casefold() for code in
           (package.id, package.order_id, package.tracking_number or "")):
        return True
    return any(wanted in (i.seller_sku or "").casefold() or wanted in i.product_name.casefold()
               for i in package.items)


def _items_html(packages: Sequence[QueuedPackage]) -> str:
    if not packages:
        return "<i>Select packages to see what goes in each box.</i>"
    shown = packages[:20]
    blocks = [f"<b>Package {p.id}</b> (order {p.order_id})<br>"
              + "<br>".join(escape(line) for line in items_text(p).split(", ")) for p in shown]
    more = (f"<br><i>…and {len(packages) - len(shown)} more packages</i>"
            if len(packages) > len(shown) else "")
    return "<br><br>".join(blocks) + more
