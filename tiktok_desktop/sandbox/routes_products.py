"""Listings: search, detail, price, activate/deactivate, stock, categories, brands, attributes."""

from __future__ import annotations

from collections.abc import Callable

from . import paging
from .catalog import CATEGORIES, PRODUCT_KINDS, PRODUCT_PROPERTIES
from .endpoints import Call, Endpoint, body_list, body_text, body_time
from .errors import (
    CATEGORY_MISSING,
    CATEGORY_NOT_LEAF,
    INVALID,
    PRICE_LOCKED,
    PRODUCT_MISSING,
    PRODUCT_NOT_FOUND,
    PRODUCT_STATUS_INVALID,
    SKU_FILTER_LIMIT,
    SKU_ID_FILTER_LIMIT,
    STOCK_INVALID,
    TOO_MANY_PRODUCT_IDS,
    WAREHOUSES_INCOMPLETE,
    ApiFailure,
    invalid_param,
    item_error,
    not_found,
)
from .money import CURRENCY, parse_price
from .records import Product
from .render_products import (
    AUDIT_STATUS,
    QUALITY_TIER,
    audit_status,
    inventory_entry,
    product_object,
    product_summary,
    product_summary_202502,
)

PRODUCT_STATUSES = ("DRAFT", "PENDING", "FAILED", "ACTIVATE", "SELLER_DEACTIVATED",
                    "PLATFORM_DEACTIVATED", "FREEZE", "DELETED")
MAX_QUANTITY = 99_999


def _product(call: Call, code: int = PRODUCT_MISSING) -> Product:
    product = call.world.products.get(call.params["product_id"])
    if product is None or product.status in ("FREEZE", "DELETED"):
        raise not_found(code, "product id does not exist" if code == PRODUCT_NOT_FOUND
                        else "product does not exist")
    return product


def _search(call: Call, tests: list[Callable[[Product], bool]],
            summary: Callable[[Product], dict]) -> dict:
    """Search Products, any version: its paging and 202309's filters, plus `tests`."""
    size = paging.page_size(call.query, 1, 100)
    # Not documented for products; accepted so a sync can page by update_time if it wants.
    field = paging.sort_field(call.query, ("create_time", "update_time"), "create_time")
    descending = paging.descending(call.query, "DESC")
    sort = f"products:{field}:{'DESC' if descending else 'ASC'}"
    after = paging.resume_key(call.query, sort)
    status = body_text(call, "status", ("ALL", *PRODUCT_STATUSES))
    seller_skus = body_list(call, "seller_skus", 10_000)
    if seller_skus is not None and len(seller_skus) > 10:
        raise ApiFailure(SKU_FILTER_LIMIT, "seller_skus accepts at most 10 values", 400)
    ranges = {}
    for name in ("create_time", "update_time"):
        low, high = body_time(call, f"{name}_ge"), body_time(call, f"{name}_le")
        ranges[name] = (low, None if high is None else high + 1)  # _le is inclusive

    def where(p: Product) -> bool:
        for name, (low, high) in ranges.items():
            value = getattr(p, name)
            if (low is not None and value < low) or (high is not None and value >= high):
                return False
        if seller_skus and not any(s.seller_sku in seller_skus for s in p.skus):
            return False
        return all(test(p) for test in tests)

    selection = call.world.products.select(
        field, partition=None if status in (None, "ALL") else status, after=after,
        descending=descending, limit=size, where=where)
    return {
        "products": [summary(p) for p in selection.rows],
        "next_page_token": paging.next_token(sort, selection.last),
        "total_count": selection.total,
    }


def search_products(call: Call) -> dict:
    return _search(call, [], product_summary)


def search_products_202502(call: Call) -> dict:
    """Search Products 202502: 202309's filters and more (sku_ids, audit_status,
    listing_quality_tiers, listing_platforms), and a wider product (product_summary_202502)."""
    tests: list[Callable[[Product], bool]] = []
    sku_ids = body_list(call, "sku_ids", 10_000)
    if sku_ids is not None and len(sku_ids) > 10:
        raise ApiFailure(SKU_ID_FILTER_LIMIT, "sku_ids accepts at most 10 values", 400)
    if sku_ids:
        tests.append(lambda p: any(s.id in sku_ids for s in p.skus))
    audits = _choices(call, "audit_status", ("NONE", "PRE_APPROVED", *AUDIT_STATUS.values()))
    if audits:
        tests.append(lambda p: audit_status(p) in audits)
    tiers = _choices(call, "listing_quality_tiers", ("POOR", "FAIR", "GOOD"))
    if tiers:
        tests.append(lambda p: QUALITY_TIER in tiers)
    platforms = _choices(call, "listing_platforms", ("TIKTOK_SHOP", "TOKOPEDIA"))
    if platforms:
        tests.append(lambda p: "TIKTOK_SHOP" in platforms)  # a US shop lists there only
    body_text(call, "category_version", ("v1", "v2"))
    if call.body.get("return_draft_version") not in (None, True, False):
        raise invalid_param("return_draft_version must be true or false")
    if call.body.get("sns_filter") is not None:
        # Undocumented (no description in the SDK): refused, never ignored.
        raise invalid_param("sns_filter is not supported")
    return _search(call, tests, product_summary_202502)


