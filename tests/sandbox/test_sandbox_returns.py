"""Cancellations and returns: pending requests with deadlines, approve, reject."""

from __future__ import annotations

import httpx

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig

CANCELLATIONS = "/return_refund/202309/cancellations"
RETURNS = "/return_refund/202309/returns"


def pending(client) -> list[dict]:
    return client.ok("POST", f"{CANCELLATIONS}/search", query={"page_size": "50"},
                     body={"cancel_status": ["CANCELLATION_REQUEST_PENDING"]})["cancellations"]


def test_pending_cancellations_have_a_deadline(client) -> None:
    requests = pending(client)
    assert requests
    for request in requests:
        (action,) = request["seller_next_action_response"]
        assert action["action"] == "SELLER_RESPOND_CANCEL"
        assert action["deadline"] > client.shop.world.now()
        assert request["cancel_line_items"]


def test_approving_a_cancellation_cancels_the_order(client) -> None:
    world = client.shop.world
    request = pending(client)[0]
    order = world.orders.rows[request["order_id"]]
    package = world.packages.rows[order.packages[0]]
    sku = world.skus[order.lines[0].sku_id][1]
    available = sku.available[order.warehouse_id]
    client.ok("POST", f"{CANCELLATIONS}/{request['cancel_id']}/approve",
              query={"idempotency_key": "a1"})
    detail = client.ok("GET", "/order/202309/orders", query={"ids": order.id})["orders"][0]
    assert detail["status"] == "CANCELLED" and detail["cancellation_initiator"] == "BUYER"
    assert package.status == "CANCELLED"
    assert sku.available[order.warehouse_id] > available  # the units went back to stock
    after = client.ok("POST", f"{CANCELLATIONS}/search", query={"page_size": "50"},
                      body={"cancel_ids": [request["cancel_id"]]})["cancellations"][0]
    assert after["cancel_status"] == "CANCELLATION_REQUEST_COMPLETE"
    # The same idempotency_key gets the first answer; a new key sees the request is done.
    replay = client.send("POST", f"{CANCELLATIONS}/{request['cancel_id']}/approve",
                         query={"idempotency_key": "a1"}).json()
    assert replay["code"] == 0
    _, done = client.fails("POST", f"{CANCELLATIONS}/{request['cancel_id']}/approve",
                           query={"idempotency_key": "a2"})
    assert "not waiting" in done["message"]


def test_rejecting_a_cancellation_needs_a_listed_reason(client) -> None:
    world = client.shop.world
    request = pending(client)[0]
    reasons = client.ok("GET", "/return_refund/202309/reject_reasons",
                        query={"return_or_cancel_id": request["cancel_id"]})["reasons"]
    _, refused = client.fails("POST", f"{CANCELLATIONS}/{request['cancel_id']}/reject",
                              body={"reject_reason": "because"})
    assert "reject_reason" in refused["message"]
    client.ok("POST", f"{CANCELLATIONS}/{request['cancel_id']}/reject",
              body={"reject_reason": reasons[0]["name"], "comment": "Already packed"})
    order = world.orders.rows[request["order_id"]]
    assert order.status == "AWAITING_SHIPMENT" and not order.buyer_requested_cancel


def test_a_buyer_can_ask_to_cancel_while_the_shop_runs(client) -> None:
    world = client.shop.world
    order_id = world.add_order()
    cancel_id = world.request_cancellation(order_id)
    assert cancel_id in {c["cancel_id"] for c in pending(client)}
    detail = client.ok("GET", "/order/202309/orders", query={"ids": order_id})["orders"][0]
    assert detail["is_buyer_request_cancel"] is True


def test_returns_wait_for_the_right_decision(client) -> None:
    world = client.shop.world
    returns = client.ok("POST", f"{RETURNS}/search", query={"page_size": "50"},
                        body={"return_status": ["RETURN_OR_REFUND_REQUEST_PENDING"]})
    open_return = returns["return_orders"][0]
    action = open_return["seller_next_action_response"][0]["action"]
    assert action in ("SELLER_RESPOND_REFUND", "SELLER_RESPOND_RETURN")
    _, wrong = client.fails("POST", f"{RETURNS}/{open_return['return_id']}/approve",
                            body={"decision": "APPROVE_RECEIVED_PACKAGE"})
    assert "not possible" in wrong["message"]
    decision = "APPROVE_REFUND" if action == "SELLER_RESPOND_REFUND" else "APPROVE_RETURN"
    client.ok("POST", f"{RETURNS}/{open_return['return_id']}/approve",
              query={"idempotency_key": "r1"}, body={"decision": decision})
    ret = world.returns.rows[open_return["return_id"]]
    assert ret.status in ("RETURN_OR_REFUND_REQUEST_SUCCESS", "AWAITING_BUYER_SHIP")
    assert ret.next_action == ""


