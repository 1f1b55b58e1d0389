"""Orders: search pages, detail by id, price detail (reference §7.3, object §8.1)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, TypedDict, cast

from tiktok_desktop.api._resource import ShopResource, chunked
from tiktok_desktop.api.paging import Page, iter_pages

DETAIL_IDS_PER_CALL = 50
SortOrder = Literal["ASC", "DESC"]


class DistrictInfo(TypedDict, total=False):
    address_level: str  # L0 … L4
    address_level_name: str  # Country, State, City, …
    address_name: str
    iso_code: str


class RecipientAddress(TypedDict, total=False):
    name: str
    first_name: str
    last_name: str
    first_name_local_script: str
    last_name_local_script: str
    phone_number: str
    full_address: str
    address_detail: str
    address_line1: str
    address_line2: str
    address_line3: str
    address_line4: str
    postal_code: str
    region_code: str
    post_town: str
    district_info: list[DistrictInfo]
    delivery_preferences: dict[str, object]


class OrderPayment(TypedDict, total=False):
    """Money as decimal strings in major units, all in `currency`."""

    currency: str
    sub_total: str
    shipping_fee: str
    seller_discount: str
    platform_discount: str
    total_amount: str
    original_total_product_price: str
    original_shipping_fee: str
    shipping_fee_seller_discount: str
    shipping_fee_platform_discount: str
    shipping_fee_cofunded_discount: str
    tax: str
    product_tax: str
    shipping_fee_tax: str
    retail_delivery_fee: str
    small_order_fee: str
    buyer_service_fee: str
    handling_fee: str
    shipping_insurance_fee: str
    item_insurance_fee: str
    item_insurance_tax: str
    payment_platform_discount: str
    payment_discount_service_fee: str


class LineItem(TypedDict, total=False):
    """One unit of a SKU: buying 3 gives 3 line items with the same `sku_id`."""

    id: str
    sku_id: str
    product_id: str
    product_name: str
    sku_name: str
    sku_image: str
    seller_sku: str
    sale_price: str
    original_price: str
    seller_discount: str
    platform_discount: str
    currency: str
    display_status: str
    package_id: str
    package_status: str  # TO_FULFILL | PROCESSING | FULFILLING | COMPLETED | CANCELLED
    tracking_number: str
    shipping_provider_id: str
    shipping_provider_name: str
    rts_time: int
    cancel_reason: str
    cancel_user: str
    is_gift: bool
    gift_retail_price: str
    is_dangerous_good: bool
    needs_prescription: bool
    item_tax: list[dict[str, str]]
    combined_listing_skus: list[dict[str, object]]
    sku_type: str
    retail_delivery_fee: str
    small_order_fee: str
    buyer_service_fee: str
    pfand_fee: str
    handling_duration_days: str
    is_unboxing_item: bool
    unboxing_sku_code: str


class OrderPackageRef(TypedDict, total=False):
    id: str


class Order(TypedDict, total=False):
    id: str
    status: str  # UNPAID, ON_HOLD, AWAITING_SHIPMENT, …, CANCELLED
    user_id: str
    order_type: str
    is_on_hold_order: bool
    is_sample_order: bool
    is_replacement_order: bool
    replaced_order_id: str
    is_exchange_order: bool
    exchange_source_order_id: str
    is_buyer_request_cancel: bool
    split_or_combine_tag: str
    auto_combine_group_id: str
    commerce_platform: str
    create_time: int
    update_time: int
    paid_time: int
    rts_time: int
    rts_sla_time: int
    tts_sla_time: int
    collection_time: int
    collection_due_time: int
    delivery_time: int
    delivery_due_time: int
    delivery_sla_time: int
    shipping_due_time: int
    cancel_time: int
    cancel_order_sla_time: int
    request_cancel_time: int
    delivery_option_required_delivery_time: int
    pick_up_cut_off_time: int
    fast_dispatch_sla_time: int
    release_date: int
    recommended_shipping_time: int
    buyer_message: str
    buyer_email: str
    buyer_nickname: str
    buyer_avatar: str
    cpf: str
    cpf_name: str
    seller_note: str
    fulfillment_type: str
    shipping_type: str  # TIKTOK | SELLER
    delivery_type: str
    delivery_option_id: str
    delivery_option_name: str
    shipping_provider: str
    shipping_provider_id: str
    tracking_number: str
    warehouse_id: str
    packages: list[OrderPackageRef]
    has_updated_recipient_address: bool
    handling_duration: dict[str, str]
    fast_delivery_program: str
    cancel_reason: str
    cancellation_initiator: str
    is_cod: bool
    payment_method_name: str
    payment: OrderPayment
    recipient_address: RecipientAddress
    line_items: list[LineItem]


class OrderFilters(TypedDict, total=False):
    """Search filters (JSON body); `*_ge` inclusive, `*_lt` exclusive, Unix seconds."""

    order_status: str
    create_time_ge: int
    create_time_lt: int
    update_time_ge: int
    update_time_lt: int
    shipping_type: str
    buyer_user_id: str
    is_buyer_request_cancel: bool
    warehouse_ids: list[str]


class PriceDetail(TypedDict, total=False):
    """Get Price Detail (all money as strings); `line_items` have the same fields plus `id`."""

    currency: str
    total: str
    sku_list_price: str
    sku_sale_price: str
    subtotal: str
    subtotal_deduction_seller: str
    subtotal_deduction_platform: str
    subtotal_tax_amount: str
    shipping_list_price: str
    shipping_sale_price: str
    shipping_fee_deduction_seller: str
    shipping_fee_deduction_platform: str
    shipping_fee_deduction_platform_voucher: str
    tax_amount: str
    tax_rate: str
    payment: str
    net_price_amount: str
    voucher_deduction_seller: str
    voucher_deduction_platform: str
    sku_gift_original_price: str
    sku_gift_net_price: str
    cod_fee: str
    cod_fee_net_amount: str
    line_items: list[dict[str, str]]


class Orders(ShopResource):
    """A shop's orders."""

    def search_page(
        self,
        filters: OrderFilters | None = None,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        sort_field: Literal["create_time", "update_time"] | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Order]:
        """One page of orders matching `filters` (POST /order/202309/orders/search)."""
        return self._search_page(
            "/order/202309/orders/search", "orders", filters,
            page_size=page_size, page_token=page_token,
            sort_field=sort_field, sort_order=sort_order,
        )

    def iter_pages(
        self,
        filters: OrderFilters | None = None,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        sort_field: Literal["create_time", "update_time"] | None = None,
        sort_order: SortOrder | None = None,
    ) -> Iterator[Page[Order]]:
        """Every page from `page_token` (None: the first) to the last."""
        return iter_pages(
            lambda token: self.search_page(
                filters, page_size=page_size, page_token=token,
                sort_field=sort_field, sort_order=sort_order,
            ),
            page_token,
        )

    def get(self, ids: Iterable[str]) -> list[Order]:
        """Full orders by id, asking for at most 50 per call."""
        orders: list[Order] = []
        for chunk in chunked(dict.fromkeys(ids), DETAIL_IDS_PER_CALL):
            data = self._call("GET", "/order/202309/orders", query={"ids": chunk})
            orders.extend(data.get("orders") or [])
        return orders

    def price_detail(self, order_id: str) -> PriceDetail:
        """How an order's price is made up (202407: there is no 202309 version)."""
        return cast(
            PriceDetail, self._call("GET", f"/order/202407/orders/{order_id}/price_detail")
        )
