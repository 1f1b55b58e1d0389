"""Search (typed or scanned), warehouse and quick filter above the Inventory table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from tiktok_desktop.store import Warehouse
from tiktok_desktop.ui.inventory.table_model import Show
from tiktok_desktop.ui.scanner import mark_scan_target

SEARCH_PAUSE_MS = 250  # typing: search when the seller pauses; a scanner's Enter: at once


class FilterBar(QWidget):
    changed = Signal()  # search text, warehouse or quick filter changed
    scanned = Signal(str)  # Enter in the search box: a barcode scanner or a seller done typing
    threshold_changed = Signal(int)  # the seller moved the low-stock line

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search product, variant or seller SKU — or scan a SKU")
        self.search.setClearButtonEnabled(True)
        mark_scan_target(self.search)
        self.search.setMinimumWidth(320)
        self.warehouse = QComboBox()
        self.warehouse.addItem("All warehouses", None)
        self.show_filter = QComboBox()
        for show in Show:
            self.show_filter.addItem(show.value, show)
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 99_999)
        self.threshold.setToolTip("Stock at or below this number counts as low (highlighted)")
        self.threshold.valueChanged.connect(self.threshold_changed)
        self.count = QLabel()
        layout.addWidget(self.search, 2)
        layout.addWidget(QLabel("Warehouse"))
        layout.addWidget(self.warehouse)
        layout.addWidget(QLabel("Show"))
        layout.addWidget(self.show_filter)
        layout.addWidget(QLabel("Low at"))
        layout.addWidget(self.threshold)
        layout.addStretch(1)
        layout.addWidget(self.count)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.search.textEdited.connect(lambda _text: self._pause.start())
        self.search.returnPressed.connect(self._enter)
        self.warehouse.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.show_filter.currentIndexChanged.connect(lambda _i: self.changed.emit())

    @Slot()
    def _enter(self) -> None:
        self._pause.stop()
        self.scanned.emit(self.search.text().strip())

    def set_warehouses(self, warehouses: Sequence[Warehouse]) -> None:
        current = self.warehouse.currentData()
        self.warehouse.blockSignals(True)
        self.warehouse.clear()
        self.warehouse.addItem("All warehouses", None)
        for w in warehouses:
            self.warehouse.addItem(w.name or w.id, w.id)
        found = self.warehouse.findData(current)
        self.warehouse.setCurrentIndex(max(0, found))
        self.warehouse.blockSignals(False)

    @property
    def text(self) -> str:
        return self.search.text().strip()

    @property
    def warehouse_id(self) -> str | None:
        return self.warehouse.currentData()

    @property
    def quick_filter(self) -> Show:
        return self.show_filter.currentData()

    def set_quick_filter(self, show: Show) -> None:
        self.show_filter.setCurrentIndex(self.show_filter.findData(show))

    def set_threshold(self, value: int) -> None:
        self.threshold.blockSignals(True)
        self.threshold.setValue(value)
        self.threshold.blockSignals(False)

    def focus_search(self) -> None:
        """Ready for the next scan: the old text is selected, so a scan replaces it."""
        self.search.setFocus()
        self.search.selectAll()
