"""The sort arrow points the way the list reads: newest first (descending) points down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView
from pytestqt.qtbot import QtBot

from tiktok_desktop.ui.sort_arrow import arrows_as_the_list_reads


def arrow_points(header: QHeaderView, order: Qt.SortOrder) -> str:
    """'down' or 'up': read from the dark pixels of the painted arrow, row by row."""
    header.setSortIndicator(0, order)
    image = header.grab().toImage()
    widths = [sum(1 for x in range(header.sectionSize(0))
                  if image.pixelColor(x, y).lightness() < 120) for y in range(image.height())]
    # The arrow is the longest run of rows getting steadily wider or narrower.
    best, direction = 0, ""
    for start in range(len(widths)):
        for step, name in ((1, "up"), (-1, "down")):
            end = start
            while (end + 1 < len(widths) and widths[end] > 0
                   and (widths[end + 1] - widths[end]) * step > 0):
                end += 1
            if end - start > best:
                best, direction = end - start, name
    assert best >= 2, widths
    return direction


def test_descending_points_down_and_ascending_up(qtbot: QtBot) -> None:
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(QStandardItemModel(3, 2, table))
    table.setSortingEnabled(True)
    plain = arrow_points(table.horizontalHeader(), Qt.SortOrder.DescendingOrder)
    arrows_as_the_list_reads(table.horizontalHeader())
    table.show()
    assert arrow_points(table.horizontalHeader(), Qt.SortOrder.DescendingOrder) == "down"
    assert arrow_points(table.horizontalHeader(), Qt.SortOrder.AscendingOrder) == "up"
    assert plain == "up"  # what Qt's own style draws for newest first: the trip sellers had
