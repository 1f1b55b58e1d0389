"""Seller Center's tracking upload: the export's shape, and a file filled in matched to the
packages to ship — split orders and carriers a delivery option doesn't offer refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl

from tiktok_desktop.services.tracking_csv import read_tracking, read_tracking_file
from tiktok_desktop.services.tracking_upload import (
    HEADER,
    NOTE,
    SPLIT,
    plan_upload,
    upload_rows,
    write_upload,
)
from tiktok_desktop.store.shipping import QueuedPackage

CARRIERS = {"71": (("66001", "USPS"), ("66002", "UPS"))}


def package(number: int, *, order: int | None = None, shipping: str = "SELLER",
            tracking: str | None = None) -> QueuedPackage:
    return QueuedPackage(f"11520000000000000{number}",
                         f"57600000000000000{order if order is not None else number}",
                         "AWAITING_SHIPMENT", shipping, "Shipped by seller", "71", tracking,
                         None, None, None, (), (), False, None)


def test_the_export_is_seller_centers_workbook_with_ids_as_text(tmp_path: Path) -> None:
    packages = [package(1), package(2), package(3, order=2), package(4, shipping="TIKTOK"),
                package(5, tracking="1Z999")]
    export = upload_rows(packages, packages)
    assert export.orders == ("576000000000000001",)
    assert export.split == ("576000000000000002",)  # its items go in two packages
    path = tmp_path / "upload.xlsx"
    assert write_upload(path, export.orders) == 1
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Shipping info"]
    rows = list(book["Shipping info"].iter_rows(values_only=True))
    assert rows[0][0] == NOTE and NOTE.startswith("Review the examples")
    assert rows[1] == HEADER
    assert rows[2] == ("576000000000000001", None, None, "N/A")
    assert book["Shipping info"]["A3"].data_type == "s"  # an id, never a number


def test_the_csv_export_has_the_same_header_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "upload.csv"
    write_upload(path, ["576000000000000001"])
    text = path.read_bytes().decode("utf-8-sig").splitlines()
    assert text == [",".join(HEADER), "576000000000000001,,,N/A"]
    read = read_tracking_file(path)
    assert read.lines == () and "no tracking number" in read.problems[0]  # not filled yet


def test_a_split_order_and_a_wrong_carrier_are_refused_with_their_reasons() -> None:
    packages = [package(1), package(2), package(3, order=2), package(4),
                replace(package(5), shipping_type="TIKTOK")]
    asked: list[list[str]] = []

    def carriers_of(ids):  # type: ignore[no-untyped-def]
        asked.append(list(ids))
        return CARRIERS

    read = read_tracking(
        b"Order ID,Tracking ID,Shipping Provider Name,Auto Combine Group ID\n"
        b"576000000000000001,1Z999AA10123456784,ups,N/A\n"
        b"576000000000000002,9400111202555842761234,USPS,N/A\n"
        b"576000000000000004,9400111202555842769999,Royal Mail,N/A\n"
        b"576000000000000009,9400111202555842760000,USPS,N/A\n"
        b"576000000000000005,9400111202555842761111,USPS,N/A\n"
        b"576000000000000001,1Z999AA10123456785,UPS,N/A\n"
        b"576000000000000004,,,N/A\n")
    plan = plan_upload(read, packages, carriers_of)
    assert asked == [["71"]]
    assert [(m.package.id, m.tracking_number, m.carrier_id, m.carrier) for m in plan.matched] \
        == [("115200000000000001", "1Z999AA10123456784", "66002", "UPS")]
    reasons = {r.row: r.reason for r in plan.refused}
    assert reasons[3] == SPLIT + "."
    assert "Royal Mail is not one of this delivery option's carriers (USPS, UPS)" in reasons[4]
    assert "not an order awaiting shipment" in reasons[5]
    assert "TikTok shipping" in reasons[6]
    assert "row 2 already" in reasons[7]
    assert 8 not in reasons and plan.blank == 1  # left blank: neither shipped nor refused
    assert plan.refused[0].text().startswith("Row 3, order 576000000000000002: split orders")
    [line] = plan.tracking_file().lines
    assert (line.package_id, line.carrier) == ("115200000000000001", "UPS")


def test_a_package_id_names_one_package_of_a_split_order() -> None:
    packages = [package(2), package(3, order=2)]
    read = read_tracking(b"Package ID,Order ID,Tracking ID,Shipping Provider Name\n"
                         b"115200000000000003,576000000000000002,1Z999AA10123456784,USPS\n")
    plan = plan_upload(read, packages, lambda ids: CARRIERS)
    assert [m.package.id for m in plan.matched] == ["115200000000000003"] and not plan.refused


def test_a_file_that_cant_be_read_asks_the_shop_nothing() -> None:
    plan = plan_upload(read_tracking(b"just,some,columns\n1,2,3\n"), [package(1)],
                       lambda ids: 1 / 0)  # type: ignore[arg-type,return-value]
    assert plan.problem and not plan.matched
