"""Returns and cancellations: find them and answer them (reference §7.6).

Every answer carries an `idempotency_key`, made once per logical call and reused on each retry,
so a lost answer can be retried without deciding twice. Pass your own key to make an answer
idempotent across app restarts (e.g. one stored with the pending change).
"""

from __future__ import annotations

import uuid
from typing import Literal, TypedDict

from tiktok_desktop.api._resource import ShopResource, present
from tiktok_desktop.api.orders import SortOrder
from tiktok_desktop.api.paging import Page

SortField = Literal["create_time", "update_time"]


class NextAction(TypedDict, total=False):
    action: str  # SELLER_RESPOND_CANCEL, SELLER_RESPOND_RETURN, …
    deadline: int


class ReturnLineItem(TypedDict, total=False):
    return_line_item_id: str
    order_line_item_id: str
    sku_id: str
    seller_sku: str
    sku_name: str
    product_name: str
    product_image: dict[str, object]
    refund_amount: dict[str, str]


class Return(TypedDict, total=False):
    return_id: str
    order_id: str
    return_type: str  # REFUND | RETURN_AND_REFUND | REPLACEMENT
    return_status: str
    arbitration_status: str
    role: str
    return_reason: str
    return_reason_text: str
    return_method: str
    return_tracking_number: str
    refund_amount: dict[str, str]
    return_line_items: list[ReturnLineItem]
    seller_next_action_response: list[NextAction]
    create_time: int
    update_time: int


class CancelLineItem(TypedDict, total=False):
    cancel_line_item_id: str
    order_line_item_id: str
    sku_id: str
    seller_sku: str
    sku_name: str
    product_name: str
    product_image: dict[str, object]
    refund_amount: dict[str, str]


class Cancellation(TypedDict, total=False):
    cancel_id: str
    order_id: str
    cancel_type: str  # CANCEL | BUYER_CANCEL
    cancel_status: str
    role: str  # BUYER | SELLER | SYSTEM
    cancel_reason: str
    cancel_reason_text: str
    refund_amount: dict[str, str]
    cancel_line_items: list[CancelLineItem]
    seller_next_action_response: list[NextAction]
    create_time: int
    update_time: int


class ReturnFilters(TypedDict, total=False):
    return_ids: list[str]
    order_ids: list[str]
    buyer_user_ids: list[str]
    return_types: list[str]
    return_status: list[str]
    arbitration_status: list[str]
    create_time_ge: int
    create_time_lt: int
    update_time_ge: int
    update_time_lt: int
    locale: str


class CancellationFilters(TypedDict, total=False):
    cancel_ids: list[str]
    order_ids: list[str]
    buyer_user_ids: list[str]
    cancel_types: list[str]
    cancel_status: list[str]
    create_time_ge: int
    create_time_lt: int
    update_time_ge: int
    update_time_lt: int
    locale: str


class RejectReason(TypedDict, total=False):
    name: str  # what reject_return / reject_cancellation take as `reject_reason`
    text: str


class Returns(ShopResource):
    """A shop's return and cancellation requests."""

    def search_returns_page(
        self,
        filters: ReturnFilters | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: SortField | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Return]:
        return self._search_page(
            "/return_refund/202309/returns/search", "return_orders", filters,
            page_size=page_size, page_token=page_token,
            sort_field=sort_field, sort_order=sort_order,
        )

    def search_cancellations_page(
        self,
        filters: CancellationFilters | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: SortField | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Cancellation]:
        return self._search_page(
            "/return_refund/202309/cancellations/search", "cancellations", filters,
            page_size=page_size, page_token=page_token,
            sort_field=sort_field, sort_order=sort_order,
        )

    def approve_return(
        self,
        return_id: str,
        *,
        decision: str,
        buyer_keep_item: bool | None = None,
        partial_refund: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        """E.g. decision APPROVE_REFUND, APPROVE_RETURN, APPROVE_RECEIVED_PACKAGE."""
        self._answer(
            f"returns/{return_id}/approve",
            present(
                decision=decision, buyer_keep_item=buyer_keep_item, partial_refund=partial_refund
            ),
            idempotency_key,
        )

    def reject_return(
        self,
        return_id: str,
        *,
        decision: str,
        reject_reason: str,
        comment: str | None = None,
        images: list[dict[str, object]] | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        """E.g. decision REJECT_REFUND, REJECT_RETURN; `reject_reason` from reject_reasons()."""
        self._answer(
            f"returns/{return_id}/reject",
            present(
                decision=decision, reject_reason=reject_reason, comment=comment, images=images
            ),
            idempotency_key,
        )

    def approve_cancellation(self, cancel_id: str, *, idempotency_key: str | None = None) -> None:
        """Accept a buyer's cancellation request (the order becomes CANCELLED)."""
        self._answer(f"cancellations/{cancel_id}/approve", None, idempotency_key)

    def reject_cancellation(
        self,
        cancel_id: str,
        *,
        reject_reason: str,
        comment: str | None = None,
        images: list[dict[str, object]] | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        self._answer(
            f"cancellations/{cancel_id}/reject",
            present(reject_reason=reject_reason, comment=comment, images=images),
            idempotency_key,
        )

    def _answer(self, action: str, body: object, idempotency_key: str | None) -> None:
        self._call(
            "POST",
            f"/return_refund/202309/{action}",
            query={"idempotency_key": idempotency_key or str(uuid.uuid4())},
            body=body,
        )

    def reject_reasons(
        self, return_or_cancel_id: str, *, locale: str | None = None
    ) -> list[RejectReason]:
        data = self._call(
            "GET",
            "/return_refund/202309/reject_reasons",
            query=present(return_or_cancel_id=return_or_cancel_id, locale=locale),
        )
        return list(data.get("reasons") or [])
