"""Writing spreadsheets (issue 16): CSV that Excel opens right (UTF-8 BOM, CRLF, ids kept as
text, no formula ever run from a cell) and .xlsx with a named sheet, a bold frozen header,
sensible widths and ids as text cells; one interface, chosen by the file's suffix; a file
appears whole or not at all; and what is written reads back as itself."""

from __future__ import annotations

import io
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tiktok_desktop.services.sheet_source import SheetCancelled, SheetProgress, SheetRefused
from tiktok_desktop.services.sheet_text import as_text
from tiktok_desktop.services.sheets import read_rows, read_table, sheet_bytes, write_sheet

HEADER = ["Order ID", "Seller SKU", "Product Name", "Quantity", "Order Amount", "Created Time",
          "Buyer Message"]
ROWS = [
    ["576073588990780847", "00123", "Cotton tee, white", 2, Decimal("25.98"),
     datetime(2026, 1, 27, 18, 3, 56), "=HYPERLINK(\"http://evil\",\"click\")"],
    ["576073588990780848", "TEE-2", "Ünïcødé 注文 tee", 1, Decimal("-5.00"), None,
     "+1 more please\x07"],
    ["576073588990780849", "-TEE-3", "@home hoodie", 10, Decimal("1299.00"),
     datetime(2026, 2, 3), "#N/A"],
]
IDS = ["Order ID", "Seller SKU"]


def test_csv_is_what_excel_reads_right() -> None:
    data = sheet_bytes(HEADER, ROWS, text_columns=IDS)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 4
    rows = read_rows(data)
    assert rows[1][:6] == ["576073588990780847", "00123", "Cotton tee, white", "2", "25.98",
                           "2026-01-27 18:03:56"]
    # A cell that would start a formula gets a ' (a number stays a number).
    assert rows[1][6] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert rows[2][4:7] == ["-5.00", "", "'+1 more please\x07"]
    assert rows[3][2] == "'@home hoodie" and rows[3][1] == "'-TEE-3"


def test_an_excel_safe_csv_writes_ids_and_long_numbers_as_text() -> None:
    rows = read_rows(sheet_bytes(HEADER, ROWS, text_columns=IDS, excel_safe=True))
    assert rows[1][:2] == [as_text("576073588990780847"), as_text("00123")]
    assert rows[2][1] == as_text("TEE-2") and rows[1][3] == "2"


@pytest.mark.parametrize("excel_safe", [False, True])
def test_a_csv_reads_back_as_what_was_written(excel_safe: bool) -> None:
    data = sheet_bytes(HEADER, ROWS, text_columns=IDS, excel_safe=excel_safe)
    table = read_table(data, HEADER)
    assert table.ids("Order ID") == [r[0] for r in ROWS]
    assert table.values("Seller SKU") == ["00123", "TEE-2", "-TEE-3"]
    assert table.values("Buyer Message")[0] == "=HYPERLINK(\"http://evil\",\"click\")"
    assert [m.amount for m in table.money("Order Amount", "USD") if m] == [r[4] for r in ROWS]
    assert table.datetimes("Created Time") == [r[5] for r in ROWS]


