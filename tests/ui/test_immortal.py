import sys

from PySide6.QtWidgets import QLabel

import tiktok_desktop.ui  # noqa: F401 - importing the UI applies the fix
from tiktok_desktop.ui.immortal import make_singletons_immortal


def test_qt_calls_cannot_use_up_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    # Whatever PySide does to the count, it stays far from zero for a whole session.
    assert sys.getrefcount(None) > before - 10_000
    assert sys.getrefcount(None) > 1 << 31  # immortal: 3.12 says 2**32 - 1; 3.11 gets 2**48


def test_applying_twice_adds_nothing():
    before = sys.getrefcount(None)
    make_singletons_immortal()
    assert abs(sys.getrefcount(None) - before) < 100
