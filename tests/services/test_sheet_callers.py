"""The existing imports read through the one spreadsheet layer (issue 16): the stock import
takes Seller Center's batch-edit workbook (sheet `Template`, header on row 3, hint rows, the
`activePane` defect) as it takes a CSV, and the tracking import takes the `Shipping info`
workbook and Japanese headers."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sheet_files import freeze_header, with_bad_active_pane, workbook
from stock_cells import EAST, MAIN, shop, sku_id

from tiktok_desktop.services.sheet_source import SheetCancelled, SheetProgress
from tiktok_desktop.services.stock_csv import read_import, read_import_file
from tiktok_desktop.services.stock_import import MATCHED, UNCHANGED
from tiktok_desktop.services.tracking_csv import read_tracking, read_tracking_file


def batch_edit(rows: list[list[object]]) -> bytes:
    return workbook({
        "Instructions": [["Edit price and stock, then upload this file."]],
        "Template": [
            ["Batch edit", None, None, None, None, None],
            ["Do not change the columns.", None, None, None, None, None],
            ["Product ID", "SKU ID", "Seller SKU", "Retail Price (Local Currency)",
             "Quantity in Main warehouse", "Quantity in East Coast"],
            ["Uneditable", "Uneditable", "Optional", "Mandatory", "Mandatory", "Mandatory"],
            *rows,
        ]}, freeze_header)


def test_the_batch_edit_workbook_imports_into_the_stock_table(tmp_path: Path) -> None:
    cells = shop(3)
    path = tmp_path / "batch_edit.xlsx"
    path.write_bytes(batch_edit([
        ["1729000000000000000", sku_id(1), "TEE-001", 12.99, 25, 1],
        ["1729000000000000000", sku_id(2), "TEE-002", 12.99, 20, 7],
        # An id Excel kept as a number (shortened): matched by its seller SKU, and said so.
        ["1729000000000000000", 1.7295e18, "TEE-003", 12.99, 30, 3],
    ]))
    report = read_import_file(path, cells)
    assert report.problem is None
    assert [(c.sku_id, c.warehouse_id, c.new) for c in report.changes] == [
        (sku_id(1), MAIN, 25), (sku_id(2), EAST, 7)]
    assert report.count(UNCHANGED) == 4 and report.count(MATCHED) == 2
    assert report.notes == ("Matched by seller SKU: the SKU IDs in this file were changed by a "
                            "spreadsheet.",)


def test_the_batch_edit_workbook_with_the_activepane_defect_imports_the_same() -> None:
    data = with_bad_active_pane(batch_edit([["1729000000000000000", sku_id(1), "TEE-001", 1, 9,
                                             ""]]))
    report = read_import(data, shop(1))
    assert [(c.sku_id, c.warehouse_id, c.new) for c in report.changes] == [(sku_id(1), MAIN, 9)]


def test_a_stock_file_that_cant_be_used_says_why_and_cancel_stops_the_reading() -> None:
    assert "Excel 97-2003" in (read_import(b"\xd0\xcf\x11\xe0" + b"\0" * 60, shop(1)).problem
                               or "")
    cancel = threading.Event()
    cancel.set()
    rows = "\r\n".join(["Seller SKU,Quantity in Main warehouse"] + ["TEE-001,5"] * 5_000)
    with pytest.raises(SheetCancelled):
        read_import(rows.encode(), shop(1), cancel=cancel)
    seen: list[SheetProgress] = []
    read_import(rows.encode(), shop(1), progress=seen.append)
    assert seen[-1] == SheetProgress(5_001, 1.0) and len(seen) >= 3


def test_the_shipping_info_workbook_gives_tracking_lines(tmp_path: Path) -> None:
    path = tmp_path / "tracking_upload.xlsx"
    path.write_bytes(workbook({
        "How to use it": [["Only for Shipped by Seller orders."], ["Order ID", "Steps"]],
        "Shipping info": [
            ["Review the examples before you fill in this sheet.", None, None, None],
            ["Order ID", "Tracking ID", "Shipping Provider Name", "Auto Combine Group ID"],
            ["576073588990780847", "1Z999AA10123456784", "UPS", "N/A"],
            ["5.76074E+17", "9400111202555842761234", "USPS", "N/A"],
        ]}))
    read = read_tracking_file(path)
    assert read.problem is None
    [line] = read.lines
    assert (line.row, line.order_id, line.tracking_number, line.carrier) == (
        3, "576073588990780847", "1Z999AA10123456784", "UPS")
    assert read.problems == ("Row 4: the id 5.76074E+17 was turned into a number by a "
                             "spreadsheet; type it as text and save again.",)


def test_a_tracking_file_with_japanese_headers_is_read() -> None:
    data = ("荷物ID,注文ID,追跡ID,配送業者名\r\n"
            '"1183954275419654074\t","582315036312176570\t",123456789012,ヤマト運輸\r\n'
            ).encode("utf-8-sig")
    [line] = read_tracking(data).lines
    assert (line.package_id, line.order_id, line.tracking_number, line.carrier) == (
        "1183954275419654074", "582315036312176570", "123456789012", "ヤマト運輸")
