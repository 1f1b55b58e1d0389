"""What the seller sees of their answers before they are sent and while they travel (no Qt):
what an answer to a selection would do (`plan`, for the confirmation), the answers the cached
requests do not show yet (`answer_states`), and TikTok's reject reasons for the requests — one
reason every selected request offers (`common_reasons`). Sending is request_answers.py."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tiktok_desktop.api import ShopApi
from tiktok_desktop.services.request_words import status_name
from tiktok_desktop.store import Store
from tiktok_desktop.store.requests import REQUEST_ANSWER, BuyerRequest


@dataclass(frozen=True)
class AnswerState:
    """An answer of the seller's the cached request does not show yet: on its way, in doubt,
    refused, or done while the cache still has the request as it was."""

    answer: str
    state: str  # pending | sent | failed | done
    message: str | None = None


def answer_states(store: Store, shop_id: str,
                  requests: Iterable[BuyerRequest]) -> dict[str, AnswerState]:
    """The seller's answers each request's cached state does not show yet (by request id): the
    newest answer to the stage the request is at, unless the request has moved on since."""
    stages = {r.id: r.next_action for r in requests}
    found: dict[str, AnswerState] = {}
    for item in store.outbox.items(shop_id, kind=REQUEST_ANSWER,
                                   states=("pending", "sent", "failed", "done")):
        stage = stages.get(item.target)
        if stage is not None and stage == item.payload.get("next_action"):
            found[item.target] = AnswerState(item.payload["answer"], item.state, item.last_error)
    return found


@dataclass(frozen=True)
class AnswerPlan:
    """What an answer to the selected requests would do, for the confirmation."""

    answer: str
    send: tuple[BuyerRequest, ...]
    left: tuple[tuple[BuyerRequest, str], ...]  # not answered, and why

    @property
    def next_actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.next_action or "" for r in self.send))


def plan(store: Store, shop_id: str, answer: str, request_ids: Sequence[str]) -> AnswerPlan:
    """Sort the selected requests by what `answer` would do to each, from the cache."""
    cached = store.requests.get(request_ids)
    states = answer_states(store, shop_id, cached.values())
    send, left = [], []
    for request_id in dict.fromkeys(request_ids):
        request = cached.get(request_id)
        if request is None:
            continue
        state = states.get(request_id)
        if not request.needs_answer:
            left.append((request, f"Nothing to answer: {status_name(request).lower()}."))
        elif state is not None and state.state in ("pending", "sent"):
            left.append((request, "Your answer is already on its way."))
        elif state is not None and state.state == "done":
            left.append((request, "You have answered it already."))
        else:
            send.append(request)
    return AnswerPlan(answer, tuple(send), tuple(left))


def reject_reasons(shop: ShopApi, request_ids: Sequence[str],
                   cancel: threading.Event | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """TikTok's reject reasons for each request: (code, words), in TikTok's order."""
    found = {}
    for request_id in dict.fromkeys(request_ids):
        if cancel is not None and cancel.is_set():
            break
        found[request_id] = tuple((str(r.get("name") or ""), str(r.get("text") or r.get("name")
                                                                 or ""))
                                  for r in shop.returns.reject_reasons(request_id)
                                  if r.get("name"))
    return found


def common_reasons(reasons: Sequence[Sequence[tuple[str, str]]]) -> tuple[tuple[str, str], ...]:
    """The reasons every request offers, in the first one's order: one reason for all."""
    if not reasons:
        return ()
    shared = set.intersection(*({code for code, _ in r} for r in reasons))
    return tuple(r for r in reasons[0] if r[0] in shared)
