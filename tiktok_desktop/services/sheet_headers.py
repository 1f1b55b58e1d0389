"""Header rows: found by the column names a caller asks for, in English or the seller's language.

Seller Center writes its files' headers in the language of its UI (reference §5.1): the
Japanese order export says 注文ID for Order ID. Names match whatever their case, spaces and
underscores, full-width or not, with a trailing `*`, `:` or "(optional)". The header may sit
under notes (the batch-edit template's is on row 3), so it is looked for in the first rows; under
it Seller Center may put a row describing each column ("Platform unique order ID.") or hint
rows ("Mandatory", "Uneditable", "Cannot be edited"), which are no data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tiktok_desktop.services.sheet_source import SheetRefused
from tiktok_desktop.services.sheet_values import clean

HEADER_SEARCH_ROWS = 20
NOTE_ROWS = 3  # description or hint rows right under a header, at most

# Seller Center's English column names in the other language of reference §5 (Japanese), as a
# real Japanese order export writes them; "SKU ID" is the same in both.
ALIASES: dict[str, tuple[str, ...]] = {
    "Order ID": ("注文ID",), "Order Status": ("注文状況",), "Order Substatus": ("注文のサブ状況",),
    "Cancelation/Return Type": ("キャンセル/返品のタイプ",),
    "Normal or Pre-order": ("通常の注文または予約注文",),
    "Seller SKU": ("セラーSKU",), "Product Name": ("商品名",), "Variation": ("バリエーション",),
    "Quantity": ("数量",), "Sku Quantity of return": ("返品済みのSKU数",),
    "SKU Unit Original Price": ("SKUの元の価格",),
    "SKU Subtotal Before Discount": ("SKU小計(割引前)",),
    "SKU Platform Discount": ("プラットフォームが資金提供を行うSKU割引",),
    "SKU Seller Discount": ("セラーSKU割引",),
    "SKU Subtotal After Discount": ("SKU小計(割引後)",),
    "Shipping Fee After Discount": ("割引後の送料",), "Original Shipping Fee": ("元の送料",),
    "Shipping Fee Seller Discount": ("セラー送料割引",),
    "Shipping Fee Platform Discount": ("プラットフォーム送料割引",),
    "Order Amount": ("注文金額",), "Order Refund Amount": ("注文の返金額",),
    "Created Time": ("注文作成時刻",), "Paid Time": ("注文の支払い日時",),
    "RTS Time": ("発送準備完了日時",), "Shipped Time": ("発送日時",),
    "Delivered Time": ("配達日時",), "Cancelled Time": ("キャンセル日時",),
    "Cancel By": ("キャンセル元",), "Cancel Reason": ("キャンセル理由",),
    "Fulfillment Type": ("フルフィルメントタイプ",), "Warehouse Name": ("倉庫名",),
    "Tracking ID": ("追跡ID",), "Delivery Option Type": ("配達オプションのタイプ",),
    "Shipping Provider Name": ("配送業者名",), "Buyer Message": ("カスタマーからのメッセージ",),
    "Buyer Username": ("カスタマーのユーザー名",), "Recipient": ("受取人",),
    "Phone #": ("電話番号",), "Country": ("国",), "State": ("都道府県",), "City": ("市区町村",),
    "Zipcode": ("郵便番号",), "Address Line 1": ("詳細住所1",), "Address Line 2": ("詳細住所2",),
    "Payment Method": ("支払い方法",), "Weight(kg)": ("重量(kg)",),
    "Product Category": ("商品カテゴリー",), "Package ID": ("荷物ID",),
    "Seller Note": ("セラーメモ",), "Shipping Information": ("配送先情報",),
    "Combined Listing": ("統合リスト",),
}
HINTS = ("mandatory", "optional", "required", "uneditable", "noneditable", "noteditable",
         "cannotbeedited", "editable", "必須", "任意", "編集不可")
_MARKS = re.compile(r"(?:\((?:optional|任意)\)|[*:])+$")

Columns = Sequence[str] | Mapping[str, Sequence[str]]  # names, or names -> more names for each
Required = Sequence[str | tuple[str, ...]]  # names; a tuple: any one of them


class HeaderNotFound(SheetRefused):
    """No header naming the columns asked for, in the first rows (the message says which
    columns the closest row lacks); a caller may say it in its own words instead."""


def header_key(text: object) -> str:
    """A header cell as it is compared: "Order ID", "order_id", "ORDER ID*", "Ｏｒｄｅｒ ＩＤ" and
    "OrderID" are one name."""
    folded = unicodedata.normalize("NFKC", clean(text)).casefold()
    return _MARKS.sub("", re.sub(r"[\s_]+", "", folded))


def column_letter(index: int) -> str:
    """0 -> "A", 27 -> "AB": the column as the spreadsheet labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def wanted_keys(columns: Columns) -> dict[str, frozenset[str]]:
    """Each name a caller asks for -> the header keys that name it (its own, the caller's other
    names for it, and the other language's)."""
    more = columns if isinstance(columns, Mapping) else dict.fromkeys(columns, ())
    return {name: frozenset(header_key(n) for n in (name, *others, *ALIASES.get(name, ())))
            for name, others in more.items()}


