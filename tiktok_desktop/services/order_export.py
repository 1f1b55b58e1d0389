"""Orders as Seller Center's order export: one row per SKU line, its US header in its order
(reference seller-needs.md §5.1), so a seller's own sheets and tools that read Seller Center's
file read ours. Qt-free.

Built from what the cache holds of each order: the Open API's order object (orders.raw), the
shop's warehouse names, and the packages known for the order. A column the cache doesn't know
(returns, refunds, weight, category…) is left empty: nothing is made up. Order-level money
(shipping, taxes, Order Amount) repeats on each of an order's rows, as Seller Center's does.
Times are `MM/DD/YYYY h:mm:ss AM/PM` in local time; ids, tracking numbers, phone and postal
codes are text.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tiktok_desktop.services.sheet_source import Progress
from tiktok_desktop.services.sheets import write_sheet
from tiktok_desktop.store import Store
from tiktok_desktop.store.sql import id_list

HEADER: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Co-Funded Shipping Fee Discount", "Shipping Fee Platform Discount",
    "Payment platform discount", "Retail Delivery Fee", "Taxes", "Order Amount",
    "Order Refund Amount", "Created Time", "Paid Time", "RTS Time", "Shipped Time",
    "Delivered Time", "Cancelled Time", "Cancel By", "Cancel Reason", "Fulfillment Type",
    "Warehouse Name", "Tracking ID", "Delivery Option Type", "Delivery Option",
    "Shipping Provider Name", "Buyer Message", "Buyer Username", "Recipient", "Phone #",
    "Country", "State", "City", "Zipcode", "Address Line 1", "Address Line 2",
    "Delivery Instruction", "Payment Method", "Weight(kg)", "Product Category", "Package ID",
    "Seller Note", "Shipping Information", "Combined Listing",
)
TEXT_COLUMNS = ("Order ID", "SKU ID", "Seller SKU", "Tracking ID", "Phone #", "Zipcode",
                "Package ID")
SHEET = "OrderSKUList"
BATCH = 500  # orders read from the cache at a time

# API status -> Seller Center's Order Status and Order Substatus (US English).
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "UNPAID": ("Unpaid", ""),
    "ON_HOLD": ("On hold", ""),
    "AWAITING_SHIPMENT": ("To ship", "Awaiting shipment"),
    "PARTIALLY_SHIPPING": ("To ship", ""),
    "AWAITING_COLLECTION": ("To ship", "Awaiting collection"),
    "IN_TRANSIT": ("Shipped", "In transit"),
    "DELIVERED": ("Shipped", "Delivered"),
    "COMPLETED": ("Completed", ""),
    "CANCELLED": ("Canceled", ""),
}
ORDER_TYPES = {"NORMAL": "Normal", "PRE_ORDER": "Pre-order"}
FULFILLMENT_TYPES = {"FULFILLMENT_BY_SELLER": "Fulfillment by seller",
                     "FULFILLMENT_BY_TIKTOK": "Fulfillment by TikTok"}
DELIVERY_OPTION_TYPES = {"SELLER": "Seller Shipping", "TIKTOK": "TikTok Shipping"}
CANCELLED_BY = {"BUYER": "Buyer", "SELLER": "Seller", "SYSTEM": "System"}

Raw = Mapping[str, Any]


def seller_center_time(seconds: object, tz: tzinfo | None = None) -> str:
    """Unix seconds as Seller Center writes times: `MM/DD/YYYY h:mm:ss AM/PM`, local time
    (`tz`; None: this computer's). "" when there is none."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds <= 0:
        return ""
    moment = datetime.fromtimestamp(seconds, tz) if tz is not None \
        else datetime.fromtimestamp(seconds)
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%m/%d/%Y} {moment.hour % 12 or 12}:{moment:%M:%S} {half}"


