"""Above the Orders table: status tabs with live counts, the search box and the date range.

Typing searches after a short pause (SEARCH_PAUSE_MS: each key doesn't start a query of its
own); Enter searches at once and is also what a USB barcode scanner sends after the number.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.store import STATUS_FILTERS
from tiktok_desktop.store.search import MAX_SEARCH_CHARS
from tiktok_desktop.ui.scanner import mark_scan_target

SEARCH_PAUSE_MS = 150
STATUS_LABELS = tuple(STATUS_FILTERS)
# Date presets: label -> days back from today (0: today only); None: no limit / custom dates.
DATE_PRESETS: dict[str, int | None] = {
    "Any time": None,
    "Today": 0,
    "Last 7 days": 6,
    "Last 30 days": 29,
    "Last 90 days": 89,
    "Custom dates": None,
}
CUSTOM = "Custom dates"


def day_start(day: date) -> int:
    """Midnight at the start of `day` on the seller's clock, as Unix seconds."""
    return int(datetime.combine(day, time()).astimezone().timestamp())


def preset_range(preset: str, today: date) -> tuple[int | None, int | None]:
    """[from, to) in Unix seconds for a date preset ("Last 7 days" includes today)."""
    days_back = DATE_PRESETS.get(preset)
    if days_back is None:
        return None, None
    return day_start(today - timedelta(days=days_back)), day_start(today + timedelta(days=1))


class SearchBox(QLineEdit):
    """The search box; Esc clears it (and shows every order again)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class OrderFilters(QWidget):
    changed = Signal()  # status tab or dates: query at once
    search_changed = Signal()  # the seller paused typing (or cleared the box)
    scanned = Signal(str)  # Enter in the search box: a scanner, or a seller done typing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_tabs = QTabBar(self)
        self.status_tabs.setExpanding(False)
        self.status_tabs.setDrawBase(False)
        self.status_tabs.setUsesScrollButtons(True)
        self.status_tabs.setElideMode(Qt.TextElideMode.ElideNone)
        for label in STATUS_LABELS:
            self.status_tabs.addTab(label)
        self.search = SearchBox(self)
        mark_scan_target(self.search)
        self.search.setPlaceholderText(
            "Search by order number, buyer, product, SKU or tracking number — or scan a label")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(MAX_SEARCH_CHARS)  # a pasted page shows where searching stops
        self.search.setToolTip("Find orders (Ctrl+F). A scanned order, package or tracking "
                               "number opens that order. Esc clears.")
        self.dates = QComboBox(self)
        self.dates.addItems(list(DATE_PRESETS))
        self.dates.setToolTip("Show orders placed in this period")
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
        self.date_to_label = QLabel("to", self)
        self.date_to_label.setVisible(False)
        today = QDate.currentDate()
        self.date_from.setDate(today.addDays(-6))
        self.date_to.setDate(today)
        self.summary = QLabel(self)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.summary.setMinimumWidth(self.fontMetrics().averageCharWidth() * 22)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._layout()
        self._connect()

    def _layout(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addSpacing(8)
        row.addWidget(QLabel("Placed:", self))
        row.addWidget(self.dates)
        row.addWidget(self.date_from)
        row.addWidget(self.date_to_label)
        row.addWidget(self.date_to)
        row.addSpacing(8)
        row.addWidget(self.summary)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.status_tabs)
        column.addLayout(row)

    def _connect(self) -> None:
        self.status_tabs.currentChanged.connect(self.changed)
        self.search.textEdited.connect(self._typed)
        self.search.textChanged.connect(self._cleared)
        self.search.returnPressed.connect(self._entered)
        self._pause.timeout.connect(self.search_changed)
        self.dates.currentTextChanged.connect(self._preset_chosen)
        self.date_from.dateChanged.connect(self._custom_dates_changed)
        self.date_to.dateChanged.connect(self._custom_dates_changed)

    # -- what the filters say -------------------------------------------------------------------

    @property
    def status(self) -> str:
        return STATUS_LABELS[max(0, self.status_tabs.currentIndex())]

    def set_status(self, label: str) -> None:
        self.status_tabs.setCurrentIndex(STATUS_LABELS.index(label))

    @property
    def search_text(self) -> str:
        return self.search.text().strip()

    def created_range(self, today: date | None = None) -> tuple[int | None, int | None]:
        preset = self.dates.currentText()
        if preset != CUSTOM:
            return preset_range(preset, today or date.today())
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        start, end = min(start, end), max(start, end)
        return day_start(start), day_start(end + timedelta(days=1))

    def set_any_time(self) -> None:
        self.dates.setCurrentText("Any time")

    def show_counts(self, counts: dict[str, int]) -> None:
        for index, label in enumerate(STATUS_LABELS):
            count = counts.get(label)
            self.status_tabs.setTabText(index, label if count is None else f"{label} ({count:,})")

    def show_summary(self, text: str) -> None:
        self.summary.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- reactions ------------------------------------------------------------------------------

    @Slot(str)
    def _typed(self, text: str) -> None:
        self._pause.start()

    @Slot(str)
    def _cleared(self, text: str) -> None:
        if not text:  # the clear button or Esc: show everything again at once
            self._pause.stop()
            self.search_changed.emit()

    @Slot()
    def _entered(self) -> None:
        self._pause.stop()
        self.scanned.emit(self.search_text)

    @Slot(str)
    def _preset_chosen(self, preset: str) -> None:
        custom = preset == CUSTOM
        for widget in (self.date_from, self.date_to_label, self.date_to):
            widget.setVisible(custom)
        self.changed.emit()

    @Slot()
    def _custom_dates_changed(self) -> None:
        if self.dates.currentText() == CUSTOM:
            self.changed.emit()