def _choices(call: Call, name: str, allowed: tuple[str, ...]) -> set[str]:
    values = body_list(call, name, len(allowed)) or []
    if any(v not in allowed for v in values):
        raise invalid_param(f"{name} takes values from {', '.join(allowed)}")
    return set(values)


def get_product(call: Call) -> dict:
    return product_object(call.world, _product(call, PRODUCT_NOT_FOUND), call.base_url)


def update_price(call: Call) -> dict:
    """All or nothing: one bad SKU entry, or one SKU whose price a promotion locks, refuses the
    whole request and no price changes."""
    product = _product(call)
    if product.status != "ACTIVATE":
        raise ApiFailure(PRODUCT_STATUS_INVALID, "product status is invalid", 400)
    skus = {s.id: s for s in product.skus}
    prices = {}
    for entry in body_list(call, "skus", 300, required=True) or []:
        if not isinstance(entry, dict) or entry.get("id") not in skus:
            raise invalid_param("skus[].id must be a SKU of this product")
        prices[entry["id"]] = _new_price(entry)
    locked = [sku_id for sku_id in prices if skus[sku_id].in_promotion]
    if locked:
        raise ApiFailure(PRICE_LOCKED, _locked_message(locked), 400)
    changed = {sku_id: amount for sku_id, amount in prices.items()
               if skus[sku_id].price != amount}
    if changed:  # the same price again is no change: the listing's update_time stays
        with call.world.changing(call.world.products, product):
            for sku_id, amount in changed.items():
                skus[sku_id].price = amount
    return {}


def _new_price(entry: dict) -> int:
    """The price (cents) one skus[] entry asks for; its currency first, which decides how many
    decimals the amount may have."""
    price = entry.get("price")
    if not isinstance(price, dict):
        raise invalid_param(f"skus[].price of SKU {entry['id']} must be {{amount, currency}}")
    if price.get("currency", CURRENCY) != CURRENCY:
        raise invalid_param(f"skus[].price.currency must be {CURRENCY}, the shop's currency")
    amount = price.get("amount")
    try:
        return parse_price(amount)
    except ValueError as reason:
        raise invalid_param(f"skus[].price.amount {reason} (SKU {entry['id']}: "
                            f"{amount!r})") from None


def _locked_message(sku_ids: list[str]) -> str:
    if len(sku_ids) == 1:
        return f"price is locked: the SKU {sku_ids[0]} is in an ongoing promotion"
    return f"price is locked: the SKUs {', '.join(sku_ids)} are in an ongoing promotion"


def _set_status(call: Call, to: str, already: set[str], allowed_from: set[str]) -> dict:
    """Each product on its own: one already `already` is left as it is (no error), one in a
    status the change isn't allowed from is refused in `errors[]`, the rest become `to`."""
    ids = body_list(call, "product_ids", 10_000, required=True) or []
    if len(ids) > 20:
        raise ApiFailure(TOO_MANY_PRODUCT_IDS, "too many product ids (at most 20)", 400)
    world, errors = call.world, []
    for product_id in ids:
        product = world.products.get(str(product_id))
        if product is None or product.status == "DELETED":
            errors.append(item_error(PRODUCT_MISSING, "product does not exist",
                                     product_id=str(product_id)))
        elif product.status in already:
            continue
        elif product.status not in allowed_from:
            errors.append(item_error(
                PRODUCT_STATUS_INVALID,
                f"product status is invalid: a {product.status} product can't be changed",
                product_id=product.id))
        else:
            with world.changing(world.products, product):
                product.status = to
    return {"errors": errors}


def activate(call: Call) -> dict:
    # Only a listing the seller deactivated comes back, and through review (PENDING) as on the
    # real shop; frozen, failed, draft and TikTok-deactivated ones are Seller Center's business.
    return _set_status(call, "PENDING", {"ACTIVATE", "PENDING"}, {"SELLER_DEACTIVATED"})


def deactivate(call: Call) -> dict:
    # Only a live listing can be taken off sale; one in review waits for TikTok's verdict.
    return _set_status(call, "SELLER_DEACTIVATED", {"SELLER_DEACTIVATED"}, {"ACTIVATE"})


