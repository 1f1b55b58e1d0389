"""Authorization: which shops a seller's tokens cover (reference §7.1)."""

from __future__ import annotations

from typing import TypedDict

from tiktok_desktop.api._resource import Requester


class AuthorizedShop(TypedDict, total=False):
    id: str
    name: str
    region: str  # 2 letters, e.g. "US"
    seller_type: str  # CROSS_BORDER | LOCAL
    cipher: str  # the shop_cipher that names this shop in shop-scoped calls
    code: str  # the shop code shown in Seller Center


def authorized_shops(api: Requester) -> list[AuthorizedShop]:
    """GET /authorization/202309/shops (an app-level call: no shop_cipher)."""
    data = api.request("GET", "/authorization/202309/shops")
    return list(data.get("shops") or [])
