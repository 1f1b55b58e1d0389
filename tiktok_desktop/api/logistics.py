"""Logistics: warehouses, delivery options, shipping providers (reference §7.5)."""

from __future__ import annotations

from typing import Literal, TypedDict

from tiktok_desktop.api._resource import ShopResource, present


class Warehouse(TypedDict, total=False):
    id: str
    name: str
    effect_status: str  # ENABLED | DISABLED | RESTRICTED
    type: str  # SALES_WAREHOUSE | RETURN_WAREHOUSE
    sub_type: str
    is_default: bool
    entity_id: str
    address: dict[str, object]


class DeliveryOption(TypedDict, total=False):
    id: str
    name: str
    type: str  # STANDARD | EXPRESS | ECONOMY | SEND_BY_SELLER
    description: str
    platform: list[str]
    weight_limit: dict[str, object]
    dimension_limit: dict[str, object]


class ShippingProvider(TypedDict, total=False):
    id: str
    name: str


class Logistics(ShopResource):
    """Where a shop ships from and with whom."""

    def warehouses(self) -> list[Warehouse]:
        data = self._call("GET", "/logistics/202309/warehouses")
        return list(data.get("warehouses") or [])

    def delivery_options(
        self, warehouse_id: str, *, scope: Literal["WAREHOUSE", "PRODUCT"] | None = None
    ) -> list[DeliveryOption]:
        data = self._call(
            "GET",
            f"/logistics/202309/warehouses/{warehouse_id}/delivery_options",
            query=present(scope=scope),
        )
        return list(data.get("delivery_options") or [])

    def shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        data = self._call(
            "GET", f"/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers"
        )
        return list(data.get("shipping_providers") or [])
