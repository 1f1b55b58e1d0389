"""Packages: search, detail, handover slots, ship (one or many), shipping documents, tracking
updates and "mark as shipped" for orders the seller ships with their own carrier."""

from __future__ import annotations

import secrets

from . import paging
from .catalog import SHIPPING_PROVIDERS
from .endpoints import Call, Endpoint, body_list, body_text, body_time
from .errors import (
    NO_PLATFORM_LABEL,
    NOT_ARRANGED,
    NOT_YOUR_ORDER,
    PICKED_UP,
    ApiFailure,
    invalid_param,
    not_found,
)
from .records import Package
from .render_orders import package_detail, package_summary
from .world import Document, World

PACKAGE_STATUSES = ("PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED")
SHIPPABLE_ORDERS = ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING")
DOCUMENT_TYPES = ("SHIPPING_LABEL", "PACKING_SLIP", "SHIPPING_LABEL_AND_PACKING_SLIP")
UNSUPPORTED_DOCUMENTS = ("SHIPPING_LABEL_PICTURE", "HAZMAT_LABEL", "INVOICE_LABEL")
DOCUMENT_SIZES = {"A6": "A6", "A5": "A5", "0": "A6", "1": "A5"}  # 0/1: the pre-202309 enum
PROVIDER_NAMES = {v: k for k, v in SHIPPING_PROVIDERS.items()}
HOUR, DAY = 3600, 86400


def _package(call: Call) -> Package:
    package = call.world.packages.get(call.params["package_id"])
    if package is None:
        raise not_found(NOT_YOUR_ORDER, "The order or package does not belong to the current "
                        "seller.")
    return package


def search_packages(call: Call) -> dict:
    size = paging.page_size(call.query, 1, 50)
    field = paging.sort_field(call.query, ("create_time", "update_time", "order_pay_time"),
                              "create_time")
    descending = paging.descending(call.query, "DESC")
    sort = f"packages:{field}:{'DESC' if descending else 'ASC'}"
    after = paging.resume_key(call.query, sort)
    status = body_text(call, "package_status", PACKAGE_STATUSES)
    bounds = {f: (body_time(call, f"{f}_ge"), body_time(call, f"{f}_lt"))
              for f in ("create_time", "update_time")}
    ge, lt = bounds.pop(field, (None, None))
    ranges = [(name, low, high) for name, (low, high) in bounds.items()
              if (low, high) != (None, None)]
    also = ranges[0] if len(ranges) == 1 else None
    where = None
    if len(ranges) == 2:  # sorted by order_pay_time, filtered by both time fields
        def where(p: Package) -> bool:
            return all((low is None or getattr(p, name) >= low)
                       and (high is None or getattr(p, name) < high)
                       for name, low, high in ranges)

    selection = call.world.packages.select(
        field, partition=status, ge=ge, lt=lt, after=after, descending=descending, limit=size,
        where=where, also=also)
    return {
        "packages": [package_summary(call.world, p, call.links) for p in selection.rows],
        "next_page_token": paging.next_token(sort, selection.last),
        "total_count": selection.total,
    }


def get_package(call: Call) -> dict:
    return package_detail(call.world, _package(call), call.links)


def pickup_slots(now: int) -> list[tuple[int, int]]:
    """Two pickup windows a day for the next three days (09-12 and 13-17 UTC)."""
    day = now - now % DAY
    return [(day + d * DAY + start * HOUR, day + d * DAY + end * HOUR)
            for d in (1, 2, 3) for start, end in ((9, 12), (13, 17))]


def handover_time_slots(call: Call) -> dict:
    package = _package(call)
    tiktok = package.shipping_type == "TIKTOK"
    return {
        "can_pickup": tiktok,
        "can_drop_off": tiktok,
        "can_van_collection": False,
        "drop_off_point_url": "https://demo-shop.invalid/drop-off-points" if tiktok else "",
        "pickup_slots": [{"start_time": s, "end_time": e, "avaliable": True}
                         for s, e in pickup_slots(call.world.now())] if tiktok else [],
    }


def ship(world: World, package: Package, request: dict) -> None:
    """Ship Package: checks `request` (the body) and hands the package over."""
    order = world.order_of_package(package)
    if package.status == "CANCELLED" or order.status == "CANCELLED":
        raise invalid_param("the package is cancelled")
    if package.shipped_time:
        raise invalid_param("the package has already been shipped")
    if order.status not in SHIPPABLE_ORDERS:
        raise invalid_param(f"an order in {order.status} cannot be shipped")
    if package.shipping_type == "SELLER":
        provider, tracking = _self_shipment(request.get("self_shipment"))
        world.ship(package, provider=provider, tracking=tracking)
        return
    method = request.get("handover_method")
    if method not in ("PICKUP", "DROP_OFF"):
        raise invalid_param("handover_method must be PICKUP or DROP_OFF")
    slot = None
    if method == "PICKUP":
        given = request.get("pickup_slot")
        if given is None:
            slot = pickup_slots(world.now())[0]
        elif (isinstance(given, dict) and isinstance(given.get("start_time"), int)
              and isinstance(given.get("end_time"), int)
              and given["start_time"] < given["end_time"]):
            slot = (given["start_time"], given["end_time"])
        else:
            raise invalid_param("pickup_slot needs start_time < end_time (Unix seconds)")
    world.ship(package, handover=method, slot=slot)


def _self_shipment(given: object) -> tuple[str, str]:
    if not isinstance(given, dict):
        raise invalid_param("self_shipment {tracking_number, shipping_provider_id} is required "
                            "for packages the seller ships")
    return _tracking(given)


