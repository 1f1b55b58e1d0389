"""The demo shop's buyer requests: one in every state a seller meets, answers refused as the real
shop refuses them (a request not waiting for the seller, a reason not in the list), and a
repeated idempotency_key given the first answer without acting twice."""

from __future__ import annotations

import pytest

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.sandbox.history import EVERY_RETURN
from tiktok_desktop.sandbox.world import World

CANCELLATIONS = "/return_refund/202309/cancellations"
RETURNS = "/return_refund/202309/returns"
APPROVE_RETURN = "POST /return_refund/202309/returns/{id}/approve"


def every(client, path: str, key: str) -> list[dict]:  # type: ignore[no-untyped-def]
    found, token = [], ""
    while True:
        query = {"page_size": "50", **({"page_token": token} if token else {})}
        data = client.ok("POST", f"{path}/search", query=query, body={})
        found += data[key]
        token = data["next_page_token"]
        if not token:
            return found


@pytest.mark.parametrize("seed", [1, 5, 7])
def test_a_shop_has_a_request_in_every_state(seed: int) -> None:
    world = World(DemoShopConfig(seed=seed, orders=300, products=20))
    returns = {(r.return_type, r.status, r.next_action) for r in world.returns}
    assert {(kind, status, action) for kind, status, action, _ in EVERY_RETURN} <= returns
    cancellations = {(c.status, c.role) for c in world.cancellations}
    assert {("CANCELLATION_REQUEST_PENDING", "BUYER"), ("CANCELLATION_REQUEST_COMPLETE", "BUYER"),
            ("CANCELLATION_REQUEST_COMPLETE", "SELLER"),
            ("CANCELLATION_REQUEST_CANCELLED", "BUYER")} <= cancellations
    for request in world.cancellations:  # a rejected one: its order shipped anyway
        if request.status == "CANCELLATION_REQUEST_CANCELLED":
            order = world.orders.rows[request.order_id]
            assert order.status in ("IN_TRANSIT", "DELIVERED", "COMPLETED")
            assert request.create_time < order.rts_time
    assert len({r.order_id for r in world.returns}) == len(world.returns)  # one per order


def test_answered_states_read_as_the_api_gives_them(client) -> None:  # type: ignore[no-untyped-def]
    now = client.shop.world.now()
    returns = every(client, RETURNS, "return_orders")
    by_status = {r["return_status"]: r for r in returns}
    back = by_status["BUYER_SHIPPED_ITEM"]
    assert back["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_RECEIVE_PACKAGE"
    assert back["seller_next_action_response"][0]["deadline"] > now
    assert back["return_tracking_number"] and back["return_provider_name"] == "USPS"
    assert by_status["REJECT_RECEIVE_PACKAGE"]["return_tracking_number"]
    for status in ("AWAITING_BUYER_SHIP", "AWAITING_BUYER_RESPONSE",
                   "RETURN_OR_REFUND_REQUEST_CANCEL"):
        assert by_status[status]["seller_next_action_response"] == []
    offer = by_status["AWAITING_BUYER_RESPONSE"]  # a partial refund: half of what was asked
    item = offer["return_line_items"][0]["refund_amount"]["refund_total"]
    assert float(offer["refund_amount"]["refund_total"]) < float(item)


def test_answering_a_request_not_waiting_for_the_seller_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    returns = every(client, RETURNS, "return_orders")
    done = next(r for r in returns if r["return_status"] == "RETURN_OR_REFUND_REQUEST_COMPLETE")
    status, refused = client.fails("POST", f"{RETURNS}/{done['return_id']}/approve",
                                   query={"idempotency_key": "x1"},
                                   body={"decision": "APPROVE_REFUND"})
    assert status == 400 and refused["code"] == 36009004
    assert refused["message"] == (
        "invalid param error: decision APPROVE_REFUND is not possible for a return in "
        "RETURN_OR_REFUND_REQUEST_COMPLETE (possible: none)")
    cancels = every(client, CANCELLATIONS, "cancellations")
    closed = next(c for c in cancels if c["cancel_status"] == "CANCELLATION_REQUEST_CANCELLED")
    status, refused = client.fails("POST", f"{CANCELLATIONS}/{closed['cancel_id']}/reject",
                                   query={"idempotency_key": "x2"},
                                   body={"reject_reason": "seller_reject_apply_product_has_"
                                                          "been_packed"})
    assert refused["code"] == 36009004 and "not waiting for an answer" in refused["message"]
    _, missing = client.fails("POST", f"{RETURNS}/4035999999999999999/approve",
                              body={"decision": "APPROVE_REFUND"})
    assert missing["message"] == "invalid param error: return_id does not exist"


def test_a_reason_not_in_the_requests_list_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    returns = every(client, RETURNS, "return_orders")
    asked = next(r for r in returns if r["seller_next_action_response"]
                 and r["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_REFUND")
    cancel_reason = "seller_reject_apply_product_has_been_packed"  # a cancellation's reason
    _, refused = client.fails("POST", f"{RETURNS}/{asked['return_id']}/reject",
                              query={"idempotency_key": "r1"},
                              body={"decision": "REJECT_REFUND", "reject_reason": cancel_reason})
    assert refused["message"] == ("invalid param error: reject_reason must come from Get "
                                  "Reject Reasons")
    reasons = client.ok("GET", "/return_refund/202309/reject_reasons",
                        query={"return_or_cancel_id": asked["return_id"]})["reasons"]
    assert cancel_reason not in {r["name"] for r in reasons}
    client.ok("POST", f"{RETURNS}/{asked['return_id']}/reject",
              query={"idempotency_key": "r2"},
              body={"decision": "REJECT_REFUND", "reject_reason": reasons[0]["name"],
                    "comment": "The photos show no damage"})
    assert client.shop.world.returns.rows[asked["return_id"]].status == \
        "REFUND_OR_RETURN_REQUEST_REJECT"


def test_a_repeated_key_gets_the_first_answer_and_the_shop_acts_once(client) -> None:  # type: ignore[no-untyped-def]
    returns = every(client, RETURNS, "return_orders")
    asked = next(r for r in returns if r["seller_next_action_response"]
                 and r["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_REFUND")
    path = f"{RETURNS}/{asked['return_id']}/approve"
    first = client.send("POST", path, query={"idempotency_key": "same"},
                        body={"decision": "APPROVE_REFUND"}).json()
    again = client.send("POST", path, query={"idempotency_key": "same"},
                        body={"decision": "APPROVE_REFUND"}).json()
    assert first["code"] == again["code"] == 0
    assert again["request_id"] == first["request_id"]  # the first answer, given again
    counts = client.shop.stats["endpoints"][APPROVE_RETURN]
    assert (counts["requests"], counts["handled"], counts["replayed"]) == (2, 1, 1)
    _, other = client.fails("POST", path, query={"idempotency_key": "another"},
                            body={"decision": "APPROVE_REFUND"})
    assert "not possible" in other["message"]  # a new key: the shop sees it answered
    assert client.shop.stats["endpoints"][APPROVE_RETURN]["handled"] == 2
