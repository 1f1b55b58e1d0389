"""Answering buyers' requests (approve, reject with a reason) through the outbox, never twice.

Each answer is written to the outbox (kind REQUEST_ANSWER, "request_answer", target the request
id; the kind lives in store/requests.py, whose count of requests waiting reads it) before it is
sent, with everything it sends: the decision, the reject reason's code, the comment, and an
`idempotency_key` made once, when the answer is queued. Every try of that answer — the client's
own retries, a resume after a crash, a retry after a lost answer — sends the same key, so TikTok
Shop acts on it at most once. An answer is claimed (pending → sent) just before it leaves; one
whose reply was lost (a crash, a dropped connection, a server error) stays `sent`, in doubt, and
the next run reads the request back before anything is sent again: still waiting for the same
answer → sent again with the same key; moved on the way this answer takes it → done; moved on
otherwise → failed, saying where it stands now (answered in Seller Center, withdrawn by the
buyer). The Requests tab runs that when it opens, so what a crash left is finished at the next
start.

A refused answer (the request was closed elsewhere meanwhile, a reason TikTok no longer offers)
is failed with the reason in the seller's words; answering again queues a new answer with a new
key. The requests answered are read back into the cache (and a cancellation's order, which an
approval cancels), so every tab shows them at once.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.api import RequestCancelled, ShopApi
from tiktok_desktop.api.errors import ApiError
from tiktok_desktop.services import outbox_batches
from tiktok_desktop.services.outbox_batches import LOST, NOT_SENT, BatchResult, ItemResult, alias
from tiktok_desktop.services.request_words import status_name
from tiktok_desktop.services.shipping import refusal_sentence
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.outbox import Edit, OutboxItem
from tiktok_desktop.store.requests import (
    CANCEL,
    REQUEST_ANSWER,
    RETURN,
    BuyerRequest,
    request_of,
)

log = logging.getLogger(__name__)

APPROVE, REJECT = "approve", "reject"
ANSWERS = (APPROVE, REJECT)
# The decision each answer sends, by what the request waits for (cancellations take none).
DECISIONS = {
    APPROVE: {"SELLER_RESPOND_CANCEL": None, "SELLER_RESPOND_REFUND": "APPROVE_REFUND",
              "SELLER_RESPOND_RETURN": "APPROVE_RETURN",
              "SELLER_RESPOND_RECEIVE_PACKAGE": "APPROVE_RECEIVED_PACKAGE",
              "SELLER_RESPOND_REPLACEMENT": "APPROVE_REPLACEMENT"},
    REJECT: {"SELLER_RESPOND_CANCEL": None, "SELLER_RESPOND_REFUND": "REJECT_REFUND",
             "SELLER_RESPOND_RETURN": "REJECT_RETURN",
             "SELLER_RESPOND_RECEIVE_PACKAGE": "REJECT_RECEIVED_PACKAGE",
             "SELLER_RESPOND_REPLACEMENT": "REJECT_REPLACEMENT"},
}
_SUCCESS = ("RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE")
# Where a request may stand once an answer landed (and later, as it moves on by itself): how a
# request moved on while its answer was in doubt tells whether that answer went through.
LANDED = {
    (APPROVE, "SELLER_RESPOND_CANCEL"): {"CANCELLATION_REQUEST_SUCCESS",
                                         "CANCELLATION_REQUEST_COMPLETE"},
    (REJECT, "SELLER_RESPOND_CANCEL"): {"CANCELLATION_REQUEST_CANCELLED",
                                        "CANCELLATION_REQUEST_CANCEL"},
    (APPROVE, "SELLER_RESPOND_REFUND"): {*_SUCCESS},
    (REJECT, "SELLER_RESPOND_REFUND"): {"REFUND_OR_RETURN_REQUEST_REJECT"},
    (APPROVE, "SELLER_RESPOND_RETURN"): {"AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM",
                                         "REJECT_RECEIVE_PACKAGE", *_SUCCESS},
    (REJECT, "SELLER_RESPOND_RETURN"): {"REFUND_OR_RETURN_REQUEST_REJECT"},
    (APPROVE, "SELLER_RESPOND_RECEIVE_PACKAGE"): {*_SUCCESS},
    (REJECT, "SELLER_RESPOND_RECEIVE_PACKAGE"): {"REJECT_RECEIVE_PACKAGE"},
    (APPROVE, "SELLER_RESPOND_REPLACEMENT"): {"AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM",
                                              "REPLACEMENT_REQUEST_COMPLETE"},
    (REJECT, "SELLER_RESPOND_REPLACEMENT"): {"REPLACEMENT_REQUEST_REJECT"},
}
GONE = "TikTok Shop has no such request any more."
IN_DOUBT = "Asking TikTok Shop what became of this answer before anything is sent again."
COMMENT_LIMIT = 500  # characters of the seller's comment sent with a rejection
READ_BACK = 50  # requests per search when reading them back


@dataclass(frozen=True)
class Answer:
    """The seller's answer to one request; a rejection names a reason from TikTok's list for
    that request (its code) and may carry a comment."""

    request_id: str
    answer: str  # APPROVE | REJECT
    reject_reason: str | None = None  # the reason's code (`name` in Get Reject Reasons)
    reason_text: str | None = None  # its words, for the seller's history
    comment: str | None = None


class AnswerResult(ItemResult):
    """One request's result (`target` the request id, `asked` the answer)."""

    request_id: str = alias("target")
    answer: str = alias("asked")


