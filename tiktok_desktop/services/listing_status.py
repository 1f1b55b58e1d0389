"""Activating and deactivating listings through the outbox, never sending a change twice.

Each product's wanted change is written to the outbox (kind "listing_status", payload the
action) before anything is sent, then sent in batches of up to 20 (the API's limit), claimed
(pending → sent) just before its request leaves; each product gets its own result from the
answer's `errors[]`. A request whose answer was lost (a crash, a dropped connection, a server
error) stays `sent`, in doubt, and is never simply sent again: the next run first reads the
product (Get Product) — already in the wanted state → done; still where it was → sent again;
anywhere else → failed with the reason. The Listings tab runs that when it opens, so what a
crash left is finished at the next start.

A listing already in the wanted state (by the cache) is done without a request. The listings
changed are read back from the shop into the cache, so the table shows them at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from tiktok_desktop.api import RequestCancelled, ShopApi
from tiktok_desktop.api.errors import ApiError
from tiktok_desktop.api.paging import ItemError
from tiktok_desktop.api.products import STATUS_IDS_PER_CALL
from tiktok_desktop.services import outbox_batches
from tiktok_desktop.services.outbox_batches import LOST, NOT_SENT, BatchResult, ItemResult, alias
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.outbox import Edit, OutboxItem
from tiktok_desktop.store.sql import id_list

log = logging.getLogger(__name__)

LISTING_STATUS = "listing_status"  # the outbox kind; target: a product id, payload: the action
ACTIVATE, DEACTIVATE = "activate", "deactivate"
ACTIONS = (ACTIVATE, DEACTIVATE)
# Activated listings pass TikTok's review (PENDING) on their way to live: either is done.
WANTED = {ACTIVATE: ("ACTIVATE", "PENDING"), DEACTIVATE: ("SELLER_DEACTIVATED",)}
ALLOWED_FROM = {ACTIVATE: ("SELLER_DEACTIVATED",), DEACTIVATE: ("ACTIVATE",)}
PRODUCT_GONE = (12052032, 12019150)  # product does not exist / product id does not exist
GONE = "TikTok Shop has no such listing any more."

_WHY_NOT = {
    (ACTIVATE, "FREEZE"): "A frozen listing can't be activated: TikTok Shop froze it; see "
                          "Seller Center.",
    (ACTIVATE, "FAILED"): "A listing that failed review can't be activated: fix it in Seller "
                          "Center and TikTok Shop reviews it again.",
    (ACTIVATE, "PLATFORM_DEACTIVATED"): "TikTok Shop deactivated this listing, so only TikTok "
                                        "can put it back on sale: see why in Seller Center.",
    (ACTIVATE, "DRAFT"): "A draft can't be activated: finish it in Seller Center and submit "
                         "it for review.",
    (ACTIVATE, "DELETED"): "A deleted listing can't be activated: recover it in Seller Center "
                           "first.",
    (DEACTIVATE, "FREEZE"): "A frozen listing can't be deactivated: TikTok Shop froze it; see "
                            "Seller Center.",
    (DEACTIVATE, "PENDING"): "A listing in review can't be deactivated until TikTok Shop has "
                             "reviewed it.",
    (DEACTIVATE, "FAILED"): "A listing that failed review isn't on sale, so there is nothing "
                            "to deactivate.",
    (DEACTIVATE, "PLATFORM_DEACTIVATED"): "TikTok Shop has already taken this listing off "
                                          "sale.",
    (DEACTIVATE, "DRAFT"): "A draft isn't on sale, so there is nothing to deactivate.",
    (DEACTIVATE, "DELETED"): "A deleted listing can't be deactivated.",
}


def why_not(action: str, status: str | None) -> str | None:
    """Why a listing in `status` can't take `action`, in the seller's words; None when it can
    (or already has)."""
    if status is None or status in WANTED[action] or status in ALLOWED_FROM[action]:
        return None
    return _WHY_NOT.get((action, status),
                        f"TikTok Shop doesn't allow this while the listing is "
                        f"{status.replace('_', ' ').lower()}.")


@dataclass(frozen=True)
class Listing:
    product_id: str
    title: str
    status: str | None


@dataclass(frozen=True)
class StatusPlan:
    """What a change of the selected listings would do, for the confirmation."""

    action: str
    change: tuple[Listing, ...]
    already: tuple[Listing, ...]  # in the wanted state: nothing to send
    refused: tuple[tuple[Listing, str], ...]  # can't take the action, and why


def plan(store: Store, shop_id: str, action: str, product_ids: Sequence[str]) -> StatusPlan:
    """Sort the selected listings by what `action` does to each, from the cache."""
    change, already, refused = [], [], []
    for listing in cached_listings(store, shop_id, product_ids):
        reason = why_not(action, listing.status)
        if reason is not None:
            refused.append((listing, reason))
        elif listing.status in WANTED[action]:
            already.append(listing)
        else:
            change.append(listing)
    return StatusPlan(action, tuple(change), tuple(already), tuple(refused))


def cached_listings(store: Store, shop_id: str, product_ids: Sequence[str]) -> list[Listing]:
    """The cached title and status of each product, in the order given (an unknown one has
    its id for a title and no status)."""
    known = {r[0]: Listing(r[0], r[1] or r[0], r[2]) for r in store.conn.execute(
        "SELECT id, title, status FROM products WHERE shop_id = ? "
        "AND id IN (SELECT value FROM json_each(?))", (shop_id, id_list(product_ids)))}
    return [known.get(p, Listing(p, p, None)) for p in dict.fromkeys(product_ids)]


class StatusResult(ItemResult):
    """One listing's result (`target` the product id, `asked` the action)."""

    product_id: str = alias("target")
    action: str = alias("asked")


