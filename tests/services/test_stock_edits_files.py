"""CSV import with its per-row report, export → spreadsheet → import round trips, pasted blocks,
and the review before a push."""

from __future__ import annotations

import csv
import io

import pytest
from stock_cells import EAST, MAIN, cell, shop, sku_id

from tiktok_desktop.services.stock_csv import decode, export_csv, read_import
from tiktok_desktop.services.stock_edits import CellEdit, EditRefused
from tiktok_desktop.services.stock_import import (
    AMBIGUOUS,
    INVALID,
    MATCHED,
    UNCHANGED,
    UNKNOWN,
    read_table,
)
from tiktok_desktop.services.stock_paste import WarehouseNeeded, parse_block, paste
from tiktok_desktop.services.stock_review import review


def _csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def test_the_report_says_what_happens_to_each_row_and_applies_nothing() -> None:
    cells = [*shop(4), cell(9, MAIN, seller_sku="TWIN"), cell(8, MAIN, seller_sku="TWIN")]
    data = _csv([
        ["Seller SKU", "Quantity in Main warehouse", "Quantity in East Coast"],
        ["TEE-001", "15", "1"],  # Main changes, East the same
        ["TEE-002", "abc", ""],
        ["NOPE-1", "3", ""],
        ["TWIN", "4", ""],
        ["", "", ""],
        ["TEE-003", "", "-2"],
    ])
    report = read_import(data, cells)
    lines = [(line.row, line.sku, line.warehouse, line.status) for line in report.lines]
    assert lines == [
        (2, "TEE-001", "Main warehouse", MATCHED), (2, "TEE-001", "East Coast", UNCHANGED),
        (3, "TEE-002", "Main warehouse", INVALID), (4, "NOPE-1", "Main warehouse", UNKNOWN),
        (5, "TWIN", "Main warehouse", AMBIGUOUS), (7, "TEE-003", "East Coast", INVALID),
    ]
    assert [(c.sku_id, c.warehouse_id, c.new, c.based_on) for c in report.changes] == [
        (sku_id(1), MAIN, 15, 10)]
    assert "“abc” is not a number" in report.lines[2].message
    assert "used by 2 SKUs" in report.lines[4].message
    assert report.summary() == ("2 stock numbers matched: 1 will change, 1 unchanged. "
                                "4 left out: 2 refused, 1 not found in this shop, 1 unclear.")


def test_sku_id_wins_and_a_warehouse_is_needed_when_a_sku_has_several() -> None:
    cells = shop(2)
    data = _csv([["SKU ID", "Seller SKU", "Warehouse", "Quantity"],
                 [sku_id(1), "whatever", "East Coast", "7"],
                 [sku_id(2), "", "", "9"],
                 [sku_id(2), "", "Old depot", "9"]])
    report = read_import(data, cells)
    assert [(line.status, line.warehouse) for line in report.lines] == [
        (MATCHED, "East Coast"), (AMBIGUOUS, ""), (UNKNOWN, "Old depot")]
    assert "stocked in 2 warehouses" in report.lines[1].message


def test_seller_center_files_are_understood() -> None:
    """Header under notes, hint rows, ids shortened by Excel, '.0' on seller SKUs, semicolons."""
    cells = [*shop(2, two_warehouses=False), cell(3, MAIN, seller_sku="12345")]
    data = _csv([
        ["Batch edit template", "", "", "", ""],
        ["Product ID", "SKU ID", "Seller SKU", "Quantity in main WAREHOUSE", "Quantity in Moon"],
        ["Mandatory", "Uneditable", "Optional", "", ""],
        ["1729000000000000000", "1.7295E+18", "TEE-001", "11", ""],
        ["1729000000000000000", "1.7295E+18", "", "12", ""],
        ["1729000000000000000", "", "12345.0", "13", "4"],
    ], delimiter=";", encoding="cp1252")
    report = read_import(data, cells)
    assert [(line.row, line.status) for line in report.lines] == [
        (4, MATCHED), (5, UNKNOWN), (6, MATCHED)]
    assert "shortened by a spreadsheet" in report.lines[1].message
    assert report.notes == (
        "Matched by seller SKU: the SKU IDs in this file were changed by a spreadsheet.",
        "Column “Quantity in Moon” names no warehouse of this shop; it was left out.")


def test_a_cell_named_twice_with_different_numbers_is_ambiguous() -> None:
    data = _csv([["Seller SKU", "Quantity in Main warehouse"],
                 ["TEE-001", "5"], ["TEE-001", "6"], ["TEE-002", "7"], ["TEE-002", "7"]])
    report = read_import(data, shop(2))
    assert [line.status for line in report.lines] == [AMBIGUOUS, AMBIGUOUS, MATCHED, UNCHANGED]
    assert len(report.changes) == 1


