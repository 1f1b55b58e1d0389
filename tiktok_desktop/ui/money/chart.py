"""The daily revenue chart: one bar per day of the last 30, today last, with each day's orders
and revenue on hover.

Qt Charts (from PySide6-Addons; only its module and library go into the bundle, see
packaging/tiktok-desktop.spec): it added 4.1 MB to the bundle and 2-12 ms to the first
import, against 80 MB and 240-450 ms for pyqtgraph with numpy (figures in the issue's note).
Without it (a source install that left PySide6-Addons out) the chart says so and the rest of
the tab works.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from tiktok_desktop.services.sales import DayFigures
from tiktok_desktop.ui.formatting import CURRENCY_SYMBOLS, money

BAR_COLOUR = QColor("#2f7d6d")
TODAY_COLOUR = QColor("#7fbfb1")  # today is not over yet

try:
    from PySide6.QtCharts import (
        QBarCategoryAxis,
        QBarSeries,
        QBarSet,
        QChart,
        QChartView,
        QValueAxis,
    )
except ImportError:  # PySide6-Addons missing
    QChartView = None  # type: ignore[assignment,misc]


def day_label(figures: DayFigures, first: bool) -> str:
    """"1", "2", … with the month on the first bar and on the 1st: "Nov 28", "Dec 1"."""
    day = figures.day
    return f"{day:%b} {day.day}" if first or day.day == 1 else str(day.day)


def axis_top(values: Sequence[Decimal]) -> float:
    """A round top for the value axis above the highest bar (at least 10)."""
    high = float(max(values, default=Decimal(0)))
    if high <= 10:
        return 10.0
    step = 10 ** (len(str(int(high))) - 1)
    return float(-(-high // step) * step)


class DailyChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: tuple[DayFigures, ...] = ()
        self._currency: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view: QChartView | None = None
        self.missing: QLabel | None = None
        if QChartView is None:
            self.missing = QLabel("The daily chart needs Qt Charts (PySide6-Addons), which this "
                                  "installation lacks. The figures above are complete.", self)
            self.missing.setWordWrap(True)
            layout.addWidget(self.missing)
            return
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setVisible(False)
        self.chart.setBackgroundRoundness(0)
        self.series = QBarSeries()
        self.series.setBarWidth(0.8)
        self.chart.addSeries(self.series)
        self.days_axis = QBarCategoryAxis()
        self.days_axis.setGridLineVisible(False)
        self.value_axis = QValueAxis()
        self.value_axis.setTickCount(5)
        self.chart.addAxis(self.days_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.value_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.days_axis)
        self.series.attachAxis(self.value_axis)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(self.fontMetrics().height() * 12)
        layout.addWidget(self.view)

    def show_days(self, days: Sequence[DayFigures], currency: str | None) -> None:
        self._days, self._currency = tuple(days), currency
        if self.view is None:
            return
        self.series.clear()
        bars = QBarSet("Revenue")
        bars.setColor(BAR_COLOUR)
        bars.setBorderColor(BAR_COLOUR)
        for figures in days:
            bars.append(float(figures.revenue))
        if days:
            bars.setSelectedColor(TODAY_COLOUR)
            bars.selectBar(len(days) - 1)
        bars.hovered.connect(self._hovered)
        self.series.append(bars)
        self.days_axis.clear()
        self.days_axis.append([day_label(f, n == 0) for n, f in enumerate(days)])
        self.value_axis.setRange(0, axis_top([f.revenue for f in days]))
        symbol = CURRENCY_SYMBOLS.get((currency or "").upper(), "")
        self.value_axis.setLabelFormat(f"{symbol}%.0f")
        self.chart.setToolTip("Revenue per day (today so far in the lighter bar). "
                              "Point at a bar for the day's orders.")

    def day_text(self, index: int) -> str:
        """What hovering a bar says: "Tue 3 Dec: 5 orders, 7 units, $123.00"."""
        figures = self._days[index]
        day = figures.day
        orders = f"{figures.orders} order{'' if figures.orders == 1 else 's'}"
        units = f"{figures.units} unit{'' if figures.units == 1 else 's'}"
        return (f"{day:%a} {day.day} {day:%b}: {orders}, {units}, "
                f"{money(figures.revenue, self._currency)}")

    @Slot(bool, int)
    def _hovered(self, status: bool, index: int) -> None:
        if status and 0 <= index < len(self._days):
            QToolTip.showText(QCursor.pos(), self.day_text(index), self)
        else:
            QToolTip.hideText()