class AnswersResult(BatchResult[AnswerResult]):
    """The answers' results, one per request."""


def decision(answer: str, next_action: str | None) -> str | None:
    """The decision code `answer` sends to a request waiting for `next_action` (None for a
    cancellation). ValueError when that request takes no such answer."""
    table = DECISIONS.get(answer)
    if table is None or next_action not in table:
        raise ValueError(f"a request waiting for {next_action!r} takes no {answer!r}")
    return table[next_action]


def _stage_of(payload: dict[str, Any]) -> str | None:
    return payload.get("next_action")


class RequestAnswerer:
    """Answers one shop's requests; runs on the thread that opened `store`."""

    def __init__(self, shop: ShopApi, shop_id: str, store: Store,
                 cancel: threading.Event | None = None,
                 new_key: Callable[[], str] = lambda: uuid.uuid4().hex) -> None:
        self.returns, self.orders = shop.returns, shop.orders
        self.shop_id, self.store = shop_id, store
        self.cancel = cancel or threading.Event()
        self.new_key = new_key
        self.changes = Changes()
        self._read: dict[str, tuple[str, dict]] = {}  # request id → (kind, raw) read this run
        self._answered: dict[str, str] = {}  # request id → kind: read back at the end

    def answer(self, answers: Sequence[Answer] = ()) -> AnswersResult:
        """Settle the answers in doubt, queue `answers` (none: only finish what is queued),
        send everything queued, one request at a time, and read the requests back."""
        results, problem = outbox_batches.settle_first(self._settle_in_doubt)
        outbox = self.store.outbox
        doubtful = outbox_batches.in_doubt(self.store, self.shop_id, REQUEST_ANSWER)
        results.update({t: AnswerResult(t, i.payload["answer"], "in_doubt", IN_DOUBT)
                        for t, i in doubtful.items()})
        results.update(self._queue([a for a in answers if a.request_id not in doubtful]))
        pending = outbox.items(self.shop_id, kind=REQUEST_ANSWER, states=("pending",))
        for item in pending:
            if self.cancel.is_set() or problem:
                break
            claimed = outbox.claim([item.id])
            if claimed:
                results[item.target], problem = self._send(claimed[0])
        for item in pending:
            results.setdefault(item.target, AnswerResult(item.target, item.payload["answer"],
                                                         "waiting", problem))
        self._read_back()
        return AnswersResult(tuple(results.values()), problem, self.changes)

    # -- queueing -------------------------------------------------------------------------------

    def _queue(self, answers: Sequence[Answer]) -> dict[str, AnswerResult]:
        """Write the answers to the outbox, each with its idempotency key; one the cached
        request can't take is refused here, without a request."""
        if not answers:
            return {}
        outbox = self.store.outbox
        cached = self.store.requests.get([a.request_id for a in answers])
        resent = {i.target for i in outbox.items(self.shop_id, kind=REQUEST_ANSWER,
                                                  states=("pending",)) if i.attempts}
        results, edits = {}, []
        for given in answers:
            request = cached.get(given.request_id)
            refusal = self._why_not(given, request, resent)
            if refusal is not None or request is None:
                results[given.request_id] = AnswerResult(given.request_id, given.answer,
                                                         "failed", refusal)
                continue
            payload = {
                "kind": request.kind, "answer": given.answer,
                "decision": decision(given.answer, request.next_action),
                "reject_reason": given.reject_reason if given.answer == REJECT else None,
                "reason_text": given.reason_text if given.answer == REJECT else None,
                "comment": (given.comment or "").strip()[:COMMENT_LIMIT] or None,
                "idempotency_key": self.new_key(), "order_id": request.order_id,
                "next_action": request.next_action, "deadline": request.deadline,
            }
            edits.append(Edit(request.id, payload,
                              {"status": request.status, "update_time": request.update_time}))
        self.changes |= outbox.add_many(self.shop_id, REQUEST_ANSWER, edits)
        return results

    @staticmethod
    def _why_not(given: Answer, request: BuyerRequest | None, resent: set[str]) -> str | None:
        if given.answer not in ANSWERS:
            raise ValueError(f"unknown answer {given.answer!r}")
        if request is None:
            return "This request isn't in the local copy of your shop yet: sync, then answer."
        if not request.needs_answer:
            return f"Nothing to answer: {status_name(request).lower()}."
        if request.id in resent:
            return "An earlier answer to this request is being sent again first."
        if request.next_action not in DECISIONS[given.answer]:
            return "This app can't answer this kind of request yet: answer it in Seller Center."
        if given.answer == REJECT and not given.reject_reason:
            return "A rejection needs a reason from TikTok Shop's list."
        return None

    # -- sending --------------------------------------------------------------------------------

    def _send(self, item: OutboxItem) -> tuple[AnswerResult, str | None]:
        """Send one claimed answer with its own idempotency key; its result, and why the run
        must stop (None: go on)."""
        payload, request_id = item.payload, item.target
        answer, outbox = payload["answer"], self.store.outbox
        self._answered[request_id] = payload["kind"]
        self._read.pop(request_id, None)  # read before it was sent: read it again after
        try:
            self._call(request_id, payload)
        except RequestCancelled as stop:
            if not stop.in_doubt:
                self.changes |= outbox.requeue([item.id])  # it never left
                return AnswerResult(request_id, answer, "waiting"), None
            return AnswerResult(request_id, answer, "in_doubt", IN_DOUBT), None
        except LOST as error:
            log.warning("answer to %s lost (%s): in doubt", request_id, type(error).__name__)
            return AnswerResult(request_id, answer, "in_doubt", error.plain), error.plain
        except NOT_SENT as error:  # refused before it acted
            self.changes |= outbox.requeue([item.id])
            return AnswerResult(request_id, answer, "waiting", error.plain), error.plain
        except ApiError as error:
            message = self._refusal(item, error)
            self.changes |= outbox.mark_failed([item.id], message, error.request_id or None)
            return AnswerResult(request_id, answer, "failed", message), None
        self.changes |= outbox.mark_done([item.id])
        return AnswerResult(request_id, answer, "done"), None

    def _call(self, request_id: str, payload: dict[str, Any]) -> None:
        key, comment = payload["idempotency_key"], payload.get("comment")
        if payload["kind"] == CANCEL:
            if payload["answer"] == APPROVE:
                self.returns.approve_cancellation(request_id, idempotency_key=key)
            else:
                self.returns.reject_cancellation(request_id,
                                                 reject_reason=payload["reject_reason"],
                                                 comment=comment, idempotency_key=key)
        elif payload["answer"] == APPROVE:
            self.returns.approve_return(request_id, decision=payload["decision"],
                                        idempotency_key=key)
        else:
            self.returns.reject_return(request_id, decision=payload["decision"],
                                       reject_reason=payload["reject_reason"], comment=comment,
                                       idempotency_key=key)

    def _refusal(self, item: OutboxItem, error: ApiError) -> str:
        """A refusal in the seller's words: where the request stands now when it has moved on
        (read from the shop), else TikTok's own message."""
        try:
            now = self._fetch(item.payload["kind"], item.target)
        except ApiError as reading:
            log.info("request %s not read after a refusal (%s)", item.target,
                     type(reading).__name__)
            now = None
        if now is not None and now.next_action != _stage_of(item.payload):
            return f"Already answered or closed elsewhere: {status_name(now).lower()}."
        return "TikTok Shop refused this answer: " + refusal_sentence(
            error.message, error.plain)

    # -- in doubt -------------------------------------------------------------------------------

    def _settle_in_doubt(self) -> dict[str, AnswerResult]:
        """Read each request whose answer was left `sent`: still waiting for that answer →
        queued again (same key); moved on as the answer takes it → done; moved on otherwise →
        failed, with where it stands."""
        outbox, results = self.store.outbox, {}
        for item in outbox.items(self.shop_id, kind=REQUEST_ANSWER, states=("sent",)):
            if self.cancel.is_set():
                break
            payload, answer = item.payload, item.payload["answer"]
            self._answered[item.target] = payload["kind"]
            now = self._fetch(payload["kind"], item.target)
            if now is None:
                self.changes |= outbox.mark_failed([item.id], GONE)
                results[item.target] = AnswerResult(item.target, answer, "failed", GONE)
            elif now.next_action == _stage_of(payload):
                self.changes |= outbox.requeue([item.id])  # sent again, with the same key
            elif now.status in LANDED.get((answer, _stage_of(payload) or ""), ()):
                self.changes |= outbox.mark_done([item.id])
                results[item.target] = AnswerResult(
                    item.target, answer, "done",
                    "It had gone through: the reply that was lost had reached TikTok Shop.")
                log.info("an answer in doubt had taken effect: %s", item.target)
            else:
                message = f"Answered elsewhere meanwhile: {status_name(now).lower()}."
                self.changes |= outbox.mark_failed([item.id], message)
                results[item.target] = AnswerResult(item.target, answer, "failed", message)
        return results

    def _fetch(self, kind: str, request_id: str) -> BuyerRequest | None:
        """The request as the shop has it now (None: it has none by that id)."""
        found = self._search(kind, [request_id]).get(request_id)
        return None if found is None else request_of(kind, found)

    def _search(self, kind: str, request_ids: Sequence[str]) -> dict[str, dict]:
        if kind == CANCEL:
            page = self.returns.search_cancellations_page({"cancel_ids": list(request_ids)},
                                                          page_size=READ_BACK)
            key = "cancel_id"
        else:
            page = self.returns.search_returns_page({"return_ids": list(request_ids)},
                                                    page_size=READ_BACK)
            key = "return_id"
        found = {str(raw.get(key)): dict(raw) for raw in page.items}
        for request_id, raw in found.items():
            self._read[request_id] = (kind, raw)
        return found

    # -- reading back ---------------------------------------------------------------------------

    def _read_back(self) -> None:
        """Save the requests answered (and read) as the shop has them now, and the orders of
        the cancellations (approving one cancels its order), so the tabs show them before the
        next sync; what can't be read now comes with that sync."""
        try:
            for kind in (CANCEL, RETURN):
                wanted = [r for r, k in self._answered.items()
                          if k == kind and r not in self._read]
                for start in range(0, len(wanted), READ_BACK):
                    if self.cancel.is_set():
                        return
                    self._search(kind, wanted[start:start + READ_BACK])
        except ApiError as error:
            log.info("answered requests not read back (%s)", type(error).__name__)
        for kind, resource in ((CANCEL, "cancellations"), (RETURN, "returns")):
            raws = [raw for k, raw in self._read.values() if k == kind]
            if raws:
                self.changes |= self.store.save_page(self.shop_id, resource, raws, None)
        orders = [raw.get("order_id") for k, raw in self._read.values()
                  if k == CANCEL and raw.get("order_id")]
        if orders and not self.cancel.is_set():
            try:
                self.changes |= self.store.save_page(self.shop_id, "orders",
                                                     list(self.orders.get(orders)), None)
            except ApiError as error:
                log.info("orders of answered cancellations not read back (%s)",
                         type(error).__name__)
