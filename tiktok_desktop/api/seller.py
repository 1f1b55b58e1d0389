"""Seller: the seller account's active shops and permissions (reference §7.2; no shop_cipher)."""

from __future__ import annotations

from typing import TypedDict

from tiktok_desktop.api._resource import Requester


class ActiveShop(TypedDict, total=False):
    id: str
    region: str


class SellerApi:
    """Seller-level calls, not bound to a shop."""

    def __init__(self, api: Requester) -> None:
        self._api = api

    def active_shops(self) -> list[ActiveShop]:
        data = self._api.request("GET", "/seller/202309/shops")
        return list(data.get("shops") or [])

    def permissions(self) -> list[str]:
        """E.g. MANAGE_GLOBAL_PRODUCT; empty for local sellers."""
        data = self._api.request("GET", "/seller/202309/permissions")
        return list(data.get("permissions") or [])
