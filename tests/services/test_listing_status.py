"""Activating and deactivating listings against the demo shop: batches of twenty, each listing's
result, TikTok's refusals in the seller's words, and never a change sent twice after a lost
answer or a crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_sessions import synced_session

from tiktok_desktop.api.errors import NetworkError
from tiktok_desktop.api.products import Products
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.listing_status import (
    ACTIVATE,
    DEACTIVATE,
    LISTING_STATUS,
    ListingStatusChanger,
    plan,
)
from tiktok_desktop.services.session import ShopSession

ACTIVATE_CALLS = "POST /product/202309/products/activate"
DEACTIVATE_CALLS = "POST /product/202309/products/deactivate"
FROZEN = "A frozen listing can't be activated: TikTok Shop froze it; see Seller Center."


class Crash(BaseException):
    """The process dying: nothing after it runs."""


class CrashingChanger(ListingStatusChanger):
    """Dies right after claiming its first batch, before the request leaves."""

    def _send(self, batch):  # type: ignore[no-untyped-def]
        raise Crash


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    with DemoShop(DemoShopConfig(seed=14, orders=20, products=60, rate_limit=0)) as running:
        yield running


@pytest.fixture
def session(shop: DemoShop, tmp_path: Path) -> Iterator[ShopSession]:
    with synced_session(shop, tmp_path, "listings") as opened:
        yield opened


def calls(shop: DemoShop, endpoint: str) -> int:
    return shop.stats["endpoints"].get(endpoint, {}).get("requests", 0)


def in_state(shop: DemoShop, status: str) -> list[str]:
    return [p.id for p in shop.world.products if p.status == status]


def shop_status(shop: DemoShop, product_id: str) -> str:
    return shop.world.products.rows[product_id].status


def cached_status(session: ShopSession, product_id: str) -> str:
    with session.cache.using("serial") as store:
        return store.conn.execute("SELECT status FROM products WHERE id = ?",
                                  (product_id,)).fetchone()[0]


def outbox_states(session: ShopSession) -> dict[str, str]:
    with session.cache.using("serial") as store:
        return {i.target: i.state for i in store.outbox.items(
            session.shop_id, kind=LISTING_STATUS,
            states=("pending", "sent", "done", "failed"))}


def test_deactivating_sends_twenty_a_call_and_each_listing_gets_its_result(
        session: ShopSession, shop: DemoShop) -> None:
    live = in_state(shop, "ACTIVATE")[:25]
    frozen, in_review = in_state(shop, "FREEZE")[0], in_state(shop, "PENDING")[0]
    result = session.change_listing_status(DEACTIVATE, [*live, frozen, in_review])
    states = {r.product_id: r for r in result.results}
    assert [states[p].state for p in live] == ["done"] * 25
    assert calls(shop, DEACTIVATE_CALLS) == 2  # 27 listings: 20 + 7
    assert all(shop_status(shop, p) == "SELLER_DEACTIVATED" for p in live)
    assert states[frozen].state == states[in_review].state == "failed"
    assert states[frozen].message == ("A frozen listing can't be deactivated: TikTok Shop "
                                      "froze it; see Seller Center.")
    assert states[in_review].message == ("A listing in review can't be deactivated until "
                                         "TikTok Shop has reviewed it.")
    assert shop_status(shop, in_review) == "PENDING"  # the demo shop refused it
    assert cached_status(session, live[0]) == "SELLER_DEACTIVATED"  # read back at once
    assert result.changes.touches("products")
    outbox = outbox_states(session)
    assert [outbox[p] for p in live] == ["done"] * 25
    assert outbox[frozen] == outbox[in_review] == "failed"


def test_activating_goes_to_review_and_refusals_say_why(
        session: ShopSession, shop: DemoShop) -> None:
    deactivated = in_state(shop, "SELLER_DEACTIVATED")[0]
    frozen, failed = in_state(shop, "FREEZE")[0], in_state(shop, "FAILED")[0]
    by_tiktok, draft = in_state(shop, "PLATFORM_DEACTIVATED")[0], in_state(shop, "DRAFT")[0]
    result = session.change_listing_status(
        ACTIVATE, [deactivated, frozen, failed, by_tiktok, draft])
    states = {r.product_id: r for r in result.results}
    assert states[deactivated].state == "done"
    assert shop_status(shop, deactivated) == "PENDING"  # TikTok reviews it first
    assert cached_status(session, deactivated) == "PENDING"
    assert states[frozen].message == FROZEN
    assert states[failed].message.startswith("A listing that failed review can't be activated")
    assert states[by_tiktok].message.startswith("TikTok Shop deactivated this listing")
    assert states[draft].message.startswith("A draft can't be activated")
    assert [shop_status(shop, p) for p in (frozen, failed, by_tiktok, draft)] == [
        "FREEZE", "FAILED", "PLATFORM_DEACTIVATED", "DRAFT"]
    assert calls(shop, ACTIVATE_CALLS) == 1


def test_a_listing_already_so_is_done_without_a_request(
        session: ShopSession, shop: DemoShop) -> None:
    deactivated, live = in_state(shop, "SELLER_DEACTIVATED")[0], in_state(shop, "ACTIVATE")[0]
    off = session.change_listing_status(DEACTIVATE, [deactivated])
    on = session.change_listing_status(ACTIVATE, [live])
    assert [(r.product_id, r.state) for r in off.results + on.results] == [
        (deactivated, "done"), (live, "done")]
    assert calls(shop, DEACTIVATE_CALLS) == calls(shop, ACTIVATE_CALLS) == 0
    assert outbox_states(session) == {}


def test_the_plan_says_what_each_selected_listing_would_do(
        session: ShopSession, shop: DemoShop) -> None:
    live, deactivated = in_state(shop, "ACTIVATE")[0], in_state(shop, "SELLER_DEACTIVATED")[0]
    frozen = in_state(shop, "FREEZE")[0]
    with session.cache.using("serial") as store:
        planned = plan(store, session.shop_id, ACTIVATE, [live, deactivated, frozen])
    assert [x.product_id for x in planned.change] == [deactivated]
    assert [x.product_id for x in planned.already] == [live]
    assert [(x.product_id, why) for x, why in planned.refused] == [(frozen, FROZEN)]
    assert all(x.title for x in planned.change + planned.already)


@pytest.mark.parametrize("took_effect", [True, False], ids=["answer-lost", "never-arrived"])
def test_a_lost_answer_is_settled_by_reading_the_listing_never_sent_twice(
        session: ShopSession, shop: DemoShop, monkeypatch: pytest.MonkeyPatch,
        took_effect: bool) -> None:
    live = in_state(shop, "ACTIVATE")[0]
    real_deactivate = Products.deactivate

    def lose_the_answer(self, product_ids, **kwargs):  # type: ignore[no-untyped-def]
        if took_effect:
            real_deactivate(self, product_ids, **kwargs)
        raise NetworkError("The connection dropped before TikTok Shop answered.")

    monkeypatch.setattr(Products, "deactivate", lose_the_answer)
    first = session.change_listing_status(DEACTIVATE, [live])
    assert [r.state for r in first.results] == ["in_doubt"] and first.problem
    assert outbox_states(session) == {live: "sent"}
    monkeypatch.undo()
    second = session.change_listing_status(None)  # the next run (the tab opening)
    assert [(r.product_id, r.state) for r in second.results] == [(live, "done")]
    assert calls(shop, DEACTIVATE_CALLS) == 1  # read, then sent only if it had not landed
    assert shop_status(shop, live) == "SELLER_DEACTIVATED"
    assert outbox_states(session) == {live: "done"}


def test_a_dropped_connection_from_the_demo_shop_is_settled_by_reading(
        session: ShopSession, shop: DemoShop) -> None:
    live = in_state(shop, "ACTIVATE")[:3]
    shop.configure(fault_rate=1.0, fault_kinds=("drop",))
    first = session.change_listing_status(DEACTIVATE, live)
    shop.configure(fault_rate=0.0)
    assert {r.state for r in first.results} == {"in_doubt"}
    landed = shop_status(shop, live[0]) == "SELLER_DEACTIVATED"
    assert calls(shop, DEACTIVATE_CALLS) == 1  # not resent by the client
    second = session.change_listing_status(None)
    assert {r.state for r in second.results} == {"done"}
    assert all(shop_status(shop, p) == "SELLER_DEACTIVATED" for p in live)
    assert calls(shop, DEACTIVATE_CALLS) == (1 if landed else 2)
    assert calls(shop, "GET /product/202309/products/{id}") >= 3  # each read


def test_a_crash_between_claim_and_send_is_finished_once_at_the_next_start(
        session: ShopSession, shop: DemoShop) -> None:
    deactivated = in_state(shop, "SELLER_DEACTIVATED")[:2]
    with session.cache.using("push") as store, pytest.raises(Crash):
        CrashingChanger(session.api.shop(session.shop.cipher), session.shop_id,
                        store).change(ACTIVATE, deactivated)
    assert outbox_states(session) == {p: "sent" for p in deactivated}
    resumed = session.change_listing_status(None)
    assert {(r.product_id, r.state) for r in resumed.results} == {
        (p, "done") for p in deactivated}
    assert calls(shop, ACTIVATE_CALLS) == 1
    assert [shop_status(shop, p) for p in deactivated] == ["PENDING", "PENDING"]
    again = session.change_listing_status(None)
    assert again.results == () and calls(shop, ACTIVATE_CALLS) == 1
