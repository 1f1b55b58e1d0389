"""A request's texts with money in them, and what an answer does, in the seller's words (no
Qt). The words without money are services/request_words.py, shared with the other tabs."""

from __future__ import annotations

from tiktok_desktop.services.request_answers import APPROVE, REJECT, AnswerResult
from tiktok_desktop.services.request_plans import AnswerState
from tiktok_desktop.services.request_words import ACTION_GROUPS
from tiktok_desktop.store.requests import BuyerRequest, RequestItem
from tiktok_desktop.ui.formatting import money

DONE = {APPROVE: "Approved", REJECT: "Rejected"}
DOING = {APPROVE: "approval", REJECT: "rejection"}


def item_line(item: RequestItem) -> str:
    """"2 × Cotton tee (Black, M)"."""
    name = item.product_name or item.seller_sku or "Unnamed product"
    return f"{item.quantity} × {name} ({item.sku_name})" if item.sku_name else (
        f"{item.quantity} × {name}")


def items_text(request: BuyerRequest) -> str:
    return "; ".join(item_line(i) for i in request.items)


def refund_text(request: BuyerRequest) -> str:
    return money(request.refund, request.currency)


def _their_money(request: BuyerRequest) -> str:
    return refund_text(request) or "their money"


def approve_effect(request: BuyerRequest) -> str:
    """What approving this request does, with the money."""
    refund = _their_money(request)
    return {
        "SELLER_RESPOND_CANCEL": f"The order is cancelled and the buyer gets {refund} back.",
        "SELLER_RESPOND_REFUND": f"The buyer gets {refund} back and keeps the item.",
        "SELLER_RESPOND_RETURN": "The buyer sends the item back with TikTok Shop's label; "
                                 f"once it has arrived and you have checked it, the buyer gets "
                                 f"{refund} back.",
        "SELLER_RESPOND_RECEIVE_PACKAGE": "You confirm the item came back as expected: the "
                                          f"buyer gets {refund} back.",
        "SELLER_RESPOND_REPLACEMENT": "You send the buyer a replacement.",
    }.get(request.next_action or "", "TikTok Shop goes ahead with the buyer's request.")


def reject_effect(request: BuyerRequest) -> str:
    """What rejecting this request does."""
    if request.next_action == "SELLER_RESPOND_CANCEL":
        return "The order is not cancelled: it stays to ship, by its ship-by deadline."
    return ("The buyer gets nothing back for now, and can take it to TikTok Shop, who then "
            "decides.")


def group_name(next_action: str | None, count: int) -> str:
    """"2 cancellation requests", "1 returned package"."""
    words = ACTION_GROUPS.get(next_action or "", "requests")
    if count == 1:
        words = words.removesuffix("s")
    return f"{count:,} {words}"


def state_text(state: AnswerState) -> str:
    """An answer the cached request does not show yet."""
    doing = DOING.get(state.answer, "answer")
    if state.state == "pending":
        return f"Your {doing} is waiting to be sent"
    if state.state == "sent":
        return f"Checking your {doing} with TikTok Shop"
    if state.state == "done":
        return f"{DONE.get(state.answer, 'Answered')}: TikTok Shop has your answer"
    return f"Your {doing} was not taken: {state.message or 'TikTok Shop refused it.'}"


def result_text(result: AnswerResult | None) -> str:
    """One request's result of the latest answers sent from this tab."""
    if result is None:
        return ""
    done = DONE.get(result.answer, "Answered")
    words = {"done": done, "failed": "Not answered", "in_doubt": "Checking with TikTok Shop…",
             "waiting": "Not sent yet"}[result.state]
    return f"{words}: {result.message}" if result.message else words
