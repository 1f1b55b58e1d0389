"""Returns and cancellations: search, approve, reject, reject reasons."""

from __future__ import annotations

from collections.abc import Callable

from . import paging
from .buyers import Buyer
from .catalog import REJECT_REASONS, SHIPPING_PROVIDERS, WAREHOUSES
from .endpoints import Call, Endpoint, body_list, body_text, body_time
from .errors import INVALID, invalid_param, not_found
from .history import RETURN_PROVIDER
from .money import CURRENCY, cents, line_tax, parse_cents
from .product_images import ImageLinks, sku_image_uri
from .records import Cancellation, Order, Return
from .world import CANCELLABLE, World

RETURN_WAREHOUSE = next(w for w in WAREHOUSES if w[2] == "RETURN_WAREHOUSE")
APPROVALS = {  # seller's next action -> decision -> new return status
    "SELLER_RESPOND_REFUND": {"APPROVE_REFUND": "RETURN_OR_REFUND_REQUEST_SUCCESS",
                              "OFFER_PARTIAL_REFUND": "AWAITING_BUYER_RESPONSE"},
    "SELLER_RESPOND_RETURN": {"APPROVE_RETURN": "AWAITING_BUYER_SHIP",
                              "APPROVE_REFUND": "RETURN_OR_REFUND_REQUEST_SUCCESS",
                              "OFFER_PARTIAL_REFUND": "AWAITING_BUYER_RESPONSE"},
    "SELLER_RESPOND_RECEIVE_PACKAGE": {
        "APPROVE_RECEIVED_PACKAGE": "RETURN_OR_REFUND_REQUEST_SUCCESS"},
}
REJECTIONS = {
    "SELLER_RESPOND_REFUND": {"REJECT_REFUND": "REFUND_OR_RETURN_REQUEST_REJECT"},
    "SELLER_RESPOND_RETURN": {"REJECT_RETURN": "REFUND_OR_RETURN_REQUEST_REJECT"},
    "SELLER_RESPOND_RECEIVE_PACKAGE": {"REJECT_RECEIVED_PACKAGE": "REJECT_RECEIVE_PACKAGE"},
}


def _refund(order: Order, line_ids: list[str], total: int) -> dict:
    lines = [line for line in order.lines if line.id in set(line_ids)]
    subtotal = sum(line.sale for line in lines)
    tax = sum(line_tax(order, line.sale) for line in lines)
    return {"currency": CURRENCY, "refund_total": cents(total), "refund_subtotal": cents(subtotal),
            "refund_shipping_fee": cents(total - subtotal - tax), "refund_tax": cents(tax),
            "retail_delivery_fee": "0.00", "buyer_service_fee": "0.00"}


def _items(world: World, order: Order, line_ids: list[str], prefix: str,
           links: ImageLinks) -> list[dict]:
    made = []
    for line in order.lines:
        if line.id in set(line_ids):
            product, sku = world.skus[line.sku_id]
            made.append({f"{prefix}_line_item_id": "8" + line.id[1:], "order_line_item_id": line.id,
                         "sku_id": sku.id, "seller_sku": sku.seller_sku, "sku_name": sku.name,
                         "product_name": product.title,
                         "product_image": links.picture(sku_image_uri(product, sku.id)),
                         "refund_amount": _refund(order, [line.id], line.sale +
                                                  line_tax(order, line.sale))})
    return made


def _sent_back(ret: Return) -> dict:
    """How a return that goes back to the shop travels: the buyer's handover, the carrier, the
    address (the shop's returns warehouse)."""
    street, city, state, _, postal, _, _ = RETURN_WAREHOUSE[4]
    data = {"shipment_type": "PLATFORM",
            "handover_method": "PICKUP" if int(ret.id) % 4 == 0 else "DROP_OFF",
            "return_warehouse_address": {
                "full_address": f"{street}, {city}, {state}, {postal}, United States"}}
    if ret.tracking_number:
        data.update(return_tracking_number=ret.tracking_number,
                    return_provider_name=RETURN_PROVIDER,
                    return_provider_id=SHIPPING_PROVIDERS[RETURN_PROVIDER],
                    return_shipping_document_type="SHIPPING_LABEL")
    return data


