"""Orders: search (cursor pages over a time index), detail by ids, price detail."""

from __future__ import annotations

from collections.abc import Callable

from . import paging
from .buyers import Buyer
from .endpoints import Call, Endpoint, body_list, body_text, body_time
from .errors import NOT_YOUR_ORDER, invalid_param, not_found
from .records import Order
from .render_orders import order_object, price_detail

ORDER_STATUSES = ("UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING",
                  "AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED", "CANCELLED")
TIME_FIELDS = ("create_time", "update_time")


def search_orders(call: Call) -> dict:
    size = paging.page_size(call.query, 1, 100)
    field = paging.sort_field(call.query, TIME_FIELDS, "create_time")
    descending = paging.descending(call.query, "DESC")
    sort = f"orders:{field}:{'DESC' if descending else 'ASC'}"
    after = paging.resume_key(call.query, sort)
    status = body_text(call, "order_status", ORDER_STATUSES)
    bounds = {f: (body_time(call, f"{f}_ge"), body_time(call, f"{f}_lt")) for f in TIME_FIELDS}
    tests: list[Callable[[Order], bool]] = []
    other = "update_time" if field == "create_time" else "create_time"
    also = (other, *bounds[other]) if bounds[other] != (None, None) else None
    shipping = body_text(call, "shipping_type", ("TIKTOK", "SELLER"))
    if shipping:
        tests.append(lambda o: o.shipping_type == shipping)
    buyer = body_text(call, "buyer_user_id")
    if buyer:
        tests.append(lambda o: Buyer(o.buyer).user_id == buyer)
    asked = call.body.get("is_buyer_request_cancel")
    if asked is not None:
        if not isinstance(asked, bool):
            raise invalid_param("is_buyer_request_cancel must be true or false")
        tests.append(lambda o: o.buyer_requested_cancel == asked)
    warehouses = body_list(call, "warehouse_ids", 100)
    if warehouses:
        tests.append(lambda o: o.warehouse_id in warehouses)
    where = (lambda o: all(t(o) for t in tests)) if tests else None
    world = call.world
    selection = world.orders.select(
        field, partition=status, ge=bounds[field][0], lt=bounds[field][1], after=after,
        descending=descending, limit=size, where=where, also=also)
    return {
        "orders": [order_object(world, o, call.links) for o in selection.rows],
        "next_page_token": paging.next_token(sort, selection.last),
        "total_count": selection.total,
    }


def order_detail(call: Call) -> dict:
    raw = call.query.get("ids", "")
    ids = [i for i in raw.split(",") if i]
    if not ids:
        raise invalid_param("ids is required")
    if len(ids) > 50:
        raise invalid_param("ids accepts at most 50 order ids")
    orders = call.world.orders
    return {"orders": [order_object(call.world, orders.rows[i], call.links)
                       for i in ids if i in orders]}


def order_price_detail(call: Call) -> dict:
    order = call.world.orders.get(call.params["order_id"])
    if order is None:
        raise not_found(NOT_YOUR_ORDER, "The order or package does not belong to the current "
                        "seller.")
    return price_detail(order)


def authorized_shops(call: Call) -> dict:
    shop = call.world.shop
    return {"shops": [{"id": shop.id, "name": shop.name, "region": shop.region,
                       "seller_type": shop.seller_type, "cipher": shop.cipher,
                       "code": shop.code}]}


def active_shops(call: Call) -> dict:
    return {"shops": [{"id": call.world.shop.id, "region": call.world.shop.region}]}


def seller_permissions(call: Call) -> dict:
    return {"permissions": []}  # a local seller has no global-product permissions


ENDPOINTS = [
    Endpoint("GET", "/authorization/202309/shops", authorized_shops, shop=False),
    Endpoint("GET", "/seller/202309/shops", active_shops, shop=False),
    Endpoint("GET", "/seller/202309/permissions", seller_permissions, shop=False),
    Endpoint("POST", "/order/202309/orders/search", search_orders),
    Endpoint("GET", "/order/202309/orders", order_detail),
    # 202507's order has 202309's fields (DECISIONS.md, "Newer versions").
    Endpoint("GET", "/order/202507/orders", order_detail),
    Endpoint("GET", "/order/202407/orders/<order_id>/price_detail", order_price_detail),
]
