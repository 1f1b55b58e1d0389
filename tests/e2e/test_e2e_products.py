"""Products, live: stock per warehouse, price, status, catalog."""

from __future__ import annotations

import pytest

from tiktok_desktop.api import ShopApi
from tiktok_desktop.api.errors import InvalidParameterError, NotFoundError


def live_products(shop: ShopApi) -> list[dict]:
    return [p for page in shop.products.iter_pages({"status": "ACTIVATE"}) for p in page.items]


def test_search_pages_cover_every_product(signed_in, demo_shop) -> None:
    pages = list(signed_in.shop.products.iter_pages({"status": "ALL"}, page_size=25))
    ids = [p["id"] for page in pages for p in page.items]
    assert len(ids) == len(set(ids)) == pages[0].total_count
    with demo_shop.world.lock:
        assert set(ids) <= set(demo_shop.world.products.rows)


def test_update_inventory_shows_in_inventory_search(signed_in) -> None:
    products = signed_in.shop.products
    product = live_products(signed_in.shop)[0]
    new_stock = [
        {"id": sku["id"],
         "inventory": [{"warehouse_id": w["warehouse_id"], "quantity": 40 + n}
                       for n, w in enumerate(sku["inventory"])]}
        for sku in product["skus"]
    ]
    assert products.update_inventory(product["id"], new_stock) == []

    inventory = products.inventory_search(product_ids=[product["id"]])
    seen = {
        (sku["id"], w["warehouse_id"]): w["available_quantity"]
        for record in inventory for sku in record["skus"] for w in sku["warehouse_inventory"]
    }
    for sku in new_stock:
        for stock in sku["inventory"]:
            assert seen[(sku["id"], stock["warehouse_id"])] == stock["quantity"]

    by_sku = products.inventory_search(sku_ids=[new_stock[0]["id"]])
    assert by_sku[0]["skus"][0]["id"] == new_stock[0]["id"]


def test_inventory_update_errors_come_back_per_sku(signed_in) -> None:
    products = signed_in.shop.products
    product = next(p for p in live_products(signed_in.shop)
                   if len(p["skus"][0]["inventory"]) > 1)
    sku = product["skus"][0]
    one_warehouse = [{"id": sku["id"], "inventory": [
        {"warehouse_id": sku["inventory"][0]["warehouse_id"], "quantity": 5}]}]
    errors = products.update_inventory(product["id"], one_warehouse)
    assert [e.item_id for e in errors] == [sku["id"]] and errors[0].code == 12019028
    assert "warehouse" in errors[0].plain


def test_price_update_deactivate_activate(signed_in) -> None:
    products = signed_in.shop.products
    product = live_products(signed_in.shop)[1]
    sku = product["skus"][0]
    currency = sku["price"]["currency"]
    products.update_price(product["id"], [{"id": sku["id"],
                                           "price": {"amount": "12.34", "currency": currency}}])
    detail = products.get(product["id"])
    assert next(s for s in detail["skus"] if s["id"] == sku["id"])["price"]["sale_price"] == (
        "12.34")

    assert products.deactivate([product["id"]]) == []
    assert products.get(product["id"])["status"] == "SELLER_DEACTIVATED"
    with pytest.raises(InvalidParameterError) as caught:  # price changes need a live listing
        products.update_price(product["id"], [{"id": sku["id"],
                                               "price": {"amount": "9.99", "currency": currency}}])
    assert caught.value.code == 12019113

    assert products.activate([product["id"]]) == []
    assert products.get(product["id"])["status"] in ("PENDING", "ACTIVATE")


def test_status_change_of_an_unknown_product_is_an_item_error(signed_in) -> None:
    errors = signed_in.shop.products.deactivate(["1729000000000000001"])
    assert [e.item_id for e in errors] == ["1729000000000000001"]


def test_unknown_product(signed_in) -> None:
    with pytest.raises(NotFoundError):
        signed_in.shop.products.get("1729000000000000001")


def test_catalog_categories_brands_attributes(signed_in) -> None:
    products = signed_in.shop.products
    categories = products.categories()
    leaf = next(c for c in categories if c["is_leaf"])
    assert any(c["parent_id"] == "0" for c in categories)
    attributes = products.attributes(leaf["id"])
    assert attributes and attributes[0]["name"]
    brands = products.brands_page(page_size=5)
    assert brands.items and brands.total_count is not None
    if brands.next_page_token:
        following = products.brands_page(page_size=5, page_token=brands.next_page_token)
        assert {b["id"] for b in following.items}.isdisjoint({b["id"] for b in brands.items})
