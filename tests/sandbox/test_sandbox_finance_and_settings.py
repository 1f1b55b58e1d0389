"""Finance statements and payments, logistics settings and webhooks."""

from __future__ import annotations

from decimal import Decimal


def test_statements_page_in_time_order_and_add_up(client) -> None:
    found, token = [], ""
    while True:
        query = {"sort_field": "statement_time", "page_size": "7"}
        if token:
            query["page_token"] = token
        data = client.ok("GET", "/finance/202309/statements", query=query)
        assert "total_count" not in data
        found += data["statements"]
        token = data["next_page_token"]
        if not token:
            break
    assert len(found) == len(client.shop.world.statements) > 10
    times = [s["statement_time"] for s in found]
    assert times == sorted(times) and all(t % 86400 == 0 for t in times)
    for s in found:
        parts = sum(Decimal(s[k]) for k in ("revenue_amount", "fee_amount",
                                            "shipping_cost_amount", "adjustment_amount"))
        assert parts == Decimal(s["settlement_amount"])
    assert {s["payment_status"] for s in found} >= {"PAID"}


def test_statement_transactions_match_the_statement(client) -> None:
    statement = max(client.shop.world.statements, key=lambda s: len(s.order_ids))
    rows, token = [], ""
    while True:
        query = {"sort_field": "order_create_time", "page_size": "3"}
        if token:
            query["page_token"] = token
        data = client.ok("GET", f"/finance/202309/statements/{statement.id}/"
                                "statement_transactions", query=query)
        rows += data["statement_transactions"]
        token = data["next_page_token"]
        if not token:
            break
    assert [r["order_id"] for r in rows if r["type"] == "ORDER"] == statement.order_ids
    assert len(rows) == data["total_count"]
    assert sum(Decimal(r["settlement_amount"]) for r in rows) == Decimal(
        data["total_settlement_amount"])


def test_payments_need_a_sort_field(client) -> None:
    _, answer = client.fails("GET", "/finance/202309/payments")
    assert "sort_field" in answer["message"]
    payments = client.ok("GET", "/finance/202309/payments",
                         query={"sort_field": "create_time", "page_size": "100"})["payments"]
    assert payments and all(p["amount"]["currency"] == "USD" for p in payments)


def test_warehouses_delivery_options_and_providers(client) -> None:
    warehouses = client.ok("GET", "/logistics/202309/warehouses")["warehouses"]
    sales = [w for w in warehouses if w["type"] == "SALES_WAREHOUSE"]
    assert len(sales) == 2 and sum(w["is_default"] for w in sales) == 1
    options = client.ok("GET", f"/logistics/202309/warehouses/{sales[0]['id']}/"
                               "delivery_options")["delivery_options"]
    assert {"STANDARD", "SEND_BY_SELLER"} <= {o["type"] for o in options}
    providers = client.ok("GET", f"/logistics/202309/delivery_options/{options[0]['id']}/"
                                 "shipping_providers")["shipping_providers"]
    assert providers and all(p["id"].isdigit() for p in providers)


def test_webhooks_can_be_set_listed_and_deleted(client) -> None:
    hook = {"event_type": "ORDER_STATUS_CHANGE", "address": "https://example.com/hook"}
    assert client.ok("PUT", "/event/202309/webhooks", body=hook) == {}
    listed = client.ok("GET", "/event/202309/webhooks")
    assert listed["total_count"] == 1 and listed["webhooks"][0]["address"] == hook["address"]
    client.ok("DELETE", "/event/202309/webhooks", body={"event_type": "ORDER_STATUS_CHANGE"})
    client.ok("DELETE", "/event/202309/webhooks", body={"event_type": "ORDER_STATUS_CHANGE"})
    assert client.ok("GET", "/event/202309/webhooks")["total_count"] == 0
    _, answer = client.fails("PUT", "/event/202309/webhooks",
                             body={"event_type": "NOPE", "address": "https://x"})
    assert answer["code"] == 36009004


def test_seller_endpoints_take_no_shop_cipher(client) -> None:
    assert client.ok("GET", "/seller/202309/permissions", cipher=False) == {"permissions": []}
    shops = client.ok("GET", "/seller/202309/shops", cipher=False)["shops"]
    assert shops[0]["region"] == "US"


def test_some_statements_carry_an_adjustment_after_their_orders(client) -> None:
    adjusted = next(s for s in client.shop.world.statements if s.adjustment)
    data = client.ok("GET", f"/finance/202309/statements/{adjusted.id}/statement_transactions",
                     query={"sort_field": "order_create_time", "page_size": "100"})
    last = data["statement_transactions"][-1]
    assert last["type"] != "ORDER" and last["adjustment_id"] and not last["order_id"]
    assert Decimal(last["settlement_amount"]) == Decimal(data["total_adjustment_amount"]) != 0
    assert sum(Decimal(r["settlement_amount"]) for r in data["statement_transactions"]) == (
        Decimal(data["total_settlement_amount"]))