def return_object(world: World, ret: Return, links: ImageLinks) -> dict:
    order = world.orders.rows[ret.order_id]
    data = {
        "return_id": ret.id, "order_id": ret.order_id, "return_type": ret.return_type,
        "return_status": ret.status, "role": "BUYER", "return_reason": ret.reason[0],
        "return_reason_text": ret.reason[1], "return_method": "PLATFORM_SHIPPED",
        "refund_amount": _refund(order, ret.line_ids, ret.refund),
        "return_line_items": _items(world, order, ret.line_ids, "return", links),
        "seller_next_action_response": [{"action": ret.next_action, "deadline": ret.deadline}]
        if ret.next_action else [],
        "is_combined_return": False, "is_quick_refund": False,
        "create_time": ret.create_time, "update_time": ret.update_time,
    }
    if ret.return_type == "RETURN_AND_REFUND":
        data.update(_sent_back(ret))
    else:  # a refund without a return: the buyer keeps what came
        data["can_buyer_keep_item"] = True
    if ret.arbitration:
        data["arbitration_status"] = ret.arbitration
    return data


def cancellation_object(world: World, request: Cancellation, links: ImageLinks) -> dict:
    order = world.orders.rows[request.order_id]
    return {
        "cancel_id": request.id, "order_id": request.order_id,
        "cancel_type": request.cancel_type, "cancel_status": request.status, "role": request.role,
        "cancel_reason": request.reason[0], "cancel_reason_text": request.reason[1],
        "refund_amount": _refund(order, request.line_ids, request.refund),
        "should_replenish_stock": True,
        "cancel_line_items": _items(world, order, request.line_ids, "cancel", links),
        "seller_next_action_response": [{"action": "SELLER_RESPOND_CANCEL",
                                         "deadline": request.deadline}]
        if request.status == "CANCELLATION_REQUEST_PENDING" else [],
        "create_time": request.create_time, "update_time": request.update_time,
    }


def _search(call: Call, table_name: str, low_size: int, filters: dict[str, Callable]) -> tuple:
    size = paging.page_size(call.query, low_size, 50, default=10)
    field = paging.sort_field(call.query, ("create_time", "update_time"), "create_time")
    descending = paging.descending(call.query, "ASC")
    sort = f"{table_name}:{field}:{'DESC' if descending else 'ASC'}"
    after = paging.resume_key(call.query, sort)
    tests = []
    for name, value_of in filters.items():
        wanted = body_list(call, name, 1000)
        if wanted:
            tests.append((value_of, {str(w) for w in wanted}))
    bounds = {f: (body_time(call, f"{f}_ge"), body_time(call, f"{f}_lt"))
              for f in ("create_time", "update_time")}
    ge, lt = bounds.pop(field)
    other, (low, high) = next(iter(bounds.items()))

    def where(row) -> bool:
        return all(value_of(row) in wanted for value_of, wanted in tests)

    table = getattr(call.world, table_name)
    selection = table.select(field, ge=ge, lt=lt, after=after, descending=descending,
                             limit=size, where=where if tests else None,
                             also=(other, low, high) if (low, high) != (None, None) else None)
    return selection, paging.next_token(sort, selection.last)


def search_returns(call: Call) -> dict:
    orders = call.world.orders.rows
    selection, token = _search(call, "returns", 10, {
        "return_ids": lambda r: r.id, "order_ids": lambda r: r.order_id,
        "buyer_user_ids": lambda r: Buyer(orders[r.order_id].buyer).user_id,
        "return_types": lambda r: r.return_type, "return_status": lambda r: r.status,
    })
    return {"return_orders": [return_object(call.world, r, call.links) for r in selection.rows],
            "next_page_token": token, "total_count": selection.total}


def search_cancellations(call: Call) -> dict:
    orders = call.world.orders.rows
    selection, token = _search(call, "cancellations", 1, {
        "cancel_ids": lambda c: c.id, "order_ids": lambda c: c.order_id,
        "buyer_user_ids": lambda c: Buyer(orders[c.order_id].buyer).user_id,
        "cancel_types": lambda c: c.cancel_type, "cancel_status": lambda c: c.status,
    })
    return {"cancellations": [cancellation_object(call.world, c, call.links)
                              for c in selection.rows],
            "next_page_token": token, "total_count": selection.total}


