"""Seller Center's order export made from cached orders (services/order_export.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from tiktok_desktop.services.order_export import (
    HEADER,
    cached_orders,
    export_orders,
    order_rows,
    seller_center_time,
    warehouse_names,
)
from tiktok_desktop.services.sheet_values import parse_money
from tiktok_desktop.services.sheets import read_rows, read_table
from tiktok_desktop.store import Store

# seller-needs.md §5.1, the US header exactly, in order.
REFERENCE_HEADER = [
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
]
PACIFIC = timezone(timedelta(hours=-7))
SHOP = "7000000000000000001"
MONEY = ("SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
         "SKU Seller Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount",
         "Original Shipping Fee", "Shipping Fee Seller Discount",
         "Co-Funded Shipping Fee Discount", "Shipping Fee Platform Discount",
         "Retail Delivery Fee", "Taxes", "Order Amount")


def line(n: int, sku: str, **extra: object) -> dict:
    tee = sku.endswith("1")
    return {"id": f"57700000000000000{n}", "sku_id": sku, "product_id": "1729000000000000001",
            "product_name": "Cotton tee" if tee else "Wool socks",
            "sku_name": "Black, M" if tee else "Grey", "seller_sku": "TEE-BLK-M" if tee else "",
            "original_price": "15.00" if tee else "6.00", "sale_price": "12.50" if tee else "6.00",
            "seller_discount": "2.00" if tee else "0.00",
            "platform_discount": "0.50" if tee else "0.00", "currency": "USD", **extra}


TEE, SOCKS = "1729500000000000001", "1729500000000000002"
CREATED = int(datetime(2025, 9, 3, 21, 5, 9, tzinfo=UTC).timestamp())  # 2:05:09 PM at UTC-7
ORDER = {
    "id": "576000000000000001", "status": "AWAITING_COLLECTION", "order_type": "NORMAL",
    "create_time": CREATED, "paid_time": CREATED + 60, "rts_time": CREATED + 3600,
    "buyer_nickname": "maria_k", "buyer_message": "Gift wrap please",
    "fulfillment_type": "FULFILLMENT_BY_SELLER", "shipping_type": "SELLER",
    "delivery_option_name": "Standard Shipping", "warehouse_id": "7100000000000000001",
    "payment_method_name": "Visa", "seller_note": "",
    "tracking_number": "9400111899223344556677", "shipping_provider": "USPS",
    "payment": {"currency": "USD", "total_amount": "37.52", "sub_total": "31.00",
                "shipping_fee": "4.00", "original_shipping_fee": "5.00",
                "shipping_fee_seller_discount": "1.00", "shipping_fee_platform_discount": "0.00",
                "shipping_fee_cofunded_discount": "0.00", "tax": "2.52",
                "retail_delivery_fee": "0.00"},
    "recipient_address": {
        "name": "M*** K***", "phone_number": "(+1)213***1234", "postal_code": "09001",
        "address_line1": "1*** Main St", "address_line2": "Apt 4",
        "full_address": "1*** Main St Apt 4, Los Angeles, California, 09001, United States",
        "district_info": [
            {"address_level": "L0", "address_name": "United States"},
            {"address_level": "L1", "address_name": "California"},
            {"address_level": "L2", "address_name": "Los Angeles County"},
            {"address_level": "L3", "address_name": "Los Angeles"}],
        "delivery_preferences": {"drop_off_location": "Front door"}},
    "line_items": [line(1, TEE, package_id="1150000000000000001"), line(2, SOCKS),
                   line(3, TEE, package_id="1150000000000000001")],
}
CANCELLED = {"id": "576000000000000002", "status": "CANCELLED", "create_time": CREATED,
             "cancel_time": CREATED + 7200, "cancellation_initiator": "BUYER",
             "cancel_reason": "Changed my mind", "payment": {"total_amount": "6.00"},
             "line_items": [line(4, SOCKS)]}


def as_dict(row: list[object]) -> dict[str, object]:
    return dict(zip(HEADER, row, strict=True))


def test_header_is_seller_centers_us_list_in_its_order():
    assert list(HEADER) == REFERENCE_HEADER
    assert len(HEADER) == 58


def test_one_row_per_sku_line_with_order_money_repeated():
    rows = [as_dict(r) for r in order_rows(ORDER, warehouses={"7100000000000000001": "Main St"},
                                           tz=PACIFIC)]
    assert [r["SKU ID"] for r in rows] == [TEE, SOCKS]
    tee, socks = rows
    assert tee["Quantity"] == 2 and socks["Quantity"] == 1
    assert (tee["SKU Unit Original Price"], tee["SKU Subtotal Before Discount"],
            tee["SKU Seller Discount"], tee["SKU Platform Discount"],
            tee["SKU Subtotal After Discount"]) == (
        Decimal("15.00"), Decimal("30.00"), Decimal("4.00"), Decimal("1.00"), Decimal("25.00"))
    for name in ("Order ID", "Order Amount", "Taxes", "Shipping Fee After Discount",
                 "Original Shipping Fee", "Created Time", "Buyer Username", "Recipient"):
        assert tee[name] == socks[name], name
    assert tee["Order Amount"] == Decimal("37.52")
    assert (tee["Order Status"], tee["Order Substatus"]) == ("To ship", "Awaiting collection")
    assert tee["Package ID"] == "1150000000000000001" and socks["Package ID"] == ""
    assert tee["Tracking ID"] == "9400111899223344556677"
    assert tee["Warehouse Name"] == "Main St"
    assert (tee["Country"], tee["State"], tee["City"], tee["Zipcode"]) == (
        "United States", "California", "Los Angeles", "09001")
    assert tee["Delivery Option Type"] == "Seller Shipping"
    assert tee["Fulfillment Type"] == "Fulfillment by seller"
    assert tee["Normal or Pre-order"] == "Normal"
    assert tee["Shipping Information"] == (
        "M*** K***\n(+1)213***1234\n"
        "1*** Main St Apt 4, Los Angeles, California, 09001, United States")
    # Not known to the cache: left empty, never made up.
    for name in ("Sku Quantity of return", "Order Refund Amount", "Weight(kg)",
                 "Product Category", "Combined Listing", "Cancelation/Return Type",
                 "Shipped Time", "Delivered Time", "Cancelled Time", "Payment platform discount"):
        assert tee[name] in ("", None), name


def test_times_in_seller_center_format_local_time():
    row = as_dict(order_rows(ORDER, tz=PACIFIC)[0])
    assert row["Created Time"] == "09/03/2025 2:05:09 PM"
    assert row["Paid Time"] == "09/03/2025 2:06:09 PM"
    assert row["RTS Time"] == "09/03/2025 3:05:09 PM"
    assert seller_center_time(int(datetime(2025, 1, 2, 0, 0, 1, tzinfo=UTC).timestamp()),
                              UTC) == "01/02/2025 12:00:01 AM"
    assert seller_center_time(int(datetime(2025, 1, 2, 12, 30, tzinfo=UTC).timestamp()),
                              UTC) == "01/02/2025 12:30:00 PM"
    assert seller_center_time(None) == ""
    # No zone given: this computer's local time.
    local = datetime.fromtimestamp(CREATED)
    assert seller_center_time(CREATED) == (
        f"{local:%m/%d/%Y} {local.hour % 12 or 12}:{local:%M:%S} "
        f"{'AM' if local.hour < 12 else 'PM'}")


def test_cancelled_order_says_who_and_why():
    row = as_dict(order_rows(CANCELLED, tz=PACIFIC)[0])
    assert (row["Order Status"], row["Cancel By"], row["Cancel Reason"]) == (
        "Canceled", "Buyer", "Changed my mind")
    assert row["Cancelled Time"] == "09/03/2025 4:05:09 PM"
    assert row["Seller SKU"] == ""


def test_order_without_line_items_still_gets_a_row():
    rows = order_rows({"id": "576000000000000009", "status": "UNPAID"})
    assert len(rows) == 1 and as_dict(rows[0])["Order Status"] == "Unpaid"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_through_read_table(tmp_path: Path, suffix: str):
    path = tmp_path / f"orders{suffix}"
    result = export_orders(path, [(ORDER, ()), (CANCELLED, ())], tz=PACIFIC)
    assert (result.orders, result.rows) == (2, 3)
    expected = [as_dict(r) for o in (ORDER, CANCELLED) for r in order_rows(o, tz=PACIFIC)]
    table = read_table(path, REFERENCE_HEADER, required=["Order ID", "SKU ID"])
    assert list(table.names) == REFERENCE_HEADER
    assert len(table.rows) == 3
    for row, want in zip(table.rows, expected, strict=True):
        for name in REFERENCE_HEADER:
            value = want[name]
            if name in MONEY and value not in ("", None):
                assert parse_money(row[name]).amount == value, name
            else:
                assert row[name] == ("" if value is None else str(value)).strip(), name
    # Ids stay whole text, never 1.72E+18, and the zip code keeps its leading zero.
    first = table.rows[0]
    assert first["Order ID"] == "576000000000000001" and first["SKU ID"] == TEE
    assert first["Zipcode"] == "09001"


def test_ids_are_text_cells_in_the_workbook(tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "orders.xlsx"
    export_orders(path, [(ORDER, ())], tz=PACIFIC)
    sheet = load_workbook(path, read_only=True).active
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    cells = dict(zip(header, first, strict=True))
    for name in ("Order ID", "SKU ID", "Package ID", "Tracking ID", "Zipcode"):
        assert isinstance(cells[name], str), name
    assert cells["Order Amount"] == pytest.approx(37.52)  # money stays a number to sum


def test_csv_is_utf8_with_bom(tmp_path: Path):
    path = tmp_path / "orders.csv"
    export_orders(path, [(ORDER, ())], tz=PACIFIC)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfOrder ID,Order Status,")
    assert read_rows(path)[1][0] == "576000000000000001"


def test_reads_orders_packages_and_warehouses_from_the_cache(tmp_path: Path):
    path = tmp_path / "cache.sqlite3"
    shipped = {**CANCELLED, "id": "576000000000000003", "status": "IN_TRANSIT",
               "line_items": [line(5, SOCKS)]}
    with Store.open(path) as store:
        store.shops.upsert([{"id": SHOP, "name": "Test shop"}])
        store.save_page(SHOP, "orders", [ORDER, shipped], None)
        store.save_page(SHOP, "packages", [{
            "id": "1150000000000000009", "status": "FULFILLING", "order_line_item_ids": [],
            "orders": [{"id": shipped["id"]}], "create_time": CREATED,
            "update_time": CREATED}], None)
        found = list(cached_orders(store.conn, [shipped["id"], "404", ORDER["id"]]))
        assert [o["id"] for o, _ in found] == [shipped["id"], ORDER["id"]]
        assert found[0][1] == ("1150000000000000009",)
        assert as_dict(order_rows(*found[0][:1], package_ids=found[0][1])[0])[
            "Package ID"] == "1150000000000000009"
        assert warehouse_names(store.conn, SHOP) == {}
