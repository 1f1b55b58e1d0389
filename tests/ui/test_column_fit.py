"""Default columns fit a small window (long texts give room, down to a minimum) and grow back on
a wide one; once the seller sizes a column, their widths stay."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from tiktok_desktop.ui.column_fit import ColumnFitter

WANTED = {0: 300, 1: 200, 2: 100, 3: 100, 4: 150}
MINIMUM = {0: 120, 1: 80}


def table(qtbot: QtBot, width: int) -> tuple[QTableView, ColumnFitter]:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(QStandardItemModel(5, 5, view))
    view.horizontalHeader().setStretchLastSection(True)
    for column, wide in WANTED.items():
        view.setColumnWidth(column, wide)
    fitter = ColumnFitter(view, WANTED, MINIMUM)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view, fitter


def widths(view: QTableView) -> list[int]:
    return [view.columnWidth(c) for c in range(4)]


def test_a_narrow_table_shows_every_column(qtbot: QtBot) -> None:
    view, _ = table(qtbot, 650)
    shown = widths(view)
    assert sum(shown) + 150 <= view.viewport().width() + 1  # the last column shows whole
    assert shown[2:] == [100, 100]  # only the long texts gave room
    assert shown[0] >= MINIMUM[0] and shown[1] >= MINIMUM[1]
    assert shown[0] < 300 and shown[1] < 200
    view.resize(1400, 300)
    qtbot.waitUntil(lambda: widths(view) == [300, 200, 100, 100])


def test_never_below_the_minimum(qtbot: QtBot) -> None:
    view, _ = table(qtbot, 300)
    assert widths(view)[:2] == [120, 80]


def test_the_seller_s_own_widths_stay(qtbot: QtBot) -> None:
    view, fitter = table(qtbot, 1400)
    view.horizontalHeader().resizeSection(0, 260)  # dragged by the seller
    assert not fitter.active
    view.resize(600, 300)
    qtbot.wait(50)
    assert widths(view)[0] == 260


def test_hiding_and_showing_a_column_is_not_the_seller_sizing_it(qtbot: QtBot) -> None:
    view, fitter = table(qtbot, 650)
    view.setColumnHidden(1, True)
    view.setColumnHidden(1, False)
    assert fitter.active
    view.resize(1400, 300)
    qtbot.waitUntil(lambda: widths(view) == [300, 200, 100, 100])


def test_a_layout_saved_fitted_is_fitted_afresh_and_the_seller_s_is_kept(qtbot: QtBot) -> None:
    small, fitter = table(qtbot, 650)
    assert fitter.active
    saved = small.horizontalHeader().saveState()  # the default, fitted to a small window
    big, again = table(qtbot, 1400)
    assert again.restore(saved, fitted=True) and again.active
    qtbot.waitUntil(lambda: widths(big) == [300, 200, 100, 100])
    kept, mine = table(qtbot, 1400)
    assert mine.restore(saved, fitted=False) and not mine.active
    assert widths(kept) == widths(small)
    assert not mine.restore(None, fitted=True)
