"""The Orders table's columns: what each shows, how it sorts, and how a row reads as text.

A row's texts are worked out once, when its block of rows is read from the cache, so that
`data()` only indexes a tuple (a repaint asks for thousands of cells).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tiktok_desktop.store import LineGroup, OrderRow, PackageInfo
from tiktok_desktop.ui.formatting import Urgency, countdown, date_time, duration, money

# The API's order statuses in the seller's words (the status filter uses the same names).
STATUS_NAMES = {
    "UNPAID": "Unpaid",
    "ON_HOLD": "On hold",
    "AWAITING_SHIPMENT": "To ship",
    "PARTIALLY_SHIPPING": "Partly shipped",
    "AWAITING_COLLECTION": "Awaiting collection",
    "IN_TRANSIT": "In transit",
    "DELIVERED": "Delivered",
    "COMPLETED": "Completed",
    "CANCELLED": "Cancelled",
}
SHIPPED_BY = {"TIKTOK": "TikTok", "SELLER": "Seller"}
# The ship-by deadline matters while the order waits to be shipped; on hold it can't be yet.
WAITING_TO_SHIP = frozenset({"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"})


def status_name(status: str | None) -> str:
    if not status:
        return ""
    return STATUS_NAMES.get(status, status.replace("_", " ").capitalize())


def order_status(status: str | None, packages: tuple[PackageInfo, ...] | None) -> str:
    """The order's status in words, true to its packages while it ships in parts: TikTok may
    say PARTIALLY_SHIPPING before any package has left (split into packages, none shipped)."""
    live = [p for p in packages or () if p.status != "CANCELLED"]
    if status != "PARTIALLY_SHIPPING" or not live:
        return status_name(status)
    shipped = sum(p.has_shipped for p in live)
    if shipped == 0:
        return status_name("AWAITING_SHIPMENT")
    if shipped == len(live):
        return f"All {len(live)} packages shipped"
    return f"{shipped} of {len(live)} packages shipped"


def item_line(group: LineGroup) -> str:
    """"2 × Cotton tee (Black, M)"."""
    name = group.product_name or "Unnamed product"
    return f"{group.quantity} × {name} ({group.sku_name})" if group.sku_name else (
        f"{group.quantity} × {name}")


def items_text(groups: tuple[LineGroup, ...]) -> str:
    """Every item of the order: "3 items: 2 × Tee (Sage, S); 1 × Cap", or just "1 × Cap"
    when there is one kind (its quantity says how many). Items count units, as on a label."""
    lines = "; ".join(item_line(g) for g in groups)
    if len(groups) < 2:
        return lines
    return f"{sum(g.quantity for g in groups):,} items: {lines}"


def items_tip(groups: tuple[LineGroup, ...]) -> str:
    """One line per item with its seller SKU, for the Items column's tooltip."""
    return "\n".join(item_line(g) + (f" · SKU {g.seller_sku}" if g.seller_sku else "")
                     for g in groups)


def ship_by_text(row: OrderRow, now: int) -> tuple[str, Urgency | None]:
    """"1 d 4 h left" / "3 h overdue" while the order waits to ship (and on hold, where the
    clock already runs); nothing before payment or once it has shipped."""
    if row.ship_by is None or row.status not in WAITING_TO_SHIP | {"ON_HOLD"}:
        return "", None
    if row.status == "ON_HOLD":  # shown grey: the clock runs, but it can't ship yet
        return f"{duration(row.ship_by - now)} left", None
    due = countdown(row.ship_by, now)
    assert due is not None
    if due.urgency is Urgency.OVERDUE:
        return f"{duration(now - row.ship_by)} overdue", due.urgency
    return f"{duration(row.ship_by - now)} left", due.urgency


@dataclass(frozen=True)
class Column:
    key: str  # the store's sort key (SORT_COLUMNS)
    title: str
    sample: str  # typical widest contents: sets the default width
    text: Callable[[OrderRow, int], str]
    right_aligned: bool = False
    shown: bool = True  # by default; the seller can show or hide any column
    tip: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("id", "Order", "576090106012166305", lambda r, now: r.id),
    Column("status", "Status", "1 of 2 packages shipped",
           lambda r, now: order_status(r.status, r.packages)),
    Column("create_time", "Ordered", "2026-12-30 23:59", lambda r, now: date_time(r.create_time)),
    Column("ship_by", "Ship by", "23 h 59 min left", lambda r, now: ship_by_text(r, now)[0],
           tip="Time left to hand the order to the carrier (grey: on hold, not shippable yet)"),
    Column("buyer", "Buyer", "jessica12345", lambda r, now: r.buyer or ""),
    Column("item_summary", "Items", "4 items: 1 × Minimalist Graphic Tee (Sage, S); 3 × Gl",
           lambda r, now: items_text(r.items),
           tip="Every item of the order (point at one to see each with its seller SKU); "
               "sorted by the first item"),
    Column("item_count", "Units", "Units", lambda r, now: f"{r.item_count:,}",
           right_aligned=True, shown=False),
    Column("total", "Total", "$1,234.56", lambda r, now: money(r.total_amount, r.currency),
           right_aligned=True),
    Column("tracking_number", "Tracking", "9400111899561234567890",
           lambda r, now: r.tracking_number or ""),
    Column("shipping_provider", "Carrier", "USPS Ground", lambda r, now: r.shipping_provider or "",
           shown=False),
    Column("delivery_option_name", "Delivery", "Standard Shipping",
           lambda r, now: r.delivery_option_name or "", shown=False),
    Column("shipping_type", "Shipped by", "Shipped by", lambda r, now: SHIPPED_BY.get(
        r.shipping_type or "", r.shipping_type or ""), shown=False),
    Column("recipient", "Recipient", "M*** K***", lambda r, now: r.recipient or "", shown=False),
    Column("paid_time", "Paid", "2026-12-30 23:59", lambda r, now: date_time(r.paid_time),
           shown=False),
    Column("update_time", "Updated", "2026-12-30 23:59", lambda r, now: date_time(r.update_time),
           shown=False),
    Column("cancel_reason", "Cancel reason", "Buyer changed their mind",
           lambda r, now: r.cancel_reason or "", shown=False),
)
FLEXIBLE = "item_summary"  # takes the width the others leave in a new layout
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
SHIP_BY = COLUMN_KEYS.index("ship_by")
ITEMS = COLUMN_KEYS.index("item_summary")


@dataclass(frozen=True)
class DisplayRow:
    """One order as the table shows it: texts per column, worked out once."""

    order_id: str
    texts: tuple[str, ...]
    urgency: Urgency | None  # colours the Ship by cell
    status: str | None
    items_tip: str = ""


def display_row(row: OrderRow, now: int) -> DisplayRow:
    texts = tuple(column.text(row, now) for column in COLUMNS)
    return DisplayRow(row.id, texts, ship_by_text(row, now)[1], row.status, items_tip(row.items))


def missing_row(order_id: str) -> DisplayRow:
    """An order that left the cache since the list was made (shown blank until the next query)."""
    return DisplayRow(order_id, (order_id,) + ("",) * (len(COLUMNS) - 1), None, None)