def test_export_round_trips_through_a_spreadsheet() -> None:
    cells = [*shop(3), cell(7, MAIN, seller_sku="00123", available=5,
                            edit=CellEdit(1, 8, 5, "pending"))]
    exported = export_csv(cells, excel_safe=True)
    assert exported.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    table = list(csv.reader(io.StringIO(decode(exported))))
    assert table[0] == ["Product ID", "Product name", "SKU ID", "Variation", "Seller SKU",
                        "Quantity in Main warehouse", "Quantity in East Coast"]
    assert table[1][2] == f'="{sku_id(1)}"'  # kept as text by Excel / Sheets / LibreOffice
    assert table[-1][4:] == ['="00123"', "8", ""]  # the edited value; not in East Coast
    assert all(line.status == UNCHANGED for line in read_import(exported, cells).lines)

    # What a spreadsheet saves after the seller changed one number: ids as plain text.
    table = [[c[2:-1] if c.startswith('="') else c for c in row] for row in table]
    table[1][6] = "25"
    report = read_import(_csv(table), cells)
    assert [(c.sku_id, c.warehouse_id, c.new) for c in report.changes] == [(sku_id(1), EAST, 25)]


def test_unreadable_files_get_a_sentence_not_an_exception() -> None:
    assert "empty" in (read_import(b"", shop(1)).problem or "")
    assert "No Seller SKU or SKU ID column" in (read_import(b"a,b\n1,2\n", shop(1)).problem or "")
    big = b'"' + b"x" * 200_000 + b'"\n'
    assert "can't be read as CSV" in (read_import(big, shop(1)).problem or "")


def test_pasted_blocks_split_like_spreadsheets_copy_them() -> None:
    assert parse_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_block('"a\tb"\tc\n"line\nbreak"\t5\n') == [["a\tb", "c"], ["line\nbreak", "5"]]
    assert parse_block("1\n\n2") == [["1"], [""], ["2"]]
    assert parse_block("\n") == []


def test_a_column_of_numbers_pastes_from_the_selected_row_down() -> None:
    cells = shop(3, two_warehouses=False)
    pasted = paste("7\n\n9\n", below=cells, selected=cells[:1], shop=cells)
    assert pasted.how == "by position"
    assert [(c.sku_id, c.new) for c in pasted.changes] == [(sku_id(1), 7), (sku_id(3), 9)]
    assert [c.new for c in paste("4", below=cells, selected=cells, shop=cells).changes] == [4] * 3
    with pytest.raises(EditRefused, match="4 rows were copied but only 3"):
        paste("1\n2\n3\n4", below=cells, selected=cells[:1], shop=cells)


def test_a_paste_with_a_bad_number_changes_nothing() -> None:
    cells = shop(3, two_warehouses=False)
    with pytest.raises(EditRefused, match=r"Nothing was pasted: row 2 \(TEE-002 in Main "
                                               r"warehouse\): “x” is not a number"):
        paste("1\nx\n3", below=cells, selected=cells[:1], shop=cells)


def test_a_block_with_seller_skus_is_matched_by_sku_wherever_the_rows_are() -> None:
    cells = shop(3)
    block = "Seller SKU\tName\tQuantity in East Coast\nTEE-003\tTee\t30\nTEE-001\tTee\t10\n"
    pasted = paste(block, below=[], selected=[], shop=cells)
    assert pasted.how == "by Seller SKU"
    assert [(c.sku_id, c.warehouse_id, c.new) for c in pasted.changes] == [
        (sku_id(3), EAST, 30), (sku_id(1), EAST, 10)]
    # No header: SKUs in the first column, numbers in the last; the table's warehouse decides.
    headerless = paste("TEE-002\t12\nTEE-001\t11", below=[], selected=[], shop=cells,
                       warehouse_id=MAIN)
    assert [(c.sku_id, c.warehouse_id, c.new) for c in headerless.changes] == [
        (sku_id(2), MAIN, 12), (sku_id(1), MAIN, 11)]
    with pytest.raises(WarehouseNeeded, match="choose the warehouse"):
        paste("TEE-002\t12", below=[], selected=[], shop=cells)
    with pytest.raises(EditRefused, match="No SKU “NOPE”"):
        paste("Seller SKU\tQuantity\nNOPE\t1", below=[], selected=[], shop=cells,
              warehouse_id=MAIN)


def test_the_review_counts_skus_and_products_and_warns_about_risky_numbers() -> None:
    edited = [
        cell(11, available=50, committed=4, edit=CellEdit(1, 2, 50, "pending")),  # both
        cell(12, available=9, edit=CellEdit(2, 12, 9, "pending")),
        cell(12, EAST, available=9, edit=CellEdit(3, 12, 9, "sent")),
        cell(21, available=7, edit=CellEdit(4, 30, 5, "pending")),  # changed elsewhere
        cell(22, available=7, edit=CellEdit(5, 3, 7, "conflict")),
        cell(23, available=7),
    ]
    result = review(edited)
    assert (len(result.lines), result.sku_count, result.product_count) == (4, 3, 2)
    assert result.waiting_elsewhere == 1
    assert result.headline() == "4 stock numbers will change: 3 SKUs in 2 products."
    first = result.lines[0]
    assert first.cell.sku_id == sku_id(11) and len(first.warnings) == 2
    assert "Below committed stock: 4 units" in first.warnings[0]
    assert "Large drop: down 96% from 50." in first.warnings[1]
    assert "the shop now has 7 (it had 5" in result.lines[1].warnings[0]
    assert result.warning_count == 2
    assert review([]).headline() == "No changes waiting to be pushed."


def test_read_table_takes_rows_of_any_width() -> None:
    report = read_table([["Seller SKU", "Quantity"], ["TEE-001"], [], ["TEE-001", "3", "x"]],
                        shop(1, two_warehouses=False))
    assert [(line.row, line.status, line.new) for line in report.lines] == [(4, MATCHED, 3)]
