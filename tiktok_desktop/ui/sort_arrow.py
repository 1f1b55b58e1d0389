"""Sort arrows that point the way the list reads: newest first (descending) points down.

Qt marks an ascending column "sort down" and most styles draw that as a downward arrow, the
opposite of what sellers read from Seller Center and spreadsheets ("newest first" showed an
arrow pointing up). The header's style is wrapped to draw the other arrow; nothing else about
the header changes.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

_FLIPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class _ArrowAsListReads(QProxyStyle):
    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if (element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
                and isinstance(option, QStyleOptionHeader)
                and option.sortIndicator in _FLIPPED):
            option = QStyleOptionHeader(option)
            option.sortIndicator = _FLIPPED[option.sortIndicator]
        super().drawPrimitive(element, option, painter, widget)


def arrows_as_the_list_reads(header: QHeaderView) -> None:
    style = _ArrowAsListReads()  # on top of the application's style
    style.setParent(header)
    header.setStyle(style)
