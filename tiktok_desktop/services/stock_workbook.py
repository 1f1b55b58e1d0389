"""Stock and prices as Seller Center's batch-edit workbook (.xlsx), so a seller can edit both
offline in Excel and import the file back (stock_csv.read_import_file with the shop's prices).

Sheet `Template`, columns `Product ID`, `Category`, `Product name`, `SKU ID`, `Variation Option`,
`Retail Price (Local Currency)`, `Seller SKU`, then `Quantity` for a shop with one warehouse or
one `Quantity in <warehouse name>` per warehouse (stock_csv.warehouse_columns names them), one
row per SKU. Ids and seller SKUs are text cells. The category is left empty: the cache doesn't
keep it, and the import doesn't read it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from tiktok_desktop.services.price_edits import PriceCell
from tiktok_desktop.services.price_import import PRICE_COLUMN
from tiktok_desktop.services.sheet_source import Progress
from tiktok_desktop.services.sheets import write_sheet
from tiktok_desktop.services.stock_csv import SHEETS, warehouse_columns
from tiktok_desktop.services.stock_edits import StockCell

HEADER = ("Product ID", "Category", "Product name", "SKU ID", "Variation Option", PRICE_COLUMN,
          "Seller SKU")
TEXT_COLUMNS = ("Product ID", "SKU ID", "Seller SKU")
SHEET = SHEETS[0]


def workbook_table(cells: Sequence[StockCell], prices: Sequence[PriceCell], *,
                   with_edits: bool = True) -> tuple[list[str], list[list[object]]]:
    """The header and rows: the numbers and prices with the seller's edits not pushed yet, or
    the shop's as last synced. A SKU without a known price has an empty price cell."""
    columns = warehouse_columns(cells)
    quantities = list(columns.values()) if len(columns) > 1 else ["Quantity"]
    by_sku = {p.sku_id: p for p in prices}
    skus: dict[str, dict[str, StockCell]] = {}
    for cell in cells:
        skus.setdefault(cell.sku_id, {})[cell.warehouse_id] = cell
    rows: list[list[object]] = []
    for sku_id, by_warehouse in skus.items():
        first = next(iter(by_warehouse.values()))
        numbers = []
        for wid in columns:
            cell = by_warehouse.get(wid)
            number = None if cell is None else cell.current if with_edits else cell.available
            numbers.append("" if number is None else number)
        price_cell = by_sku.get(sku_id)
        price = None if price_cell is None else (
            price_cell.current if with_edits else price_cell.available)
        rows.append([first.product_id, "", first.product, sku_id, first.variant,
                     "" if price is None else str(price), first.seller_sku, *numbers])
    return [*HEADER, *quantities], rows


def export_workbook(path: Path, cells: Sequence[StockCell], prices: Sequence[PriceCell], *,
                    with_edits: bool = True, progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> int:
    """Write the workbook (the rows written; SheetRefused, SheetCancelled as write_sheet)."""
    header, rows = workbook_table(cells, prices, with_edits=with_edits)
    return write_sheet(path, header, rows, sheet=SHEET, text_columns=TEXT_COLUMNS,
                       progress=progress, cancel=cancel)
