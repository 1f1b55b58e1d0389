"""Arranging shipment and fetching labels, never shipping a package twice.

Each package's ship request is written to the outbox (kind "ship") before it is sent, and sent
in batches of up to 50 (Batch Ship Packages); each package gets its own result from the answer's
`errors[]`. Shipping cannot be undone and the API takes no idempotency key, so a request whose
answer was lost (a crash, a dropped connection, a server error) stays `sent`, "in doubt", and is
never simply sent again: the next run first asks the shop what became of the package (Get
Package Detail) and only re-queues it if it is still waiting to ship.

Right after shipping, the labels of TikTok-shipped packages are downloaded (their links last
hours, not days) into `<data folder>/labels/<shop id>/`, readable by the user only, so a reprint
never needs the network.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tiktok_desktop.api import RequestCancelled, ShopApi
from tiktok_desktop.api.errors import ApiError, NetworkError, ServerError
from tiktok_desktop.data_folder import private_folder, private_opener
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.outbox import Edit, OutboxItem
from tiktok_desktop.store.shipping import Label

log = logging.getLogger(__name__)

SHIP = "ship"  # the outbox kind of a ship request
BATCH = 50  # packages per Batch Ship Packages call (the API's limit)
LABEL_TRIES = 4  # a label still being generated is asked for again, with back-off
LABEL_WORKERS = 16  # labels fetched at once: a link, then its file, each ~a round trip
STILL_GENERATING = 11034037
CANCEL_ASKED = ("The buyer asked to cancel this order: answer the request in the Requests tab "
                "first (approve it and the order is cancelled; reject it and it ships).")


@dataclass(frozen=True)
class ShipChoice:
    """How one package leaves: TikTok shipping (handover_method, pickup_slot) or the seller's
    own carrier (tracking_number, shipping_provider_id)."""

    package_id: str
    handover_method: str | None = None  # PICKUP | DROP_OFF
    pickup_slot: dict[str, int] | None = None  # {start_time, end_time}
    tracking_number: str | None = None
    shipping_provider_id: str | None = None

    def request(self) -> dict[str, Any]:
        """One entry of Batch Ship Packages."""
        made: dict[str, Any] = {"id": self.package_id}
        if self.tracking_number:
            made["self_shipment"] = {"tracking_number": self.tracking_number,
                                     "shipping_provider_id": self.shipping_provider_id}
        else:
            made["handover_method"] = self.handover_method or "DROP_OFF"
            if self.pickup_slot:
                made["pickup_slot"] = self.pickup_slot
        return made


@dataclass(frozen=True)
class ShipResult:
    package_id: str
    state: str  # done | failed | in_doubt | waiting (not sent: cancelled or stopped)
    message: str | None = None


@dataclass(frozen=True)
class ArrangeResult:
    results: tuple[ShipResult, ...]
    labels: int = 0  # label files downloaded
    label_problems: tuple[str, ...] = ()
    problem: str | None = None  # why the run stopped early, in the seller's words
    changes: Changes = field(default_factory=Changes)

    def count(self, state: str) -> int:
        return sum(r.state == state for r in self.results)


@dataclass(frozen=True)
class ShipOptions:
    """What the arrange dialog offers: the handover methods and pickup slots of TikTok
    shipping, and the carriers of each seller-shipping delivery option."""

    can_pickup: bool = False
    can_drop_off: bool = True
    pickup_slots: tuple[tuple[int, int], ...] = ()
    carriers: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def ship_options(shop: ShopApi, tiktok_package: str | None,
                 delivery_option_ids: Sequence[str]) -> ShipOptions:
    """Ask the shop what a shipment may be: the slots of one TikTok-shipped package (a day's
    packages share them) and the carriers of each delivery option the seller ships with."""
    can_pickup, can_drop_off, slots = False, True, ()
    if tiktok_package is not None:
        offered = shop.fulfillment.handover_time_slots(tiktok_package)
        can_pickup = bool(offered.get("can_pickup"))
        can_drop_off = bool(offered.get("can_drop_off"))
        slots = tuple((int(s["start_time"]), int(s["end_time"]))
                      for s in offered.get("pickup_slots") or ()
                      if s.get("avaliable", s.get("available", True)))
    carriers = {option: tuple((str(p["id"]), str(p["name"]))
                              for p in shop.logistics.shipping_providers(option))
                for option in dict.fromkeys(delivery_option_ids) if option}
    return ShipOptions(can_pickup, can_drop_off, slots, carriers)


def labels_folder(store_path: Path, shop_id: str) -> Path:
    return store_path.parent / "labels" / shop_id


class Shipper:
    def __init__(self, shop: ShopApi, shop_id: str, store: Store, store_path: Path,
                 cancel: threading.Event | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.shop, self.shop_id, self.store = shop, shop_id, store
        self.folder = labels_folder(store_path, shop_id)
        self.cancel = cancel or threading.Event()
        self._sleep = sleep
        self.changes = Changes()

    # -- shipping ---------------------------------------------------------------------------

    def arrange(self, choices: Sequence[ShipChoice], *, document_type: str = "SHIPPING_LABEL",
                size: str = "A6") -> ArrangeResult:
        """Ship `choices` (after settling any request in doubt), then fetch the labels of the
        TikTok-shipped ones that left."""
        problem, had_shipped = None, []
        try:
            had_shipped = self.settle_in_doubt()
        except ApiError as error:
            problem = error.plain  # still in doubt: those packages wait, the rest goes on
        outbox = self.store.outbox
        doubtful = {i.target for i in outbox.items(self.shop_id, kind=SHIP, states=("sent",))}
        wanted = [c for c in choices
                  if c.package_id not in doubtful and c.package_id not in had_shipped]
        # Never shipped while the buyer's request to cancel waits for the seller's answer.
        held = self.store.shipping.cancel_requested(
            self.shop_id, [c.package_id for c in wanted]
            + [i.target for i in outbox.items(self.shop_id, kind=SHIP, states=("pending",))])
        self.changes |= outbox.add_many(self.shop_id, SHIP, [
            Edit(c.package_id, asdict(c)) for c in wanted if c.package_id not in held])
        results: dict[str, ShipResult] = {
            p: ShipResult(p, "in_doubt", "Asking TikTok Shop what became of this package "
                          "before anything is sent again.") for p in doubtful}
        results.update({p: ShipResult(p, "done", "It had shipped: the answer that was lost "
                                      "had gone through.") for p in had_shipped})
        results.update({p: ShipResult(p, "failed", CANCEL_ASKED) for p in held})
        pending = [i for i in outbox.items(self.shop_id, kind=SHIP, states=("pending",))]
        self.changes |= outbox.mark_failed([i.id for i in pending if i.target in held],
                                           CANCEL_ASKED)
        pending = [i for i in pending if i.target not in held]
        for start in range(0, len(pending), BATCH):
            if self.cancel.is_set() or problem:
                break
            batch = outbox.claim([i.id for i in pending[start:start + BATCH]])
            outcome, problem = self._send(batch)
            results.update(outcome)
        for item in pending:
            results.setdefault(item.target, ShipResult(item.target, "waiting", problem))
        shipped = [p for p, r in results.items() if r.state == "done"]
        for choice in choices:  # the seller's own tracking number: arranged at once here too
            if choice.package_id in shipped and choice.tracking_number:
                self.changes |= self.store.shipping.note_arranged(
                    self.shop_id, choice.package_id, choice.tracking_number)
        tiktok = [c.package_id for c in choices if c.package_id in shipped
                  and not c.tracking_number]
        fetched, label_problems = self.fetch_labels(tiktok, document_type, size)
        return ArrangeResult(tuple(results.values()), fetched, tuple(label_problems), problem,
                             self.changes)

    def _send(self, batch: Sequence[OutboxItem]) -> tuple[dict[str, ShipResult], str | None]:
        outbox = self.store.outbox
        ids = [i.id for i in batch]
        try:
            errors = self.shop.fulfillment.ship_packages(
                [ShipChoice(**i.payload).request() for i in batch])
        except RequestCancelled:
            self.changes |= outbox.requeue(ids)  # never sent
            return {}, None
        except (NetworkError, ServerError) as error:
            # The answer was lost: the packages may have shipped. They stay in doubt.
            log.warning("batch ship answer lost (%s): %d packages in doubt",
                        type(error).__name__, len(batch))
            return ({i.target: ShipResult(i.target, "in_doubt", error.plain) for i in batch},
                    error.plain)
        except ApiError as error:  # the whole call was refused: nothing shipped
            self.changes |= outbox.mark_failed(ids, error.plain, error.request_id or None)
            return {i.target: ShipResult(i.target, "failed", error.plain) for i in batch}, None
        refused = {e.item_id: e for e in errors}
        request_id = getattr(errors, "request_id", None) or None
        results: dict[str, ShipResult] = {}
        for item in batch:
            error = refused.get(item.target)
            if error is None:
                self.changes |= outbox.mark_done([item.id], request_id)
                results[item.target] = ShipResult(item.target, "done")
            else:
                message = refusal_sentence(error.message)
                self.changes |= outbox.mark_failed([item.id], message)
                results[item.target] = ShipResult(item.target, "failed", message)
        return results, None

    def settle_in_doubt(self) -> list[str]:
        """Ask the shop about each request left `sent` (a crash or a lost answer): shipped →
        done; still waiting to ship → sent again with the next batch. Returns the packages
        that had shipped."""
        outbox, shipped = self.store.outbox, []
        for item in outbox.items(self.shop_id, kind=SHIP, states=("sent",)):
            if self.cancel.is_set():
                break
            package = self.shop.fulfillment.package(item.target)
            if package.get("tracking_number") or package.get("package_status") != "PROCESSING":
                self.changes |= outbox.mark_done([item.id])
                shipped.append(item.target)
                log.info("a ship request in doubt had taken effect: %s", item.target)
            else:
                self.changes |= outbox.requeue([item.id])
        return shipped

    # -- labels -----------------------------------------------------------------------------

    def fetch_labels(self, package_ids: Sequence[str], document_type: str = "SHIPPING_LABEL",
                     size: str = "A6") -> tuple[int, list[str]]:
        """Download each package's document into the labels folder (kept for reprints), several
        at once (the client's limiter keeps them within the rate limit); the cache is written
        here, on the caller's connection."""
        fetched, problems = 0, []

        def fetch(package_id: str) -> tuple[str, Path, str | None]:
            if self.cancel.is_set():
                raise RequestCancelled("cancelled")
            return (package_id, *self._fetch(package_id, document_type, size))

        with ThreadPoolExecutor(LABEL_WORKERS, thread_name_prefix="labels") as pool:
            futures = [pool.submit(fetch, p) for p in package_ids]
            for package_id, future in zip(package_ids, futures, strict=True):
                try:
                    _, path, tracking = future.result()
                except RequestCancelled:
                    continue
                except ApiError as error:
                    problems.append(f"{package_id}: {error.plain}")
                    continue
                self.changes |= self.store.shipping.save_label(self.shop_id, Label(
                    package_id, document_type, size, str(path), tracking, int(time.time()),
                    None))
                if tracking:
                    self.changes |= self.store.shipping.note_arranged(self.shop_id, package_id,
                                                                      tracking)
                fetched += 1
        return fetched, problems

    def _fetch(self, package_id: str, document_type: str, size: str) -> tuple[Path, str | None]:
        fulfillment = self.shop.fulfillment
        for attempt in range(LABEL_TRIES):
            try:
                document = fulfillment.shipping_document(
                    package_id, document_type=document_type,  # type: ignore[arg-type]
                    document_size=size)  # type: ignore[arg-type]
                break
            except ApiError as error:
                if error.code != STILL_GENERATING or attempt == LABEL_TRIES - 1:
                    raise
                self._sleep(2.0 ** attempt)  # still being generated: give it a moment
        data = fulfillment.download_document(document["doc_url"])
        path = self.folder / f"{package_id}-{document_type.lower()}-{size}.pdf"
        _write_private(path, data)
        return path, document.get("tracking_number") or None


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by the user only (labels carry buyers' addresses),
    atomically: a reprint never reads half a file."""
    for folder in (path.parent.parent, path.parent):  # labels/, then labels/<shop id>/
        private_folder(folder)
    temporary = path.with_name(path.name + ".part")
    with open(temporary, "wb", opener=private_opener) as file:
        file.write(data)
    os.replace(temporary, path)


def refusal_sentence(message: str, fallback: str = "TikTok Shop refused this package.") -> str:
    """A refusal's message from TikTok Shop as a sentence for a row (a package's, a buyer
    request's): "invalid param error: " dropped, capitalised, a full stop."""
    text = message.strip().rstrip(".")
    if text.lower().startswith("invalid param error: "):
        text = text[len("invalid param error: "):]
    return (text[:1].upper() + text[1:] + ".") if text else fallback
