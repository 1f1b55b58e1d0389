"""The packages to ship as a table: ship-by countdown (overdue in red), what is in the box, how
it leaves, its state and its label. Rows are QueuedPackage (store/shipping.py); each package's
result of the latest "Arrange shipment" shows on its row."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from tiktok_desktop.services.shipping import ShipResult
from tiktok_desktop.store.shipping import QueuedPackage
from tiktok_desktop.ui.formatting import Urgency, countdown, duration, local_datetime

# What a seller decides on first (how urgent, arranged or not, what is in the box) leads.
HEADERS = ("Ship by", "State", "Items", "Label", "Shipping", "Order", "Package", "Tracking",
           "Result")
SHIP_BY, STATE, ITEMS, LABEL, SHIPPING, ORDER, PACKAGE, TRACKING, RESULT = range(len(HEADERS))
RED, AMBER, GREY = QColor("#c62828"), QColor("#b26a00"), QColor("#757575")
Index = QModelIndex | QPersistentModelIndex


def items_text(package: QueuedPackage) -> str:
    """"2 × TEE-BLK-M (Black, M), 1 × MUG-01" — enough to pack from the screen."""
    return ", ".join(f"{i.quantity} × {i.seller_sku or i.product_name}"
                     + (f" ({i.variant})" if i.variant else "") for i in package.items)


def state_text(package: QueuedPackage, now: int) -> str:
    if package.cancel_requested and not package.arranged:
        return "Buyer asked to cancel: answer first"
    if package.on_hold:
        return "On hold"
    return "Arranged" if package.arranged else "To arrange"  # arranged: awaiting collection


def ship_by_text(package: QueuedPackage, now: int) -> tuple[str, Urgency | None]:
    if package.on_hold and package.shippable_at is not None and package.shippable_at > now:
        return f"Shippable at {local_datetime(package.shippable_at):%H:%M}", None
    due = countdown(package.ship_by, now)
    if due is None:
        return "", None
    if due.urgency is Urgency.OVERDUE:
        return f"{duration(now - (package.ship_by or now))} overdue", due.urgency
    return f"{duration((package.ship_by or now) - now)} left", due.urgency


def cancel_tip(package: QueuedPackage, now: int) -> str:
    """Why a package whose buyer asked to cancel does not ship, and what to do."""
    due = countdown(package.answer_by, now)
    if due is None:
        when = ""
    elif due.urgency is Urgency.OVERDUE:
        when = f" now ({due.text[:1].lower()}{due.text[1:]})"
    else:
        when = f" within {duration((package.answer_by or now) - now)}"
    return (f"The buyer asked to cancel this order. Answer the request in the Requests "
            f"tab{when}: approve it and the order is cancelled; reject it and the package "
            f"ships as usual.")


def label_text(package: QueuedPackage) -> str:
    if package.shipping_type == "SELLER":
        return "Your carrier's"
    if package.printed_at:
        return "Printed"
    return "Not printed" if package.has_label or package.arranged else ""


class QueueModel(QAbstractTableModel):
    def __init__(self, parent: object = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._clock = clock
        self.packages: list[QueuedPackage] = []
        self.results: dict[str, ShipResult] = {}

    def set_packages(self, packages: Sequence[QueuedPackage]) -> None:
        self.beginResetModel()
        self.packages = list(packages)
        self.endResetModel()

    def set_results(self, results: Sequence[ShipResult]) -> None:
        self.results.update({r.package_id: r for r in results})
        if self.packages:
            self.dataChanged.emit(self.index(0, RESULT),
                                  self.index(len(self.packages) - 1, RESULT))

    def package(self, row: int) -> QueuedPackage:
        return self.packages[row]

    def row_of(self, package_id: str) -> int | None:
        return next((n for n, p in enumerate(self.packages) if p.id == package_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.packages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        package, column = self.packages[index.row()], index.column()
        now = int(self._clock())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(package, column, now)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(package, column, now)
        if role == Qt.ItemDataRole.ToolTipRole and column == STATE and package.cancel_requested:
            return cancel_tip(package, now)
        if role == Qt.ItemDataRole.ToolTipRole and column in (ITEMS, SHIPPING, RESULT):
            return self._text(package, column, now)
        return None

    def _text(self, package: QueuedPackage, column: int, now: int) -> str:
        result = self.results.get(package.id)
        return {
            SHIP_BY: lambda: ship_by_text(package, now)[0],
            PACKAGE: lambda: package.id,
            ORDER: lambda: package.order_id,
            ITEMS: lambda: items_text(package),
            SHIPPING: lambda: ("TikTok shipping" if package.shipping_type == "TIKTOK"
                               else "Your carrier") + (f" · {package.delivery_option}"
                                                       if package.delivery_option else ""),
            STATE: lambda: state_text(package, now),
            TRACKING: lambda: package.tracking_number or "",
            LABEL: lambda: label_text(package),
            RESULT: lambda: _result_text(result),
        }[column]()

    def _colour(self, package: QueuedPackage, column: int, now: int) -> QBrush | None:
        if column == SHIP_BY:
            urgency = ship_by_text(package, now)[1]
            if urgency is Urgency.OVERDUE:
                return QBrush(RED)
            if urgency is Urgency.SOON:
                return QBrush(AMBER)
            return QBrush(GREY) if package.on_hold else None
        if column == STATE and package.cancel_requested and not package.arranged:
            return QBrush(RED)
        if column == RESULT:
            result = self.results.get(package.id)
            if result is not None and result.state in ("failed", "in_doubt"):
                return QBrush(RED if result.state == "failed" else AMBER)
        return None

    def tick(self) -> None:
        """The countdowns moved on."""
        if self.packages:
            self.dataChanged.emit(self.index(0, SHIP_BY),
                                  self.index(len(self.packages) - 1, SHIP_BY))


def _result_text(result: ShipResult | None) -> str:
    if result is None:
        return ""
    words = {"done": "Shipment arranged", "failed": "Not shipped", "in_doubt": "Checking…",
             "waiting": "Not sent yet"}[result.state]
    return f"{words}: {result.message}" if result.message else words
