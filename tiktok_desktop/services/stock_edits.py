"""Stock edits as the Inventory tab makes them: cells, bulk operations, and the outbox.

A cell is one SKU in one warehouse. An edit sets its stock to a new number ("set to 95"), or
adds to or takes from it ("+10": a delivery came in); it is written to the outbox at once, with
the shop's value it was made against (`based_on`), so it survives a quit, a crash or a lost
connection. A set-to edit pushed after someone changed the shop meanwhile is a conflict; an
added amount stays an amount, added to what the shop has when it is pushed, so a sale in between
is kept (never put back as if unsold).
Bulk operations either change every cell they were given or refuse with a message: never half.
Qt-free: the UI calls these on its serial lane (writes) or directly (pure functions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tiktok_desktop.services import cell_edits
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.cell_edits import (
    CellEdit,
    EditRefused,
    EditWriter,
    changed,
    refuse_unknown,
    some,
)
from tiktok_desktop.services.stock_values import MAX_QUANTITY, QuantityRefused, check_quantity
from tiktok_desktop.store import Changes, OutboxItem, StockRow, Store, stock_target
from tiktok_desktop.store.outbox import STOCK

Key = tuple[str, str]  # (sku_id, warehouse_id)


@dataclass(frozen=True)
class StockCell:
    """One row of the Inventory table: a SKU in a warehouse, with its edit if any."""

    sku_id: str
    warehouse_id: str
    product_id: str
    product: str
    variant: str
    seller_sku: str
    warehouse: str
    available: int | None  # the shop's value, as last seen
    committed: int | None
    edit: CellEdit | None = None

    @property
    def key(self) -> Key:
        return (self.sku_id, self.warehouse_id)

    @property
    def current(self) -> int | None:
        """What the seller sees as the stock: the new value when edited."""
        return self.edit.value(self.available) if self.edit is not None else self.available

    @property
    def delta(self) -> int | None:
        """The amount an edit adds or takes off, for an edit that is an amount (open, unsent)."""
        edit = self.edit
        return edit.delta if edit is not None and edit.state != "sent" else None

    @property
    def target(self) -> str:
        return stock_target(self.sku_id, self.warehouse_id)

    def change(self, new: int | None) -> Change:
        """The change setting this cell to `new` (None: back to the shop's value)."""
        return Change.of(self, new)

    def restore(self) -> Change:
        """The change that gives this cell back its edit as it is now (or none): an undo."""
        if self.delta is not None:
            return Change.by(self, self.delta)
        return Change.of(self, self.edit.new if self.edit is not None else None)

    @property
    def label(self) -> str:
        """'TEE-BLK-M in Main warehouse', for messages."""
        name = self.seller_sku or f"{self.product} {self.variant}".strip() or self.sku_id
        return f"{name} in {self.warehouse}" if self.warehouse else name

    @classmethod
    def from_row(cls, row: StockRow, edit: CellEdit | None = None) -> StockCell:
        return cls(
            row.sku_id, row.warehouse_id, row.product_id or "", row.product_title or "",
            row.variant or "", row.seller_sku or "", row.warehouse_name or row.warehouse_id,
            row.available, row.committed, edit,
        )


@dataclass(frozen=True)
class Change:
    """Set one cell to `new`, or add `delta` to the shop's stock (then `new` is what that makes
    of `based_on`); `new` None, or a delta of 0, puts the shop's value back (drops the edit)."""

    sku_id: str
    warehouse_id: str
    product_id: str
    new: int | None
    based_on: int | None  # the shop's value the seller saw
    delta: int | None = None

    @property
    def key(self) -> Key:
        return (self.sku_id, self.warehouse_id)

    @property
    def target(self) -> str:
        return stock_target(self.sku_id, self.warehouse_id)

    @property
    def drops_edit(self) -> bool:
        return self.new is None or self.delta == 0 or (self.delta is None
                                                        and self.new == self.based_on)

    @classmethod
    def of(cls, cell: StockCell, new: int | None) -> Change:
        return cls(cell.sku_id, cell.warehouse_id, cell.product_id, new, cell.available)

    @classmethod
    def by(cls, cell: StockCell, delta: int) -> Change:
        """Add `delta` (negative: take off) to whatever the shop has when it is pushed."""
        assert cell.available is not None
        return cls(cell.sku_id, cell.warehouse_id, cell.product_id, cell.available + delta,
                   cell.available, delta)


# -- bulk operations (pure: they return the changes, or refuse) --------------------------------

def set_to(cells: Sequence[StockCell], quantity: int) -> list[Change]:
    """Every cell to `quantity` (0 for "Set to 0")."""
    try:
        check_quantity(quantity)
    except QuantityRefused as refused:
        raise EditRefused(f"{refused} Nothing was changed.") from None
    return changed(cells, lambda c: quantity)


def _by(cells: Iterable[StockCell], quantity: int) -> list[Change]:
    """Add `quantity` (negative: take off) to every cell, kept as an amount where the cell is
    the shop's value or another amount; on top of a set-to number it makes a new number."""
    if quantity == 0:
        return []
    changes = []
    for cell in cells:
        if cell.available is not None and (cell.edit is None or cell.delta is not None):
            changes.append(Change.by(cell, (cell.delta or 0) + quantity))
        else:
            changes.append(Change.of(cell, (cell.current or 0) + quantity))
    return changes


def add(cells: Sequence[StockCell], quantity: int) -> list[Change]:
    """Add `quantity` units to every cell (a delivery came in)."""
    if quantity < 0:
        return subtract(cells, -quantity)
    refuse_unknown(cells, "stock")
    over = [c for c in cells if (c.current or 0) + quantity > MAX_QUANTITY]
    if over:
        rows = "row" if len(over) == 1 else "rows"
        raise EditRefused(
            f"Adding {quantity:,} would take {len(over)} {rows} above 99,999 "
            f"({some(over)}). Nothing was changed."
        )
    return _by(cells, quantity)


def subtract(cells: Sequence[StockCell], quantity: int) -> list[Change]:
    """Take `quantity` units off every cell (damaged, sold elsewhere)."""
    if quantity < 0:
        return add(cells, -quantity)
    refuse_unknown(cells, "stock")
    under = [c for c in cells if (c.current or 0) - quantity < 0]
    if under:
        rows = "row" if len(under) == 1 else "rows"
        raise EditRefused(
            f"Subtracting {quantity:,} would take {len(under)} {rows} below 0 "
            f"({some(under)}). Nothing was changed."
        )
    return _by(cells, -quantity)


# -- the outbox ----------------------------------------------------------------------------------

class StockMeasure:
    """Stock edits in the outbox: target `sku@warehouse`, payload the product and the quantity
    (and the amount, for an edit that adds or takes off)."""

    kind = STOCK

    def payload(self, change: Change) -> dict:
        payload = {"product_id": change.product_id, "quantity": change.new}
        if change.delta is not None:
            payload["delta"] = change.delta
        return payload

    def dump(self, value: int | None) -> int | None:
        return value

    def read(self, item: OutboxItem) -> tuple[Key, CellEdit[int]]:
        sku_id, _, warehouse_id = item.target.rpartition("@")
        delta = item.payload.get("delta")
        return (sku_id, warehouse_id), CellEdit(
            item.id, int(item.payload["quantity"]), item.based_on, item.state, item.last_error,
            None if delta is None else int(delta))


STOCK_EDITS = StockMeasure()


def open_edits(store: Store, shop_id: str) -> dict[Key, CellEdit]:
    """Every unconfirmed stock edit of the shop, the newest per cell."""
    return cell_edits.open_edits(store, shop_id, STOCK_EDITS)  # type: ignore[return-value]


def load_cells(store: Store, shop_id: str, *, warehouse_id: str | None = None,
               search: str = "") -> tuple[list[StockCell], dict[Key, CellEdit]]:
    """The table's cells for a search and warehouse (with their edits), and every open edit."""
    rows = store.catalog.stock_rows(shop_id, warehouse_id=warehouse_id, search=search)
    edits = open_edits(store, shop_id)
    return [StockCell.from_row(r, edits.get((r.sku_id, r.warehouse_id))) for r in rows], edits


def stock_writer(cache: CacheLanes, shop_id: str) -> EditWriter[Change]:
    """Writes stock edits on the shop's serial lane (services/cell_edits.py)."""
    return EditWriter(cache, shop_id, STOCK_EDITS)


def save_changes(store: Store, shop_id: str, changes: Sequence[Change]) -> Changes:
    """Write stock changes to the outbox in one transaction (see cell_edits.save_changes)."""
    return cell_edits.save_changes(store, shop_id, STOCK_EDITS, changes)
