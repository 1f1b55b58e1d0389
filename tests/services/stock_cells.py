"""Stock cells for the stock-edit tests: SKUs in one or two warehouses, made in a line."""

from __future__ import annotations

from tiktok_desktop.services.stock_edits import CellEdit, StockCell

MAIN, EAST = "7068000000000000001", "7068000000000000002"
NAMES = {MAIN: "Main warehouse", EAST: "East Coast"}


def sku_id(n: int) -> str:
    return f"{1729500000000000000 + n}"


def cell(n: int, warehouse: str = MAIN, *, available: int | None = 10, committed: int = 0,
         seller_sku: str | None = None, product: int | None = None,
         edit: CellEdit | None = None) -> StockCell:
    return StockCell(
        sku_id=sku_id(n), warehouse_id=warehouse,
        product_id=f"{1729000000000000000 + (product if product is not None else n // 10)}",
        product=f"Cotton tee {n // 10}", variant=f"Size {n}",
        seller_sku=seller_sku if seller_sku is not None else f"TEE-{n:03d}",
        warehouse=NAMES.get(warehouse, warehouse), available=available, committed=committed,
        edit=edit)


def shop(count: int = 6, *, two_warehouses: bool = True) -> list[StockCell]:
    """`count` SKUs, each in MAIN (and EAST), with different stock."""
    cells = []
    for n in range(1, count + 1):
        cells.append(cell(n, MAIN, available=10 * n))
        if two_warehouses:
            cells.append(cell(n, EAST, available=n))
    return cells
