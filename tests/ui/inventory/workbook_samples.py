"""The Inventory tests' shop with prices (GBP), for the batch-edit workbook tests."""

from __future__ import annotations

from pathlib import Path

from inventory_samples import PRODUCTS, SHOP, OfflineSession, fill, product_id, sku_id

from tiktok_desktop.store import Store


def price(p: int, n: int) -> str:
    return f"{10 + p}.{n}9"


def fill_with_prices(store: Store) -> None:
    """The Inventory samples, then each SKU a price (the products page saved again)."""
    fill(store)
    products = []
    for p, (title, skus) in enumerate(PRODUCTS):
        products.append({"id": product_id(p), "title": title, "status": "ACTIVATE",
                         "create_time": 1_700_000_000, "update_time": 1_700_000_000,
                         "skus": [{"id": sku_id(p, n), "seller_sku": seller_sku,
                                   "price": {"currency": "GBP", "sale_price": price(p, n)},
                                   "sales_attributes": [{"name": "Colour", "value_name": c}]}
                                  for n, (seller_sku, c, *_rest) in enumerate(skus)]})
    store.save_page(SHOP, "products", products, None)


def priced_session(tmp_path: Path) -> OfflineSession:
    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        fill_with_prices(store)
    return OfflineSession(path)
