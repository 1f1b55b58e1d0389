"""ShopApi: every resource group bound to one authorized shop."""

from __future__ import annotations

from tiktok_desktop.api._resource import Requester
from tiktok_desktop.api.finance import Finance
from tiktok_desktop.api.fulfillment import Fulfillment
from tiktok_desktop.api.logistics import Logistics
from tiktok_desktop.api.orders import Orders
from tiktok_desktop.api.products import Products
from tiktok_desktop.api.returns import Returns
from tiktok_desktop.api.webhooks import Webhooks


class ShopApi:
    """`api.shop(cipher)`: orders, products, fulfillment, logistics, returns, finance, webhooks."""

    def __init__(self, api: Requester, cipher: str) -> None:
        self.cipher = cipher
        self.orders = Orders(api, cipher)
        self.products = Products(api, cipher)
        self.fulfillment = Fulfillment(api, cipher)
        self.logistics = Logistics(api, cipher)
        self.returns = Returns(api, cipher)
        self.finance = Finance(api, cipher)
        self.webhooks = Webhooks(api, cipher)

    def __repr__(self) -> str:
        return f"ShopApi(cipher={self.cipher!r})"
