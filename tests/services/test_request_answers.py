"""Answering buyers' requests against the demo shop: approve and reject with TikTok's reasons,
each request's result, refusals in the seller's words, and never an answer given twice — after a
lost reply, a dropped connection or a crash, the same idempotency key or a read-back settles it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_sessions import synced_session
from request_samples import Crash, CrashingAnswerer

from tiktok_desktop.api.errors import NetworkError
from tiktok_desktop.api.returns import Returns
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.request_answers import (
    APPROVE,
    REJECT,
    REQUEST_ANSWER,
    Answer,
)
from tiktok_desktop.services.request_plans import common_reasons, plan
from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.services.shipping import CANCEL_ASKED, ShipChoice
from tiktok_desktop.store.requests import BuyerRequest

APPROVE_CANCEL = "POST /return_refund/202309/cancellations/{id}/approve"
REJECT_CANCEL = "POST /return_refund/202309/cancellations/{id}/reject"
APPROVE_RETURN = "POST /return_refund/202309/returns/{id}/approve"
REJECT_RETURN = "POST /return_refund/202309/returns/{id}/reject"
SHIP_PACKAGES = "POST /fulfillment/202309/packages/ship"


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    with DemoShop(DemoShopConfig(seed=5, orders=500, products=30, rate_limit=0)) as running:
        yield running


@pytest.fixture
def session(shop: DemoShop, tmp_path: Path) -> Iterator[ShopSession]:
    with synced_session(shop, tmp_path, "requests") as opened:
        yield opened


def calls(shop: DemoShop, endpoint: str) -> int:
    return shop.stats["endpoints"].get(endpoint, {}).get("requests", 0)


def acted(shop: DemoShop, endpoint: str) -> int:
    """Answers the shop's handler took (acted on, or refused): not those dropped before they
    reached it, nor those repeating a key already answered (given the first answer again)."""
    return shop.stats["endpoints"].get(endpoint, {}).get("handled", 0)


def replayed(shop: DemoShop, endpoint: str) -> int:
    return shop.stats["endpoints"].get(endpoint, {}).get("replayed", 0)


def cached(session: ShopSession, *request_ids: str) -> dict[str, BuyerRequest]:
    with session.cache.using("serial") as store:
        return store.requests.get(list(request_ids))


def waiting(session: ShopSession, action: str) -> list[BuyerRequest]:
    with session.cache.using("serial") as store:
        return [r for r in store.requests.open(session.shop_id) if r.next_action == action]


def outbox_states(session: ShopSession) -> dict[str, str]:
    with session.cache.using("serial") as store:
        return {i.target: i.state for i in store.outbox.items(
            session.shop_id, kind=REQUEST_ANSWER, states=("pending", "sent", "done", "failed"))}


def reasons_of(session: ShopSession, request_id: str) -> tuple[tuple[str, str], ...]:
    return session.reject_reasons([request_id])[request_id]


def test_approving_and_rejecting_answers_each_request_and_reads_it_back(
        session: ShopSession, shop: DemoShop) -> None:
    world = shop.world
    cancel_one, cancel_two = waiting(session, "SELLER_RESPOND_CANCEL")[:2]
    refund = waiting(session, "SELLER_RESPOND_REFUND")[0]
    code, words = reasons_of(session, cancel_two.id)[0]
    result = session.answer_requests([
        Answer(cancel_one.id, APPROVE), Answer(refund.id, APPROVE),
        Answer(cancel_two.id, REJECT, code, words, "Already packed, sorry"),
    ])
    assert {r.request_id: r.state for r in result.results} == {
        cancel_one.id: "done", refund.id: "done", cancel_two.id: "done"}
    assert result.problem is None
    assert world.orders.rows[cancel_one.order_id].status == "CANCELLED"
    assert world.returns.rows[refund.id].status == "RETURN_OR_REFUND_REQUEST_SUCCESS"
    assert world.cancellations.rows[cancel_two.id].status == "CANCELLATION_REQUEST_CANCELLED"
    assert world.orders.rows[cancel_two.order_id].status == "AWAITING_SHIPMENT"
    # Read back at once: nothing waits for an answer any more, the orders follow.
    now = cached(session, cancel_one.id, cancel_two.id, refund.id)
    assert not any(r.needs_answer for r in now.values())
    with session.cache.using("serial") as store:
        assert store.orders.detail(cancel_one.order_id).order.status == "CANCELLED"
        assert store.orders.detail(cancel_two.order_id).raw["is_buyer_request_cancel"] is False
    assert result.changes.touches("cancellations", "returns", "orders", "outbox")
    assert outbox_states(session) == {cancel_one.id: "done", refund.id: "done",
                                      cancel_two.id: "done"}


def test_each_answer_carries_its_own_key_stored_before_it_is_sent(
        session: ShopSession, shop: DemoShop, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = waiting(session, "SELLER_RESPOND_CANCEL")[:2]
    sent: list[tuple[str, str]] = []

    def approve(self, cancel_id, *, idempotency_key=None):  # type: ignore[no-untyped-def]
        with session.cache.using("serial") as store:  # written before it leaves
            [item] = [i for i in store.outbox.items(session.shop_id, kind=REQUEST_ANSWER,
                                                    states=("sent",)) if i.target == cancel_id]
        assert item.payload["idempotency_key"] == idempotency_key
        sent.append((cancel_id, idempotency_key))

    monkeypatch.setattr(Returns, "approve_cancellation", approve)
    session.answer_requests([Answer(first.id, APPROVE), Answer(second.id, APPROVE)])
    assert [c for c, _ in sent] == [first.id, second.id]
    assert len({k for _, k in sent}) == 2 and all(len(k) >= 16 for _, k in sent)


def test_a_request_closed_elsewhere_fails_alone_and_says_where_it_stands(
        session: ShopSession, shop: DemoShop) -> None:
    world = shop.world
    closed, fine = waiting(session, "SELLER_RESPOND_CANCEL")[:2]
    world.cancel_order(closed.order_id)  # approved in Seller Center meanwhile
    result = session.answer_requests([Answer(closed.id, APPROVE), Answer(fine.id, APPROVE)])
    states = {r.request_id: r for r in result.results}
    assert states[fine.id].state == "done"
    assert states[closed.id].state == "failed"
    assert states[closed.id].message == ("Already answered or closed elsewhere: cancelled and "
                                         "refunded.")
    assert acted(shop, APPROVE_CANCEL) == 2  # the shop refused the first: nothing happened
    assert not cached(session, closed.id)[closed.id].needs_answer  # read back


def test_a_reason_not_in_the_list_is_refused_by_the_shop_in_its_words(
        session: ShopSession, shop: DemoShop) -> None:
    request = waiting(session, "SELLER_RESPOND_CANCEL")[0]
    result = session.answer_requests([Answer(request.id, REJECT, "because_i_say_so")])
    [answer] = result.results
    assert answer.state == "failed"
    assert answer.message == ("TikTok Shop refused this answer: Reject_reason must come from "
                              "Get Reject Reasons.")
    assert shop.world.cancellations.rows[request.id].status == "CANCELLATION_REQUEST_PENDING"
    # Answering again is a new answer, with a new key: the first refusal is not replayed.
    code, words = reasons_of(session, request.id)[0]
    again = session.answer_requests([Answer(request.id, REJECT, code, words)])
    assert [r.state for r in again.results] == ["done"]


def test_a_request_that_no_longer_waits_is_not_sent(session: ShopSession, shop: DemoShop) -> None:
    with session.cache.using("serial") as store:
        done = next(r for r in store.requests.closed(session.shop_id) if r.kind == "return")
    result = session.answer_requests([Answer(done.id, APPROVE)])
    [answer] = result.results
    assert answer.state == "failed" and answer.message.startswith("Nothing to answer: ")
    assert calls(shop, APPROVE_RETURN) == 0 and outbox_states(session) == {}


def test_the_plan_sorts_the_selection_and_reasons_are_shared_or_not(
        session: ShopSession, shop: DemoShop) -> None:
    first, second = waiting(session, "SELLER_RESPOND_CANCEL")[:2]
    refund = waiting(session, "SELLER_RESPOND_REFUND")[0]
    with session.cache.using("serial") as store:
        done = store.requests.closed(session.shop_id)[0]
        planned = plan(store, session.shop_id, APPROVE, [first.id, done.id, refund.id])
    assert [r.id for r in planned.send] == [first.id, refund.id]
    assert [(r.id, why.split(":")[0]) for r, why in planned.left] == [
        (done.id, "Nothing to answer")]
    assert planned.next_actions == ("SELLER_RESPOND_CANCEL", "SELLER_RESPOND_REFUND")
    reasons = session.reject_reasons([first.id, second.id, refund.id])
    assert common_reasons([reasons[first.id], reasons[second.id]]) == reasons[first.id]
    assert common_reasons([reasons[first.id], reasons[refund.id]]) == ()


@pytest.mark.parametrize("took_effect", [True, False], ids=["reply-lost", "never-arrived"])
def test_a_lost_reply_is_settled_by_reading_the_request_never_answered_twice(
        session: ShopSession, shop: DemoShop, monkeypatch: pytest.MonkeyPatch,
        took_effect: bool) -> None:
    request = waiting(session, "SELLER_RESPOND_REFUND")[0]
    real = Returns.approve_return
    keys: list[str] = []

    def lose_the_reply(self, return_id, **kwargs):  # type: ignore[no-untyped-def]
        keys.append(kwargs["idempotency_key"])
        if took_effect:
            real(self, return_id, **kwargs)
        raise NetworkError("The connection dropped before TikTok Shop answered.")

    monkeypatch.setattr(Returns, "approve_return", lose_the_reply)
    first = session.answer_requests([Answer(request.id, APPROVE)])
    assert [r.state for r in first.results] == ["in_doubt"] and first.problem
    assert outbox_states(session) == {request.id: "sent"}
    monkeypatch.undo()
    second = session.answer_requests()  # the next run (the tab opening)
    assert [(r.request_id, r.state) for r in second.results] == [(request.id, "done")]
    assert acted(shop, APPROVE_RETURN) == 1
    # Read back first: sent again (with the same key) only when it had not arrived.
    assert calls(shop, APPROVE_RETURN) == 1
    assert shop.world.returns.rows[request.id].status == "RETURN_OR_REFUND_REQUEST_SUCCESS"
    assert outbox_states(session) == {request.id: "done"}


def test_dropped_connections_never_make_an_answer_land_twice(
        session: ShopSession, shop: DemoShop) -> None:
    requests = waiting(session, "SELLER_RESPOND_CANCEL")[:3]
    # Every call dropped, before or after the shop acted: the client tries again with the
    # answer's own key (the shop gives a repeated key its first answer), then leaves it in doubt.
    shop.configure(fault_rate=1.0, fault_kinds=("drop",))
    first = session.answer_requests([Answer(r.id, APPROVE) for r in requests])
    shop.configure(fault_rate=0.0)
    assert [r.state for r in first.results] == ["in_doubt", "waiting", "waiting"]
    assert first.problem == "Could not reach TikTok Shop; check the internet connection."
    second = session.answer_requests()  # read back, then sent (same key) if it had not landed
    assert {r.request_id: r.state for r in second.results} == {r.id: "done" for r in requests}
    assert all(shop.world.orders.rows[r.order_id].status == "CANCELLED" for r in requests)
    assert acted(shop, APPROVE_CANCEL) == 3
    assert calls(shop, APPROVE_CANCEL) > 3


@pytest.mark.parametrize("after_effect", [True, False], ids=["answer-landed", "never-sent"])
def test_a_killed_process_is_resumed_without_a_double_answer(
        session: ShopSession, shop: DemoShop, after_effect: bool) -> None:
    cancel = waiting(session, "SELLER_RESPOND_CANCEL")[0]
    refund = waiting(session, "SELLER_RESPOND_REFUND")[0]
    code, words = reasons_of(session, refund.id)[0]
    answers = [Answer(cancel.id, APPROVE), Answer(refund.id, REJECT, code, words, "Used")]
    with session.cache.using("push") as store, pytest.raises(Crash):
        CrashingAnswerer(session.api.shop(session.shop.cipher), session.shop_id, store,
                         after_effect=after_effect).answer(answers)
    assert outbox_states(session) == {cancel.id: "sent", refund.id: "pending"}

    resumed = session.answer_requests()  # the next start: the Requests tab opening
    assert {(r.request_id, r.state) for r in resumed.results} == {
        (cancel.id, "done"), (refund.id, "done")}
    assert acted(shop, APPROVE_CANCEL) == 1 and acted(shop, REJECT_RETURN) == 1
    assert calls(shop, APPROVE_CANCEL) == 1  # before the crash, or after the restart
    assert shop.world.orders.rows[cancel.order_id].status == "CANCELLED"
    assert shop.world.returns.rows[refund.id].status == "REFUND_OR_RETURN_REQUEST_REJECT"
    again = session.answer_requests()
    assert again.results == () and acted(shop, APPROVE_CANCEL) == 1


def test_a_package_is_not_shipped_while_its_buyers_cancellation_waits(
        session: ShopSession, shop: DemoShop) -> None:
    request = waiting(session, "SELLER_RESPOND_CANCEL")[0]
    [package] = shop.world.orders.rows[request.order_id].packages
    held = session.arrange_shipment([ShipChoice(package, "DROP_OFF")])
    assert [(r.package_id, r.state, r.message) for r in held.results] == [
        (package, "failed", CANCEL_ASKED)]
    assert not shop.world.packages.rows[package].shipped_time
    assert calls(shop, SHIP_PACKAGES) == 0
    code, words = reasons_of(session, request.id)[0]
    session.answer_requests([Answer(request.id, REJECT, code, words)])  # it ships after all
    shipped = session.arrange_shipment([ShipChoice(package, "DROP_OFF")])
    assert [(r.package_id, r.state) for r in shipped.results] == [(package, "done")]
    assert shop.world.packages.rows[package].shipped_time
