"""Edits of shop values cell by cell, as the Inventory and price tables make them.

A cell is one value of the shop the seller can change: the stock of a SKU in a warehouse, the
price of a SKU. An edit is written to the outbox at once, with the shop's value it was made
against (`based_on`), so it survives a quit, a crash or a lost connection; the pusher compares
that value with the shop's when it sends, and a value changed elsewhere meanwhile becomes a
conflict for the seller to decide. What differs between stock and prices — the outbox kind, the
payload, the value's type — is a `Measure`; everything else here is shared.
Qt-free: the UI calls these on its serial lane (writes) or directly (pure functions).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.store import Changes, Edit, OutboxItem, Store
from tiktok_desktop.store.sql import immediate

V = TypeVar("V")  # the value edited: int units of stock, a Decimal price
OPEN = ("pending", "sent", "failed", "conflict")


class EditRefused(ValueError):
    """A bulk operation, paste or import that would leave a value the shop doesn't take (or
    one not known yet); `str()` is the message for the seller. Nothing was changed."""


@dataclass(frozen=True)
class CellEdit(Generic[V]):
    """An edit the shop hasn't confirmed yet: an open outbox row of one cell."""

    id: int
    new: V  # the value it sets (for an amount: what it made of the shop's value then)
    based_on: V | None
    state: str  # pending (waiting), sent (being pushed), failed, conflict
    message: str | None = None
    delta: V | None = None  # an amount added (+) or taken off (-), kept relative until pushed

    def value(self, available: V | None) -> V:
        """The value this edit gives the cell when the shop has `available`: an amount follows
        the shop's value until it is sent; a set-to value is that value."""
        if self.delta is None or available is None or self.state == "sent":
            return self.new
        return available + self.delta  # type: ignore[operator]


class Cell(Protocol[V]):
    """One row of an editing table: a value of the shop, with its edit if any."""

    @property
    def key(self) -> Hashable: ...
    @property
    def target(self) -> str: ...  # the outbox and audit target
    @property
    def product_id(self) -> str: ...
    @property
    def available(self) -> V | None: ...  # the shop's value, as last seen
    @property
    def edit(self) -> CellEdit[V] | None: ...
    @property
    def current(self) -> V | None: ...  # what the seller sees: the new value when edited
    @property
    def delta(self) -> V | None: ...
    @property
    def label(self) -> str: ...  # the cell in messages: 'TEE-BLK-M in Main warehouse'

    def change(self, new: V | None) -> CellChange[V]: ...  # set to `new` (None: the shop's)
    def restore(self) -> CellChange[V]: ...  # give the cell back its edit as it is now (undo)


class CellChange(Protocol[V]):
    """Set one cell to `new` (None: back to the shop's value), or add `delta` to it."""

    @property
    def key(self) -> Hashable: ...
    @property
    def target(self) -> str: ...
    @property
    def new(self) -> V | None: ...
    @property
    def based_on(self) -> V | None: ...
    @property
    def delta(self) -> V | None: ...
    @property
    def drops_edit(self) -> bool: ...


C = TypeVar("C", bound=CellChange)


class Measure(Protocol[C]):
    """What one kind of edit is in the outbox: its kind, its payload, and back."""

    kind: str

    def payload(self, change: C) -> dict[str, Any]: ...
    def dump(self, value: Any) -> Any: ...  # a value as JSON (an edit's `based_on`)
    def read(self, item: OutboxItem) -> tuple[Hashable, CellEdit]: ...  # an open row, as an edit


def undo_of(cells: Iterable[Cell], changes: Iterable[CellChange]) -> list[CellChange]:
    """The changes that put the cells of `changes` back as they were (`cells`: before)."""
    before = {cell.key: cell for cell in cells}
    return [before[change.key].restore() for change in changes]


# -- bulk operations shared by every measure (pure: they return the changes, or refuse) ------

def changed(cells: Iterable[Cell[V]], values: Callable[[Cell[V]], V]) -> list[CellChange[V]]:
    """Each cell to `values(cell)`, leaving out the cells already there."""
    return [c.change(values(c)) for c in cells if values(c) != c.current]


