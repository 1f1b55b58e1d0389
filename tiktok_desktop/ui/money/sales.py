"""Sales: orders and revenue today, in the last 7 and the last 30 days against the period before,
the daily revenue chart, and the SKUs that sold best; computed in the background from the
cached orders in the seller's own days (services/sales.py says what counts)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.sales import (
    PeriodFigures,
    SalesReport,
    daily_csv,
    export_name,
    read_sales,
    top_skus_csv,
)
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.editing.rows_model import rows_view
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.formatting import money
from tiktok_desktop.ui.money.amounts import AmountsModel, Row
from tiktok_desktop.ui.money.chart import DailyChart
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

GREEN, RED, MUTED = "#2e7d32", "#c62828", "#6b6b6b"
TOP_HEADERS = ("#", "Product", "Variation", "Seller SKU", "Units", "Revenue")
WHAT_COUNTS = ("Orders placed in your local time, paid and not cancelled. Revenue is what the "
               "items sold for after discounts, without shipping and tax; refunded items are "
               "left out.")


class SalesSession(Protocol):
    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes


def change_html(change: Decimal | None) -> str:
    """"▲ 12.5%" in green, "▼ 3.0%" in red, "no change"; "new" with nothing before."""
    if change is None:
        return f"<span style='color: {MUTED}'>nothing before to compare</span>"
    if change == 0:
        return f"<span style='color: {MUTED}'>no change</span>"
    colour, arrow = (GREEN, "▲") if change > 0 else (RED, "▼")
    return f"<span style='color: {colour}'>{arrow} {abs(change)}%</span>"


def period_html(period: PeriodFigures, currency: str | None) -> str:
    now, before = period.now, period.before
    left_out = []
    if now.cancelled:
        left_out.append(f"{now.cancelled} cancelled")
    if now.refunded:
        left_out.append(f"{now.refunded} refunded")
    note = f"<br><span style='color: {MUTED}'>Not counted: {', '.join(left_out)}</span>" \
        if left_out else ""
    return (f"<b>{period.label}</b><br>"
            f"<span style='font-size: large'><b>{money(now.revenue, currency) or '0'}</b></span>"
            f" {change_html(period.revenue_change)}<br>"
            f"{now.orders:,} order{'' if now.orders == 1 else 's'} "
            f"{change_html(period.orders_change)}<br>"
            f"<span style='color: {MUTED}'>vs {period.compared_with}: "
            f"{money(before.revenue, currency) or '0'}, {before.orders:,} order"
            f"{'' if before.orders == 1 else 's'}</span>{note}")


class SalesView(QWidget):
    listed = Signal()  # the figures show the latest read

    def __init__(self, session: SalesSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None, clock: Callable[[], float] = time.time,
                 tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks = session, tasks
        self.shop_id = session.shop_id
        self._clock, self._tz = clock, tz
        self.files = FileChoice(self, settings)
        self.report: SalesReport | None = None
        self.cards = [QLabel(self) for _ in range(3)]
        self.chart = DailyChart(self)
        self.top_model = AmountsModel(TOP_HEADERS, (0, 4, 5), self)
        self.top_table = rows_view(self.top_model, self)
        self.export_daily = QPushButton("Export daily sales…", self)
        self.export_top = QPushButton("Export top SKUs…", self)
        self.note = QLabel(WHAT_COUNTS, self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED}")
        self._reads = 0
        self._read_at = 0.0
        self._closed = False
        self._build()
        self.export_daily.clicked.connect(self.export_daily_sales)
        self.export_top.clicked.connect(self.export_top_skus)

    def _build(self) -> None:
        cards = QHBoxLayout()
        for card in self.cards:
            card.setTextFormat(Qt.TextFormat.RichText)
            card.setFrameShape(QFrame.Shape.StyledPanel)
            card.setMargin(8)
            card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            cards.addWidget(card, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("<b>Revenue per day, last 30 days</b>", self))
        buttons.addStretch(1)
        buttons.addWidget(self.export_daily)
        buttons.addWidget(self.export_top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(cards)
        layout.addLayout(buttons)
        layout.addWidget(self.chart, 3)
        layout.addWidget(QLabel("<b>Top SKUs, last 30 days</b>", self))
        layout.addWidget(self.top_table, 2)
        layout.addWidget(self.note)

    @Slot()
    def reload(self) -> None:
        if self._closed:
            return
        self._reads += 1
        number, shop_id, now, tz = self._reads, self.shop_id, int(self._clock()), self._tz
        self._read_at = time.monotonic()

        def shown(report: SalesReport) -> None:
            if number == self._reads and not self._closed:
                self.show_report(report)

        cache_ops.read(self, self.tasks, self.session,
                       lambda store: read_sales(store, shop_id, now, tz),
                       name="Reading sales", on_done=shown)

    def reload_if_stale(self, seconds: float = 300) -> None:
        """Read again when the figures are older than `seconds` ("today" moves on)."""
        if time.monotonic() - self._read_at > seconds:
            self.reload()

    def show_report(self, report: SalesReport) -> None:
        self.report = report
        currency = report.currency
        for card, period in zip(self.cards, report.periods, strict=True):
            card.setText(period_html(period, currency))
        self.chart.show_days(report.days, currency)
        self.top_model.set_rows([
            Row((rank, s.product, s.variant, s.seller_sku, s.units, money(s.revenue, currency)),
                data=s.sku_id)
            for rank, s in enumerate(report.top_skus, 1)])
        self.top_table.resizeColumnsToContents()
        has = report.has_orders
        self.export_daily.setEnabled(has)
        self.export_top.setEnabled(bool(report.top_skus))
        self.listed.emit()

    # -- files ----------------------------------------------------------------------------------

    def _name(self, kind: str) -> str:
        shop = self.session.cache.gui().shops.get(self.shop_id)
        return export_name(kind, shop.name if shop is not None and shop.name else "",
                           date.today())

    @Slot()
    def export_daily_sales(self) -> None:
        if self.report is not None:
            path = self.files.ask_save_path("Export daily sales to a CSV file",
                                            self._name("sales-daily"))
            if path is not None:
                self.export_to(path, daily_csv, self.report, "the daily sales")

    @Slot()
    def export_top_skus(self) -> None:
        if self.report is not None:
            path = self.files.ask_save_path("Export the top SKUs to a CSV file",
                                            self._name("sales-top-skus"))
            if path is not None:
                self.export_to(path, top_skus_csv, self.report, "the top SKUs")

    def export_to(self, path: Path, write: Callable[[SalesReport], bytes], report: SalesReport,
                  what: str) -> None:
        self.tasks.run(lambda control: path.write_bytes(write(report)),
                       name=f"Exporting {what} to {path.name}",
                       on_done=lambda _n: messages.info(f"Exported {what} to {path.name}."))

    def close_shop(self) -> None:
        self._closed = True
