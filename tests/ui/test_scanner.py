"""A scan is a fast burst of keys and Enter: caught whatever has the focus, except a text field
that takes the code itself; typing at a person's speed is never a scan."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tiktok_desktop.ui.scanner import ScanCatcher, mark_scan_target


class Window(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        mark_scan_target(self.search)
        self.tracking = QLineEdit()  # a field that takes a scanned code itself
        self.table = QTableWidget(3, 3)
        for widget in (self.search, self.tracking, self.table):
            layout.addWidget(widget)


def catcher_with(qtbot: QtBot, step_s: float) -> tuple[Window, ScanCatcher, list[str]]:
    window = Window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    ticks = itertools.count()
    catcher = ScanCatcher(window, clock=lambda: next(ticks) * step_s)
    heard: list[str] = []
    catcher.scanned.connect(heard.append)
    return window, catcher, heard


def burst(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_burst_on_the_table_is_a_scan(qtbot: QtBot) -> None:
    window, catcher, heard = catcher_with(qtbot, step_s=0.005)
    burst(qtbot, window.table, "576073588990780847")
    assert heard == ["576073588990780847"]
    catcher.stop()


def test_a_burst_into_the_search_box_is_the_code_alone(qtbot: QtBot) -> None:
    window, catcher, heard = catcher_with(qtbot, step_s=0.005)
    window.search.setText("old text")
    entered: list[bool] = []
    window.search.returnPressed.connect(lambda: entered.append(True))
    window.search.end(False)
    burst(qtbot, window.search, "1Z999AA10123456784")
    assert heard == ["1Z999AA10123456784"]  # not "old text1Z…": the window replaces the text
    assert entered == []  # the Enter went to the scan, not to the box as well
    catcher.stop()


def test_a_text_field_keeps_what_the_scanner_types(qtbot: QtBot) -> None:
    window, catcher, heard = catcher_with(qtbot, step_s=0.005)
    entered: list[bool] = []
    window.tracking.returnPressed.connect(lambda: entered.append(True))
    burst(qtbot, window.tracking, "9400111202555842761234")
    assert heard == [] and window.tracking.text() == "9400111202555842761234"
    assert entered == [True]
    catcher.stop()


@pytest.mark.parametrize(("step_s", "text"), [(0.2, "12345678"), (0.005, "123")])
def test_typing_at_a_persons_speed_or_three_keys_is_not_a_scan(
        qtbot: QtBot, step_s: float, text: str) -> None:
    window, catcher, heard = catcher_with(qtbot, step_s=step_s)
    burst(qtbot, window.table, text)
    assert heard == []
    catcher.stop()
