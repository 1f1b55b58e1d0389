"""Buyers' requests in the seller's words (no Qt): what kind of request, where it stands, what
the seller is asked to do. The Requests tab, the Orders tab's detail, the Fulfillment tab and the
answers' results all say it the same way."""

from __future__ import annotations

from tiktok_desktop.services.deadlines import Urgency, countdown
from tiktok_desktop.store.requests import BuyerRequest

TYPE_NAMES = {
    "cancel": "Cancellation",
    "refund": "Refund only",
    "return": "Return and refund",
    "replacement": "Replacement",
}
# The filter's words for each type, plural.
TYPE_FILTERS = {
    "cancel": "Cancellations",
    "refund": "Refunds only",
    "return": "Returns and refunds",
    "replacement": "Replacements",
}
ACTION_NAMES = {
    "SELLER_RESPOND_CANCEL": "Approve or reject the cancellation",
    "SELLER_RESPOND_REFUND": "Approve or reject the refund",
    "SELLER_RESPOND_RETURN": "Approve or reject the return",
    "SELLER_RESPOND_RECEIVE_PACKAGE": "Check the returned package",
    "SELLER_RESPOND_REPLACEMENT": "Approve or reject the replacement",
}
# The same, as a short heading for a group of requests waiting for one kind of answer.
ACTION_GROUPS = {
    "SELLER_RESPOND_CANCEL": "cancellation requests",
    "SELLER_RESPOND_REFUND": "refund requests",
    "SELLER_RESPOND_RETURN": "return requests",
    "SELLER_RESPOND_RECEIVE_PACKAGE": "returned packages",
    "SELLER_RESPOND_REPLACEMENT": "replacement requests",
}
STATUS_NAMES = {
    "CANCELLATION_REQUEST_PENDING": "Waiting for your answer",
    "CANCELLATION_REQUEST_SUCCESS": "Cancelled, refund on its way",
    "CANCELLATION_REQUEST_CANCELLED": "Not cancelled (rejected or withdrawn)",
    "CANCELLATION_REQUEST_CANCEL": "Not cancelled (rejected or withdrawn)",
    "CANCELLATION_REQUEST_COMPLETE": "Cancelled and refunded",
    "RETURN_OR_REFUND_REQUEST_PENDING": "Waiting for your answer",
    "REFUND_OR_RETURN_REQUEST_REJECT": "Rejected",
    "AWAITING_BUYER_SHIP": "Approved, waiting for the buyer to send it back",
    "BUYER_SHIPPED_ITEM": "The buyer sent it back",
    "REJECT_RECEIVE_PACKAGE": "Returned package rejected",
    "RETURN_OR_REFUND_REQUEST_SUCCESS": "Approved, refund on its way",
    "RETURN_OR_REFUND_REQUEST_CANCEL": "Withdrawn by the buyer",
    "RETURN_OR_REFUND_REQUEST_COMPLETE": "Refunded",
    "REPLACEMENT_REQUEST_PENDING": "Waiting for your answer",
    "REPLACEMENT_REQUEST_REJECT": "Replacement rejected",
    "REPLACEMENT_REQUEST_REFUND_SUCCESS": "Refunded instead of replaced",
    "REPLACEMENT_REQUEST_CANCEL": "Withdrawn by the buyer",
    "REPLACEMENT_REQUEST_COMPLETE": "Replaced",
    "AWAITING_BUYER_RESPONSE": "Waiting for the buyer to accept your offer",
}
DISPUTE_NAMES = {
    "IN_PROGRESS": "The buyer took it to TikTok Shop, who is deciding",
    "SUPPORT_BUYER": "TikTok Shop decided for the buyer",
    "SUPPORT_SELLER": "TikTok Shop decided for you",
    "CLOSED": "The buyer's dispute was closed",
}


def words(code: str | None) -> str:
    """An API code no table knows, readable: "SOME_NEW_STATUS" → "Some new status"."""
    return (code or "").replace("_", " ").strip().capitalize()


def type_name(request: BuyerRequest) -> str:
    return TYPE_NAMES.get(request.type_key, words(request.request_type))


def status_name(request: BuyerRequest) -> str:
    """Where the request stands; a cancellation the seller started says so."""
    if request.kind == "cancel" and request.role == "SELLER" and request.closed:
        return "You cancelled the order"
    if request.kind == "cancel" and request.role == "SYSTEM" and request.closed:
        return "Cancelled by TikTok Shop"
    return STATUS_NAMES.get(request.status, words(request.status))


def action_name(request: BuyerRequest) -> str:
    """What the seller is asked to do now ("" when nothing)."""
    if request.next_action is None:
        return ""
    return ACTION_NAMES.get(request.next_action, words(request.next_action))


def dispute_name(request: BuyerRequest) -> str:
    status = request.raw.get("arbitration_status")
    return DISPUTE_NAMES.get(status, words(status)) if isinstance(status, str) else ""


def requests_word(count: int) -> str:
    return f"{count:,} request{'' if count == 1 else 's'}"


# What the buyer asked, by what it waits for from the seller (for the order's detail and the
# Fulfillment tab's rows).
ASKED = {
    "SELLER_RESPOND_CANCEL": "Buyer asked to cancel",
    "SELLER_RESPOND_REFUND": "Buyer asked for a refund",
    "SELLER_RESPOND_RETURN": "Buyer asked to return it",
    "SELLER_RESPOND_RECEIVE_PACKAGE": "The buyer's return came back: check it",
    "SELLER_RESPOND_REPLACEMENT": "Buyer asked for a replacement",
}


def order_note(request: BuyerRequest, now: int) -> tuple[str, Urgency | None]:
    """One line about a request on its order: "Buyer asked to cancel — answer within 1 d 4 h"
    (with how urgent), or where it stands ("Return and refund: refunded")."""
    if not request.needs_answer:
        status = status_name(request)
        return f"{type_name(request)}: {status[:1].lower()}{status[1:]}", None
    asked = ASKED.get(request.next_action or "", f"{type_name(request)} requested")
    due = countdown(request.deadline, now, verb="answer")
    if due is None:
        return f"{asked} — answer it in the Requests tab", None
    if due.urgency is Urgency.OVERDUE:
        return f"{asked} — {due.text[:1].lower()}{due.text[1:]}: answer now", due.urgency
    return f"{asked} — {due.text}", due.urgency
