"""The Requests table: one row per buyer request — answer-by countdown (overdue in red, soon in
amber), the kind of request, what the seller is to do (or where it stands), the items with the
first product's picture, the refund, the buyer's reason, the order, when it was asked, and the
result of the latest answer sent from this tab.

A shop has a few hundred open requests at most: the model holds every row of the answer with
its texts made once; `data()` indexes a tuple, except the countdown, which moves with the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPixmap

from tiktok_desktop.services.request_answers import AnswerResult
from tiktok_desktop.services.request_plans import AnswerState
from tiktok_desktop.services.request_words import action_name, dispute_name, status_name, type_name
from tiktok_desktop.store.requests import BuyerRequest
from tiktok_desktop.ui.formatting import Urgency, date_time, time_left
from tiktok_desktop.ui.pictures import Pictures, Thumbnails
from tiktok_desktop.ui.requests.words import (
    item_line,
    items_text,
    refund_text,
    result_text,
    state_text,
)

HEADERS = ("Answer by", "Request", "What to do", "Items", "Refund", "Buyer's reason", "Order",
           "Requested", "Result")
ANSWER_BY, REQUEST, TO_DO, ITEMS, REFUND, REASON, ORDER, REQUESTED, RESULT = range(len(HEADERS))
RED, AMBER, GREY = QColor("#c62828"), QColor("#b26a00"), QColor("#757575")
REQUEST_ID = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


def to_do_text(request: BuyerRequest, state: AnswerState | None) -> str:
    """What the seller is to do — or, once answered, where the answer is; else where the
    request stands."""
    if state is not None:
        return state_text(state)
    if request.needs_answer:
        return action_name(request)
    dispute = dispute_name(request)
    return f"{status_name(request)} · {dispute}" if dispute else status_name(request)


def texts(request: BuyerRequest, state: AnswerState | None) -> tuple[str, ...]:
    return ("", type_name(request), to_do_text(request, state), items_text(request),
            refund_text(request), request.reason, request.order_id,
            date_time(request.create_time), "")


class RequestsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[BuyerRequest] = []
        self._texts: list[tuple[str, ...]] = []
        self._states: dict[str, AnswerState] = {}
        self._row_of: dict[str, int] = {}
        self.results: dict[str, AnswerResult] = {}
        self.thumbnails = Thumbnails()

    # -- what it shows --------------------------------------------------------------------------

    def show(self, rows: Sequence[BuyerRequest], states: Mapping[str, AnswerState]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._states = dict(states)
        self._texts = [texts(r, self._states.get(r.id)) for r in self._rows]
        self._row_of = {r.id: n for n, r in enumerate(self._rows)}
        self.endResetModel()

    def request(self, row: int) -> BuyerRequest:
        return self._rows[row]

    def state(self, request_id: str) -> AnswerState | None:
        return self._states.get(request_id)

    def row_of(self, request_id: str | None) -> int | None:
        return self._row_of.get(request_id) if request_id else None

    @property
    def requests(self) -> list[BuyerRequest]:
        return list(self._rows)

    def text(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)) or "")

    def set_results(self, results: Sequence[AnswerResult]) -> None:
        self.results.update({r.request_id: r for r in results})
        if self._rows:
            self.dataChanged.emit(self.index(0, RESULT), self.index(len(self._rows) - 1, RESULT))

    def picture_links(self) -> dict[str, str]:
        return self.thumbnails.links()

    def set_pictures(self, pictures: Pictures) -> None:
        if self.thumbnails.take(pictures) and self._rows:
            self.dataChanged.emit(self.index(0, ITEMS), self.index(len(self._rows) - 1, ITEMS),
                                  [Qt.ItemDataRole.DecorationRole])

    def picture(self, product_id: str | None) -> QPixmap | None:
        return self.thumbnails.get(product_id) if product_id else None

    def tick(self) -> None:
        """The countdowns moved on."""
        if self._rows:
            self.dataChanged.emit(self.index(0, ANSWER_BY),
                                  self.index(len(self._rows) - 1, ANSWER_BY))

    # -- Qt's side ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def _due(self, request: BuyerRequest) -> tuple[str, Urgency | None]:
        state = self._states.get(request.id)
        if not request.needs_answer or (state is not None and state.state != "failed"):
            return "", None
        left = time_left(request.deadline, int(self._clock()))
        return ("No deadline given", None) if left is None else (left.text, left.urgency)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        request = self._rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == ANSWER_BY:
                return self._due(request)[0]
            if column == RESULT:
                return result_text(self.results.get(request.id))
            if column == ITEMS and role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(item_line(i) + (f" · SKU {i.seller_sku}" if i.seller_sku else "")
                                 for i in request.items)
            return self._texts[row][column]
        if role == Qt.ItemDataRole.DecorationRole and column == ITEMS:
            return self.picture(request.product_ids[0] if request.product_ids else None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(request, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == REFUND:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == REQUEST_ID:
            return request.id
        return None

    def _colour(self, request: BuyerRequest, column: int) -> QBrush | None:
        if column == ANSWER_BY:
            urgency = self._due(request)[1]
            if urgency is Urgency.OVERDUE:
                return QBrush(RED)
            return QBrush(AMBER) if urgency is Urgency.SOON else None
        if column == TO_DO:
            state = self._states.get(request.id)
            if state is not None and state.state == "failed":
                return QBrush(RED)
            return QBrush(GREY) if request.closed else None
        if column == RESULT:
            result = self.results.get(request.id)
            if result is not None and result.state in ("failed", "in_doubt"):
                return QBrush(RED if result.state == "failed" else AMBER)
        return None