class StatusChangeResult(BatchResult[StatusResult]):
    """The change's results, one per listing."""


class ListingStatusChanger:
    """Changes one shop's listings; runs on the thread that opened `store`."""

    def __init__(self, shop: ShopApi, shop_id: str, store: Store,
                 cancel: threading.Event | None = None) -> None:
        self.products, self.shop_id, self.store = shop.products, shop_id, store
        self.cancel = cancel or threading.Event()
        self.changes = Changes()
        self._read: dict[str, dict] = {}  # products read from the shop in this run
        self._changed: list[str] = []  # products this run changed (or found changed)

    def change(self, action: str | None, product_ids: Sequence[str] = ()) -> StatusChangeResult:
        """Settle the changes in doubt, queue `action` for `product_ids` (none: only finish
        what is queued), send everything queued and read the changed listings back."""
        results, problem = outbox_batches.settle_first(self._settle_in_doubt)
        outbox = self.store.outbox
        doubtful = outbox_batches.in_doubt(self.store, self.shop_id, LISTING_STATUS)
        results.update({p: StatusResult(p, i.payload, "in_doubt", "Asking TikTok Shop what "
                                        "became of this change before anything is sent again.")
                        for p, i in doubtful.items()})
        if action is not None:
            results.update(self._queue(action, [p for p in product_ids if p not in doubtful]))
        pending = outbox.items(self.shop_id, kind=LISTING_STATUS, states=("pending",))
        for batch in _batches(pending):
            if self.cancel.is_set() or problem:
                break
            claimed = outbox.claim([i.id for i in batch])
            if claimed:
                outcome, problem = self._send(claimed)
                results.update(outcome)
        for item in pending:
            results.setdefault(item.target, StatusResult(item.target, item.payload, "waiting",
                                                         problem))
        self._read_back()
        return StatusChangeResult(tuple(results.values()), problem, self.changes)

    def _queue(self, action: str, product_ids: Sequence[str]) -> dict[str, StatusResult]:
        """Write the changes to make to the outbox; a listing already so is done at once."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        listings = cached_listings(self.store, self.shop_id, product_ids)
        already = [x.product_id for x in listings if x.status in WANTED[action]]
        # An unsent opposite change of those is dropped: the seller wants them as they are.
        self.changes |= self.store.outbox.discard_targets(self.shop_id, LISTING_STATUS, already)
        self.changes |= self.store.outbox.add_many(
            self.shop_id, LISTING_STATUS,
            [Edit(x.product_id, action) for x in listings if x.product_id not in already])
        return {p: StatusResult(p, action, "done", "It already was.") for p in already}

    def _send(self, batch: Sequence[OutboxItem]) -> tuple[dict[str, StatusResult], str | None]:
        outbox, action = self.store.outbox, batch[0].payload
        ids = [i.id for i in batch]
        send = self.products.activate if action == ACTIVATE else self.products.deactivate
        try:
            # retry_safe=False: a lost answer is settled by reading the listing, never resent.
            errors = send([i.target for i in batch], retry_safe=False)
        except RequestCancelled as stop:
            if not stop.in_doubt:
                self.changes |= outbox.requeue(ids)  # it never left
                return {}, None
            return {i.target: StatusResult(i.target, action, "in_doubt") for i in batch}, None
        except LOST as error:
            log.warning("%s answer lost (%s): %d listings in doubt", action,
                        type(error).__name__, len(batch))
            return ({i.target: StatusResult(i.target, action, "in_doubt", error.plain)
                     for i in batch}, error.plain)
        except NOT_SENT as error:  # refused before it acted
            self.changes |= outbox.requeue(ids)
            return {}, error.plain
        except ApiError as error:  # the whole call was refused: nothing changed
            self.changes |= outbox.mark_failed(ids, error.plain, error.request_id or None)
            return ({i.target: StatusResult(i.target, action, "failed", error.plain)
                     for i in batch}, None)
        refused = {e.item_id: e for e in errors}
        results = {}
        for item in batch:
            error = refused.get(item.target)
            if error is None:
                self.changes |= outbox.mark_done([item.id])
                self._changed.append(item.target)
                results[item.target] = StatusResult(item.target, action, "done")
            else:
                message = self._refusal(action, error)
                self.changes |= outbox.mark_failed([item.id], message)
                results[item.target] = StatusResult(item.target, action, "failed", message)
        return results, None

    def _settle_in_doubt(self) -> dict[str, StatusResult]:
        """Read each listing whose change was left `sent`: in the wanted state → done; still
        where it was → queued again; anywhere else → failed, with why."""
        outbox, results = self.store.outbox, {}
        for item in outbox.items(self.shop_id, kind=LISTING_STATUS, states=("sent",)):
            if self.cancel.is_set():
                break
            try:
                product = self.products.get(item.target)
            except ApiError as error:
                if error.code not in PRODUCT_GONE:
                    raise
                self.changes |= outbox.mark_failed([item.id], GONE)
                results[item.target] = StatusResult(item.target, item.payload, "failed", GONE)
                continue
            self._read[item.target] = dict(product)
            status = product.get("status")
            if status in WANTED[item.payload]:
                self.changes |= outbox.mark_done([item.id])
                self._changed.append(item.target)
                results[item.target] = StatusResult(item.target, item.payload, "done")
                log.info("a listing change in doubt had taken effect: %s", item.target)
            elif status in ALLOWED_FROM[item.payload]:
                self.changes |= outbox.requeue([item.id])
            else:
                message = why_not(item.payload, status) or "TikTok Shop refused this change."
                self.changes |= outbox.mark_failed([item.id], message)
                results[item.target] = StatusResult(item.target, item.payload, "failed",
                                                    message)
        return results

    def _refusal(self, action: str, error: ItemError) -> str:
        """A product's refusal in the seller's words: the reason its status gives (read from
        the shop when the cache's is out of date), else TikTok's message."""
        if error.code in PRODUCT_GONE:
            return GONE
        [cached] = cached_listings(self.store, self.shop_id, [error.item_id])
        reason = why_not(action, cached.status) or why_not(action, self._status(error.item_id))
        if reason is not None:
            return reason
        return (f"TikTok Shop refused this change ({error.plain.rstrip('.')}). Refresh to see "
                f"the listing as it is now.")

    def _status(self, product_id: str) -> str | None:
        """The listing's status as the shop has it now (None if it can't be read now)."""
        product = self._read.get(product_id)
        if product is None and not self.cancel.is_set():
            try:
                product = self._read[product_id] = dict(self.products.get(product_id))
            except ApiError as error:
                log.info("listing %s not read (%s)", product_id, type(error).__name__)
        return None if product is None else product.get("status")

    def _read_back(self) -> None:
        """Save the listings changed (and those read) as the shop has them now, so the table
        shows them before the next sync; one that can't be read now comes with that sync."""
        for product_id in self._changed:
            self._status(product_id)
        if self._read:
            self.changes |= self.store.save_page(self.shop_id, "products",
                                                 list(self._read.values()), None)


def _batches(items: Sequence[OutboxItem]) -> list[list[OutboxItem]]:
    """Up to STATUS_IDS_PER_CALL listings of one action per request, oldest first."""
    batches: list[list[OutboxItem]] = []
    for action in ACTIONS:
        same = [i for i in items if i.payload == action]
        batches += [same[n:n + STATUS_IDS_PER_CALL]
                    for n in range(0, len(same), STATUS_IDS_PER_CALL)]
    return batches
