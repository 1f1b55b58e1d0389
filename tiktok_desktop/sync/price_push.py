"""Pushing price edits (sync/edit_push.py does the pushing; this says what a price is).

Check: Get Product, one product a call (nothing else reads prices by product id), gives each
SKU's price and the listing's status, and refreshes the cache. The price changes only when the
listing is live and the price is still the one the seller edited: a listing that isn't live is
refused before anything is sent, in plain words; a price changed elsewhere is a conflict.
Send: one Update Price call per product with its edited SKUs. Its answer is empty: the shop
takes all of them or refuses the call. A promotion locks a SKU's price (12019045); when TikTok
names the locked SKUs, those fail with the reason and the others are checked and sent again on
their own; when it doesn't, the product's edits fail with the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_desktop.api import ItemErrors
from tiktok_desktop.api.errors import ApiError, NotFoundError
from tiktok_desktop.api.money import amount_text, money_text
from tiktok_desktop.api.products import SkuPriceUpdate
from tiktok_desktop.api.transport import POOL_LIMITS
from tiktok_desktop.store import AuditEntry, Changes, OutboxItem, Store
from tiktok_desktop.store.listings import status_name
from tiktok_desktop.store.outbox import PRICE
from tiktok_desktop.sync.edit_push import (
    ASSUMED_LATENCY_S,
    EditPusher,
    Outcome,
    Send,
    push_interrupted,
)

PUSH_STATE = "price_push"  # sync_state entry: {"up_to": outbox id} while a push is unfinished
LIVE = "ACTIVATE"
PRICE_LOCKED = 12019045
STATUS_INVALID = 12019113
_SKU_ID = re.compile(r"\d{6,}")
POOL_LIMIT = POOL_LIMITS.max_connections or 32


def price_push_interrupted(store: Store, shop_id: str) -> bool:
    return push_interrupted(store, shop_id, PUSH_STATE)


@dataclass(frozen=True)
class Listing:
    """A product as Get Product just gave it: its status and each SKU's price and currency."""

    status: str
    prices: dict[str, tuple[Decimal | None, str]]


Remote = dict[str, Listing | None]  # product id → the listing (None: the shop has no such one)


def listing_of(product: dict[str, Any]) -> Listing:
    prices: dict[str, tuple[Decimal | None, str]] = {}
    for sku in product.get("skus") or []:
        price = sku.get("price") or {}
        try:
            amount: Decimal | None = Decimal(str(price.get("sale_price")))
        except InvalidOperation:
            amount = None
        prices[str(sku.get("id"))] = (amount, str(price.get("currency") or ""))
    return Listing(str(product.get("status") or ""), prices)


def _new(row: OutboxItem) -> Decimal:
    return Decimal(row.payload["price"])


def _currency(row: OutboxItem) -> str:
    return str(row.payload.get("currency") or "")


def _based_on(row: OutboxItem) -> Decimal | None:
    return None if row.based_on is None else Decimal(row.based_on)


def _money(amount: Decimal | None, currency: str) -> str:
    return f"{money_text(amount, currency)} {currency}".strip()


def decide(row: OutboxItem, remote: Remote) -> Outcome:
    """Done if the shop has the new price already, send if it still has the price the edit was
    based on and the listing is live, conflict if someone changed the price elsewhere, failed if
    the SKU is gone or the listing can't take a price now."""
    listing = remote.get(str(row.payload.get("product_id")))
    if listing is None:
        return Outcome(row, "failed", "TikTok Shop has no such listing any more.")
    if row.target not in listing.prices:
        return Outcome(row, "failed", "This SKU is no longer in the listing.")
    now, currency = listing.prices[row.target]
    new = _new(row)
    if currency and currency != _currency(row):
        return Outcome(row, "failed", f"The shop's prices are in {currency} now, not "
                       f"{_currency(row)}: type the price again.", old=_text(now))
    if now == new:
        note = ("Confirmed: the shop has it (the answer had been lost)." if row.state == "sent"
                else "The shop already had this price.")
        return Outcome(row, "done", note, old=_text(_based_on(row) if row.state == "sent"
                                                   else now))
    if listing.status != LIVE:
        return Outcome(row, "failed", not_live(listing.status), old=_text(now))
    based_on = _based_on(row)
    if based_on is None or now == based_on:
        return Outcome(row, "send", old=_text(now))
    return Outcome(row, "conflict",
                   f"Changed elsewhere: the shop now has {_money(now, currency)} (it had "
                   f"{_money(based_on, currency)} when you edited it).", old=_text(now))


