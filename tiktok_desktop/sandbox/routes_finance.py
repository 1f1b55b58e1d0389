"""Finance: daily statements, the payments that pay them out, and each statement's orders."""

from __future__ import annotations

from bisect import bisect_right

from . import paging
from .adjustments import adjustment_kind
from .endpoints import Call, Endpoint, query_time
from .errors import INVALID, invalid_param, not_found
from .money import CURRENCY, cents, settlement_parts
from .records import Statement


def _money(value: int) -> dict:
    return {"value": cents(value), "currency": CURRENCY}


def statement_object(s: Statement) -> dict:
    data = {
        "id": s.id, "statement_time": s.statement_time, "currency": CURRENCY,
        "settlement_amount": cents(s.settlement), "revenue_amount": cents(s.revenue),
        "fee_amount": cents(s.fee), "adjustment_amount": cents(s.adjustment),
        "shipping_cost_amount": cents(s.shipping_cost), "net_sales_amount": cents(s.revenue),
        "payment_status": s.payment_status, "payment_id": s.payment_id,
    }
    if s.payment_time:
        data["payment_time"] = s.payment_time
    return data


def payment_object(s: Statement) -> dict:
    data = {
        "id": s.payment_id, "create_time": s.statement_time,
        "status": "PAID" if s.payment_status == "PAID" else "PROCESSING",
        "amount": _money(s.settlement), "settlement_amount": _money(s.settlement),
        "reserve_amount": _money(0), "payment_amount_before_exchange": _money(s.settlement),
        "exchange_rate": "1", "bank_account": "************4321",
    }
    if s.payment_time:
        data["paid_time"] = s.payment_time
    return data


def _page(call: Call, field: str, name: str, where=None):
    size = paging.page_size(call.query, 1, 100, default=20)
    paging.sort_field(call.query, (field,))
    descending = paging.descending(call.query, "ASC")
    sort = f"{name}:{'DESC' if descending else 'ASC'}"
    after = paging.resume_key(call.query, sort)
    selection = call.world.statements.select(
        "statement_time", ge=query_time(call, f"{field}_ge"), lt=query_time(call, f"{field}_lt"),
        after=after, descending=descending, limit=size, where=where)
    return selection, paging.next_token(sort, selection.last)


def statements(call: Call) -> dict:
    status = call.query.get("payment_status")
    if status and status not in ("PAID", "FAILED", "PROCESSING"):
        raise invalid_param("payment_status must be PAID, FAILED or PROCESSING")
    selection, token = _page(call, "statement_time", "statements",
                             (lambda s: s.payment_status == status) if status else None)
    return {"statements": [statement_object(s) for s in selection.rows], "next_page_token": token}


def payments(call: Call) -> dict:
    selection, token = _page(call, "create_time", "payments")
    return {"payments": [payment_object(s) for s in selection.rows], "next_page_token": token}


def statement_transactions(call: Call) -> dict:
    statement = call.world.statements.get(call.params["statement_id"])
    if statement is None:
        raise not_found(INVALID, "invalid param error: statement_id does not exist")
    size = paging.page_size(call.query, 1, 100, default=20)
    paging.sort_field(call.query, ("order_create_time",))
    descending = paging.descending(call.query, "ASC")
    sort = f"transactions:{statement.id}:{'DESC' if descending else 'ASC'}"
    after = paging.resume_key(call.query, sort)
    orders = call.world.orders.rows
    keys = [(orders[o].create_time, o) for o in statement.order_ids]  # already in this order
    if descending:
        keys.reverse()
        start = 0 if after is None else next(
            (i for i, k in enumerate(keys) if k < after), len(keys))
    else:
        start = 0 if after is None else bisect_right(keys, after)
    chosen = keys[start:start + size]
    more = start + size < len(keys)
    transactions = []
    for created, order_id in chosen:
        revenue, fee, shipping = settlement_parts(orders[order_id])
        transactions.append({
            "id": "9" + order_id[1:], "type": "ORDER", "order_id": order_id,
            "order_create_time": created, "currency": CURRENCY,
            "settlement_amount": cents(revenue + fee + shipping),
            "revenue_amount": cents(revenue), "fee_amount": cents(fee),
            "shipping_cost_amount": cents(shipping), "adjustment_amount": "0.00",
            "adjustment_id": "",
        })
    if not more and statement.adjustment:  # after the orders, on the last page
        transactions.append({
            "id": "8" + statement.id[1:], "type": adjustment_kind(statement), "order_id": "",
            "adjustment_id": "6" + statement.id[1:], "order_create_time": 0,
            "currency": CURRENCY, "settlement_amount": cents(statement.adjustment),
            "revenue_amount": "0.00", "fee_amount": "0.00", "shipping_cost_amount": "0.00",
            "adjustment_amount": cents(statement.adjustment),
        })
    return {
        "statement_id": statement.id, "statement_time": statement.statement_time,
        "currency": CURRENCY, "total_settlement_amount": cents(statement.settlement),
        "total_revenue_amount": cents(statement.revenue),
        "total_fee_amount": cents(statement.fee),
        "total_shipping_cost_amount": cents(statement.shipping_cost),
        "total_adjustment_amount": cents(statement.adjustment),
        "statement_transactions": transactions,
        "total_count": len(keys) + (1 if statement.adjustment else 0),
        "next_page_token": paging.next_token(sort, chosen[-1] if more and chosen else None),
    }


ENDPOINTS = [
    Endpoint("GET", "/finance/202309/statements", statements),
    Endpoint("GET", "/finance/202309/payments", payments),
    Endpoint("GET", "/finance/202309/statements/<statement_id>/statement_transactions",
             statement_transactions),
]
