"""Price edits as the Listings tab's price table makes them: a cell is one SKU's price.

The edit machinery is the stock table's (services/cell_edits.py): each change is in the outbox
at once with the price it was made against, pushed later, a conflict when the price changed
elsewhere meanwhile. What is the price's own: the operations (set to, raise or lower by an amount
or a percent, end in .99), all computed when the seller makes them — a price is a decision, not
a count that sales move — and checked in the shop's currency before anything is queued.
Bulk operations change every cell they were given or refuse with a message: never half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from tiktok_desktop.api.money import decimals, quantum
from tiktok_desktop.services import cell_edits
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.cell_edits import (
    CellEdit,
    EditRefused,
    EditWriter,
    changed,
    refuse_unknown,
    rows_text,
    some,
)
from tiktok_desktop.services.price_values import PriceRefused, check_price, parse_price
from tiktok_desktop.store import Changes, OutboxItem, PriceRow, Store
from tiktok_desktop.store.outbox import PRICE

LIVE = "ACTIVATE"  # TikTok Shop changes the price of live listings only


@dataclass(frozen=True)
class PriceCell:
    """One row of the price table: a SKU's price, with its edit if any."""

    sku_id: str
    product_id: str
    product: str
    variant: str
    seller_sku: str
    status: str  # the listing's (ACTIVATE, …)
    currency: str
    available: Decimal | None  # the shop's price, as last seen
    edit: CellEdit[Decimal] | None = None

    @property
    def key(self) -> str:
        return self.sku_id

    @property
    def target(self) -> str:
        return self.sku_id

    @property
    def current(self) -> Decimal | None:
        return self.edit.new if self.edit is not None else self.available

    @property
    def delta(self) -> None:
        return None  # a price edit is always the price itself

    @property
    def label(self) -> str:
        """'TEE-BLK-M', or the product and variant, for messages."""
        return self.seller_sku or f"{self.product} {self.variant}".strip() or self.sku_id

    @property
    def live(self) -> bool:
        return self.status == LIVE

    def change(self, new: Decimal | None) -> PriceChange:
        return PriceChange(self.sku_id, self.product_id, new, self.available, self.currency)

    def restore(self) -> PriceChange:
        return self.change(self.edit.new if self.edit is not None else None)

    @classmethod
    def from_row(cls, row: PriceRow, edit: CellEdit[Decimal] | None = None) -> PriceCell:
        return cls(row.sku_id, row.product_id, row.product, row.variant, row.seller_sku,
                   row.status, row.currency or "", row.price, edit)


@dataclass(frozen=True)
class PriceChange:
    """Set one SKU's price to `new`; None (or the shop's price) drops the edit."""

    sku_id: str
    product_id: str
    new: Decimal | None
    based_on: Decimal | None  # the shop's price the seller saw
    currency: str

    @property
    def key(self) -> str:
        return self.sku_id

    @property
    def target(self) -> str:
        return self.sku_id

    @property
    def delta(self) -> None:
        return None

    @property
    def drops_edit(self) -> bool:
        return self.new is None or self.new == self.based_on


# -- operations (pure: they return the changes, or refuse) --------------------------------------

def _checked(cells: Sequence[PriceCell], prices: dict[str, Decimal],
             doing: str) -> list[PriceChange]:
    """The changes giving each cell its new price, once every one is a price the shop takes."""
    refused = []
    for cell in cells:
        try:
            check_price(prices[cell.key], cell.currency)
        except PriceRefused:
            refused.append(cell)
    if refused:
        raise EditRefused(f"{doing} would leave {rows_text(len(refused))} at 0 or less "
                          f"({some(refused)}). Nothing was changed.")
    return changed(cells, lambda c: prices[c.key])  # type: ignore[return-value]


def set_to(cells: Sequence[PriceCell], price: Decimal) -> list[PriceChange]:
    """Every cell to `price` (checked in each cell's currency)."""
    for cell in cells:
        try:
            check_price(price, cell.currency)
        except PriceRefused as refused:
            raise EditRefused(f"{refused} Nothing was changed.") from None
    return changed(cells, lambda c: price)  # type: ignore[return-value]


def raise_by(cells: Sequence[PriceCell], amount: Decimal) -> list[PriceChange]:
    """Add `amount` to every price (negative: lower it), in each cell's currency."""
    refuse_unknown(cells, "price")
    for cell in cells:
        if amount != amount.quantize(quantum(cell.currency)):
            raise EditRefused(f"{cell.currency} prices have at most {decimals(cell.currency)} "
                              f"decimals: “{amount}” has more. Nothing was changed.")
    word = "Raising" if amount > 0 else "Lowering"
    return _checked(cells, {c.key: c.current + amount for c in cells},  # type: ignore[operator]
                    f"{word} by {abs(amount)}")


