"""A small shop with a listing in every state, for the Listings tests (store and tab)."""

from __future__ import annotations

from typing import Any

from tiktok_desktop.store import Store

SHOP = "7000000000000000001"
MAIN, EAST = "7068000000000000001", "7068000000000000002"
NOW = 1_760_000_000
DAY = 86_400
# title, status, [(seller SKU, variant, price, stock in MAIN, stock in EAST)]
PRODUCTS: list[tuple[str, str, list[tuple[str, str, str, int, int]]]] = [
    ("Cotton tee", "ACTIVATE", [("TEE-BLK-M", "Black, M", "12.50", 40, 5),
                                ("TEE-BLK-L", "Black, L", "14.00", 3, 0)]),
    ("Hoodie", "ACTIVATE", [("HOOD-GRY-M", "Grey, M", "30.00", 0, 0)]),
    ("Beanie", "PENDING", [("BEAN-RED", "Red", "9.99", 10, 0)]),
    ("Glitter phone case", "FAILED", [("CASE-GLT-15", "iPhone 15", "8.00", 5, 0)]),
    ("Wool scarf", "SELLER_DEACTIVATED", [("SCARF-GRN", "Green", "19.00", 0, 0)]),
    ("Sage candle", "PLATFORM_DEACTIVATED", [("CANDLE-SAGE", "Sage", "11.00", 7, 0)]),
    ("Enamel mug", "FREEZE", [("MUG-WHT", "White", "7.50", 2, 2)]),
    ("Ankle socks", "DRAFT", [("SOCK-3PK", "3-pack", "6.00", 0, 9)]),
    ("Trucker cap", "DELETED", [("CAP-BLK", "Black", "15.00", 1, 0)]),
]
REVIEW_FAILURES = [
    {"position": "Main image", "listing_platform": "TIKTOK_SHOP",
     "reasons": ["The main image shows a logo that is not the product's brand."],
     "suggestions": ["Use a photo of the product alone on a plain background.",
                     "Remove watermarks, borders and added text."]},
    {"position": "Product title", "listing_platform": "TIKTOK_SHOP",
     "reasons": ["The title says \"best\", a claim the listing cannot prove."],
     "suggestions": ["Describe the product plainly: material, size, colour."]},
]


def product_id(n: int) -> str:
    """Ids that differ in their middle digits too, so a part of one finds only that one."""
    return str(1729384756000000000 + n * 1_000_003_001)


def sku_id(n: int, k: int) -> str:
    return str(1729500000000000000 + n * 10 + k)


def fill(store: Store, now: int = NOW) -> None:
    store.save_page(SHOP, "warehouses", [
        {"id": MAIN, "name": "Main warehouse", "is_default": True},
        {"id": EAST, "name": "East Coast", "is_default": False}], None)
    products = []
    for n, (title, status, skus) in enumerate(PRODUCTS):
        products.append({
            "id": product_id(n), "title": title, "status": status, "create_time": now - 90 * DAY,
            "update_time": now - (n + 1) * DAY,
            "skus": [{"id": sku_id(n, k), "seller_sku": seller_sku,
                      "sales_attributes": [{"name": "Variant", "value_name": variant}],
                      "price": {"currency": "GBP", "sale_price": price},
                      "inventory": [{"warehouse_id": MAIN, "quantity": main},
                                    {"warehouse_id": EAST, "quantity": east}]}
                     for k, (seller_sku, variant, price, main, east) in enumerate(skus)]})
    store.save_page(SHOP, "products", products, None)
    failed = products[3]
    store.save_page(SHOP, "product_details", [{
        "product_id": failed["id"], "product_update_time": failed["update_time"],
        "details": {**failed, "audit_failed_reasons": REVIEW_FAILURES}}], None)
    # The tee sold two days ago; the beanie's only order was cancelled; the scarf sold 40 days
    # ago: only the tee has sales in the last 30 days.
    store.save_page(SHOP, "orders", [
        order(1, now - 2 * DAY, 0, "AWAITING_SHIPMENT"),
        order(2, now - DAY, 2, "CANCELLED"),
        order(3, now - 40 * DAY, 4, "COMPLETED"),
    ], None)


def order(n: int, created: int, product: int, status: str) -> dict[str, Any]:
    seller_sku = PRODUCTS[product][2][0][0]
    return {"id": f"{576000000000000000 + n}", "status": status, "create_time": created,
            "update_time": created + 60,
            "line_items": [{"id": f"{n}01", "sku_id": sku_id(product, 0),
                            "product_id": product_id(product),
                            "product_name": PRODUCTS[product][0], "seller_sku": seller_sku,
                            "sale_price": "10.00", "currency": "GBP"}],
            "payment": {"currency": "GBP", "total_amount": "10.00"}}
