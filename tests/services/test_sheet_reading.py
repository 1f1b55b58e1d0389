"""Reading what Excel and Seller Center make of a spreadsheet (issue 16): encodings, delimiters,
workbooks and their sheets, the header wherever it is and in either language, the notes under
it, the `activePane` defect; and a file that can't be used is refused whole, in words naming the
row and column."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sheet_files import (
    JP_HEADER,
    freeze_header,
    jp_order_export,
    rewrite_sheets,
    with_bad_active_pane,
    workbook,
)

from tiktok_desktop.services.sheet_values import IdRefused, Money, parse_id
from tiktok_desktop.services.sheets import (
    FileTooLarge,
    HeaderNotFound,
    SheetRefused,
    read_rows,
    read_table,
)

ROWS = [["Order ID", "Seller SKU", "Product Name"], ["576073588990780847", "TEE-1", "Café crème"],
        ["576073588990780848", "TEE-2", "Ünïcødé, tee"]]


def text_file(rows: list[list[str]], delimiter: str = ",", line_end: str = "\r\n") -> str:
    def cell(text: str) -> str:
        return f'"{text}"' if delimiter in text or '"' in text or "\n" in text else text
    return line_end.join(delimiter.join(cell(c) for c in row) for row in rows) + line_end


# -- text files: encodings and delimiters -------------------------------------------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ";"), ("latin-1", ","), ("utf-16", "\t"),
    ("utf-16-le", "\t"), ("utf-8", "\t"), ("utf-8-sig", ";"),
])
def test_text_files_are_read_whatever_spreadsheet_saved_them(encoding: str,
                                                             delimiter: str) -> None:
    """UTF-8 with or without BOM, Windows-1252 / Latin-1, UTF-16 ("Unicode text", and without
    its BOM); comma, semicolon, tab."""
    data = text_file(ROWS, delimiter).encode(encoding)
    assert read_rows(data) == ROWS


def test_latin1_bytes_windows_1252_leaves_undefined_are_kept() -> None:
    data = "Order ID,Product Name\r\n1,Stra\u00dfe \u0081\r\n".encode("latin-1")
    assert read_rows(data)[1] == ["1", "Stra\u00dfe \u0081"]


def test_a_japanese_excel_csv_in_shift_jis_is_read() -> None:
    rows = [["注文ID", "セラーSKU", "倉庫名"], ["582315036312176570", "Tシャツ-1", "東京倉庫"]]
    assert read_rows(text_file(rows).encode("cp932")) == rows


def test_a_delimiter_inside_quotes_does_not_decide_and_excels_sep_line_does() -> None:
    rows = [["Order ID", "Address"], ["1", "1 Main St, Apt 2, Springfield"],
            ["2", "3 Oak Ave, Suite 4"]]
    assert read_rows(text_file(rows, ";").encode()) == rows
    assert read_rows(b"sep=;\r\nOrder ID;Tracking ID\r\n1;1Z9,99\r\n") == [
        ["Order ID", "Tracking ID"], ["1", "1Z9,99"]]


def test_nul_characters_and_old_mac_line_ends_are_taken_in_stride() -> None:
    assert read_rows(b"Order ID,Qty\r1,2\r3\x00,4\r") == [["Order ID", "Qty"], ["1", "2"],
                                                           ["3", "4"]]


# -- the header, the notes under it, Japanese headers, Seller Center's values -------------------

def test_seller_center_order_export_in_japanese_reads_as_the_english_columns() -> None:
    table = read_table(jp_order_export(), ["Order ID", "SKU ID", "Seller SKU", "Order Amount",
                                           "Created Time", "Shipped Time", "Warehouse Name",
                                           "Tracking ID", "Package ID", "Shipping Information"])
    assert table.header_row == 1 and table.names == tuple(JP_HEADER)
    assert table.ids("Order ID") == ["582315036312176570", "582315036312176571"]
    assert table.ids("Package ID") == ["1183954275419654074", "1183954275419654075"]
    assert table.values("Seller SKU") == ["", "TEE-2"]  # may be empty: SKU ID is always there
    assert table.money("Order Amount", "JPY") == [Money(Decimal(11000), "JPY"),
                                                  Money(Decimal(990), "JPY")]
    assert table.datetimes("Created Time") == [datetime(2026, 1, 27, 18, 3, 56),
                                               datetime(2026, 2, 13, 9, 15)]
    assert table.datetimes("Shipped Time") == [None, None]  # a lone tab
    assert table.rows[0]["Shipping Information"].splitlines()[0] == "山田太郎"
    assert table.column("Warehouse Name") == "J (“倉庫名”)"


def test_the_description_row_under_the_header_is_dropped() -> None:
    data = text_file([["Order ID", "Order Status", "Tracking ID"],
                      ["Platform unique order ID.", "Order status.", "Tracking number."],
                      ["576073588990780847\t", "To ship", "1Z999"]]).encode("utf-8-sig")
    table = read_table(data, ["Order ID", "Tracking ID"])
    assert [row.number for row in table.rows] == [3] and table.skipped == (2,)
    assert table.rows[0]["Order ID"] == "576073588990780847"


def test_the_batch_edit_template_header_on_row_3_of_sheet_template_under_hint_rows() -> None:
    data = workbook({
        "Instructions": [["How to fill in this template"], ["Product ID", "Do not edit"]],
        "Template": [
            ["Batch edit price and stock", None, None, None, None],
            ["V2.1", None, None, None, None],
            ["Product ID", "SKU ID", "Seller SKU", "Retail Price (Local Currency)",
             "Quantity in U.S Pickup Warehouse"],
            ["Uneditable", "Uneditable", "Optional", "Mandatory", "Mandatory"],
            ["Cannot be edited", "Cannot be edited", "", "", ""],
            ["1729000000000000001", "1729500000000000001", "TEE-1", 12.99, 7],
            ["1729000000000000002", "1729500000000000002", "TEE-2", 12, 0],
        ]})
    table = read_table(data, ["Product ID", "SKU ID", "Seller SKU",
                              "Retail Price (Local Currency)"], sheet="Template",
                       all_columns=True)
    assert (table.sheet, table.header_row, table.skipped) == ("Template", 3, (4, 5))
    assert [row.cells for row in table.rows] == [
        ("1729000000000000001", "1729500000000000001", "TEE-1", "12.99", "7"),
        ("1729000000000000002", "1729500000000000002", "TEE-2", "12", "0")]
    assert table.names[4] == "Quantity in U.S Pickup Warehouse"
    # Without the sheet's name the header is still found, in whichever sheet has it.
    assert read_table(data, ["Product ID", "SKU ID"]).sheet == "Template"


def test_a_callers_rule_drops_rows_that_are_no_data() -> None:
    data = text_file([["Product ID", "Seller SKU"], ["Uneditable", "Optional"],
                      ["1729000000000000001", "TEE-1"], ["see note", "x"]]).encode()
    table = read_table(data, ["Product ID", "Seller SKU"],
                       skip=lambda row: not row["Product ID"].isdigit())
    assert [row.number for row in table.rows] == [3] and table.skipped == (2, 4)


def test_header_names_match_whatever_their_case_spaces_and_marks() -> None:
    data = text_file([["order_id", " TRACKING  id* ", "SKU ID(optional)", "Ｑｕａｎｔｉｔｙ"],
                      ["1", "1Z", "2", "3"]]).encode()
    table = read_table(data, ["Order ID", "Tracking ID", "SKU ID", "Quantity"])
    assert table.columns == {"Order ID": 0, "Tracking ID": 1, "SKU ID": 2, "Quantity": 3}


def test_a_missing_column_is_named_and_so_is_a_column_named_twice() -> None:
    with pytest.raises(HeaderNotFound) as missing:
        read_table(b"Today's orders\r\nOrder ID,Carrier\r\n1,UPS\r\n", ["Order ID", "Tracking ID"])
    assert str(missing.value) == ("Row 2 looks like the header but has no “Tracking ID” column. "
                                  "Is this the right file?")
    with pytest.raises(HeaderNotFound, match="No header row naming the columns “Order ID”"):
        read_table(b"a,b\r\n1,2\r\n", ["Order ID"])
    with pytest.raises(SheetRefused) as twice:
        read_table("注文ID,Order ID\r\n1,2\r\n".encode(), ["Order ID"])
    assert str(twice.value) == ("Row 1: two columns (A and B) are “Order ID”. Keep one and try "
                                "again.")


def test_one_of_several_columns_may_be_enough() -> None:
    table = read_table(b"Package ID,Tracking ID\r\n1,1Z\r\n", ["Order ID", "Package ID",
                                                               "Tracking ID"],
                       required=[("Order ID", "Package ID"), "Tracking ID"])
    assert table.has("Package ID") and not table.has("Order ID")
    assert table.rows[0]["Order ID"] == ""


def test_a_value_that_cant_be_used_refuses_the_file_naming_row_and_column() -> None:
    data = text_file([["Order ID", "Created Time", "Order Amount"],
                      ["1", "01/02/2026 10:00:00", "12.99"], ["2", "02/03/2026 10:00:00", "$5"],
                      ["3", "1.72906E+18", "twelve"]]).encode()
    table = read_table(data, ["Order ID", "Created Time", "Order Amount"])
    with pytest.raises(SheetRefused) as dates:
        table.datetimes("Created Time")
    assert str(dates.value).startswith("Row 2, column B (“Created Time”): “01/02/2026 10:00:00” "
                                       "could be 1 February or 2 January")
    assert (dates.value.row, dates.value.column) == (2, "B (“Created Time”)")
    with pytest.raises(SheetRefused, match=r"^Row 4, column C \(“Order Amount”\): “twelve”"):
        table.money("Order Amount", "USD")


def test_an_id_a_spreadsheet_shortened_lets_the_caller_fall_back_to_the_seller_sku() -> None:
    data = text_file([["SKU ID", "Seller SKU"], ["1.72906E+18", "TEE-1"],
                      ["1729060000000000001.0", "TEE-2"]]).encode()
    table = read_table(data, ["SKU ID", "Seller SKU"])
    with pytest.raises(IdRefused) as refused:
        parse_id(table.rows[0].raw("SKU ID"))
    assert refused.value.shortened and table.rows[0]["Seller SKU"] == "TEE-1"
    assert parse_id(table.rows[1].raw("SKU ID")) == "1729060000000000001"


# -- workbooks ----------------------------------------------------------------------------------

def test_workbook_cells_read_as_the_text_excel_shows() -> None:
    data = workbook({"Orders": [
        ["Order ID", "Quantity", "Price", "Whole price", "Long number", "Created", "Day",
         "Time", "Paid", "Empty"],
        [57607358899078, 3, 12.99, 12.0, 576073588990780847,
         datetime(2026, 1, 27, 18, 3, 56), date(2026, 1, 27), time(6, 3), True, None, "x"],
    ]})
    # A 19-digit id kept as a number has lost its last digits (Excel, and openpyxl, store a
    # double): it reads as Excel shows it, which the id parser refuses as shortened.
    assert read_rows(data)[1] == ["57607358899078", "3", "12.99", "12", "5.76073588990781E+17",
                                  "2026-01-27 18:03:56", "2026-01-27", "06:03:00", "TRUE", "",
                                  "x"]


def test_the_activepane_defect_is_repaired_in_memory() -> None:
    good = workbook({"Orders": [["Order ID", "Tracking ID"], ["576073588990780847", "1Z999"]]},
                    freeze_header)
    bad = with_bad_active_pane(good)
    with pytest.raises(ValueError, match="Value must be one of"):  # what openpyxl does with it
        book = openpyxl.load_workbook(io.BytesIO(bad), read_only=True)
        list(book["Orders"].iter_rows(values_only=True))
    assert read_rows(bad) == [["Order ID", "Tracking ID"], ["576073588990780847", "1Z999"]]
    table = read_table(bad, ["Order ID", "Tracking ID"])
    assert table.ids("Order ID") == ["576073588990780847"]


def test_a_wrong_dimension_does_not_cut_rows_short() -> None:
    """Streaming writers put `<dimension ref="A1"/>` before they know the size."""
    data = rewrite_sheets(workbook({"Sheet": [["Order ID", "Tracking ID"], ["1", "1Z"]]}),
                          lambda xml: xml.replace(b'ref="A1:B2"', b'ref="A1"'))
    assert read_rows(data) == [["Order ID", "Tracking ID"], ["1", "1Z"]]


def test_a_workbook_damaged_partway_is_refused_at_the_row_where_it_breaks() -> None:
    """Rows are read as the sheet streams by: opening the workbook doesn't read it to its end
    first (openpyxl would, for a sheet without a `<dimension>`, as its write-only files are)."""
    rows = [["Order ID"], *([str(576073588990780847 + n)] for n in range(3_000))]

    def break_it(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:A3001" />', b"")
        cut = xml.index(b'<row r="2001"')
        return xml[:cut] + b"<row r=\"2001\"><c><v>1</v></c><oops></row></sheetData></worksheet>"

    damaged = rewrite_sheets(workbook({"Orders": rows}), break_it)
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(damaged)).read(
        "xl/worksheets/sheet1.xml")
    with pytest.raises(SheetRefused) as refused:
        read_rows(damaged)
    assert refused.value.row is not None and refused.value.row > 1_000
    assert "This Excel file can't be read" in str(refused.value)


def test_a_sheet_is_chosen_by_name_any_case_else_the_first() -> None:
    data = workbook({"How to use it": [["Read me"]], "Shipping info": [["Order ID"], ["7"]]})
    assert read_rows(data, sheet="shipping INFO") == [["Order ID"], ["7"]]
    assert read_rows(data, sheet="Nope") == [["Read me"]]
    assert read_rows(data) == [["Read me"]]


def test_a_named_sheet_without_the_header_is_refused_not_swapped_for_another() -> None:
    data = workbook({"How to use it": [["Order ID", "Tracking ID"], ["Example", "Example"]],
                     "Shipping info": [["Order", "Number"], ["1", "1Z"]]})
    with pytest.raises(HeaderNotFound) as refused:
        read_table(data, ["Order ID", "Tracking ID"], sheet="Shipping info")
    assert str(refused.value).startswith("In sheet “Shipping info”: No header row naming")


def test_row_numbers_are_the_sheets_even_across_empty_rows() -> None:
    def gaps(book: openpyxl.Workbook) -> None:
        book.active["A6"] = "3"
    data = workbook({"S": [["Order ID"], ["1"]]}, gaps)
    table = read_table(data, ["Order ID"])
    assert [(row.number, row["Order ID"]) for row in table.rows] == [(2, "1"), (6, "3")]


# -- files that can't be used -------------------------------------------------------------------

def test_files_that_are_no_spreadsheet_here_are_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(SheetRefused, match=r"Excel 97-2003 workbook \(\.xls\)"):
        read_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(SheetRefused, match="is a web page"):
        read_rows(b"<html><table><tr><td>Order ID</td></tr></table></html>")
    damaged = workbook({"S": [["Order ID"]]})[:-200]
    with pytest.raises(SheetRefused, match="This Excel file can't be read"):
        read_rows(damaged)
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SheetRefused, match="This Excel file can't be read"):
        read_rows(not_a_workbook.getvalue())
    with pytest.raises(SheetRefused, match="This file is empty"):
        read_table(b"", ["Order ID"])
    with pytest.raises(SheetRefused, match=r"^This file can't be opened \(No such file"):
        read_rows(tmp_path / "gone.csv")
    with pytest.raises(SheetRefused, match=r"^This file can't be opened \("):
        read_rows(tmp_path)


def test_a_csv_whose_quotes_dont_pair_is_refused_naming_the_row() -> None:
    data = b'Order ID,Note\r\n1,ok\r\n2,"' + b"x" * 200_000 + b"\r\n"
    with pytest.raises(SheetRefused) as refused:
        read_rows(data)
    assert refused.value.row == 3
    assert "so the file can't be read as CSV" in str(refused.value)


def test_a_file_over_the_limit_is_never_read(tmp_path: Path) -> None:
    huge = tmp_path / "orders.csv"
    with huge.open("wb") as file:
        file.truncate(1024 ** 3)  # 1 GB, sparse: nothing to read but its size
    with pytest.raises(FileTooLarge) as refused:
        read_rows(huge, max_bytes=5 * 1024 * 1024)
    assert str(refused.value) == "This file is too large (over 5 MB)."
    with pytest.raises(FileTooLarge):
        read_rows(b"x" * 101, max_bytes=100)
    if os.path.exists("/dev/zero"):  # a file that tells no size: read no further than the limit
        with pytest.raises(FileTooLarge):
            read_rows(Path("/dev/zero"), max_bytes=1_000)


def test_the_reading_layer_loads_neither_qt_nor_openpyxl_until_a_workbook_is_opened() -> None:
    code = ("import sys, tiktok_desktop.services.sheets, tiktok_desktop.services.stock_csv, "
            "tiktok_desktop.services.tracking_csv; "
            "print('PySide6' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