def raise_by_percent(cells: Sequence[PriceCell], percent: Decimal) -> list[PriceChange]:
    """Raise every price by `percent` (negative: lower), rounded to the currency's cents."""
    refuse_unknown(cells, "price")
    factor = 1 + percent / 100
    prices = {c.key: (c.current * factor).quantize(quantum(c.currency),  # type: ignore[operator]
                                                   rounding=ROUND_HALF_UP) for c in cells}
    word = "Raising" if percent > 0 else "Lowering"
    return _checked(cells, prices, f"{word} by {abs(percent)}%")


def end_in_99(cells: Sequence[PriceCell]) -> list[PriceChange]:
    """Each price to the nearest amount ending in .99 (12.60 → 12.99, 12.40 → 11.99; a tie, or
    a price under 0.50, goes up). Currencies without cents have no .99: refused for them."""
    refuse_unknown(cells, "price")
    whole = [c for c in cells if decimals(c.currency) == 0]
    if whole:
        raise EditRefused(f"{whole[0].currency} prices have no cents, so they can't end in .99 "
                          f"({some(whole)}). Nothing was changed.")
    prices = {}
    for cell in cells:
        price = cell.current
        assert price is not None
        below = price.to_integral_value(rounding=ROUND_FLOOR) - Decimal("0.01")
        above = below + 1
        nearer_below = below > 0 and price - below < above - price
        prices[cell.key] = below if nearer_below else above
    return _checked(cells, prices, "Ending in .99")


# -- the outbox ----------------------------------------------------------------------------------

class PriceMeasure:
    """Price edits in the outbox: target the SKU id, payload the product, the price as a decimal
    string and its currency."""

    kind = PRICE

    def payload(self, change: PriceChange) -> dict:
        assert change.new is not None
        return {"product_id": change.product_id, "price": str(change.new),
                "currency": change.currency}

    def dump(self, value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def read(self, item: OutboxItem) -> tuple[str, CellEdit[Decimal]]:
        based_on = item.based_on
        return item.target, CellEdit(item.id, Decimal(item.payload["price"]),
                                     None if based_on is None else Decimal(based_on),
                                     item.state, item.last_error)


PRICE_EDITS = PriceMeasure()


def open_edits(store: Store, shop_id: str) -> dict[str, CellEdit[Decimal]]:
    """Every unconfirmed price edit of the shop, by SKU id."""
    return cell_edits.open_edits(store, shop_id, PRICE_EDITS)  # type: ignore[return-value]


def load_cells(store: Store, shop_id: str, product_ids: Sequence[str] | None = None
               ) -> tuple[list[PriceCell], dict[str, CellEdit[Decimal]]]:
    """The SKUs of these products (None: every product) with their edits, and every open edit."""
    rows = store.listings.price_rows(shop_id, product_ids)
    edits = open_edits(store, shop_id)
    return [PriceCell.from_row(r, edits.get(r.sku_id)) for r in rows], edits


def save_changes(store: Store, shop_id: str, changes: Sequence[PriceChange]) -> Changes:
    return cell_edits.save_changes(store, shop_id, PRICE_EDITS, changes)


def price_writer(cache: CacheLanes, shop_id: str) -> EditWriter[PriceChange]:
    return EditWriter(cache, shop_id, PRICE_EDITS)



def paste(text: str, below: Sequence[PriceCell]) -> list[PriceChange]:
    """Prices pasted from a spreadsheet: one per line (the first cell of each), into the rows
    from the first selected one down. Refused whole, with the row and the reason, when a line
    isn't a price or there are more lines than rows."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    values = [line.split("\t")[0].strip() for line in lines]
    if not any(values):
        raise EditRefused("Nothing was pasted: the clipboard holds no prices.")
    if not below:
        raise EditRefused("Nothing was pasted: select the row where the prices go first.")
    if len(values) > len(below):
        raise EditRefused(f"Nothing was pasted: {len(values):,} prices were copied but only "
                          f"{rows_text(len(below))} are below the selected one.")
    prices = {}
    for n, (value, cell) in enumerate(zip(values, below, strict=False), start=1):
        if not value:
            continue  # an empty line leaves its row as it is
        try:
            prices[cell.key] = parse_price(value, cell.currency)
        except PriceRefused as refused:
            raise EditRefused(f"Nothing was pasted: row {n} ({cell.label}): {refused}") from None
    return changed([c for c in below if c.key in prices],  # type: ignore[return-value]
                   lambda c: prices[c.key])