def _return(call: Call) -> Return:
    ret = call.world.returns.get(call.params["return_id"])
    if ret is None:
        raise not_found(INVALID, "invalid param error: return_id does not exist")
    return ret


def _decide(call: Call, table: dict[str, dict[str, str]]) -> None:
    ret = _return(call)
    decision = body_text(call, "decision", required=True)
    choices = table.get(ret.next_action, {})
    if decision not in choices:
        raise invalid_param(f"decision {decision} is not possible for a return in "
                            f"{ret.status} (possible: {', '.join(choices) or 'none'})")
    if decision == "OFFER_PARTIAL_REFUND":
        offer = call.body.get("partial_refund") or {}
        amount = parse_cents(offer.get("amount"))
        if amount is None or not 0 < amount < ret.refund:
            raise invalid_param("partial_refund.amount must be below the requested refund")
        ret.refund = amount
    if decision.startswith("REJECT"):
        reasons = {name for name, _ in REJECT_REASONS["return"]}
        if body_text(call, "reject_reason", required=True) not in reasons:
            raise invalid_param("reject_reason must come from Get Reject Reasons")
    with call.world.changing(call.world.returns, ret):
        ret.status, ret.next_action, ret.deadline = choices[decision], "", 0


def approve_return(call: Call) -> dict:
    _decide(call, APPROVALS)
    return {}


def reject_return(call: Call) -> dict:
    _decide(call, REJECTIONS)
    return {}


def _pending_cancellation(call: Call) -> Cancellation:
    request = call.world.cancellations.get(call.params["cancel_id"])
    if request is None:
        raise not_found(INVALID, "invalid param error: cancel_id does not exist")
    if request.status != "CANCELLATION_REQUEST_PENDING":
        raise invalid_param(f"the cancellation is {request.status}, not waiting for an answer")
    return request


def approve_cancellation(call: Call) -> dict:
    request = _pending_cancellation(call)
    order = call.world.orders.rows[request.order_id]
    if order.status not in CANCELLABLE:
        raise invalid_param(f"an order in {order.status} cannot be cancelled")
    call.world.cancel_order(order.id, by="BUYER", reason=request.reason[1])
    return {}


def reject_cancellation(call: Call) -> dict:
    request = _pending_cancellation(call)
    if body_text(call, "reject_reason", required=True) not in {
            name for name, _ in REJECT_REASONS["cancel"]}:
        raise invalid_param("reject_reason must come from Get Reject Reasons")
    world = call.world
    with world.changing(world.cancellations, request):
        request.status, request.deadline = "CANCELLATION_REQUEST_CANCELLED", 0
    with world.changing(world.orders, world.orders.rows[request.order_id]) as order:
        order.request_cancel_time = 0
    return {}


def reject_reasons(call: Call) -> dict:
    wanted = call.query.get("return_or_cancel_id", "")
    if not wanted:
        raise invalid_param("return_or_cancel_id is required")
    if wanted in call.world.cancellations:
        kind = "cancel"
    elif wanted in call.world.returns:
        kind = "return"
    else:
        raise not_found(INVALID, "invalid param error: return_or_cancel_id does not exist")
    return {"reasons": [{"name": name, "text": text} for name, text in REJECT_REASONS[kind]]}


ENDPOINTS = [
    Endpoint("POST", "/return_refund/202309/returns/search", search_returns),
    Endpoint("POST", "/return_refund/202309/returns/<return_id>/approve", approve_return),
    Endpoint("POST", "/return_refund/202309/returns/<return_id>/reject", reject_return),
    Endpoint("POST", "/return_refund/202309/cancellations/search", search_cancellations),
    Endpoint("POST", "/return_refund/202309/cancellations/<cancel_id>/approve",
             approve_cancellation),
    Endpoint("POST", "/return_refund/202309/cancellations/<cancel_id>/reject",
             reject_cancellation),
    Endpoint("GET", "/return_refund/202309/reject_reasons", reject_reasons),
    # 202602's searches have 202309's shapes here (DECISIONS.md, "Newer versions").
    Endpoint("POST", "/return_refund/202602/returns/search", search_returns),
    Endpoint("POST", "/return_refund/202602/cancellations/search", search_cancellations),
]
