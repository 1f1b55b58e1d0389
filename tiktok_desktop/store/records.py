"""Raw API objects → the columns the cache queries (the raw JSON is always kept beside them)."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from tiktok_desktop.store.sql import dumps

Raw = dict[str, Any]

# Currencies TikTok Shop quotes without minor units ("5000" for IDR).
_ZERO_DECIMAL = frozenset({"IDR", "JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})
_SUMMARY_LIMIT = 120


def minor_units(amount: str | None, currency: str | None) -> int | None:
    """"199.00" GBP → 19900, for sorting by amount; None when the amount is missing or odd."""
    if amount in (None, ""):
        return None
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    exponent = 0 if (currency or "").upper() in _ZERO_DECIMAL else 2
    return int(value.scaleb(exponent).to_integral_value(ROUND_HALF_UP))


def item_summary(line_items: list[Raw]) -> str:
    """"2 × Cotton tee (Black, M); 1 × Mug" — one part per SKU, since the API lists units."""
    counts: Counter[tuple[str, str]] = Counter()
    for item in line_items:
        counts[(item.get("product_name") or "", item.get("sku_name") or "")] += 1
    parts = [
        f"{n} × {name} ({variant})" if variant else f"{n} × {name}"
        for (name, variant), n in counts.items()
    ]
    summary = "; ".join(parts)
    if len(summary) > _SUMMARY_LIMIT:
        summary = summary[: _SUMMARY_LIMIT - 1].rstrip() + "…"
    return summary


def _first(items: list[Raw], key: str) -> Any:
    return next((item[key] for item in items if item.get(key)), None)


def order_row(shop_id: str, order: Raw) -> Raw:
    items = order.get("line_items") or []
    payment = order.get("payment") or {}
    currency = payment.get("currency") or _first(items, "currency")
    total = payment.get("total_amount")
    return {
        "id": order["id"],
        "shop_id": shop_id,
        "status": order.get("status"),
        "is_on_hold": int(bool(order.get("is_on_hold_order"))),
        "create_time": order.get("create_time"),
        "update_time": order.get("update_time"),
        "paid_time": order.get("paid_time"),
        "ship_by": order.get("rts_sla_time"),
        "buyer": order.get("buyer_nickname"),
        "recipient": (order.get("recipient_address") or {}).get("name"),
        "item_count": len(items),
        "item_summary": item_summary(items),
        "total_amount": total,
        "total_minor": minor_units(total, currency),
        "currency": currency,
        "tracking_number": order.get("tracking_number") or _first(items, "tracking_number"),
        "shipping_provider": order.get("shipping_provider")
        or _first(items, "shipping_provider_name"),
        "delivery_option_name": order.get("delivery_option_name"),
        "shipping_type": order.get("shipping_type"),
        "cancel_reason": order.get("cancel_reason"),
        "raw": dumps(order),
    }


def line_item_rows(order: Raw) -> list[Raw]:
    return [
        {
            "id": item["id"],
            "order_id": order["id"],
            "sku_id": item.get("sku_id"),
            "product_id": item.get("product_id"),
            "product_name": item.get("product_name"),
            "sku_name": item.get("sku_name"),
            "sku_image": item.get("sku_image"),
            "seller_sku": item.get("seller_sku"),
            "sale_price": item.get("sale_price"),
            "currency": item.get("currency"),
            "display_status": item.get("display_status"),
            "package_id": item.get("package_id"),
            "package_status": item.get("package_status"),
            "tracking_number": item.get("tracking_number"),
            "shipping_provider_name": item.get("shipping_provider_name"),
        }
        for item in order.get("line_items") or []
    ]


def package_id(package: Raw) -> str:
    """Search results say `id`, Get Package Detail says `package_id`."""
    return package.get("id") or package["package_id"]


def package_row(shop_id: str, package: Raw) -> Raw:
    return {
        "id": package_id(package),
        "shop_id": shop_id,
        "status": package.get("status") or package.get("package_status"),
        "tracking_number": package.get("tracking_number"),
        "shipping_provider_id": package.get("shipping_provider_id"),
        "shipping_provider_name": package.get("shipping_provider_name"),
        "create_time": package.get("create_time"),
        "update_time": package.get("update_time"),
        "raw": dumps(package),
    }


def package_order_ids(package: Raw) -> list[str]:
    return [o["id"] for o in package.get("orders") or [] if o.get("id")]


def product_row(shop_id: str, product: Raw) -> Raw:
    return {
        "id": product["id"],
        "shop_id": shop_id,
        "title": product.get("title"),
        "status": product.get("status"),
        "create_time": product.get("create_time"),
        "update_time": product.get("update_time"),
        "raw": dumps(product),
    }


def variant_name(sku: Raw) -> str:
    """"Black, M" from the SKU's sales attributes."""
    names = [a.get("value_name") for a in sku.get("sales_attributes") or []]
    return ", ".join(n for n in names if n)


