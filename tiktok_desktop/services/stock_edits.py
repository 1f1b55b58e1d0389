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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.stock_values import MAX_QUANTITY, QuantityRefused, check_quantity
from tiktok_desktop.store import Changes, Edit, StockRow, Store, stock_target
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.store.sql import immediate

Key = tuple[str, str]  # (sku_id, warehouse_id)
OPEN = ("pending", "sent", "failed", "conflict")


class StockEditRefused(ValueError):
    """A bulk operation, paste or import that would leave a stock outside 0-99,999 (or unknown);
    `str()` is the message for the seller. Nothing was changed."""


@dataclass(frozen=True)
class CellEdit:
    """An edit the shop hasn't confirmed yet: an open outbox row of one cell."""

    id: int
    new: int  # the stock it sets (for an amount: what it made of the shop's value then)
    based_on: int | None
    state: str  # pending (waiting), sent (being pushed), failed, conflict
    message: str | None = None
    delta: int | None = None  # an amount added (+) or taken off (-), kept relative until pushed

    def stock(self, available: int | None) -> int:
        """The stock this edit gives the cell when the shop has `available`: an amount follows
        the shop's value until it is sent; a set-to number is that number."""
        if self.delta is None or available is None or self.state == "sent":
            return self.new
        return available + self.delta


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
        return self.edit.stock(self.available) if self.edit is not None else self.available

    @property
    def delta(self) -> int | None:
        """The amount an edit adds or takes off, for an edit that is an amount (open, unsent)."""
        edit = self.edit
        return edit.delta if edit is not None and edit.state != "sent" else None

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


def undo_of(cells: Iterable[StockCell], changes: Iterable[Change]) -> list[Change]:
    """The changes that put these cells back as they were before `changes`."""
    before = {cell.key: cell for cell in cells}
    undo = []
    for change in changes:
        cell = before[change.key]
        if cell.delta is not None:
            undo.append(Change.by(cell, cell.delta))
        else:
            undo.append(Change.of(cell, cell.edit.new if cell.edit is not None else None))
    return undo


# -- bulk operations (pure: they return the changes, or refuse) --------------------------------

def _refuse_unknown(cells: Sequence[StockCell]) -> None:
    unknown = [c for c in cells if c.current is None]
    if unknown:
        raise StockEditRefused(
            f"The stock of {_some(unknown)} isn't known yet: refresh the shop first. "
            "Nothing was changed."
        )


def _some(cells: Sequence[StockCell], shown: int = 2) -> str:
    names = ", ".join(c.label for c in cells[:shown])
    more = len(cells) - shown
    return f"{names} and {more} more" if more > 0 else names


def _changed(cells: Iterable[StockCell], values: Callable[[StockCell], int]) -> list[Change]:
    return [Change.of(c, values(c)) for c in cells if values(c) != c.current]


def set_to(cells: Sequence[StockCell], quantity: int) -> list[Change]:
    """Every cell to `quantity` (0 for "Set to 0")."""
    try:
        check_quantity(quantity)
    except QuantityRefused as refused:
        raise StockEditRefused(f"{refused} Nothing was changed.") from None
    return _changed(cells, lambda c: quantity)


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
    _refuse_unknown(cells)
    over = [c for c in cells if (c.current or 0) + quantity > MAX_QUANTITY]
    if over:
        rows = "row" if len(over) == 1 else "rows"
        raise StockEditRefused(
            f"Adding {quantity:,} would take {len(over)} {rows} above 99,999 "
            f"({_some(over)}). Nothing was changed."
        )
    return _by(cells, quantity)


def subtract(cells: Sequence[StockCell], quantity: int) -> list[Change]:
    """Take `quantity` units off every cell (damaged, sold elsewhere)."""
    if quantity < 0:
        return add(cells, -quantity)
    _refuse_unknown(cells)
    under = [c for c in cells if (c.current or 0) - quantity < 0]
    if under:
        rows = "row" if len(under) == 1 else "rows"
        raise StockEditRefused(
            f"Subtracting {quantity:,} would take {len(under)} {rows} below 0 "
            f"({_some(under)}). Nothing was changed."
        )
    return _by(cells, -quantity)