def not_live(status: str) -> str:
    return (f"This listing is {status_name(status) or 'not live'}: TikTok Shop changes the "
            "price of live listings only. Nothing was changed.")


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _remote_price(remote: Remote, row: OutboxItem) -> Decimal | None:
    """The price the check just read for this row's SKU (None when not read)."""
    listing = remote.get(str(row.payload.get("product_id")))
    return listing.prices.get(row.target, (None, ""))[0] if listing else None


def update_body(rows: Sequence[OutboxItem]) -> list[SkuPriceUpdate]:
    return [{"id": row.target, "price": {"amount": amount_text(_new(row), _currency(row)),
                                         "currency": _currency(row)}} for row in rows]


def locked_skus(error: ApiError) -> set[str]:
    """The SKU ids TikTok's "price is locked" message names (none when it names none)."""
    return set(_SKU_ID.findall(error.message or "")) if error.code == PRICE_LOCKED else set()


class PricePusher(EditPusher):
    kind = PRICE
    state_key = PUSH_STATE
    checking = "checking the shop's prices"
    sending = "sending prices"

    def in_flight_for(self, rate_limit: float) -> int:
        # Reads and updates are two endpoints with a rate limit each, both kept busy at once
        # (within the client's connection pool: more in flight would only queue there).
        return min(POOL_LIMIT, max(6, math.ceil(2 * rate_limit * ASSUMED_LATENCY_S) + 4))

    @property
    def checks_at_once(self) -> int:  # type: ignore[override]
        return max(2, self.max_in_flight // 2)  # one product a check: many at once

    def check(self, product_ids: tuple[str, ...]) -> list[tuple[str, dict | None]]:
        read = []
        for product_id in product_ids:
            try:
                read.append((product_id, dict(self.products.get(product_id))))
            except NotFoundError:
                read.append((product_id, None))
        return read

    def checked(self, store: Store, answer: Any) -> tuple[Changes, Remote]:
        products = [product for _, product in answer if product is not None]
        changes = (store.save_page(self.shop_id, "products", products, None) if products
                   else Changes())
        return changes, {product_id: None if product is None else listing_of(product)
                         for product_id, product in answer}

    def decide(self, row: OutboxItem, remote: Remote) -> Outcome:
        return decide(row, remote)

    def send(self, job: Send) -> ItemErrors:
        # retry_safe=False: a lost answer is settled by reading the price back, never resent.
        return self.products.update_price(job.product_id, update_body(job.rows),
                                          retry_safe=False)

    def answered(self, job: Send, errors: ItemErrors) -> list[Outcome]:
        request_id = errors.request_id or None
        refused = {e.item_id: e for e in errors}
        outcomes = []
        for row in job.rows:
            old = _text(_based_on(row) or _remote_price(job.remote, row))
            error = refused.get(row.target)
            if error is None:
                outcomes.append(Outcome(row, "done", None, request_id, old))
            else:
                outcomes.append(Outcome(row, "failed", error.plain, request_id, old))
        return outcomes

    def refused(self, row: OutboxItem, error: ApiError) -> Outcome:
        request_id = error.request_id or None
        old = _text(_based_on(row))
        locked = locked_skus(error)
        if locked and row.target not in locked:
            return Outcome(row, "again", None, request_id, old)  # sent again without them
        if error.code == PRICE_LOCKED:
            return Outcome(row, "failed", "A promotion running on this SKU locks its price: "
                           "change it once the promotion ends, or end the promotion in Seller "
                           "Center. Nothing was changed.", request_id, old)
        if error.code == STATUS_INVALID:
            return Outcome(row, "failed", "This listing isn't live: TikTok Shop changes the "
                           "price of live listings only. Nothing was changed.", request_id, old)
        return super().refused(row, error)

    def audit_entry(self, outcome: Outcome) -> AuditEntry:
        return AuditEntry(self.shop_id, PRICE, outcome.row.target, outcome.old,
                          str(_new(outcome.row)), outcome.result, outcome.request_id,
                          outcome.message)

    def accepted(self, store: Store, outcomes: Sequence[Outcome]) -> Changes:
        return store.catalog.set_prices(self.shop_id, [
            (o.row.target, amount_text(_new(o.row), _currency(o.row))) for o in outcomes])
