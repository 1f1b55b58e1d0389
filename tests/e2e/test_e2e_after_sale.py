"""Returns, cancellations, finance and webhooks, live."""

from __future__ import annotations

import pytest

from tiktok_desktop.api.errors import ApiError

PENDING_CANCEL = "CANCELLATION_REQUEST_PENDING"


def test_approving_a_cancellation_cancels_the_order(signed_in, demo_shop) -> None:
    shop = signed_in.shop
    order_id = demo_shop.world.add_order()
    cancel_id = demo_shop.world.request_cancellation(order_id)

    found = shop.returns.search_cancellations_page({"order_ids": [order_id]}).items
    assert [c["cancel_id"] for c in found] == [cancel_id]
    assert found[0]["cancel_status"] == PENDING_CANCEL

    shop.returns.approve_cancellation(cancel_id)
    assert shop.orders.get([order_id])[0]["status"] == "CANCELLED"


def test_rejecting_a_cancellation_with_a_listed_reason(signed_in, demo_shop) -> None:
    shop = signed_in.shop
    order_id = demo_shop.world.add_order()
    cancel_id = demo_shop.world.request_cancellation(order_id)
    reasons = shop.returns.reject_reasons(cancel_id)
    assert reasons and reasons[0]["name"] and reasons[0]["text"]
    shop.returns.reject_cancellation(cancel_id, reject_reason=reasons[0]["name"],
                                     comment="Already packed")
    assert shop.orders.get([order_id])[0]["status"] != "CANCELLED"


def test_the_same_idempotency_key_decides_only_once(signed_in, demo_shop) -> None:
    shop = signed_in.shop
    order_id = demo_shop.world.add_order()
    cancel_id = demo_shop.world.request_cancellation(order_id)
    shop.returns.approve_cancellation(cancel_id, idempotency_key="outbox-row-17")
    shop.returns.approve_cancellation(cancel_id, idempotency_key="outbox-row-17")  # replayed
    with pytest.raises(ApiError):  # a new decision on a decided request is refused
        shop.returns.approve_cancellation(cancel_id)


def test_returns_search_and_answer(signed_in) -> None:
    shop = signed_in.shop
    pages = []
    page_token = None
    while True:
        page = shop.returns.search_returns_page(page_size=20, page_token=page_token)
        pages.append(page)
        if page.is_last:
            break
        page_token = page.next_page_token
    returns = [r for p in pages for r in p.items]
    assert returns and len(returns) == pages[0].total_count
    pending = [r for r in returns if r.get("seller_next_action_response")]
    assert len(pending) >= 2, "the demo shop should have returns waiting for the seller"

    first, second = pending[0], pending[1]
    shop.returns.approve_return(first["return_id"], decision=_decision(first, "APPROVE"))
    reasons = shop.returns.reject_reasons(second["return_id"])
    shop.returns.reject_return(second["return_id"], decision=_decision(second, "REJECT"),
                               reject_reason=reasons[0]["name"])
    after = {r["return_id"]: r for r in shop.returns.search_returns_page(
        {"return_ids": [first["return_id"], second["return_id"]]}).items}
    assert after[first["return_id"]]["return_status"] != first["return_status"]
    assert after[second["return_id"]]["return_status"] != second["return_status"]


def _decision(record: dict, verb: str) -> str:
    action = record["seller_next_action_response"][0]["action"]
    what = {"SELLER_RESPOND_REFUND": "REFUND", "SELLER_RESPOND_RETURN": "RETURN",
            "SELLER_RESPOND_RECEIVE_PACKAGE": "RECEIVED_PACKAGE"}[action]
    return f"{verb}_{what}"


def test_finance_statements_payments_transactions(signed_in) -> None:
    finance = signed_in.shop.finance
    statements = finance.statements_page(page_size=10)
    assert statements.items and statements.items[0]["currency"]
    if statements.next_page_token:
        more = finance.statements_page(page_size=10, page_token=statements.next_page_token)
        assert {s["id"] for s in more.items}.isdisjoint({s["id"] for s in statements.items})
    payments = finance.payments_page(page_size=10)
    assert payments.items and payments.items[0]["amount"]["currency"]
    transactions = finance.statement_transactions_page(statements.items[0]["id"])
    assert transactions.items
    assert all(t["type"] for t in transactions.items)


def test_webhooks_update_list_delete(signed_in) -> None:
    webhooks = signed_in.shop.webhooks
    webhooks.update("ORDER_STATUS_CHANGE", "https://example.test/hooks/orders")
    webhooks.update("ORDER_STATUS_CHANGE", "https://example.test/hooks/orders2")  # an upsert
    listed = {w["event_type"]: w["address"] for w in webhooks.list()}
    assert listed["ORDER_STATUS_CHANGE"] == "https://example.test/hooks/orders2"
    webhooks.delete("ORDER_STATUS_CHANGE")
    webhooks.delete("ORDER_STATUS_CHANGE")  # deleting nothing still succeeds
    assert "ORDER_STATUS_CHANGE" not in {w["event_type"] for w in webhooks.list()}
