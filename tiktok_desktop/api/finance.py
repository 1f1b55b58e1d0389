"""Finance: statements, payments, a statement's transactions (reference §7.7)."""

from __future__ import annotations

from typing import Literal, TypedDict

from tiktok_desktop.api._resource import ShopResource, present
from tiktok_desktop.api.orders import SortOrder
from tiktok_desktop.api.paging import Page


class Amount(TypedDict, total=False):
    value: str
    currency: str


class Statement(TypedDict, total=False):
    """One day's settlement (generated daily at 00:00 UTC); money as decimal strings."""

    id: str
    statement_time: int
    settlement_amount: str
    revenue_amount: str
    fee_amount: str
    adjustment_amount: str
    shipping_cost_amount: str
    net_sales_amount: str
    currency: str
    payment_status: str  # PAID | FAILED | PROCESSING
    payment_id: str
    payment_time: int


class Payment(TypedDict, total=False):
    id: str
    create_time: int
    paid_time: int
    status: str
    amount: Amount
    settlement_amount: Amount
    reserve_amount: Amount
    payment_amount_before_exchange: Amount
    exchange_rate: str
    bank_account: str  # masked


class StatementTransaction(TypedDict, total=False):
    id: str
    type: str  # ORDER or an adjustment type
    order_id: str
    adjustment_id: str
    order_create_time: int
    currency: str
    settlement_amount: str
    revenue_amount: str
    fee_amount: str
    shipping_cost_amount: str
    adjustment_amount: str


class Finance(ShopResource):
    """A shop's money: what TikTok Shop settled and paid out."""

    def statements_page(
        self,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        statement_time_ge: int | None = None,
        statement_time_lt: int | None = None,
        payment_status: Literal["PAID", "FAILED", "PROCESSING"] | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Statement]:
        """A page of statements (this endpoint gives no total_count)."""
        data = self._call(
            "GET",
            "/finance/202309/statements",
            query=present(
                sort_field="statement_time", sort_order=sort_order, page_size=page_size,
                page_token=page_token, statement_time_ge=statement_time_ge,
                statement_time_lt=statement_time_lt, payment_status=payment_status,
            ),
        )
        return Page.from_data(data, "statements")

    def payments_page(
        self,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        create_time_ge: int | None = None,
        create_time_lt: int | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Payment]:
        data = self._call(
            "GET",
            "/finance/202309/payments",
            query=present(
                sort_field="create_time", sort_order=sort_order, page_size=page_size,
                page_token=page_token, create_time_ge=create_time_ge,
                create_time_lt=create_time_lt,
            ),
        )
        return Page.from_data(data, "payments")

    def statement_transactions_page(
        self,
        statement_id: str,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[StatementTransaction]:
        """A page of one statement's transactions; the statement's totals are in `page.data`."""
        data = self._call(
            "GET",
            f"/finance/202309/statements/{statement_id}/statement_transactions",
            query=present(
                sort_field="order_create_time", sort_order=sort_order, page_size=page_size,
                page_token=page_token,
            ),
        )
        return Page.from_data(data, "statement_transactions")
