"""Issue 13 items 7-9 in the services: what an export writes and what its file is called, a
file a spreadsheet has changed (ids shortened or rounded, ".0", tabs) matched by seller SKU with
counts that add up, and a pasted block that names no warehouse."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from stock_cells import EAST, MAIN, cell, shop, sku_id

from tiktok_desktop.services.stock_csv import decode, export_csv, export_name, read_import
from tiktok_desktop.services.stock_edits import CellEdit, EditRefused
from tiktok_desktop.services.stock_import import AMBIGUOUS, INVALID, MATCHED, UNCHANGED, UNKNOWN
from tiktok_desktop.services.stock_paste import WarehouseNeeded, paste, paste_report

CHANGED_BY_SPREADSHEET = ("Matched by seller SKU: the SKU IDs in this file were changed by a "
                          "spreadsheet.")


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(decode(data))))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


# -- export -----------------------------------------------------------------------------------

def test_an_export_has_plain_ids_unless_an_excel_safe_file_is_asked_for() -> None:
    cells = [cell(1, seller_sku="00123")]
    plain = _rows(export_csv(cells))
    assert plain[1][:5] == ["1729000000000000000", "Cotton tee 0", sku_id(1), "Size 1", "00123"]
    assert b'="' not in export_csv(cells)
    safe = _rows(export_csv(cells, excel_safe=True))
    assert safe[1][:5] == ['="1729000000000000000"', "Cotton tee 0", f'="{sku_id(1)}"',
                           "Size 1", '="00123"']


def test_an_export_has_the_edited_numbers_or_the_shops() -> None:
    cells = [cell(1, available=10, edit=CellEdit(1, 14, 10, "pending")), cell(2, available=20)]
    assert [r[5] for r in _rows(export_csv(cells))[1:]] == ["14", "20"]
    assert [r[5] for r in _rows(export_csv(cells, with_edits=False))[1:]] == ["10", "20"]


def test_the_file_name_says_which_rows_and_which_numbers() -> None:
    day = date(2026, 12, 6)
    assert (export_name("Acme Tees!", filtered=True, with_edits=True, day=day)
            == "stock-acme-tees-filtered-with-edits-2026-12-06.csv")
    assert (export_name("Acme Tees!", filtered=False, with_edits=False, day=day)
            == "stock-acme-tees-all-without-edits-2026-12-06.csv")
    assert (export_name("", filtered=False, with_edits=True, day=day)
            == "stock-all-with-edits-2026-12-06.csv")
    assert "/" not in export_name("a/b\\c", filtered=False, with_edits=True, day=day)


# -- a file a spreadsheet changed ---------------------------------------------------------------

def _as_a_spreadsheet_saves_it(table: list[list[str]]) -> list[list[str]]:
    """Excel's way with an export: 19-digit ids shortened to 1.72950E+18, or rounded to 15
    digits, or given a ".0"; some cells end with a tab (copied from Seller Center)."""
    out = [table[0]]
    for n, row in enumerate(table[1:]):
        product_id, name, sku, variant, seller_sku, *rest = row
        shortened = f"{int(sku):.5E}"  # 1.72950E+18
        mangled = [shortened, sku[:15] + "0" * (len(sku) - 15), sku + ".0", sku + "\t"][n % 4]
        out.append([f"{int(product_id):.5E}", name, mangled, variant, seller_sku + "\t", *rest])
    return out


def test_a_file_changed_by_a_spreadsheet_is_matched_by_seller_sku_and_says_so() -> None:
    cells = shop(8)
    table = _rows(export_csv(cells))
    changed = _as_a_spreadsheet_saves_it(table)
    changed[1][5] = "99"  # TEE-001 in Main: was 10
    changed[3][6] = "7.0"  # TEE-003 in East: was 3
    report = read_import(_csv(changed), cells)
    assert CHANGED_BY_SPREADSHEET in report.notes
    assert "No stock numbers" not in report.summary()
    assert [(c.sku_id, c.warehouse_id, c.new) for c in report.changes] == [
        (sku_id(1), MAIN, 99), (sku_id(3), EAST, 7)]
    assert report.summary() == "16 stock numbers matched: 2 will change, 14 unchanged."


def test_a_rounded_id_that_is_another_sku_gives_way_to_the_seller_sku() -> None:
    """1729500000000000001 rounded by a spreadsheet is 1729500000000000000: a real SKU here."""
    rounded = cell(0, seller_sku="ZERO", available=1)
    cells = [rounded, cell(1, available=1)]
    report = read_import(_csv([["SKU ID", "Seller SKU", "Quantity"],
                               [sku_id(0), "TEE-001", "5"], [sku_id(0), "ZERO", "6"]]), cells)
    assert [(c.sku_id, c.new) for c in report.changes] == [(sku_id(1), 5), (sku_id(0), 6)]
    assert report.notes == (CHANGED_BY_SPREADSHEET,)


def test_without_a_seller_sku_a_shortened_id_is_listed_not_guessed() -> None:
    report = read_import(_csv([["SKU ID", "Quantity"], ["1.72950E+18", "5"]]),
                         shop(2, two_warehouses=False))
    assert [(line.status, line.sku) for line in report.lines] == [(UNKNOWN, "1.72950E+18")]
    assert "shortened by a spreadsheet" in report.lines[0].message
    assert report.summary() == ("0 stock numbers matched: 0 will change, 0 unchanged. "
                                "1 left out: 1 not found in this shop.")


def test_a_seller_sku_that_lost_its_leading_zeros_still_matches() -> None:
    cells = [cell(1, seller_sku="00123", available=4)]
    report = read_import(_csv([["Seller SKU", "Quantity"], ["123", "9"]]), cells)
    assert [(c.sku_id, c.new) for c in report.changes] == [(sku_id(1), 9)]


def test_the_counts_add_up_and_every_left_out_number_is_listed() -> None:
    cells = shop(17, two_warehouses=False)
    rows = [["Seller SKU", "Quantity in Main warehouse"]]
    rows += [[f"TEE-{n:03d}", str(10 * n + (1 if n <= 4 else 0))] for n in range(1, 18)]
    rows += [["GHOST-1", "1"], ["GHOST-2", "2"], ["TEE-001", "12"], ["TEE-005", "-3"]]
    report = read_import(_csv(rows), cells)
    assert report.summary() == ("16 stock numbers matched: 3 will change, 13 unchanged. "
                                "5 left out: 1 refused, 2 not found in this shop, 2 unclear.")
    counts = {s: report.count(s) for s in (MATCHED, UNCHANGED, INVALID, UNKNOWN, AMBIGUOUS)}
    assert counts == {MATCHED: 3, UNCHANGED: 13, INVALID: 1, UNKNOWN: 2, AMBIGUOUS: 2}
    assert sum(counts.values()) == len(report.lines)
    assert len(report.problems) == 5


def test_stock_columns_naming_other_warehouses_are_named_in_the_message() -> None:
    report = read_import(_csv([["Seller SKU", "Quantity in U.S Pickup Warehouse"],
                               ["TEE-001", "4"]]), shop(1))
    assert report.problem == ("The stock columns (“Quantity in U.S Pickup Warehouse”) name no "
                              "warehouse of this shop. Its warehouses: East Coast, Main "
                              "warehouse.")


# -- a paste that names no warehouse --------------------------------------------------------------

def test_a_paste_without_warehouse_goes_to_the_shops_only_warehouse() -> None:
    cells = shop(3, two_warehouses=False)
    pasted = paste("TEE-002\t12\nTEE-003\t13", below=[], selected=[], shop=cells)
    assert [(c.sku_id, c.warehouse_id, c.new) for c in pasted.changes] == [
        (sku_id(2), MAIN, 12), (sku_id(3), MAIN, 13)]


def test_a_paste_without_warehouse_asks_which_one_when_the_shop_has_several() -> None:
    cells = [*shop(2), cell(3, EAST, available=3)]  # TEE-003 is only in East Coast
    block = "Seller SKU\tQuantity\nTEE-001\t11\nTEE-002\t2\n"
    with pytest.raises(WarehouseNeeded) as needed:
        paste(block, below=[], selected=[], shop=cells)
    assert needed.value.warehouses == {MAIN: "Main warehouse", EAST: "East Coast"}
    assert isinstance(needed.value, EditRefused)  # nothing applied

    east = paste_report(block, cells, EAST)
    assert [(c.sku_id, c.warehouse_id, c.new) for c in east.changes] == [(sku_id(1), EAST, 11)]
    assert east.summary() == "2 stock numbers matched: 1 will change, 1 unchanged."
    # TEE-003 is not in Main warehouse: a problem, never a move to its other warehouse.
    main = paste_report("TEE-001\t11\nTEE-003\t9", cells, MAIN)
    assert [(line.sku, line.status) for line in main.lines] == [
        ("TEE-001", MATCHED), ("TEE-003", UNKNOWN)]
    assert "TEE-003 is not stocked in Main warehouse" in main.lines[1].message


def test_a_paste_into_a_table_showing_one_warehouse_goes_there() -> None:
    cells = [*shop(2), cell(3, EAST, available=3)]
    pasted = paste("TEE-001\t11", below=[], selected=[], shop=cells, warehouse_id=EAST)
    assert [(c.sku_id, c.warehouse_id) for c in pasted.changes] == [(sku_id(1), EAST)]
    with pytest.raises(EditRefused, match="TEE-003 is not stocked in Main warehouse"):
        paste("TEE-003\t9", below=[], selected=[], shop=cells, warehouse_id=MAIN)
