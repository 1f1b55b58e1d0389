"""The statements' date range: This month, Last month, Last 90 days, or custom dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from tiktok_desktop.services.payouts import CUSTOM, RANGE_PRESETS, preset_dates


class RangeBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today
        self.presets = QComboBox(self)
        self.presets.addItems(list(RANGE_PRESETS))
        self.presets.setToolTip("Show the statements dated in this period")
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        self.to_label = QLabel("to", self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        first, last = preset_dates(RANGE_PRESETS[0], today()) or (today(), today())
        self.date_from.setDate(QDate(first))
        self.date_to.setDate(QDate(last))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Statements:", self))
        layout.addWidget(self.presets)
        layout.addWidget(self.date_from)
        layout.addWidget(self.to_label)
        layout.addWidget(self.date_to)
        self._show_custom(False)
        self.presets.currentTextChanged.connect(self._preset_chosen)
        self.date_from.dateChanged.connect(self._dates_changed)
        self.date_to.dateChanged.connect(self._dates_changed)

    @property
    def preset(self) -> str:
        return self.presets.currentText()

    def set_preset(self, preset: str) -> None:
        if preset in RANGE_PRESETS:
            self.presets.setCurrentText(preset)

    def dates(self) -> tuple[date, date]:
        """The first and last statement date shown."""
        found = preset_dates(self.preset, self._today())
        if found is not None:
            return found
        first, last = self.date_from.date().toPython(), self.date_to.date().toPython()
        return min(first, last), max(first, last)

    def set_dates(self, first: date, last: date) -> None:
        """Custom dates (tests, and a seller typing them)."""
        blocker = self.blockSignals(True)
        try:
            self.date_from.setDate(QDate(first))
            self.date_to.setDate(QDate(last))
            self.presets.setCurrentText(CUSTOM)
        finally:
            self.blockSignals(blocker)
        self.changed.emit()

    def _show_custom(self, shown: bool) -> None:
        for widget in (self.date_from, self.to_label, self.date_to):
            widget.setVisible(shown)

    @Slot(str)
    def _preset_chosen(self, preset: str) -> None:
        found = preset_dates(preset, self._today())
        if found is not None:  # custom dates then start from the range shown
            for edit, day in zip((self.date_from, self.date_to), found, strict=True):
                blocker = edit.blockSignals(True)
                edit.setDate(QDate(day))
                edit.blockSignals(blocker)
        self._show_custom(preset == CUSTOM)
        self.changed.emit()

    @Slot()
    def _dates_changed(self) -> None:
        if self.preset == CUSTOM:
            self.changed.emit()
