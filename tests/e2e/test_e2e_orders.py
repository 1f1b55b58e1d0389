"""Orders, live: paging the whole shop, incremental pulls, detail and price detail."""

from __future__ import annotations

import pytest

from tiktok_desktop.api.errors import InvalidParameterError, NotFoundError


def test_paging_all_orders_has_no_gap_and_no_duplicate(signed_in, demo_shop) -> None:
    pages = list(
        signed_in.shop.orders.iter_pages(page_size=37, sort_field="create_time", sort_order="ASC")
    )
    ids = [order["id"] for page in pages for order in page.items]
    assert len(pages) > 10
    assert len(ids) == len(set(ids)) == pages[0].total_count
    with demo_shop.world.lock:
        assert set(ids) == set(demo_shop.world.orders.rows)
    created = [order["create_time"] for page in pages for order in page.items]
    assert created == sorted(created)
    assert pages[-1].next_page_token == "" and all(p.next_page_token for p in pages[:-1])


def test_incremental_pull_by_update_time_sees_new_and_changed_orders(signed_in, demo_shop):
    orders = signed_in.shop.orders
    everything = [o for p in orders.iter_pages(page_size=100) for o in p.items]
    watermark = max(o["update_time"] for o in everything) + 1
    demo_shop.world.advance_clock(5)
    new_id = demo_shop.world.add_order()
    waiting = next(o for o in everything if o["status"] == "AWAITING_SHIPMENT")
    demo_shop.world.cancel_order(waiting["id"])

    changed = [
        o
        for p in orders.iter_pages(
            {"update_time_ge": watermark}, page_size=100,
            sort_field="update_time", sort_order="ASC",
        )
        for o in p.items
    ]
    by_id = {o["id"]: o for o in changed}
    assert new_id in by_id and by_id[waiting["id"]]["status"] == "CANCELLED"


def test_filter_by_status(signed_in) -> None:
    page = signed_in.shop.orders.search_page({"order_status": "AWAITING_SHIPMENT"}, page_size=50)
    assert page.items and {o["status"] for o in page.items} == {"AWAITING_SHIPMENT"}


def test_detail_for_more_than_50_ids_and_price_detail(signed_in) -> None:
    summaries = signed_in.shop.orders.search_page(page_size=100).items
    ids = [o["id"] for o in summaries[:73]]
    detail = signed_in.shop.orders.get(ids)
    assert sorted(o["id"] for o in detail) == sorted(ids)
    order = detail[0]
    assert order["line_items"] and order["payment"]["currency"]
    assert all(isinstance(o["create_time"], int) for o in detail)

    price = signed_in.shop.orders.price_detail(order["id"])
    assert price["currency"] == order["payment"]["currency"]
    assert price["total"] == order["payment"]["total_amount"]


def test_unknown_orders(signed_in) -> None:
    unknown = "576460000000000001"
    assert signed_in.shop.orders.get([unknown]) == []  # detail simply leaves unknown ids out
    with pytest.raises(NotFoundError) as caught:
        signed_in.shop.orders.price_detail(unknown)
    assert caught.value.code == 21008111


def test_page_size_out_of_range_is_refused(signed_in) -> None:
    with pytest.raises(InvalidParameterError):
        signed_in.shop.orders.search_page(page_size=101)