@dataclass(frozen=True)
class Header:
    index: int  # the header's place among the rows looked at (0: the first)
    names: tuple[str, ...]  # every cell of the header row, as written
    columns: dict[str, int]  # each wanted name found -> its column (0: the first)


def _matches(cells: Sequence[str], wanted: Mapping[str, frozenset[str]]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for column, cell in enumerate(cells):
        key = header_key(cell)
        if key:
            for name, keys in wanted.items():
                if key in keys:
                    found.setdefault(name, []).append(column)
    return found


def _has(found: Mapping[str, object], required: Required) -> bool:
    return all((any(n in found for n in need) if isinstance(need, tuple) else need in found)
               for need in required)


def find_header(rows: Sequence[Sequence[str]], columns: Columns,
                required: Required | None = None) -> Header | None:
    """The first of the first rows that names every required column (all the wanted ones when
    `required` is None); SheetRefused when it names one of them twice."""
    wanted = wanted_keys(columns)
    required = list(wanted) if required is None else required
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _matches(cells, wanted)
        if not _has(found, required):
            continue
        for name, places in found.items():
            if len(places) > 1:
                letters = " and ".join(column_letter(p) for p in places[:3])
                raise SheetRefused(f"two columns ({letters}) are “{name}”. Keep one and try "
                                   "again.", row=index + 1)
        return Header(index, tuple(cells), {name: places[0] for name, places in found.items()})
    return None


def no_header(rows: Sequence[Sequence[str]], columns: Columns,
              required: Required | None = None) -> str:
    """Why no header was found: the columns the closest row lacks."""
    wanted = wanted_keys(columns)
    needs = list(wanted) if required is None else list(required)

    def named(need: str | tuple[str, ...]) -> str:
        return " or ".join(f"“{n}”" for n in need) if isinstance(need, tuple) else f"“{need}”"

    best: tuple[int, int, list[str]] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _matches(cells, wanted)
        missing = [named(n) for n in needs if not _has(found, [n])]
        if len(missing) < len(needs) and (best is None or len(missing) < len(best[2])):
            best = (index, len(needs) - len(missing), missing)
    wanted_text = ", ".join(named(n) for n in needs)
    if best is None:
        return (f"No header row naming the columns {wanted_text} was found in the first "
                f"{HEADER_SEARCH_ROWS} rows. Is this the right file?")
    return (f"Row {best[0] + 1} looks like the header but has no {', no '.join(best[2])} "
            "column. Is this the right file?")


def is_note_row(cells: Sequence[str]) -> bool:
    """A row Seller Center puts under a header: hints ("Mandatory", "Uneditable", "Cannot be
    edited") or a description of each column whose first cell is a sentence ("Platform unique
    order ID.")."""
    filled = [text for text in (clean(cell) for cell in cells) if text]
    if not filled:
        return False
    if any(header_key(text).startswith(HINTS) for text in filled):
        return True
    first = filled[0]
    return first.endswith("。") or (first.endswith(".") and len(first.split()) >= 2
                                    and not first[0].isdigit())
