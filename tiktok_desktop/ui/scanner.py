"""A barcode scanner is a keyboard that types fast and presses Enter. ScanCatcher watches the
window's key presses and tells a scan from typing by its speed: at least MIN_LENGTH characters,
each within MAX_GAP_S of the one before, then Enter. It emits `scanned(code)` and swallows that
Enter, whatever has the focus — a table, a button, a tab's search box (whose text the window then
replaces with the code) — except a text field that takes the code itself (a cell being edited, a
tracking number field): there the scanner types as a keyboard does.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

MAX_GAP_S = 0.05  # scanners send a character every few ms; people rarely type 20 a second
MIN_LENGTH = 4
SCAN_TARGET = "scanTarget"  # a search box whose text a scan replaces (mark_scan_target)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


def mark_scan_target(widget: QWidget) -> None:
    widget.setProperty(SCAN_TARGET, True)


def takes_text_itself(widget: QWidget | None) -> bool:
    """A text field (not a tab's search box) keeps what the scanner types."""
    return isinstance(widget, TEXT_INPUTS) and widget.property(SCAN_TARGET) is not True


class ScanCatcher(QObject):
    scanned = Signal(str)

    def __init__(self, window: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        self._clock = clock
        self._burst = ""
        self._last = 0.0
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        # A key press travels up from the focus widget: count it once, where it starts.
        if not isinstance(watched, QWidget) or watched is not (focus or watched) \
                or watched.window() is not self.window:
            return False
        focus = focus or watched
        now = self._clock()
        fast = now - self._last <= MAX_GAP_S
        if event.key() in ENTER:
            code, self._burst = self._burst.strip(), ""
            if fast and len(code) >= MIN_LENGTH and not takes_text_itself(focus):
                self.scanned.emit(code)
                return True  # the scan is handled; the Enter must not act on the focus too
            return False
        text = event.text()
        if len(text) == 1 and text.isprintable() and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self._burst = (self._burst if fast else "") + text
            self._last = now
        else:
            self._burst = ""
        return False

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
