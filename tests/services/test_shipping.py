"""Arranging shipment against the demo shop: per-package results, labels kept on disk, the queue,
and never shipping twice after a lost answer or a crash."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_sessions import synced_session

from tiktok_desktop.api.errors import NetworkError, error_for
from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.services.shipping import SHIP, ShipChoice, Shipper

SHIP_CALLS = "POST /fulfillment/202309/packages/ship"


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    with DemoShop(DemoShopConfig(seed=9, orders=120, products=8, rate_limit=0)) as running:
        yield running


@pytest.fixture
def session(shop: DemoShop, tmp_path: Path) -> Iterator[ShopSession]:
    with synced_session(shop, tmp_path, "ship") as opened:
        yield opened


def queue(session: ShopSession):
    with session.cache.using("serial") as store:
        return store.shipping.queue(session.shop_id)


def ship_calls(shop: DemoShop) -> int:
    return shop.stats["endpoints"].get(SHIP_CALLS, {}).get("requests", 0)


def test_the_queue_lists_packages_to_ship_most_urgent_first_with_their_items(
        session: ShopSession, shop: DemoShop) -> None:
    waiting = queue(session)
    assert waiting
    deadlines = [p.ship_by for p in waiting if p.ship_by is not None]
    assert deadlines == sorted(deadlines)
    for package in waiting:
        world_package = shop.world.packages.rows[package.id]
        assert sum(i.quantity for i in package.items) == len(world_package.line_ids)
        assert all(i.seller_sku and i.product_name for i in package.items)
    on_hold = [p for p in waiting if p.order_status == "ON_HOLD"]
    assert all(p.on_hold and p.shippable_at for p in on_hold)


def test_arranging_ships_each_package_once_and_keeps_its_label(
        session: ShopSession, shop: DemoShop) -> None:
    to_arrange = [p for p in queue(session)
                  if not p.arranged and not p.on_hold and p.shipping_type == "TIKTOK"][:6]
    cancelled = next(p for p in shop.world.packages if p.status == "CANCELLED")
    choices = [ShipChoice(p.id, "DROP_OFF") for p in to_arrange]
    choices.append(ShipChoice(cancelled.id, "DROP_OFF"))
    result = session.arrange_shipment(choices)
    states = {r.package_id: r.state for r in result.results}
    assert [states[p.id] for p in to_arrange] == ["done"] * len(to_arrange)
    assert states[cancelled.id] == "failed"
    failed = next(r for r in result.results if r.package_id == cancelled.id)
    assert failed.message and failed.message[0].isupper()
    assert result.labels == len(to_arrange) and result.label_problems == ()
    assert ship_calls(shop) == 1  # one batch
    assert all(shop.world.packages.rows[p.id].tracking_number for p in to_arrange)
    with session.cache.using("serial") as store:
        labels = store.shipping.labels([p.id for p in to_arrange], "SHIPPING_LABEL", "A6")
        assert not store.outbox.items(session.shop_id, kind=SHIP, states=("pending", "sent"))
    for label in labels.values():
        path = Path(label.path)
        assert path.read_bytes().startswith(b"%PDF")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    arranged = {p.id for p in queue(session) if p.arranged}
    assert {p.id for p in to_arrange} <= arranged  # at once, before the next sync
    again = session.arrange_shipment([ShipChoice(to_arrange[0].id, "DROP_OFF")])
    assert again.results[0].state == "failed"  # the shop refuses a second ship


def test_a_seller_shipped_package_takes_its_tracking_number(
        session: ShopSession, shop: DemoShop) -> None:
    package = next(p for p in queue(session)
                   if p.shipping_type == "SELLER" and not p.arranged and not p.on_hold)
    result = session.arrange_shipment([ShipChoice(
        package.id, tracking_number="9400111202555842761234",
        shipping_provider_id="6617675021119438849")])
    assert result.results[0].state == "done" and result.labels == 0
    assert shop.world.packages.rows[package.id].tracking_number == "9400111202555842761234"


def test_a_lost_answer_is_asked_about_never_sent_again(
        session: ShopSession, shop: DemoShop, monkeypatch: pytest.MonkeyPatch) -> None:
    package = next(p for p in queue(session)
                   if not p.arranged and not p.on_hold and p.shipping_type == "TIKTOK")
    # The answer is lost inside the API call: the request went out and the shop shipped it.
    fulfillment = type(session.api.shop(session.shop.cipher).fulfillment)
    real_ship = fulfillment.ship_packages

    def ship_then_drop(self, packages):  # type: ignore[no-untyped-def]
        real_ship(self, packages)
        raise NetworkError("The connection dropped before TikTok Shop answered.")

    monkeypatch.setattr(fulfillment, "ship_packages", ship_then_drop)
    first = session.arrange_shipment([ShipChoice(package.id, "DROP_OFF")])
    assert first.results[0].state == "in_doubt" and first.problem
    assert ship_calls(shop) == 1
    monkeypatch.undo()
    second = session.arrange_shipment([ShipChoice(package.id, "DROP_OFF")])
    assert ship_calls(shop) == 1  # asked about (Get Package Detail), not shipped again
    with session.cache.using("serial") as store:
        [item] = store.outbox.items(session.shop_id, kind=SHIP, states=("done",))
    assert item.target == package.id
    assert [(r.package_id, r.state) for r in second.results] == [(package.id, "done")]
    assert second.labels == 1  # and its label is fetched now


def test_a_crash_after_claiming_sends_once_after_asking(
        session: ShopSession, shop: DemoShop) -> None:
    package = next(p for p in queue(session)
                   if not p.arranged and not p.on_hold and p.shipping_type == "TIKTOK")
    with session.cache.using("serial") as store:  # the app died between claim and send
        store.outbox.add(session.shop_id, SHIP, package.id,
                         {"package_id": package.id, "handover_method": "PICKUP",
                          "pickup_slot": None, "tracking_number": None,
                          "shipping_provider_id": None})
        [item] = store.outbox.items(session.shop_id, kind=SHIP, states=("pending",))
        store.outbox.claim([item.id])
    result = session.arrange_shipment([])
    assert ship_calls(shop) == 1  # still waiting to ship: sent once, now
    assert [r.state for r in result.results] == ["done"]
    assert shop.world.packages.rows[package.id].handover_method == "PICKUP"


def test_a_label_still_being_made_is_asked_for_again(
        session: ShopSession, shop: DemoShop, monkeypatch: pytest.MonkeyPatch) -> None:
    package = next(p for p in queue(session)
                   if not p.arranged and not p.on_hold and p.shipping_type == "TIKTOK")
    assert session.arrange_shipment([ShipChoice(package.id, "DROP_OFF")]).labels == 1
    fulfillment = type(session.api.shop(session.shop.cipher).fulfillment)
    real, tries = fulfillment.shipping_document, []

    def not_yet(self, package_id, **options):  # type: ignore[no-untyped-def]
        tries.append(package_id)
        if len(tries) < 3:
            raise error_for(11034037, "The shipping document is being generated.")
        return real(self, package_id, **options)

    monkeypatch.setattr(fulfillment, "shipping_document", not_yet)
    waited: list[float] = []
    with session.cache.using("push") as store:
        shipper = Shipper(session.api.shop(session.shop.cipher), session.shop_id, store,
                          session.store_path, sleep=waited.append)
        assert shipper.fetch_labels([package.id], "PACKING_SLIP", "A6") == (1, [])
    assert len(tries) == 3 and waited == [1.0, 2.0]