def sku_row(shop_id: str, product_id: str, sku: Raw) -> Raw:
    """The SKU's columns; `variant` is None when the object does not say (Search Products
    lists no sales attributes: the variant comes from Get Product)."""
    price = sku.get("price") or {}
    return {
        "id": sku["id"],
        "product_id": product_id,
        "shop_id": shop_id,
        "seller_sku": sku.get("seller_sku"),
        "variant": variant_name(sku) if "sales_attributes" in sku else None,
        "price": price.get("sale_price") or price.get("amount"),
        "currency": price.get("currency"),
        "raw": dumps(sku),
    }


class Picture(NamedTuple):
    """A product's picture: the link to download it now, and its uri, which names the picture
    itself (links are signed and change while the uri stays; the link stands in without one)."""

    url: str
    uri: str


def thumbnail(product: Raw) -> Picture | None:
    """The product's first picture, its link as small as the shop offers it."""
    for image in product.get("main_images") or []:
        for link in (*(image.get("thumb_urls") or []), *(image.get("urls") or [])):
            if isinstance(link, str) and link:
                uri = image.get("uri")
                return Picture(link, uri if isinstance(uri, str) and uri else link)
    return None


def warehouse_row(shop_id: str, warehouse: Raw) -> Raw:
    return {
        "id": warehouse["id"],
        "shop_id": shop_id,
        "name": warehouse.get("name"),
        "type": warehouse.get("type"),
        "effect_status": warehouse.get("effect_status"),
        "is_default": int(bool(warehouse.get("is_default"))),
        "raw": dumps(warehouse),
    }


def next_action(item: Raw) -> tuple[str | None, int | None]:
    """A request's first `seller_next_action_response`: what the seller must do, and by when
    (a UTC epoch); (None, None) when nothing."""
    for entry in item.get("seller_next_action_response") or ():
        if isinstance(entry, dict) and entry.get("action"):
            deadline = entry.get("deadline")
            return str(entry["action"]), deadline if isinstance(deadline, int) else None
    return None, None


def return_row(shop_id: str, item: Raw) -> Raw:
    action, deadline = next_action(item)
    return {
        "id": item["return_id"],
        "shop_id": shop_id,
        "order_id": item.get("order_id"),
        "return_type": item.get("return_type"),
        "status": item.get("return_status"),
        "create_time": item.get("create_time"),
        "update_time": item.get("update_time"),
        "next_action": action,
        "deadline": deadline,
        "raw": dumps(item),
    }


def cancellation_row(shop_id: str, item: Raw) -> Raw:
    action, deadline = next_action(item)
    return {
        "id": item["cancel_id"],
        "shop_id": shop_id,
        "order_id": item.get("order_id"),
        "cancel_type": item.get("cancel_type"),
        "status": item.get("cancel_status"),
        "role": item.get("role"),
        "create_time": item.get("create_time"),
        "update_time": item.get("update_time"),
        "next_action": action,
        "deadline": deadline,
        "raw": dumps(item),
    }


def statement_row(shop_id: str, item: Raw) -> Raw:
    return {
        "id": item["id"],
        "shop_id": shop_id,
        "statement_time": item.get("statement_time"),
        "settlement_amount": item.get("settlement_amount"),
        "currency": item.get("currency"),
        "payment_status": item.get("payment_status"),
        "raw": dumps(item),
    }
