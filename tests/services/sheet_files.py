"""Spreadsheet files for the sheet tests, made here as Excel and Seller Center make them (never
downloaded): workbooks built with openpyxl, the `activePane` defect injected into their zip."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence

import openpyxl

# A Japanese order export as Seller Center writes it (reference §5.1): translated headers, ids
# and timestamps as quoted text with a trailing tab, an empty timestamp as a lone tab, money as
# "11,000 JPY", an empty Seller SKU, a multi-line address cell.
JP_HEADER = ["注文ID", "注文状況", "SKU ID", "セラーSKU", "商品名", "数量", "注文金額",
             "注文作成時刻", "発送日時", "倉庫名", "追跡ID", "荷物ID", "配送先情報"]
JP_ROWS = [
    ['"582315036312176570\t"', "未発送", '"1733535535513175373\t"', "", "商品名", "1",
     '"11,000 JPY"', '"01/27/2026 6:03:56 PM\t"', '"\t"', "倉庫名", "", '"1183954275419654074\t"',
     '"山田太郎\n(+81)08012345678\n東京都"'],
    ['"582315036312176571\t"', "未発送", '"1733535535513175374\t"', "TEE-2", "Tシャツ", "2",
     '"990 JPY"', '"02/13/2026 9:15:00 AM\t"', '"\t"', "倉庫名", "", '"1183954275419654075\t"',
     '"山田花子\n東京都"'],
]


def jp_order_export() -> bytes:
    lines = [",".join(JP_HEADER)] + [",".join(row) for row in JP_ROWS]
    return "\n".join(lines).encode("utf-8")


def workbook(sheets: dict[str, Sequence[Sequence[object]]],
             shape: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    """A workbook with these sheets (in this order) and rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    if shape is not None:
        shape(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheets(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with each worksheet's XML changed (as another program would write it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            body = source.read(info.filename)
            if re.match(r"xl/worksheets/sheet\d+\.xml$", info.filename):
                body = change(body)
            copy.writestr(info, body)
    return out.getvalue()


def with_bad_active_pane(data: bytes) -> bytes:
    """The marketplace defect: a pane attribute openpyxl refuses (a frozen header row must be
    in the workbook already)."""
    def spoil(xml: bytes) -> bytes:
        xml = re.sub(rb'activePane="\w+"', b'activePane="bottom"', xml)
        return re.sub(rb'(<selection[^>]*?) pane="(\w+)"', rb'\1 pane="BOTTOMLEFT"', xml)
    return rewrite_sheets(data, spoil)


def freeze_header(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        sheet.freeze_panes = "A2"