def test_returns_page_size_follows_the_docs(client) -> None:
    _, answer = client.fails("POST", f"{RETURNS}/search", query={"page_size": "5"}, body={})
    assert "between 10 and 50" in answer["message"]
    assert "return_orders" in client.ok("POST", f"{RETURNS}/search", body={})


def every(client, kind: str) -> list[dict]:
    path, key = {"returns": (RETURNS, "return_orders"),
                 "cancellations": (CANCELLATIONS, "cancellations")}[kind]
    found, token = [], ""
    while True:
        query = {"page_size": "50", **({"page_token": token} if token else {})}
        data = client.ok("POST", f"{path}/search", query=query, body={})
        found += data[key]
        token = data["next_page_token"]
        if not token:
            return found


def test_a_cancellation_names_its_reason_by_code_and_by_text(client) -> None:
    requests = every(client, "cancellations")
    assert requests
    for request in requests:
        assert request["cancel_reason"] != request["cancel_reason_text"]
        assert request["cancel_reason"].replace("_", "").isalpha()  # a code, not a sentence
        assert request["cancel_reason_text"][0].isupper()
        assert set(request["refund_amount"]) == {
            "currency", "refund_total", "refund_subtotal", "refund_shipping_fee", "refund_tax",
            "retail_delivery_fee", "buyer_service_fee"}
    cancelled = {o["id"]: o for o in client.ok("GET", "/order/202309/orders", query={
        "ids": ",".join(r["order_id"] for r in requests[:50])})["orders"]}
    for request in requests[:50]:
        order = cancelled[request["order_id"]]
        if order["status"] == "CANCELLED":  # the order keeps the text the buyer picked
            assert order["cancel_reason"] == request["cancel_reason_text"]


def test_request_items_picture_their_sku_with_a_working_sized_link(client) -> None:
    items = [i for r in every(client, "returns") for i in r["return_line_items"]]
    items += [i for c in every(client, "cancellations") for i in c["cancel_line_items"]]
    assert items
    for item in items:
        assert set(item["product_image"]) == {"url", "width", "height"}
    with httpx.Client() as http:
        picture = http.get(items[0]["product_image"]["url"])
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"


def test_returns_carry_the_optional_fields_a_real_return_has(new_client) -> None:
    with DemoShop(DemoShopConfig(seed=1, orders=600, products=60, rate_limit=0)) as shop:
        returns = every(new_client(shop), "returns")
    sent_back = [r for r in returns if r["return_type"] == "RETURN_AND_REFUND"]
    kept = [r for r in returns if r["return_type"] == "REFUND"]
    assert sent_back and kept
    for ret in sent_back:
        assert ret["handover_method"] in ("DROP_OFF", "PICKUP")
        assert ret["shipment_type"] == "PLATFORM"
        assert ret["return_warehouse_address"]["full_address"].endswith("United States")
        if "return_tracking_number" in ret:
            assert ret["return_provider_name"] and ret["return_provider_id"]
    assert all(r["can_buyer_keep_item"] for r in kept)
    arbitrated = [r for r in returns if "arbitration_status" in r]
    assert arbitrated and {r["arbitration_status"] for r in arbitrated} <= {
        "IN_PROGRESS", "SUPPORT_BUYER", "SUPPORT_SELLER", "CLOSED"}
    assert all(r["return_status"] in ("REFUND_OR_RETURN_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE",
                                      "RETURN_OR_REFUND_REQUEST_COMPLETE") for r in arbitrated)


def test_the_202602_searches_answer_as_202309_does(client) -> None:
    for kind, key in (("returns", "return_orders"), ("cancellations", "cancellations")):
        query = {"page_size": "50", "sort_field": "update_time"}
        old = client.ok("POST", f"/return_refund/202309/{kind}/search", query=query, body={})
        new = client.ok("POST", f"/return_refund/202602/{kind}/search", query=query, body={})
        assert new[key] and new[key] == old[key]
        assert new["total_count"] == old["total_count"]