def test_an_xlsx_has_a_named_sheet_a_bold_frozen_header_widths_and_ids_as_text() -> None:
    data = sheet_bytes(HEADER, [*ROWS, ["1", "x", "y", 10 ** 18 + 1, 12.5, None, None]],
                       kind="xlsx", sheet="Orders: export [1]", text_columns=IDS)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Orders  export  1" and sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFG"}
    assert widths["A"] > 18 and widths["G"] > widths["B"] >= 8 and max(widths.values()) <= 60
    a2 = sheet["A2"]
    assert (a2.value, a2.data_type) == ("576073588990780847", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("00123", "s")
    assert (sheet["D2"].value, sheet["E2"].value) == (2, 25.98)  # numbers stay numbers
    assert sheet["F2"].is_date and sheet["F2"].value == datetime(2026, 1, 27, 18, 3, 56)
    # Text is never a formula or an error value; control characters a workbook can't hold go.
    assert (sheet["G2"].data_type, sheet["G2"].value) == ("s", ROWS[0][6])
    assert sheet["G3"].value == "+1 more please" and sheet["G4"].data_type == "s"
    assert (sheet["D5"].value, sheet["D5"].data_type) == (str(10 ** 18 + 1), "s")


def test_an_xlsx_reads_back_as_what_was_written() -> None:
    table = read_table(sheet_bytes(HEADER, ROWS, kind="xlsx", text_columns=IDS), HEADER)
    assert table.sheet == "Sheet1"
    assert table.ids("Order ID") == [r[0] for r in ROWS]
    assert table.values("Seller SKU") == ["00123", "TEE-2", "-TEE-3"]
    assert table.values("Buyer Message") == [ROWS[0][6], "+1 more please", "#N/A"]
    assert [m.amount for m in table.money("Order Amount", "USD") if m] == [r[4] for r in ROWS]
    assert table.datetimes("Created Time") == [r[5] for r in ROWS]


@pytest.mark.parametrize(("name", "kind"), [("orders.xlsx", "xlsx"), ("ORDERS.XLSX", "xlsx"),
                                            ("orders.csv", "csv"), ("orders.txt", "csv")])
def test_write_sheet_chooses_the_format_by_the_files_suffix(tmp_path: Path, name: str,
                                                            kind: str) -> None:
    seen: list[SheetProgress] = []
    path = tmp_path / name
    assert write_sheet(path, HEADER, ROWS, text_columns=IDS, progress=seen.append) == 3
    assert path.read_bytes().startswith(b"PK" if kind == "xlsx" else b"\xef\xbb\xbf")
    assert read_rows(path)[1][0] == "576073588990780847"
    assert seen[-1] == SheetProgress(3, 1.0)
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_a_cancelled_write_leaves_no_file_and_the_old_one_untouched(tmp_path: Path) -> None:
    cancel = threading.Event()
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"the seller's old file")

    def rows():
        for n in range(10_000):
            if n == 3_000:
                cancel.set()
            yield [str(576073588990780847 + n), "TEE", "Tee", 1, Decimal("1.00"), None, ""]

    with pytest.raises(SheetCancelled):
        write_sheet(path, HEADER, rows(), text_columns=IDS, cancel=cancel)
    assert path.read_bytes() == b"the seller's old file"
    assert [p.name for p in tmp_path.iterdir()] == ["orders.xlsx"]
    with pytest.raises(SheetCancelled):
        write_sheet(tmp_path / "new.csv", HEADER, ROWS * 1_000, cancel=cancel)
    assert not (tmp_path / "new.csv").exists()


def test_export_edit_in_excel_import_gives_exactly_the_edits(tmp_path: Path) -> None:
    """The round trip the batch-edit and tracking flows rely on: write, change two cells as a
    seller does in Excel, save, read back."""
    path = tmp_path / "to-ship.xlsx"
    header = ["Order ID", "Tracking ID", "Shipping Provider Name"]
    write_sheet(path, header, [[str(576073588990780847 + n), "", ""] for n in range(5)],
                sheet="Shipping info", text_columns=["Order ID"])
    book = openpyxl.load_workbook(path)
    book["Shipping info"]["B3"] = "1Z999AA10123456784"
    book["Shipping info"]["C3"] = "UPS"
    book.save(path)
    table = read_table(path, header, sheet="Shipping info")
    filled = [(r["Order ID"], r["Tracking ID"], r["Shipping Provider Name"]) for r in table.rows
              if r["Tracking ID"]]
    assert filled == [("576073588990780848", "1Z999AA10123456784", "UPS")]
    assert table.ids("Order ID") == [str(576073588990780847 + n) for n in range(5)]


def test_a_file_that_cant_be_written_is_said_in_words(tmp_path: Path) -> None:
    with pytest.raises(SheetRefused, match=r"^“orders.csv” can't be written \("):
        write_sheet(tmp_path / "no such folder" / "orders.csv", HEADER, ROWS)
