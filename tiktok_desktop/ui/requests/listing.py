"""What the Requests tab reads in the background for its filters (no widgets): the requests to
list, the count of each filter, the answers on their way and the pictures not held yet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tiktok_desktop.services.request_plans import AnswerState, answer_states
from tiktok_desktop.store import Store
from tiktok_desktop.store.requests import BuyerRequest
from tiktok_desktop.ui.pictures import Pictures, read_pictures
from tiktok_desktop.ui.requests.words import items_text

NEEDS, WAITING, CLOSED, ALL = "needs", "waiting", "closed", "all"
SHOW_WORDS = {NEEDS: "Needs my answer", WAITING: "Waiting for the buyer", CLOSED: "Closed",
              ALL: "All"}
SHOWS = tuple(SHOW_WORDS)


@dataclass(frozen=True)
class Listing:
    """One background read: the rows to show, the counts per filter, the answers on their way,
    new pictures."""

    rows: list[BuyerRequest]
    counts: dict[str, int]
    states: dict[str, AnswerState]
    pictures: Pictures


def shown_as(request: BuyerRequest, state: AnswerState | None) -> str:
    """Which of NEEDS / WAITING / CLOSED lists the request: one answered already (the cache
    does not show it yet) no longer needs the seller."""
    if request.closed:
        return CLOSED
    if request.needs_answer and (state is None or state.state != "done"):
        return NEEDS
    return WAITING


def matches(request: BuyerRequest, wanted: str) -> bool:
    if not wanted:
        return True
    text = " ".join((request.order_id, request.id, request.reason, items_text(request),
                     " ".join(i.seller_sku for i in request.items))).casefold()
    return wanted.casefold() in text


def read_listing(store: Store, shop_id: str, show: str, kind: str, search: str,
                 held: Mapping[str, str], pixel_ratio: float) -> Listing:
    """The requests to show for these filters, the counts of each filter (for the kind), the
    answers under way, and the pictures not held yet."""
    open_requests = store.requests.open(shop_id)
    states = answer_states(store, shop_id, open_requests)
    closed = store.requests.closed(shop_id) if show in (CLOSED, ALL) else []
    of_kind = [r for r in open_requests + closed if kind == ALL or r.type_key == kind]
    closed_counts = store.requests.closed_counts(shop_id)
    counts = {NEEDS: 0, WAITING: 0}
    for request in of_kind:
        where = shown_as(request, states.get(request.id))
        if where != CLOSED:
            counts[where] += 1
    counts[CLOSED] = sum(n for t, n in closed_counts.items() if kind in (ALL, t))
    counts[ALL] = counts[NEEDS] + counts[WAITING] + counts[CLOSED]
    rows = [r for r in of_kind if (show == ALL or shown_as(r, states.get(r.id)) == show)
            and matches(r, search)]
    pictures = read_pictures(store, shop_id, {p for r in rows for p in r.product_ids}, held,
                             pixel_ratio)
    return Listing(rows, counts, states, pictures)
