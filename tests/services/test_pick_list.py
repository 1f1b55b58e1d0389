"""The pick list: units of the selected packages totalled by SKU, in shelf order, and as CSV."""

from __future__ import annotations

import csv
import io

from tiktok_desktop.services.pick_list import (
    CSV_HEADER,
    PickLine,
    PickUnit,
    natural_key,
    package_count,
    pick_list,
    pick_list_csv,
    total_units,
)


def unit(package: str, order: str, sku_id: str, seller_sku: str = "",
         product: str = "Cotton tee", variant: str = "") -> PickUnit:
    return PickUnit(package_id=package, order_id=order, sku_id=sku_id, seller_sku=seller_sku,
                    product_name=product, variant=variant)


def line(seller_sku: str, product: str = "Cotton tee", quantity: int = 1,
         orders: tuple[str, ...] = ("5760001",), sku_id: str = "1729001",
         variant: str = "") -> PickLine:
    return PickLine(seller_sku=seller_sku, product_name=product, variant=variant, sku_id=sku_id,
                    quantity=quantity, order_ids=orders, package_ids=("pkg",))


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_one_line_item_per_unit_adds_up_to_one_line():
    # The API gives a line item per unit: 3 of one SKU in one order are 3 line items.
    units = [unit("P1", "O1", "S1", "TEE-BLK-M", variant="Black, M")] * 3
    assert pick_list(units) == [
        PickLine(seller_sku="TEE-BLK-M", product_name="Cotton tee", variant="Black, M",
                 sku_id="S1", quantity=3, order_ids=("O1",), package_ids=("P1",))
    ]


def test_the_same_sku_across_packages_and_orders():
    units = [
        unit("P2", "O2", "S1", "TEE"),
        unit("P1", "O1", "S1", "TEE"),
        unit("P1", "O1", "S2", "SOCK", product="Wool socks"),
        unit("P3", "O1", "S1", "TEE"),  # the same order split in two packages
        unit("P2", "O2", "S1", "TEE"),
    ]
    sock, tee = pick_list(units)
    assert (sock.seller_sku, sock.quantity, sock.order_ids, sock.package_ids) == (
        "SOCK", 1, ("O1",), ("P1",))
    assert (tee.seller_sku, tee.quantity) == ("TEE", 4)
    assert tee.order_ids == ("O2", "O1")  # as first met, each once
    assert tee.package_ids == ("P2", "P1", "P3")
    assert total_units([sock, tee]) == 5
    assert package_count([sock, tee]) == 3  # P1 holds both SKUs: one package


def test_totals_are_by_sku_id_not_by_seller_sku():
    # Two SKUs a seller gave the same seller SKU stay apart: they are different shelves' items.
    lines = pick_list([unit("P1", "O1", "S1", "TEE", variant="Red"),
                       unit("P1", "O1", "S2", "TEE", variant="Blue")])
    assert [(li.sku_id, li.quantity) for li in lines] == [("S2", 1), ("S1", 1)]


def test_seller_skus_sort_naturally_ignoring_case():
    skus = ["TEE-10", "tee-2", "Mug-1", "TEE-1", "sock", "TEE-2b", "TEE-02"]
    units = [unit("P", "O", f"id-{sku}", sku) for sku in skus]
    assert [li.seller_sku for li in pick_list(units)] == [
        "Mug-1", "sock", "TEE-1", "TEE-02", "tee-2", "TEE-2b", "TEE-10"]


def test_units_without_seller_sku_come_last_by_product_name():
    units = [
        unit("P", "O", "S1", "", product="zebra print tee"),
        unit("P", "O", "S2", "ZZZ-9", product="Anything"),
        unit("P", "O", "S3", "  ", product="Apron"),  # blank is no seller SKU
        unit("P", "O", "S4", "", product="Mug 10 oz"),
        unit("P", "O", "S5", "", product="mug 8 oz"),
    ]
    assert [li.product_name for li in pick_list(units)] == [
        "Anything", "Apron", "mug 8 oz", "Mug 10 oz", "zebra print tee"]


def test_same_seller_sku_sorts_by_product_then_variant():
    units = [unit("P", "O", "S1", "X", product="Tee", variant="Size 10"),
             unit("P", "O", "S2", "X", product="Tee", variant="Size 9"),
             unit("P", "O", "S3", "X", product="Cap")]
    assert [(li.product_name, li.variant) for li in pick_list(units)] == [
        ("Cap", ""), ("Tee", "Size 9"), ("Tee", "Size 10")]


def test_natural_key_never_compares_text_with_numbers():
    # Leading digits vs leading text would raise TypeError with a naive key.
    keys = sorted(["A1", "1A", "", "10", "a", "-"], key=natural_key)
    assert keys == ["", "1A", "10", "-", "a", "A1"]


def test_nothing_selected():
    assert pick_list([]) == []
    assert total_units([]) == 0
    assert rows_of(pick_list_csv([])) == [list(CSV_HEADER), ["Total units", "", "", "0", "", ""]]


def test_csv_has_a_bom_a_header_and_a_totals_row():
    data = pick_list_csv([line("TEE-1", quantity=3, orders=("5760001", "5760002"), sku_id="17"),
                          line("MUG", product="Mug", quantity=2, sku_id="18")])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").startswith(
        "Seller SKU,Product,Variant,Quantity,Orders,SKU ID\r\n")
    assert rows_of(data) == [
        ["Seller SKU", "Product", "Variant", "Quantity", "Orders", "SKU ID"],
        ["TEE-1", "Cotton tee", "", "3", "5760001 5760002", "17"],
        ["MUG", "Mug", "", "2", "5760001", "18"],
        ["Total units", "", "", "5", "", ""],
    ]


def test_csv_quotes_commas_and_quotes_in_names():
    data = pick_list_csv([line("TEE", product='Tee, "organic" cotton', variant="Black, M")])
    assert b'"Tee, ""organic"" cotton","Black, M"' in data
    assert rows_of(data)[1][1:3] == ['Tee, "organic" cotton', "Black, M"]


def test_csv_keeps_non_ascii_names():
    names = ["Camiseta algodón", "Áo thun cổ tròn", "T恤 纯棉", "Футболка 👕"]
    data = pick_list_csv([line(f"S-{i}", product=name) for i, name in enumerate(names)])
    assert [row[1] for row in rows_of(data)[1:-1]] == names
    assert "Áo thun cổ tròn".encode() in data  # UTF-8, not a code page
