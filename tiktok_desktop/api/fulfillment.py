"""Fulfillment: packages, handover slots, shipping, labels (reference §7.5, object §8.3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypedDict, cast

from tiktok_desktop.api._resource import ShopResource, present
from tiktok_desktop.api.orders import RecipientAddress, SortOrder
from tiktok_desktop.api.paging import ItemError, Page, item_errors, iter_pages

HandoverMethod = Literal["PICKUP", "DROP_OFF"]
DocumentType = Literal[
    "SHIPPING_LABEL",
    "PACKING_SLIP",
    "SHIPPING_LABEL_AND_PACKING_SLIP",
    "SHIPPING_LABEL_PICTURE",
    "HAZMAT_LABEL",
    "INVOICE_LABEL",
]


class TimeSlot(TypedDict, total=False):
    start_time: int
    end_time: int


class PickupSlot(TimeSlot, total=False):
    avaliable: bool  # (sic) the API's spelling


class SelfShipment(TypedDict, total=False):
    tracking_number: str
    shipping_provider_id: str


class PackageOrderRef(TypedDict, total=False):
    id: str
    skus: list[dict[str, object]]  # deprecated by the API


class PackageSummary(TypedDict, total=False):
    """A package as Search Packages returns it."""

    id: str
    status: str  # PROCESSING | FULFILLING | COMPLETED | CANCELLED
    tracking_number: str
    shipping_provider_id: str
    shipping_provider_name: str
    order_line_item_ids: list[str]
    orders: list[PackageOrderRef]
    create_time: int
    update_time: int


class Package(TypedDict, total=False):
    """A package as Get Package Detail returns it."""

    package_id: str
    package_status: str
    order_line_item_ids: list[str]
    orders: list[PackageOrderRef]
    tracking_number: str
    shipping_provider_id: str
    shipping_provider_name: str
    shipping_type: str  # TIKTOK | SELLER
    handover_method: str
    pickup_slot: TimeSlot
    delivery_option_id: str
    delivery_option_name: str
    split_and_combine_tag: str
    has_multi_skus: bool
    note_tag: str
    weight: dict[str, str]
    dimension: dict[str, str]
    recipient_address: RecipientAddress
    sender_address: RecipientAddress
    last_mile_tracking_number: str
    insurance: dict[str, object]
    create_time: int
    update_time: int


class HandoverTimeSlots(TypedDict, total=False):
    can_pickup: bool
    can_drop_off: bool
    can_van_collection: bool
    drop_off_point_url: str
    pickup_slots: list[PickupSlot]


class PackageFilters(TypedDict, total=False):
    package_status: str
    create_time_ge: int
    create_time_lt: int
    update_time_ge: int
    update_time_lt: int


class ShipRequest(TypedDict, total=False):
    """One package of a batch ship: `id` plus what Ship Package takes."""

    id: str
    handover_method: HandoverMethod
    pickup_slot: TimeSlot
    self_shipment: SelfShipment


class ShippingDocument(TypedDict, total=False):
    doc_url: str  # expires (24 h per the docs, ~2 h reported): download right away
    tracking_number: str


class MarkedShipped(TypedDict, total=False):
    order_id: str
    package_id: str
    order_line_item_ids: list[str]
    warning: dict[str, str]


class Fulfillment(ShopResource):
    """A shop's packages: ship them and get their labels."""

    def search_packages_page(
        self,
        filters: PackageFilters | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: Literal["create_time", "update_time", "order_pay_time"] | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[PackageSummary]:
        return self._search_page(
            "/fulfillment/202309/packages/search", "packages", filters,
            page_size=page_size, page_token=page_token,
            sort_field=sort_field, sort_order=sort_order,
        )

    def iter_package_pages(
        self,
        filters: PackageFilters | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
    ) -> Iterator[Page[PackageSummary]]:
        """Every page from `page_token` (None: the first) to the last."""
        return iter_pages(
            lambda token: self.search_packages_page(filters, page_size=page_size, page_token=token),
            page_token,
        )

    def package(self, package_id: str) -> Package:
        return cast(Package, self._call("GET", f"/fulfillment/202309/packages/{package_id}"))

    def handover_time_slots(self, package_id: str) -> HandoverTimeSlots:
        data = self._call("GET", f"/fulfillment/202309/packages/{package_id}/handover_time_slots")
        return cast(HandoverTimeSlots, data)

    def ship_package(
        self,
        package_id: str,
        *,
        handover_method: HandoverMethod = "PICKUP",
        pickup_slot: TimeSlot | None = None,
        self_shipment: SelfShipment | None = None,
    ) -> None:
        """Arrange shipment (AWAITING_SHIPMENT → AWAITING_COLLECTION). Not repeated after a lost
        answer: the API has no idempotency key for it, and shipping is irreversible."""
        self._call(
            "POST",
            f"/fulfillment/202309/packages/{package_id}/ship",
            body=present(
                handover_method=handover_method, pickup_slot=pickup_slot,
                self_shipment=self_shipment,
            ),
        )

    def ship_packages(self, packages: list[ShipRequest]) -> list[ItemError]:
        """Ship several packages in one call; returns the packages that failed."""
        data = self._call("POST", "/fulfillment/202309/packages/ship", body={"packages": packages})
        return item_errors(data)

    def shipping_document(
        self,
        package_id: str,
        *,
        document_type: DocumentType = "SHIPPING_LABEL",
        document_size: Literal["A6", "A5"] = "A6",
        document_format: Literal["PDF", "ZPL"] | None = None,
    ) -> ShippingDocument:
        """The label's download link (only for TikTok-shipped packages, after shipping)."""
        data = self._call(
            "GET",
            f"/fulfillment/202309/packages/{package_id}/shipping_documents",
            query=present(
                document_type=document_type, document_size=document_size,
                document_format=document_format,
            ),
        )
        return cast(ShippingDocument, data)

    def download_document(self, doc_url: str) -> bytes:
        """The document's bytes (a PDF for labels) from its `doc_url`."""
        return self._api.download(doc_url)

    def update_shipping_info(
        self, package_id: str, *, tracking_number: str, shipping_provider_id: str
    ) -> None:
        """Correct the tracking number of a seller-shipped package."""
        self._call(
            "POST",
            f"/fulfillment/202309/packages/{package_id}/shipping_info/update",
            body={"tracking_number": tracking_number, "shipping_provider_id": shipping_provider_id},
            retry_safe=True,  # sets absolute values
        )

    def mark_package_shipped(
        self,
        order_id: str,
        *,
        order_line_item_ids: list[str],
        tracking_number: str,
        shipping_provider_id: str,
    ) -> MarkedShipped:
        """Seller shipping: record that these line items left with this tracking number."""
        data = self._call(
            "POST",
            f"/fulfillment/202309/orders/{order_id}/packages",
            body={
                "order_line_item_ids": order_line_item_ids,
                "tracking_number": tracking_number,
                "shipping_provider_id": shipping_provider_id,
            },
        )
        return cast(MarkedShipped, data)
