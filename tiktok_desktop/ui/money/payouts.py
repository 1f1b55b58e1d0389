"""Payouts: the statements of a date range with their totals, and the one selected opened below
with the orders and adjustments it paid for.

Statements come from the cache (the sync keeps them). A statement's transactions are read from
the cache too; those never fetched are fetched from TikTok Shop in the background when the
seller opens the statement, saved on the cache's write lane, and shown. The statements of the
last FILL_DAYS days are also loaded one at a time by themselves, so each order's detail can say
what the order earned; a failure stops that quietly (a line below the table says why) and the
next refresh tries again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.payouts import (
    FILL_DAYS,
    StatementTransactions,
    payment_words,
    save_statement_transactions,
    statement_date,
    statement_range,
    statements_csv,
    totals,
    transactions_csv,
)
from tiktok_desktop.services.sales import export_name
from tiktok_desktop.store import Changes, StatementRow, Store
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.editing.rows_model import rows_view
from tiktok_desktop.ui.file_choice import FileChoice
from tiktok_desktop.ui.formatting import money
from tiktok_desktop.ui.money.amounts import AmountsModel, Row
from tiktok_desktop.ui.money.range_bar import RangeBar
from tiktok_desktop.ui.money.statement import StatementPane, day_text
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

HEADERS = ("Date", "Settlement", "Revenue", "Fees", "Adjustments", "Shipping cost", "Net sales",
           "Payment")
AMOUNT_COLUMNS = range(1, 7)
FAILED_COLOUR = "#fbd5d5"
ANNOUNCE_EVERY = 10  # statements loaded by the fill between two announcements to the tabs


class PayoutSession(Protocol):
    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes

    def statement_transactions(self, statement_id: str,
                               cancel: threading.Event | None = None
                               ) -> StatementTransactions: ...


@dataclass(frozen=True)
class Answer:
    rows: list[StatementRow]
    unfetched: list[str]  # statements of the last FILL_DAYS days without transactions


def statement_row(row: StatementRow) -> Row:
    currency = row.currency
    paid_on = day_text(row.payment_time) if row.payment_time else ""
    return Row((day_text(row.statement_time), money(row.settlement, currency),
                money(row.revenue, currency), money(row.fees, currency),
                money(row.adjustments, currency), money(row.shipping_cost, currency),
                money(row.net_sales, currency),
                payment_words(row.payment_status, row.payment_time, paid_on)),
               colour=QColor(FAILED_COLOUR) if row.payment_status == "FAILED" else None,
               data=row.id)


def totals_text(rows: list[StatementRow]) -> str:
    if not rows:
        return "No statements in this period."
    lines = []
    for total in totals(rows):
        c = total.currency
        count = f"{total.statements} statement{'' if total.statements == 1 else 's'}"
        line = (f"<b>{count}: settlement {money(total.settlement, c)}</b> · revenue "
                f"{money(total.revenue, c)} · fees {money(total.fees, c)} · adjustments "
                f"{money(total.adjustments, c)} · shipping cost {money(total.shipping_cost, c)}"
                f" · net sales {money(total.net_sales, c)}")
        state = [f"paid out {money(total.paid, c)}"]
        if total.waiting:
            state.append(f"being paid out {money(total.waiting, c)}")
        if total.failed:
            state.append(f"<span style='color: #c62828'>payout failed "
                         f"{money(total.failed, c)}</span>")
        lines.append(f"{line}<br>{', '.join(state).capitalize()}")
    return "<br>".join(lines)


class PayoutsView(QWidget):
    changed = Signal(object)  # Changes written (transactions fetched), for the other tabs
    listed = Signal()  # the table shows the latest answer
    opened = Signal(str)  # the pane shows this statement's transactions

    def __init__(self, session: PayoutSession, tasks: TaskRunner, settings: Settings,
                 parent: QWidget | None = None, clock: Callable[[], float] = time.time,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.settings = session, tasks, settings
        self.shop_id = session.shop_id
        self._clock = clock
        self.files = FileChoice(self, settings)
        self.range = RangeBar(self, today)
        self.summary = QLabel(self)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setToolTip("Save the statements shown as a CSV file")
        self.totals = QLabel(self)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setWordWrap(True)
        self.model = AmountsModel(HEADERS, AMOUNT_COLUMNS, self)
        self.table = rows_view(self.model, self)
        self.pane = StatementPane(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.fill_note = QLabel(self)
        self.fill_note.setStyleSheet("color: #6b6b6b")
        self.rows: list[StatementRow] = []
        self._reads = 0  # the latest read wins
        self._pane_reads = 0
        self._fetching: set[str] = set()  # statements whose transactions are on their way
        self._loaded: set[str] = set()  # statements whose transactions this view saved
        self._failed: dict[str, str] = {}  # statement id -> why its fetch failed
        self._fill_queue: list[str] = []
        self._filling = False
        self._fill_changes = Changes()
        self._fill_loaded = 0
        self._closed = False
        self._build()
        self.range.changed.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.export_button.clicked.connect(self.export_statements)
        self.pane.retry_requested.connect(self.fetch)
        self.pane.export_requested.connect(self.export_statement)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.range)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addWidget(self.export_button)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.pane)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.fill_note)

    # -- statements -----------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Read the statements of the range (in the background); the one open stays open."""
        if self._closed:
            return
        self._reads += 1
        number, shop_id = self._reads, self.shop_id
        start, end = statement_range(*self.range.dates())
        since = int(self._clock()) - FILL_DAYS * 86_400

        def read(store: Store) -> Answer:
            return Answer(store.finance.statements(shop_id, start, end),
                          store.finance.unfetched(shop_id, since))

        def shown(answer: Answer) -> None:
            if number == self._reads and not self._closed:
                self._show(answer)

        cache_ops.read(self, self.tasks, self.session, read, name="Reading statements",
                       on_done=shown)

    def _show(self, answer: Answer) -> None:
        opened = self.pane.statement_id
        self.rows = answer.rows
        self.model.set_rows([statement_row(r) for r in answer.rows])
        self.table.resizeColumnsToContents()
        count = len(answer.rows)
        self.summary.setText(f"{count:,} statement{'' if count == 1 else 's'}")
        self.totals.setText(totals_text(answer.rows))
        self.export_button.setEnabled(bool(answer.rows))
        row = self.model.find(opened) if opened else None
        if row is None and answer.rows:
            row = 0
        if row is not None:
            self._select(row)
        else:
            self.pane.show_statement(None)
        self.listed.emit()
        self._fill(answer.unfetched)

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        already = self.table.currentIndex().row() == row
        self.table.setCurrentIndex(index)
        if already:
            self.open_statement(self.rows[row])

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.rows):
            self.open_statement(self.rows[current.row()])

    def select_statement(self, statement_id: str) -> bool:
        row = self.model.find(statement_id)
        if row is not None:
            self._select(row)
        return row is not None

    # -- one statement's transactions -----------------------------------------------------------

    def open_statement(self, row: StatementRow) -> None:
        """Show the statement, and its transactions once read (fetched if never cached)."""
        if self.pane.statement_id != row.id or self.pane.statement != row:
            self.pane.show_statement(row)
        self._read_transactions(row.id, fetch=True)

    def _read_transactions(self, statement_id: str, *, fetch: bool) -> None:
        self._pane_reads += 1
        number = self._pane_reads

        def shown(transactions: list | None) -> None:
            if number != self._pane_reads or self._closed:
                return
            if self.pane.statement_id != statement_id:
                return
            if transactions is not None:
                self.pane.show_transactions(transactions)
                self.opened.emit(statement_id)
            elif statement_id in self._failed:
                self.pane.show_problem(self._failed[statement_id])
            else:
                self.pane.show_loading()
                if fetch:
                    self.fetch(statement_id)

        cache_ops.read(self, self.tasks, self.session,
                       lambda store: store.finance.transactions(statement_id),
                       name="Reading a statement", on_done=shown)

    @Slot(str)
    def fetch(self, statement_id: str,
              then: Callable[[bool], None] | None = None) -> None:
        """Fetch a statement's transactions from TikTok Shop and keep them; `then(ok)` after."""
        if self._closed or statement_id in self._fetching:
            return
        if then is not None and statement_id in self._loaded:  # opened meanwhile: kept
            then(True)
            return
        self._fetching.add(statement_id)
        self._failed.pop(statement_id, None)
        if self.pane.statement_id == statement_id:
            self.pane.show_loading()
        session, shop_id = self.session, self.shop_id

        def fetched(answer: StatementTransactions) -> None:
            cache_ops.write(self, self.tasks, session,
                            lambda store: save_statement_transactions(store, shop_id, answer),
                            name="Saving a statement's orders",
                            on_done=lambda changes: saved(changes),
                            on_failed=failed)

        def saved(changes: Changes) -> None:
            self._fetching.discard(statement_id)
            self._loaded.add(statement_id)
            if then is None:
                self.changed.emit(changes)
            else:
                self._fill_changes |= changes
            if self.pane.statement_id == statement_id and not self._closed:
                self._read_transactions(statement_id, fetch=False)
            if then is not None:
                then(True)

        def failed(error: BaseException) -> None:
            self._fetching.discard(statement_id)
            described = messages.describe_failure(error)
            if described is None:  # a bug: the crash handler has it
                messages.report_failure(error, doing="Loading a statement's orders")
            self._failed[statement_id] = described or "See the log for what went wrong."
            if self.pane.statement_id == statement_id and not self._closed:
                self.pane.show_problem(self._failed[statement_id])
            if then is not None:
                then(False)

        def cancelled() -> None:
            self._fetching.discard(statement_id)
            if then is not None:
                then(False)

        self.tasks.run(lambda control: session.statement_transactions(statement_id,
                                                                      control.cancelled),
                       name="Loading a statement's orders", parent=self, on_done=fetched,
                       on_failed=failed, on_cancelled=cancelled)

    # -- loading recent statements by themselves ------------------------------------------------

    def _fill(self, unfetched: list[str]) -> None:
        """Load the transactions of recent statements one at a time (newest first)."""
        self._fill_queue = [s for s in unfetched if s not in self._fetching]
        if not self._filling:
            self._fill_loaded = 0
            self._fill_next()

    def _fill_next(self) -> None:
        if self._closed:
            return
        if not self._fill_queue:
            self._filling = False
            self._announce_fill()
            self.fill_note.setText("")
            return
        self._filling = True
        left = len(self._fill_queue)
        self.fill_note.setText(f"Loading the orders of {left} recent statement"
                               f"{'' if left == 1 else 's'} from TikTok Shop…")
        statement_id = self._fill_queue.pop(0)
        self.fetch(statement_id, then=self._filled)

    def _filled(self, ok: bool) -> None:
        if self._closed:
            return
        if not ok:  # offline, signed out, refused: stop here and say so; a refresh retries
            left = len(self._fill_queue) + 1
            reason = next(iter(self._failed.values()), "")
            self._fill_queue = []
            self._filling = False
            self._announce_fill()
            self.fill_note.setText(f"The orders of {left} recent statement"
                                   f"{'' if left == 1 else 's'} are not loaded yet. {reason}")
            return
        self._fill_loaded += 1
        if self._fill_loaded % ANNOUNCE_EVERY == 0:
            self._announce_fill()
        QTimer.singleShot(0, self, self._fill_next)  # from the event loop: no deep call chain

    def _announce_fill(self) -> None:
        changes, self._fill_changes = self._fill_changes, Changes()
        if changes:
            self.changed.emit(changes)

    @property
    def filling(self) -> bool:
        return self._filling

    # -- files ----------------------------------------------------------------------------------

    def _shop_name(self) -> str:
        store = self.session.cache.gui()
        shop = store.shops.get(self.shop_id)
        return shop.name if shop is not None and shop.name else ""

    @Slot()
    def export_statements(self) -> None:
        rows = list(self.rows)
        if not rows:
            return
        path = self.files.ask_save_path("Export statements to a CSV file",
                                        export_name("statements", self._shop_name(),
                                                    date.today()))
        if path is not None:
            self.export_to(path, rows)

    def export_to(self, path: Path, rows: list[StatementRow]) -> None:
        count = len(rows)
        self.tasks.run(lambda control: path.write_bytes(statements_csv(rows)),
                       name=f"Exporting statements to {path.name}",
                       on_done=lambda _n: messages.info(
                           f"Exported {count:,} statement{'s' * (count != 1)} to {path.name}."))

    @Slot()
    def export_statement(self) -> None:
        statement, transactions = self.pane.statement, self.pane.transactions
        if statement is None or not transactions:
            return
        day = statement_date(statement.statement_time)
        path = self.files.ask_save_path("Export this statement to a CSV file",
                                        export_name("statement", self._shop_name(), day))
        if path is not None:
            rows = list(transactions)
            self.tasks.run(lambda control: path.write_bytes(transactions_csv(rows)),
                           name=f"Exporting a statement to {path.name}",
                           on_done=lambda _n: messages.info(
                               f"Exported the statement's {len(rows):,} lines to "
                               f"{path.name}."))

    def close_shop(self) -> None:
        self._closed = True
        self._fill_queue = []
