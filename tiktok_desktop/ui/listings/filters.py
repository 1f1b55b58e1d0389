"""Above the Listings table: the listing health (four counts, each a click that filters), the
status tabs with counts, the search box and the quick filter.

Typing searches after a short pause; Enter searches at once and is also what a USB barcode
scanner sends after the code (`scanned`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.store.listings import STATUS_TABS, ListingHealth, Show
from tiktok_desktop.store.search import MAX_SEARCH_CHARS
from tiktok_desktop.ui.orders.filter_bar import SEARCH_PAUSE_MS, SearchBox
from tiktok_desktop.ui.scanner import mark_scan_target

# Each health count: its words, and the status tab and quick filter a click on it shows.
HEALTH: dict[str, tuple[str, str, Show]] = {
    "live": ("live", "Live", Show.EVERYTHING),
    "in_review": ("in review", "In review", Show.EVERYTHING),
    "failing_review": ("failing review", "Failed review", Show.EVERYTHING),
    "out_of_stock": ("live but out of stock", "Live", Show.OUT_OF_STOCK),
}
LINK_STYLE = ("QPushButton { color: palette(link); text-decoration: underline; border: none; "
              "padding: 2px 6px; }")


class ListingFilters(QWidget):
    changed = Signal()  # status tab, quick filter or search: read again
    scanned = Signal(str)  # Enter in the search box: a scanner, or a seller done typing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.health_buttons: dict[str, QPushButton] = {}
        for key, (words, status, _) in HEALTH.items():
            button = QPushButton(words, self)
            button.setFlat(True)
            button.setStyleSheet(LINK_STYLE)  # reads as a link: a click filters
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(f"Show the listings {words}"
                              + (" (in the Live tab)" if status == "Live" else ""))
            button.setProperty("health", key)
            button.clicked.connect(self._health_clicked)
            self.health_buttons[key] = button
        self.status_tabs = QTabBar(self)
        self.status_tabs.setExpanding(False)
        self.status_tabs.setDrawBase(False)
        self.status_tabs.setUsesScrollButtons(True)
        self.status_tabs.setElideMode(Qt.TextElideMode.ElideNone)
        for label in STATUS_TABS:
            self.status_tabs.addTab(label)
        self.search = SearchBox(self)
        mark_scan_target(self.search)
        self.search.setPlaceholderText("Search by title, seller SKU or product id — or scan a "
                                       "SKU")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(MAX_SEARCH_CHARS)
        self.search.setToolTip("Find listings (Ctrl+F): any part of a title, a seller SKU, or "
                               "four or more digits of a product id. Esc clears.")
        self.show_box = QComboBox(self)
        for show in Show:
            self.show_box.addItem(show.value, show.name)
        self.show_box.setToolTip("Show only the listings that need something")
        self.summary = QLabel(self)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._layout()
        self._connect()

    def _layout(self) -> None:
        health = QHBoxLayout()
        health.setContentsMargins(0, 0, 0, 0)
        health.addWidget(QLabel("Listing health:", self))
        for button in self.health_buttons.values():
            health.addWidget(button)
        health.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addWidget(QLabel("Show:", self))
        row.addWidget(self.show_box)
        row.addSpacing(8)
        row.addWidget(self.summary)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(health)
        column.addWidget(self.status_tabs)
        column.addLayout(row)

    def _connect(self) -> None:
        self.status_tabs.currentChanged.connect(self.changed)
        self.show_box.currentIndexChanged.connect(self.changed)
        self.search.textEdited.connect(self._typed)
        self.search.textChanged.connect(self._cleared)
        self.search.returnPressed.connect(self._entered)
        self._pause.timeout.connect(self.changed)

    # -- what the filters say -------------------------------------------------------------------

    @property
    def status(self) -> str:
        return STATUS_TABS[max(0, self.status_tabs.currentIndex())]

    def set_status(self, label: str) -> None:
        self.status_tabs.setCurrentIndex(STATUS_TABS.index(label))

    @property
    def quick_filter(self) -> Show:
        return Show[self.show_box.currentData()]

    def set_quick_filter(self, show: Show) -> None:
        self.show_box.setCurrentIndex(self.show_box.findData(show.name))

    @property
    def search_text(self) -> str:
        return self.search.text().strip()

    def show_counts(self, counts: dict[str, int]) -> None:
        for index, label in enumerate(STATUS_TABS):
            count = counts.get(label)
            self.status_tabs.setTabText(index, label if count is None else f"{label} ({count:,})")

    def show_health(self, health: ListingHealth) -> None:
        for key, (words, _, _) in HEALTH.items():
            self.health_buttons[key].setText(f"{getattr(health, key):,} {words}")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- reactions ------------------------------------------------------------------------------

    @Slot()
    def _health_clicked(self) -> None:
        button = self.sender()
        _, status, show = HEALTH[button.property("health")]
        blocker = self.blockSignals(True)  # one read for both changes
        try:
            self.set_status(status)
            self.set_quick_filter(show)
        finally:
            self.blockSignals(blocker)
        self.changed.emit()

    @Slot(str)
    def _typed(self, text: str) -> None:
        self._pause.start()

    @Slot(str)
    def _cleared(self, text: str) -> None:
        if not text:  # the clear button or Esc: show everything again at once
            self._pause.stop()
            self.changed.emit()

    @Slot()
    def _entered(self) -> None:
        self._pause.stop()
        self.scanned.emit(self.search_text)