def _money(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _sum(values: Iterable[object]) -> Decimal | None:
    """The sum of the amounts given; None when none of them is known."""
    known = [m for m in map(_money, values) if m is not None]
    return sum(known[1:], known[0]) if known else None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _joined(values: Iterable[object]) -> str:
    """Distinct values, in order, comma-separated (a SKU in two packages names both)."""
    return ", ".join(dict.fromkeys(str(v) for v in values if v))


def _district(address: Raw, level: str) -> str:
    for district in address.get("district_info") or ():
        if district.get("address_level") == level:
            return _text(district.get("address_name"))
    return ""


def _shipping_information(address: Raw) -> str:
    """Name, phone and address on separate lines, as the cache has them (masked or not)."""
    return "\n".join(_text(address.get(k)) for k in ("name", "phone_number", "full_address")
                     if address.get(k))


def sku_lines(order: Raw) -> list[list[Raw]]:
    """The order's line items by SKU (the API gives one line item per unit), in the order the
    API lists them; a line item without a SKU id is a line of its own."""
    groups: dict[str, list[Raw]] = {}
    for item in order.get("line_items") or ():
        key = item.get("sku_id") or f"line:{item.get('id')}"
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def order_rows(order: Raw, *, warehouses: Mapping[str, str] | None = None,
               package_ids: Sequence[str] = (), tz: tzinfo | None = None) -> list[list[object]]:
    """The export's rows of one order (one per SKU line; an order with no line items still
    gets one row). `warehouses`: warehouse id -> its name; `package_ids`: the order's packages
    known apart from its line items (used when the line items don't name theirs)."""
    payment: Raw = order.get("payment") or {}
    address: Raw = order.get("recipient_address") or {}
    status, substatus = STATUS_WORDS.get(_text(order.get("status")), ("", ""))

    def when(name: str) -> str:
        return seller_center_time(order.get(name), tz)

    order_level: dict[str, object] = {
        "Order ID": _text(order.get("id")),
        "Order Status": status,
        "Order Substatus": substatus,
        "Normal or Pre-order": ORDER_TYPES.get(_text(order.get("order_type")), ""),
        "Shipping Fee After Discount": _money(payment.get("shipping_fee")),
        "Original Shipping Fee": _money(payment.get("original_shipping_fee")),
        "Shipping Fee Seller Discount": _money(payment.get("shipping_fee_seller_discount")),
        "Co-Funded Shipping Fee Discount": _money(payment.get("shipping_fee_cofunded_discount")),
        "Shipping Fee Platform Discount": _money(payment.get("shipping_fee_platform_discount")),
        "Payment platform discount": _money(payment.get("payment_platform_discount")),
        "Retail Delivery Fee": _money(payment.get("retail_delivery_fee")),
        "Taxes": _money(payment.get("tax")),
        "Order Amount": _money(payment.get("total_amount")),
        "Created Time": when("create_time"),
        "Paid Time": when("paid_time"),
        "RTS Time": when("rts_time"),
        "Shipped Time": when("collection_time"),
        "Delivered Time": when("delivery_time"),
        "Cancelled Time": when("cancel_time"),
        "Cancel By": CANCELLED_BY.get(_text(order.get("cancellation_initiator")), ""),
        "Cancel Reason": _text(order.get("cancel_reason")),
        "Fulfillment Type": FULFILLMENT_TYPES.get(_text(order.get("fulfillment_type")), ""),
        "Warehouse Name": (warehouses or {}).get(_text(order.get("warehouse_id")), ""),
        "Delivery Option Type": DELIVERY_OPTION_TYPES.get(_text(order.get("shipping_type")), ""),
        "Delivery Option": _text(order.get("delivery_option_name")),
        "Buyer Message": _text(order.get("buyer_message")),
        "Buyer Username": _text(order.get("buyer_nickname")),
        "Recipient": _text(address.get("name")),
        "Phone #": _text(address.get("phone_number")),
        "Country": _district(address, "L0"),
        "State": _district(address, "L1"),
        "City": _district(address, "L3"),
        "Zipcode": _text(address.get("postal_code")),
        "Address Line 1": _text(address.get("address_line1")),
        "Address Line 2": _text(address.get("address_line2")),
        "Delivery Instruction": _text((address.get("delivery_preferences") or {})
                                      .get("drop_off_location")),
        "Payment Method": _text(order.get("payment_method_name")),
        "Seller Note": _text(order.get("seller_note")),
        "Shipping Information": _shipping_information(address),
    }
    rows = []
    for lines in sku_lines(order) or [[]]:
        cells = dict(order_level)
        if lines:
            first = lines[0]
            original = _money(first.get("original_price"))
            cells.update({
                "SKU ID": _text(first.get("sku_id")),
                "Seller SKU": _text(first.get("seller_sku")),
                "Product Name": _text(first.get("product_name")),
                "Variation": _text(first.get("sku_name")),
                "Quantity": len(lines),
                "SKU Unit Original Price": original,
                "SKU Subtotal Before Discount": _sum(i.get("original_price") for i in lines),
                "SKU Platform Discount": _sum(i.get("platform_discount") for i in lines),
                "SKU Seller Discount": _sum(i.get("seller_discount") for i in lines),
                "SKU Subtotal After Discount": _sum(i.get("sale_price") for i in lines),
                "Tracking ID": _joined(i.get("tracking_number") for i in lines)
                or _text(order.get("tracking_number")),
                "Shipping Provider Name": _joined(i.get("shipping_provider_name")
                                                  for i in lines)
                or _text(order.get("shipping_provider")),
                "Package ID": _joined(i.get("package_id") for i in lines)
                or (package_ids[0] if len(package_ids) == 1 else ""),
            })
        else:
            cells.update({"Tracking ID": _text(order.get("tracking_number")),
                          "Shipping Provider Name": _text(order.get("shipping_provider"))})
        rows.append([cells.get(name, "") for name in HEADER])
    return rows


# -- reading the cache and writing the file -------------------------------------------------------

def warehouse_names(conn: sqlite3.Connection, shop_id: str) -> dict[str, str]:
    return {wid: name for wid, name in conn.execute(
        "SELECT id, name FROM warehouses WHERE shop_id = ? AND name IS NOT NULL", (shop_id,))}


def cached_orders(conn: sqlite3.Connection, order_ids: Sequence[str]
                  ) -> Iterator[tuple[Raw, tuple[str, ...]]]:
    """Each cached order of `order_ids` (in that order; ids no longer cached left out) with the
    packages known for it, read BATCH at a time."""
    for start in range(0, len(order_ids), BATCH):
        batch = list(order_ids[start:start + BATCH])
        raws = dict(conn.execute(
            "SELECT id, raw FROM orders WHERE id IN (SELECT value FROM json_each(?))",
            (id_list(batch),)))
        packages: dict[str, list[str]] = {}
        for package_id, order_id in conn.execute(
                "SELECT package_id, order_id FROM package_orders WHERE order_id IN "
                "(SELECT value FROM json_each(?)) ORDER BY package_id", (id_list(batch),)):
            packages.setdefault(order_id, []).append(package_id)
        for order_id in batch:
            if order_id in raws:
                yield json.loads(raws[order_id]), tuple(packages.get(order_id, ()))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    orders: int
    rows: int


def export_orders(path: Path, orders: Iterable[tuple[Raw, Sequence[str]]], *,
                  warehouses: Mapping[str, str] | None = None, tz: tzinfo | None = None,
                  progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> ExportResult:
    """Write the orders (each with its package ids) to `path`: .xlsx when its name ends so,
    else CSV. SheetRefused when it can't be written, SheetCancelled when cancelled."""
    counted = [0]

    def rows() -> Iterator[list[object]]:
        for order, package_ids in orders:
            counted[0] += 1
            yield from order_rows(order, warehouses=warehouses, package_ids=package_ids, tz=tz)

    written = write_sheet(path, HEADER, rows(), sheet=SHEET, text_columns=TEXT_COLUMNS,
                          progress=progress, cancel=cancel)
    return ExportResult(path, counted[0], written)


def export_cached_orders(path: Path, cache: Path, shop_id: str, order_ids: Sequence[str], *,
                         progress: Progress | None = None,
                         cancel: threading.Event | None = None) -> ExportResult:
    """The orders `order_ids` of the cache file `cache` written to `path` (export_orders).
    Opens the cache itself, so that it can run in a process of its own (own_process): a year
    of orders takes a minute of Python, which a thread would take from the window."""
    with Store.open(cache) as store:
        return export_orders(path, cached_orders(store.conn, order_ids),
                             warehouses=warehouse_names(store.conn, shop_id),
                             progress=progress, cancel=cancel)