def fill_down(cells: Sequence[Cell], what: str) -> list[CellChange]:
    """The first cell's value into every cell below it, as in a spreadsheet."""
    if len(cells) < 2:
        return []
    refuse_unknown(cells[:1], what)
    first = cells[0].current
    return changed(cells[1:], lambda c: first)


def revert(cells: Iterable[Cell]) -> list[CellChange]:
    """Drop the edits of these cells: back to the shop's value."""
    return [c.change(None) for c in cells if c.edit is not None and c.edit.state != "sent"]


def some(cells: Sequence[Cell], shown: int = 2) -> str:
    """'TEE-001 in Main warehouse, TEE-002 in Main warehouse and 3 more', for messages."""
    names = ", ".join(c.label for c in cells[:shown])
    more = len(cells) - shown
    return f"{names} and {more} more" if more > 0 else names


def rows_text(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def refuse_unknown(cells: Sequence[Cell], what: str) -> None:
    """Refuse a bulk operation over cells whose value isn't known yet (`what`: 'stock')."""
    unknown = [c for c in cells if c.current is None]
    if unknown:
        raise EditRefused(f"The {what} of {some(unknown)} isn't known yet: refresh the shop "
                          "first. Nothing was changed.")


# -- the outbox ----------------------------------------------------------------------------------

def open_edits(store: Store, shop_id: str, measure: Measure) -> dict[Hashable, CellEdit]:
    """Every unconfirmed edit of this measure in the shop, the newest per cell."""
    return dict(measure.read(item)
                for item in store.outbox.items(shop_id, kind=measure.kind, states=OPEN))


def save_changes(store: Store, shop_id: str, measure: Measure[C], changes: Sequence[C]) -> Changes:
    """Write the seller's changes to the outbox in one transaction. A change back to the shop's
    value (or to None) drops the cell's unsent edit instead of queueing a no-op."""
    queued = [Edit(c.target, measure.payload(c), measure.dump(c.based_on))
              for c in changes if not c.drops_edit]
    dropped = [c.target for c in changes if c.drops_edit]
    with immediate(store.conn):
        result = Changes()
        if dropped:
            result |= store.outbox.discard_targets(shop_id, measure.kind, dropped)
        if queued:
            result |= store.outbox.add_many(shop_id, measure.kind, queued)
    return result


def keep_mine(store: Store, measure: Measure, cells: Sequence[Cell]) -> Changes:
    """Conflicts: push the seller's value anyway, now based on the shop's current value."""
    result = Changes()
    with immediate(store.conn):
        for cell in cells:
            if cell.edit is not None and cell.edit.state in ("conflict", "failed"):
                result |= store.outbox.requeue([cell.edit.id],
                                               based_on=measure.dump(cell.available))
    return result


def take_theirs(store: Store, cells: Sequence[Cell]) -> Changes:
    """Conflicts: forget the seller's edit and keep the shop's value."""
    ids = [c.edit.id for c in cells if c.edit is not None and c.edit.state != "sent"]
    return store.outbox.discard(ids) if ids else Changes()


class EditWriter(Generic[C]):
    """Writes one measure's edits on the shop's serial lane, in the order they were made, on
    the session's connection for that lane (services/cache_lanes.py)."""

    def __init__(self, cache: CacheLanes, shop_id: str, measure: Measure[C]) -> None:
        self.cache, self.shop_id, self.measure = cache, shop_id, measure

    def save(self, changes: Sequence[C]) -> Changes:
        with self.cache.using("serial") as store:
            return save_changes(store, self.shop_id, self.measure, changes)

    def keep_mine(self, cells: Sequence[Cell]) -> Changes:
        with self.cache.using("serial") as store:
            return keep_mine(store, self.measure, cells)

    def take_theirs(self, cells: Sequence[Cell]) -> Changes:
        with self.cache.using("serial") as store:
            return take_theirs(store, cells)
