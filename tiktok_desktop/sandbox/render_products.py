"""Listings as the Open API returns them (reference §8.2): prices read as
`{currency, sale_price, tax_exclusive_price}`, stock as `inventory[] {warehouse_id, quantity}`."""

from __future__ import annotations

from .catalog import AUDIT_FAILURES, CATEGORIES, DELIVERY_OPTIONS, PRODUCT_PROPERTIES
from .money import CURRENCY, cents
from .product_images import ImageLinks, image_uri, pictured
from .records import Product, Sku
from .world import World

CATEGORY_BY_ID = {c[0]: c for c in CATEGORIES}
AUDIT_STATUS = {"ACTIVATE": "APPROVED", "FAILED": "FAILED", "PENDING": "AUDITING"}
QUALITY_TIER = "GOOD"  # every demo listing is complete: pictures, attributes, description


def audit_status(product: Product) -> str:
    return AUDIT_STATUS.get(product.status, "NONE")


def audit_failed_reasons(product: Product) -> list[dict]:
    """Why a listing that failed review failed (one or two reasons, the same each time)."""
    if product.status != "FAILED":
        return []
    first = int(product.id) % len(AUDIT_FAILURES)
    picked = AUDIT_FAILURES[first:first + 1 + int(product.id) // 7 % 2]
    return [{"position": position, "reasons": list(reasons), "suggestions": list(suggestions),
             "listing_platform": "TIKTOK_SHOP"} for position, reasons, suggestions in picked]


def price(sku: Sku) -> dict:
    return {"currency": CURRENCY, "sale_price": cents(sku.price),
            "tax_exclusive_price": cents(sku.price)}


def inventory(sku: Sku) -> list[dict]:
    return [{"warehouse_id": w, "quantity": q} for w, q in sku.available.items()]


def product_summary(product: Product) -> dict:
    """A product as Search Products (202309) lists it."""
    return {
        "id": product.id,
        "title": product.title,
        "status": product.status,
        "create_time": product.create_time,
        "update_time": product.update_time,
        "sales_regions": ["US"],
        "skus": [{"id": s.id, "seller_sku": s.seller_sku, "price": price(s),
                  "inventory": inventory(s), "fees": []} for s in product.skus],
        "recommended_categories": [],
        "product_sync_fail_reasons": [],
    }


def product_summary_202502(product: Product) -> dict:
    """A product as Search Products 202502 lists it: 202309's fields, plus the audit, draft and
    quality fields on the product and list price and status on each SKU. product_families and
    integrated_platform_statuses are left out: no family here, and the latter is Indonesia's."""
    made = product_summary(product)
    made.update(audit={"status": audit_status(product)}, has_draft=False, is_not_for_sale=False,
                listing_quality_tier=QUALITY_TIER)
    for sku, listed in zip(product.skus, made["skus"], strict=True):
        listed.update(list_price={"amount": cents(sku.list_price), "currency": CURRENCY},
                      status_info={"status": "NORMAL"})
    return made


def category_chain(category_id: str) -> list[dict]:
    chain = []
    while category_id != "0":
        cid, parent, name, leaf = CATEGORY_BY_ID[category_id]
        chain.append({"id": cid, "parent_id": parent, "local_name": name, "is_leaf": leaf})
        category_id = parent
    return chain[::-1]


def sales_attribute(product: Product, index: int, attribute: tuple[str, str, str, str],
                    links: ImageLinks) -> dict:
    aid, name, vid, value = attribute
    made = {"id": aid, "name": name, "value_id": vid, "value_name": value}
    if index == 0 and pictured(attribute):  # SKU images go on the first attribute only
        made["sku_img"] = links.image(image_uri(product.id, vid))
    return made


def sku_object(product: Product, sku: Sku, links: ImageLinks) -> dict:
    return {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "price": price(sku),
        "list_price": {"amount": cents(sku.list_price), "currency": CURRENCY},
        "inventory": inventory(sku),
        "sales_attributes": [sales_attribute(product, i, a, links)
                             for i, a in enumerate(sku.attributes)],
        "identifier_code": {"code": sku.id[-12:], "type": "UPC"},
        "external_sku_id": "",
        "status_info": {"status": "NORMAL"},
        "fees": [],
    }


def product_object(world: World, product: Product, base_url: str) -> dict:
    """Get Product (image links point at `base_url`, the demo shop as the client reached it)."""
    links = world.image_links(base_url)
    brand = next((b for b in world.brands if b.id == product.brand_id), None)
    material, pattern = PRODUCT_PROPERTIES
    detail = {
        "id": product.id,
        "title": product.title,
        "description": f"<p>{product.title}. Loved by thousands of buyers.</p>",
        "status": product.status,
        "product_status": product.status,
        "audit": {"status": audit_status(product)},
        "create_time": product.create_time,
        "update_time": product.update_time,
        "category_chains": category_chain(product.category_id),
        "main_images": [links.image(image_uri(product.id))],
        "package_weight": {"value": "0.4", "unit": "KILOGRAM"},
        "package_dimensions": {"length": "30", "width": "20", "height": "5",
                               "unit": "CENTIMETER"},
        "product_attributes": [
            {"id": material[0], "name": material[1],
             "values": [{"id": f"9{material[2].index(product.material)}",
                         "name": product.material}]},
            {"id": pattern[0], "name": pattern[1],
             "values": [{"id": f"8{pattern[2].index(product.pattern)}",
                         "name": product.pattern}]},
        ],
        "skus": [sku_object(product, s, links) for s in product.skus],
        "delivery_options": [{"id": o[0], "name": o[1], "is_available": True}
                             for o in DELIVERY_OPTIONS],
        "is_cod_allowed": False,
        "is_not_for_sale": False,
        "has_draft": False,
        "external_product_id": "",
        "certifications": [],
        "audit_failed_reasons": audit_failed_reasons(product),
        "recommended_categories": [],
        "product_types": [],
        "minimum_order_quantity": 1,
        "listing_quality_tier": QUALITY_TIER,
    }
    if brand is not None:  # a brandless product has no "brand" key (never null)
        detail["brand"] = {"id": brand.id, "name": brand.name}
    return detail


def inventory_entry(product: Product, skus: list[Sku]) -> dict:
    """One entry of Inventory Search: available and committed stock per warehouse."""
    return {
        "product_id": product.id,
        "skus": [{
            "id": s.id,
            "seller_sku": s.seller_sku,
            "total_available_quantity": sum(s.available.values()),
            "total_committed_quantity": sum(s.committed.values()),
            "warehouse_inventory": [
                {"warehouse_id": w, "available_quantity": q,
                 "committed_quantity": s.committed.get(w, 0)}
                for w, q in s.available.items()
            ],
        } for s in skus],
    }