def update_inventory(call: Call) -> dict:
    """Per-SKU outcome in errors[]: a SKU with any problem is left as it was."""
    product = _product(call)
    skus = {s.id: s for s in product.skus}
    errors, changes = [], []
    for entry in body_list(call, "skus", 300, required=True) or []:
        sku = skus.get(entry.get("id")) if isinstance(entry, dict) else None
        if sku is None:
            errors.append(item_error(INVALID, "invalid param error: the SKU does not belong to "
                                     "this product", sku_id=str(entry.get("id", ""))
                                     if isinstance(entry, dict) else ""))
            continue
        problems, given = [], {}
        for stock in entry.get("inventory") or []:
            warehouse = stock.get("warehouse_id") if isinstance(stock, dict) else None
            quantity = stock.get("quantity") if isinstance(stock, dict) else None
            if warehouse not in sku.available:
                problems.append({"code": INVALID, "message": "warehouse does not exist",
                                 "warehouse_id": str(warehouse or "")})
            elif (isinstance(quantity, bool) or not isinstance(quantity, int)
                  or not 0 <= quantity <= MAX_QUANTITY):
                problems.append({"code": STOCK_INVALID, "message": "stock count is invalid",
                                 "warehouse_id": warehouse})
            else:
                given[warehouse] = quantity
        if problems:
            code = STOCK_INVALID if any(p["code"] == STOCK_INVALID for p in problems) else INVALID
            errors.append(item_error(code, problems[0]["message"], sku_id=sku.id,
                                     extra_errors=problems))
        elif set(given) != set(sku.available):
            errors.append(item_error(WAREHOUSES_INCOMPLETE, "multiple warehouses: include all "
                                     "warehouse ids of the SKU", sku_id=sku.id, extra_errors=[]))
        else:
            changes.append((sku, given))
    if changes:
        with call.world.changing(call.world.products, product):
            for sku, given in changes:
                sku.available.update(given)
    return {"errors": errors}


def inventory_search(call: Call) -> dict:
    world = call.world
    sku_ids = body_list(call, "sku_ids", 600)
    product_ids = body_list(call, "product_ids", 100)
    grouped: dict[str, list] = {}
    if sku_ids:
        for sku_id in sku_ids:
            found = world.sku(str(sku_id))
            if found:
                grouped.setdefault(found[0].id, []).append(found[1])
    elif product_ids:
        for product_id in product_ids:
            product = world.products.get(str(product_id))
            if product:
                grouped[product.id] = list(product.skus)
    else:
        raise invalid_param("product_ids or sku_ids is required")
    return {"inventory": [inventory_entry(world.products.rows[p], skus)
                          for p, skus in grouped.items()]}


def categories(call: Call) -> dict:
    return {"categories": [
        {"id": cid, "parent_id": parent, "local_name": name, "is_leaf": leaf,
         "permission_statuses": ["AVAILABLE"]} for cid, parent, name, leaf in CATEGORIES]}


def brands(call: Call) -> dict:
    size = paging.page_size(call.query, 1, 100)
    after = paging.resume_key(call.query, "brands")
    prefix = call.query.get("brand_name", "").lower()
    authorized = call.query.get("is_authorized", "")
    if authorized not in ("", "0", "1"):
        raise invalid_param("is_authorized must be 1 or 0")

    def where(brand) -> bool:
        if authorized and brand.authorized != (authorized == "1"):
            return False
        return brand.name.lower().startswith(prefix)

    selection = call.world.brands.select("position", after=after, limit=size, where=where)
    return {
        "brands": [{"id": b.id, "name": b.name, "brand_status": "AVAILABLE", "is_t1_brand": False,
                    "authorized_status": "AUTHORIZED" if b.authorized else "UNAUTHORIZED"}
                   for b in selection.rows],
        "next_page_token": paging.next_token("brands", selection.last),
        "total_count": selection.total,
    }


def attributes(call: Call) -> dict:
    category = next((c for c in CATEGORIES if c[0] == call.params["category_id"]), None)
    if category is None:
        raise not_found(CATEGORY_MISSING, "category does not exist")
    if not category[3]:
        raise ApiFailure(CATEGORY_NOT_LEAF, "Category is not final category", 400)
    made = []
    for a, (name, values) in enumerate(PRODUCT_KINDS[category[0]][1]):
        made.append({"id": f"100{a + 1}", "name": name, "type": "SALES_PROPERTY",
                     "is_requried": False, "is_multiple_selection": False,
                     "is_customizable": True,
                     "values": [{"id": f"710{a + 1}{i:03d}", "name": v}
                                for i, v in enumerate(values)]})
    for k, (aid, name, values) in enumerate(PRODUCT_PROPERTIES):
        made.append({"id": aid, "name": name, "type": "PRODUCT_PROPERTY", "is_requried": False,
                     "is_multiple_selection": False, "is_customizable": False,
                     "values": [{"id": f"{9 - k}{i}", "name": v} for i, v in enumerate(values)]})
    return {"attributes": made}


ENDPOINTS = [
    Endpoint("POST", "/product/202309/products/search", search_products),
    Endpoint("POST", "/product/202502/products/search", search_products_202502),
    Endpoint("GET", "/product/202309/products/<product_id>", get_product),
    Endpoint("POST", "/product/202309/products/<product_id>/prices/update", update_price),
    Endpoint("POST", "/product/202309/products/activate", activate),
    Endpoint("POST", "/product/202309/products/deactivate", deactivate),
    Endpoint("POST", "/product/202309/products/<product_id>/inventory/update", update_inventory),
    Endpoint("POST", "/product/202309/inventory/search", inventory_search),
    Endpoint("GET", "/product/202309/categories", categories),
    Endpoint("GET", "/product/202309/brands", brands),
    Endpoint("GET", "/product/202309/categories/<category_id>/attributes", attributes),
]