def _tracking(given: dict) -> tuple[str, str]:
    tracking, provider_id = given.get("tracking_number"), given.get("shipping_provider_id")
    if not isinstance(tracking, str) or not 5 <= len(tracking.strip()) <= 50:
        raise invalid_param("tracking_number must be 5 to 50 characters")
    if provider_id not in PROVIDER_NAMES:
        raise invalid_param("shipping_provider_id is not a known shipping provider")
    return PROVIDER_NAMES[provider_id], tracking.strip()


def ship_package(call: Call) -> dict:
    ship(call.world, _package(call), call.body)
    return {}


def ship_packages(call: Call) -> dict:
    errors = []
    for request in body_list(call, "packages", 50, required=True) or []:
        package_id = str(request.get("id", "")) if isinstance(request, dict) else ""
        package = call.world.packages.get(package_id)
        try:
            if package is None:
                raise not_found(NOT_YOUR_ORDER, "The order or package does not belong to the "
                                "current seller.")
            ship(call.world, package, request)
        except ApiFailure as failure:
            errors.append({"code": failure.code, "message": failure.message,
                           "detail": {"package_id": package_id}})
    return {"errors": errors}


def shipping_document(call: Call) -> dict:
    package = _package(call)
    kind = call.query.get("document_type")
    if kind in UNSUPPORTED_DOCUMENTS:
        raise invalid_param(f"document_type {kind} is not available for this shop")
    if kind not in DOCUMENT_TYPES:
        raise invalid_param(f"document_type must be one of {', '.join(DOCUMENT_TYPES)}")
    size = DOCUMENT_SIZES.get(call.query.get("document_size") or "A6")
    if size is None:
        raise invalid_param("document_size must be A6 or A5")
    if (call.query.get("document_format") or "PDF") != "PDF":
        raise invalid_param("document_format ZPL is only offered in BR and MX")
    if kind != "PACKING_SLIP":
        if package.shipping_type != "TIKTOK":
            raise ApiFailure(NO_PLATFORM_LABEL, "Only packages shipped with TikTok Shipping "
                             "have a shipping label.", 400)
        if not package.tracking_number:
            raise ApiFailure(NOT_ARRANGED, "The package has not been arranged for shipment "
                             "yet.", 400)
        if package.status in ("FULFILLING", "COMPLETED"):
            raise ApiFailure(PICKED_UP, "The package has been picked up: its shipping "
                             "document is no longer available.", 400)
    doc_id = secrets.token_urlsafe(24)
    call.world.documents[doc_id] = Document(package.id, kind, size, call.world.now())
    return {"doc_url": f"{call.base_url}/wsos/fulfillment_doc/{doc_id}.pdf",
            "tracking_number": package.tracking_number}


def update_shipping_info(call: Call) -> dict:
    package = _package(call)
    if package.shipping_type != "SELLER":
        raise invalid_param("only packages the seller ships can change their tracking number")
    if not package.shipped_time or package.status == "CANCELLED":
        raise invalid_param("the package has not been shipped")
    provider, tracking = _tracking(call.body)
    world = call.world
    with world.changing(world.packages, package):
        package.provider, package.tracking_number = provider, tracking
    with world.changing(world.orders, world.order_of_package(package)):
        pass  # the order shows the package's tracking number: it changed too
    return {}


def mark_shipped(call: Call) -> dict:
    """Mark Package As Shipped: the seller shipped these lines with their own carrier."""
    world = call.world
    order = world.orders.get(call.params["order_id"])
    if order is None:
        raise not_found(NOT_YOUR_ORDER, "The order or package does not belong to the current "
                        "seller.")
    if order.shipping_type != "SELLER":
        raise invalid_param("this order ships with TikTok Shipping: use Ship Package")
    if order.status not in SHIPPABLE_ORDERS:
        raise invalid_param(f"an order in {order.status} cannot be shipped")
    line_ids = [str(i) for i in body_list(call, "order_line_item_ids", 1000, required=True) or []]
    provider, tracking = _tracking(call.body)
    lines = {line.id: line for line in order.lines}
    packages = {lines[i].package_id for i in line_ids if i in lines}
    if any(i not in lines for i in line_ids) or len(packages) != 1:
        raise invalid_param("order_line_item_ids must be lines of this order in one package")
    package = world.packages.rows[packages.pop()]
    if package.shipped_time:
        raise invalid_param("these lines have already been shipped")
    if set(line_ids) != set(package.line_ids):
        package = world.split_package(package, line_ids)
    world.ship(package, provider=provider, tracking=tracking)
    return {"order_id": order.id, "package_id": package.id,
            "order_line_item_ids": list(package.line_ids)}


ENDPOINTS = [
    Endpoint("POST", "/fulfillment/202309/packages/search", search_packages),
    Endpoint("GET", "/fulfillment/202309/packages/<package_id>", get_package),
    Endpoint("GET", "/fulfillment/202309/packages/<package_id>/handover_time_slots",
             handover_time_slots),
    Endpoint("POST", "/fulfillment/202309/packages/<package_id>/ship", ship_package),
    Endpoint("POST", "/fulfillment/202309/packages/ship", ship_packages),
    Endpoint("GET", "/fulfillment/202309/packages/<package_id>/shipping_documents",
             shipping_document),
    Endpoint("POST", "/fulfillment/202309/packages/<package_id>/shipping_info/update",
             update_shipping_info),
    Endpoint("POST", "/fulfillment/202309/orders/<order_id>/packages", mark_shipped),
]
