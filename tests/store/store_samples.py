"""API-shaped objects (orders, products, ...) for the cache tests."""

from __future__ import annotations

from typing import Any

SHOP = "7000000000000000001"
STATUSES = ("UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION",
            "IN_TRANSIT", "DELIVERED", "COMPLETED", "CANCELLED")


def line_item(n: int, *, sku: int = 1, product: str = "Cotton tee", variant: str = "Black, M",
              seller_sku: str = "TEE-BLK-M", price: str = "12.50", **extra: Any) -> dict[str, Any]:
    return {"id": f"{n}", "sku_id": f"30{sku:03d}", "product_id": "1729000000000000001",
            "product_name": product, "sku_name": variant, "seller_sku": seller_sku,
            "sale_price": price, "currency": "GBP", "display_status": "AWAITING_SHIPMENT",
            "sku_image": f"https://img.example/{sku}.jpg", **extra}


def order(n: int, *, status: str = "AWAITING_SHIPMENT", create_time: int = 1_700_000_000,
          buyer: str = "maria_k", items: list[dict[str, Any]] | None = None, total: str = "25.00",
          **extra: Any) -> dict[str, Any]:
    """An order as Get Order List returns it (only the fields the cache reads, plus a few)."""
    return {
        "id": f"{576000000000000000 + n}",
        "status": status,
        "is_on_hold_order": status == "ON_HOLD",
        "create_time": create_time,
        "update_time": create_time + 60,
        "paid_time": create_time + 30,
        "rts_sla_time": create_time + 2 * 86400,
        "buyer_nickname": buyer,
        "buyer_message": "Please gift wrap",
        "recipient_address": {"name": "M*** K***", "full_address": "1 High St, London"},
        "line_items": items if items is not None else [
            line_item(n * 10 + 1), line_item(n * 10 + 2),
        ],
        "payment": {"currency": "GBP", "total_amount": total, "sub_total": "25.00",
                    "shipping_fee": "0.00"},
        "delivery_option_name": "Standard Shipping",
        "shipping_type": "TIKTOK",
        **extra,
    }


def package(n: int, order_ids: list[str], *, tracking: str = "", status: str = "PROCESSING",
            update_time: int = 1_700_000_500) -> dict[str, Any]:
    """A package as Search Packages returns it."""
    return {"id": f"{1150000000000000000 + n}", "status": status, "tracking_number": tracking,
            "shipping_provider_id": "6617675021119438849", "shipping_provider_name": "Royal Mail",
            "order_line_item_ids": [], "orders": [{"id": oid} for oid in order_ids],
            "create_time": update_time - 100, "update_time": update_time}


def sku(n: int, *, seller_sku: str, colour: str, stock: dict[str, int]) -> dict[str, Any]:
    return {"id": f"{1729500000000000000 + n}", "seller_sku": seller_sku,
            "price": {"currency": "GBP", "sale_price": "12.50", "tax_exclusive_price": "10.42"},
            "sales_attributes": [{"id": "100000", "name": "Colour", "value_id": "1",
                                  "value_name": colour}],
            "inventory": [{"warehouse_id": w, "quantity": q} for w, q in stock.items()]}


def product(n: int, title: str, skus: list[dict[str, Any]], *,
            update_time: int = 1_700_000_000) -> dict[str, Any]:
    return {"id": f"{1729000000000000000 + n}", "title": title, "status": "ACTIVATE",
            "create_time": update_time - 1000, "update_time": update_time, "skus": skus}


def warehouse(n: int, name: str, *, default: bool = False) -> dict[str, Any]:
    return {"id": f"{7068000000000000000 + n}", "name": name, "effect_status": "ENABLED",
            "type": "SALES_WAREHOUSE", "is_default": default, "address": {"city": "London"}}
