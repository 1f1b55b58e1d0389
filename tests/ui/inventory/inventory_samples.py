"""A small shop in the cache for the Inventory tab tests, and a session that pushes nowhere."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.store import Store
from tiktok_desktop.sync.edit_push import PushResult

SHOP = "7000000000000000001"
MAIN, EAST = "7068000000000000001", "7068000000000000002"
# (product title, [(seller SKU, colour, size, stock in MAIN, stock in EAST, committed in MAIN)])
PRODUCTS = [
    ("Cotton tee", [("TEE-BLK-M", "Black", "M", 40, 5, 2), ("TEE-BLK-L", "Black", "L", 3, 0, 0),
                    ("TEE-WHT-M", "White", "M", 0, 12, 0)]),
    ("Hoodie", [("HOOD-GRY-M", "Grey", "M", 120, 30, 6), ("HOOD-GRY-L", "Grey", "L", 4, 4, 4)]),
    ("Beanie", [("BEAN-RED", "Red", "", 75, 0, 0)]),
]


def sku_id(product: int, n: int) -> str:
    return f"{1729500000000000000 + product * 10 + n}"


def product_id(product: int) -> str:
    return f"{1729000000000000000 + product}"


Catalog = list[tuple[str, list[tuple[str, str, str, int, int, int]]]]


def fill(store: Store, catalog: Catalog = PRODUCTS) -> None:
    """The shop's warehouses, products and stock (`catalog`: PRODUCTS' shape, under 10 SKUs a
    product)."""
    store.save_page(SHOP, "warehouses", [
        {"id": MAIN, "name": "Main warehouse", "is_default": True},
        {"id": EAST, "name": "East Coast", "is_default": False}], None)
    products: list[dict[str, Any]] = []
    inventory: list[dict[str, Any]] = []
    for p, (title, skus) in enumerate(catalog):
        raw_skus, entries = [], []
        for n, (seller_sku, colour, size, main, east, committed) in enumerate(skus):
            attributes = [{"name": "Colour", "value_name": colour}]
            if size:
                attributes.append({"name": "Size", "value_name": size})
            raw_skus.append({"id": sku_id(p, n), "seller_sku": seller_sku,
                             "sales_attributes": attributes,
                             "inventory": [{"warehouse_id": MAIN, "quantity": main},
                                           {"warehouse_id": EAST, "quantity": east}]})
            entries.append({"id": sku_id(p, n), "seller_sku": seller_sku, "warehouse_inventory": [
                {"warehouse_id": MAIN, "available_quantity": main,
                 "committed_quantity": committed},
                {"warehouse_id": EAST, "available_quantity": east, "committed_quantity": 0}]})
        products.append({"id": product_id(p), "title": title, "status": "ACTIVATE",
                         "create_time": 1_700_000_000, "update_time": 1_700_000_000,
                         "skus": raw_skus})
        inventory.append({"product_id": product_id(p), "skus": entries})
    store.save_page(SHOP, "products", products, None)
    store.save_page(SHOP, "inventory", inventory, None)


@dataclass
class OfflineSession:
    """A shop session whose pushes only record that they were asked for."""

    store_path: Path
    shop_id: str = SHOP
    pushes: list[bool] = field(default_factory=list)  # resume flag of each push
    result: PushResult = field(default_factory=lambda: PushResult(0, 0, 0, 0))

    @functools.cached_property
    def cache(self) -> CacheLanes:
        return CacheLanes(self.store_path)

    def push_stock(self, progress: object = None, cancel: object = None, *,
                   resume: bool = False) -> PushResult:
        self.pushes.append(resume)
        return self.result