def fill_down(cells: Sequence[StockCell]) -> list[Change]:
    """The first cell's stock into every cell below it, as in a spreadsheet."""
    if len(cells) < 2:
        return []
    _refuse_unknown(cells[:1])
    first = cells[0].current
    assert first is not None
    return _changed(cells[1:], lambda c: first)


def revert(cells: Iterable[StockCell]) -> list[Change]:
    """Drop the edits of these cells: back to the shop's value."""
    return [Change.of(c, None) for c in cells if c.edit is not None and c.edit.state != "sent"]


# -- the outbox ----------------------------------------------------------------------------------

def open_edits(store: Store, shop_id: str) -> dict[Key, CellEdit]:
    """Every unconfirmed stock edit of the shop, the newest per cell."""
    edits: dict[Key, CellEdit] = {}
    for item in store.outbox.items(shop_id, kind=STOCK, states=OPEN):
        sku_id, _, warehouse_id = item.target.rpartition("@")
        delta = item.payload.get("delta")
        edits[(sku_id, warehouse_id)] = CellEdit(
            item.id, int(item.payload["quantity"]), item.based_on, item.state, item.last_error,
            None if delta is None else int(delta),
        )
    return edits


def load_cells(store: Store, shop_id: str, *, warehouse_id: str | None = None,
               search: str = "") -> tuple[list[StockCell], dict[Key, CellEdit]]:
    """The table's cells for a search and warehouse (with their edits), and every open edit."""
    rows = store.catalog.stock_rows(shop_id, warehouse_id=warehouse_id, search=search)
    edits = open_edits(store, shop_id)
    return [StockCell.from_row(r, edits.get((r.sku_id, r.warehouse_id))) for r in rows], edits


def save_changes(store: Store, shop_id: str, changes: Sequence[Change]) -> Changes:
    """Write the seller's changes to the outbox in one transaction. A change back to the shop's
    value (or to None) drops the cell's unsent edit instead of queueing a no-op."""
    queued = [
        Edit(stock_target(c.sku_id, c.warehouse_id), _payload(c), c.based_on)
        for c in changes if not c.drops_edit
    ]
    dropped = [stock_target(c.sku_id, c.warehouse_id) for c in changes if c.drops_edit]
    with immediate(store.conn):
        result = Changes()
        if dropped:
            result |= store.outbox.discard_targets(shop_id, STOCK, dropped)
        if queued:
            result |= store.outbox.add_many(shop_id, STOCK, queued)
    return result


def _payload(change: Change) -> dict:
    payload = {"product_id": change.product_id, "quantity": change.new}
    if change.delta is not None:
        payload["delta"] = change.delta
    return payload


def keep_mine(store: Store, shop_id: str, cells: Sequence[StockCell]) -> Changes:
    """Conflicts: push the seller's value anyway, now based on the shop's current value."""
    result = Changes()
    with immediate(store.conn):
        for cell in cells:
            if cell.edit is not None and cell.edit.state in ("conflict", "failed"):
                result |= store.outbox.requeue([cell.edit.id], based_on=cell.available)
    return result


def take_theirs(store: Store, shop_id: str, cells: Sequence[StockCell]) -> Changes:
    """Conflicts: forget the seller's edit and keep the shop's value."""
    ids = [c.edit.id for c in cells if c.edit is not None and c.edit.state != "sent"]
    return store.outbox.discard(ids) if ids else Changes()


class StockEditWriter:
    """Writes edits on the shop's serial lane, in the order they were made, on the session's
    connection for that lane (services/cache_lanes.py)."""

    def __init__(self, cache: CacheLanes, shop_id: str) -> None:
        self.cache = cache
        self.shop_id = shop_id

    def save(self, changes: Sequence[Change]) -> Changes:
        with self.cache.using("serial") as store:
            return save_changes(store, self.shop_id, changes)

    def keep_mine(self, cells: Sequence[StockCell]) -> Changes:
        with self.cache.using("serial") as store:
            return keep_mine(store, self.shop_id, cells)

    def take_theirs(self, cells: Sequence[StockCell]) -> Changes:
        with self.cache.using("serial") as store:
            return take_theirs(store, self.shop_id, cells)
