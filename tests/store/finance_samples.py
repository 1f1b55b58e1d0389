"""Statements, their transactions and the orders they paid for, shaped as the API gives them, for
the payout tests (store, services, the Money tab)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SHOP = "7000000000000000009"
DAY = 86_400
# 2026-11-01 00:00 UTC: statement times are UTC midnights.
NOV_1 = 1_793_491_200


def statement(n: int, day: int, *, revenue: str, fee: str, shipping: str = "0.00",
              adjustment: str = "0.00", status: str = "PAID",
              currency: str = "USD") -> dict[str, Any]:
    settlement = sum(Decimal(v) for v in (revenue, fee, shipping, adjustment))
    data = {"id": f"{7330000000000000000 + n}", "statement_time": day,
            "settlement_amount": str(settlement), "revenue_amount": revenue,
            "fee_amount": fee, "adjustment_amount": adjustment,
            "shipping_cost_amount": shipping, "net_sales_amount": revenue,
            "currency": currency, "payment_status": status,
            "payment_id": f"{7331000000000000000 + n}"}
    if status == "PAID":
        data["payment_time"] = day + DAY
    return data


def order_transaction(n: int, order_id: str, *, revenue: str, fee: str, shipping: str = "0.00",
                      created: int = NOV_1 - 5 * DAY) -> dict[str, Any]:
    settlement = Decimal(revenue) + Decimal(fee) + Decimal(shipping)
    return {"id": f"{9000 + n}", "type": "ORDER", "order_id": order_id, "adjustment_id": "",
            "order_create_time": created, "currency": "USD",
            "settlement_amount": str(settlement), "revenue_amount": revenue,
            "fee_amount": fee, "shipping_cost_amount": shipping, "adjustment_amount": "0.00"}


def adjustment_transaction(n: int, amount: str,
                           kind: str = "LOGISTICS_REIMBURSEMENT") -> dict[str, Any]:
    return {"id": f"{8000 + n}", "type": kind, "order_id": "", "adjustment_id": f"{6000 + n}",
            "order_create_time": 0, "currency": "USD", "settlement_amount": amount,
            "revenue_amount": "0.00", "fee_amount": "0.00", "shipping_cost_amount": "0.00",
            "adjustment_amount": amount}


def sample_order(n: int, *, created: int, status: str = "COMPLETED",
                 prices: tuple[str, ...] = ("20.00",), sku: str = "1729500000000000001",
                 **extra: Any) -> dict[str, Any]:
    order_id = f"{576000000000000000 + n}"
    lines = [{"id": f"{577000000000000000 + n * 10 + i}", "sku_id": sku,
              "product_id": "1729000000000000001", "product_name": "Cotton tee",
              "sku_name": "Black, M", "seller_sku": "TEE-BLK-M", "sale_price": price,
              "currency": "USD"} for i, price in enumerate(prices)]
    return {"id": order_id, "status": status, "create_time": created, "update_time": created,
            "paid_time": created + 30, "line_items": lines,
            "payment": {"currency": "USD", "total_amount": "99.00"}, **extra}
