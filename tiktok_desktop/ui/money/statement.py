"""One statement opened: its amounts and payment, then its transactions (the orders it paid for
and the adjustments), read from the cache, or fetched from TikTok Shop when they are not cached
yet (PayoutsView does the fetching; this pane shows what it is given)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tiktok_desktop.services.payouts import payment_words, statement_date, transaction_words
from tiktok_desktop.store import StatementRow, Transaction
from tiktok_desktop.ui.editing.rows_model import rows_view
from tiktok_desktop.ui.formatting import date_time, money
from tiktok_desktop.ui.money.amounts import AmountsModel, Row

HEADERS = ("Type", "Order", "Placed", "Items", "Revenue", "Fees", "Shipping", "Adjustments",
           "Settlement")
AMOUNT_COLUMNS = range(4, 9)
MUTED = "#6b6b6b"


def day_text(timestamp: int) -> str:
    day = statement_date(timestamp)
    return f"{day:%a} {day.day} {day:%b %Y}"


def transaction_row(t: Transaction) -> Row:
    currency = t.currency
    return Row((transaction_words(t.type), t.order_id or t.adjustment_id or "",
                date_time(t.order_create_time), t.item_summary or "",
                money(t.revenue, currency), money(t.fees, currency),
                money(t.shipping_cost, currency), money(t.adjustments, currency),
                money(t.settlement, currency)), data=t.id)


def statement_html(row: StatementRow) -> str:
    currency = row.currency
    paid_on = day_text(row.payment_time) if row.payment_time else ""
    status = payment_words(row.payment_status, row.payment_time, paid_on and f"on {paid_on}")
    parts = [("Revenue", row.revenue), ("Fees", row.fees), ("Shipping cost", row.shipping_cost),
             ("Adjustments", row.adjustments)]
    amounts = " · ".join(f"{name} {escape(money(value, currency))}" for name, value in parts
                         if value or name == "Revenue")
    return (f"<b>Statement of {escape(day_text(row.statement_time))}</b>"
            f" — settlement <b>{escape(money(row.settlement, currency))}</b><br>"
            f"{amounts}<br><span style='color: {MUTED}'>{escape(status)}"
            f" · statement {escape(row.id)}</span>")


class StatementPane(QWidget):
    retry_requested = Signal(str)  # a statement id whose transactions failed to load
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement: StatementRow | None = None
        self.transactions: list[Transaction] | None = None
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = AmountsModel(HEADERS, AMOUNT_COLUMNS, self)
        self.table = rows_view(self.model, self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.retry = QPushButton("Try again", self)
        self.export_button = QPushButton("Export this statement…", self)
        self.export_button.setToolTip("Save this statement's orders and adjustments as a "
                                      "CSV file")
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.retry)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retry.clicked.connect(self._retry)
        self.export_button.clicked.connect(self.export_requested)
        self.show_statement(None)

    @property
    def statement_id(self) -> str | None:
        return self.statement.id if self.statement else None

    def show_statement(self, row: StatementRow | None) -> None:
        """A statement chosen; its transactions follow (show_transactions / show_loading)."""
        self.statement, self.transactions = row, None
        self.heading.setText("Select a statement to see the orders it paid for."
                             if row is None else statement_html(row))
        self.model.set_rows([])
        self.note.setText("")
        self.retry.hide()
        self.export_button.setEnabled(False)

    def show_loading(self) -> None:
        self.note.setText("Loading this statement's orders from TikTok Shop…")
        self.retry.hide()

    def show_problem(self, text: str) -> None:
        self.note.setText(f"Couldn't load this statement's orders. {text}")
        self.retry.show()

    def show_transactions(self, transactions: Sequence[Transaction]) -> None:
        self.transactions = list(transactions)
        self.model.set_rows([transaction_row(t) for t in transactions])
        self.table.resizeColumnsToContents()
        orders = sum(1 for t in transactions if t.is_order)
        others = len(transactions) - orders
        text = f"{orders} order{'' if orders == 1 else 's'}"
        if others:
            text += f", {others} adjustment{'' if others == 1 else 's'}"
        self.note.setText(text + ".")
        self.retry.hide()
        self.export_button.setEnabled(bool(transactions))

    def _retry(self) -> None:
        if self.statement is not None:
            self.retry_requested.emit(self.statement.id)
