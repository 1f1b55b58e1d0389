"""Orders: cursor pages that never skip or repeat, exact time windows, and believable objects."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from itertools import pairwise

SEARCH = "/order/202309/orders/search"


def pages(client, body: dict, size: int = 17, **query: str) -> list[list[dict]]:
    """Every page of a search, in order."""
    found, token = [], ""
    while True:
        params = {"page_size": str(size), **query}
        if token:
            params["page_token"] = token
        data = client.ok("POST", SEARCH, query=params, body=body)
        found.append(data["orders"])
        token = data["next_page_token"]
        if not token:
            return found


def test_paging_all_orders_has_no_gap_or_duplicate(client) -> None:
    got = [o["id"] for page in pages(client, {}, size=23) for o in page]
    assert len(got) == len(set(got)) == len(client.shop.world.orders)
    created = [o["create_time"] for page in pages(client, {}, size=50) for o in page]
    assert created == sorted(created, reverse=True)  # create_time DESC by default


def test_paging_stays_exact_while_orders_change(client) -> None:
    world = client.shop.world
    before = set(world.orders.rows)
    seen: list[str] = []
    token = ""
    changed = 0
    while True:
        params = {"page_size": "20", "sort_field": "create_time", "sort_order": "ASC"}
        if token:
            params["page_token"] = token
        data = client.ok("POST", SEARCH, query=params, body={})
        seen += [o["id"] for o in data["orders"]]
        # Meanwhile: a new order arrives, and an order on a later page changes.
        world.add_order()
        waiting = [o for o in world.orders if o.status == "AWAITING_SHIPMENT"
                   and o.id not in seen and not o.buyer_requested_cancel]
        if waiting:
            world.cancel_order(waiting[0].id)
            changed += 1
        token = data["next_page_token"]
        if not token:
            break
    assert changed > 5
    assert len(seen) == len(set(seen))
    assert before <= set(seen)  # nothing that existed was skipped; new orders may follow


def test_update_time_windows_are_exact_and_disjoint(client) -> None:
    world = client.shop.world
    times = sorted(o.update_time for o in world.orders)
    cut1, cut2 = times[len(times) // 3], times[2 * len(times) // 3]
    windows = [{"update_time_lt": cut1}, {"update_time_ge": cut1, "update_time_lt": cut2},
               {"update_time_ge": cut2}]
    collected = []
    for window in windows:
        found = [o for page in pages(client, window, size=40, sort_field="update_time",
                                     sort_order="ASC") for o in page]
        low, high = window.get("update_time_ge", 0), window.get("update_time_lt", 2**40)
        assert all(low <= o["update_time"] < high for o in found)
        total = client.ok("POST", SEARCH, query={"page_size": "1"}, body=window)["total_count"]
        assert total == len(found)
        collected += [o["id"] for o in found]
    assert sorted(collected) == sorted(world.orders.rows)


def test_filters_by_status_and_create_time(client) -> None:
    world = client.shop.world
    for status in ("AWAITING_SHIPMENT", "CANCELLED", "COMPLETED"):
        found = [o for page in pages(client, {"order_status": status}) for o in page]
        assert found and all(o["status"] == status for o in found)
        assert len(found) == sum(1 for o in world.orders if o.status == status)
    cut = sorted(o.create_time for o in world.orders)[100]
    found = [o for page in pages(client, {"create_time_ge": cut}, sort_field="update_time")
             for o in page]
    assert len(found) == sum(1 for o in world.orders if o.create_time >= cut)


def test_every_status_is_present_and_ship_by_is_ahead(client) -> None:
    world = client.shop.world
    statuses = Counter(o.status for o in world.orders)
    assert len(statuses) == 9
    waiting = client.ok("POST", SEARCH, query={"page_size": "100"},
                        body={"order_status": "AWAITING_SHIPMENT"})["orders"]
    assert all(o["rts_sla_time"] > world.now() for o in waiting)
    assert all(o["packages"] for o in waiting)


def test_order_objects_add_up(client) -> None:
    orders = [o for page in pages(client, {}, size=100) for o in page]
    money = Decimal
    for order in orders:
        pay = {k: money(v) for k, v in order["payment"].items() if k != "currency"}
        assert pay["sub_total"] == (pay["original_total_product_price"] - pay["seller_discount"]
                                    - pay["platform_discount"])
        assert pay["shipping_fee"] == (pay["original_shipping_fee"]
                                       - pay["shipping_fee_seller_discount"]
                                       - pay["shipping_fee_platform_discount"])
        assert pay["total_amount"] == (pay["sub_total"] + pay["shipping_fee"] + pay["tax"]
                                       + pay["retail_delivery_fee"])
        lines = order["line_items"]
        assert sum(money(x["sale_price"]) for x in lines) == pay["sub_total"]
        assert all(isinstance(order[k], int) for k in ("create_time", "update_time"))
        assert all(len(x["id"]) == 18 and x["id"].isdigit() for x in lines)
    multi_unit = [o for o in orders
                  if len(o["line_items"]) > len({x["sku_id"] for x in o["line_items"]})]
    assert multi_unit, "some orders buy several units of one SKU (one line item per unit)"
    masked = [o for o in orders if o["shipping_type"] == "TIKTOK"]
    assert all("***" in o["recipient_address"]["name"] for o in masked)
    assert all("-***-" in o["recipient_address"]["phone_number"] for o in masked)
    unpaid = [o for o in orders if o["status"] in ("UNPAID", "ON_HOLD")]
    assert unpaid and all(o["recipient_address"]["district_info"] == [] for o in unpaid)


def test_order_detail_and_price_detail(client) -> None:
    ids = list(client.shop.world.orders.rows)[:3]
    detail = client.ok("GET", "/order/202309/orders", query={"ids": ",".join(ids)})["orders"]
    assert [o["id"] for o in detail] == ids
    _, answer = client.fails("GET", "/order/202309/orders",
                             query={"ids": ",".join(list(client.shop.world.orders.rows)[:51])})
    assert answer["code"] == 36009004
    price = client.ok("GET", f"/order/202407/orders/{ids[0]}/price_detail")
    assert price["total"] == detail[0]["payment"]["total_amount"]
    assert [x["id"] for x in price["line_items"]] == [x["id"] for x in detail[0]["line_items"]]
    _, missing = client.fails("GET", "/order/202407/orders/576000000000000000/price_detail")
    assert missing["code"] == 21008111


def test_a_page_token_from_another_sort_is_refused(client) -> None:
    token = client.ok("POST", SEARCH, query={"page_size": "5"}, body={})["next_page_token"]
    _, answer = client.fails("POST", SEARCH, body={}, query={
        "page_size": "5", "page_token": token, "sort_field": "update_time"})
    assert "page_token" in answer["message"]
    _, answer = client.fails("POST", SEARCH, body={}, query={"page_size": "5",
                                                            "page_token": "+/nonsense"})
    assert "page_token" in answer["message"]


def test_disjoint_windows_paged_at_once_while_orders_arrive(shop, new_client) -> None:
    """What the sync engine does: several update_time windows paged concurrently."""
    world = shop.world
    existing = set(world.orders.rows)
    times = sorted(o.update_time for o in world.orders)
    cuts = [0, times[len(times) // 4], times[len(times) // 2], times[3 * len(times) // 4]]
    windows = [{"update_time_ge": lo, "update_time_lt": hi} for lo, hi in pairwise(cuts)]
    windows.append({"update_time_ge": cuts[-1]})
    clients = [new_client(shop) for _ in windows]

    def page_all(job: tuple) -> list[str]:
        client, window = job
        ids, token = [], ""
        while True:
            query = {"page_size": "9", "sort_field": "update_time", "sort_order": "ASC"}
            if token:
                query["page_token"] = token
            data = client.ok("POST", SEARCH, query=query, body=window)
            ids += [o["id"] for o in data["orders"]]
            world.add_order()  # new orders land in the last window, after its cursor
            token = data["next_page_token"]
            if not token:
                return ids

    with ThreadPoolExecutor(len(windows)) as pool:
        results = list(pool.map(page_all, zip(clients, windows, strict=True)))
    seen = [i for ids in results for i in ids]
    assert len(seen) == len(set(seen))
    assert existing <= set(seen)


def _all_orders(client) -> list[dict]:
    return [o for page in pages(client, {}, size=100) for o in page]


def test_a_pending_cancellation_request_carries_its_time(client) -> None:
    world = client.shop.world
    asked = {c.order_id: c.create_time for c in world.cancellations
             if c.status == "CANCELLATION_REQUEST_PENDING"}
    orders = _all_orders(client)
    flagged = {o["id"]: o.get("request_cancel_time") for o in orders
               if o["is_buyer_request_cancel"]}
    assert flagged and flagged == asked
    assert not any("request_cancel_time" in o for o in orders if not o["is_buyer_request_cancel"])

    waiting = next(o for o in world.orders
                   if o.status == "AWAITING_SHIPMENT" and not o.buyer_requested_cancel)
    world.advance_clock(90)
    world.request_cancellation(waiting.id)
    detail = client.ok("GET", "/order/202309/orders", query={"ids": waiting.id})["orders"][0]
    assert detail["is_buyer_request_cancel"] and detail["request_cancel_time"] == world.now()


def test_line_items_show_their_package_once_shipped_as_for_a_us_local_seller(client) -> None:
    statuses = Counter()
    for order in _all_orders(client):
        for line in order["line_items"]:
            statuses[line.get("package_status")] += 1
            assert ("package_id" in line) == ("package_status" in line)
            if line["display_status"] in ("IN_TRANSIT", "DELIVERED", "COMPLETED"):
                assert line["package_id"] in {p["id"] for p in order["packages"]}
            if order["status"] in ("UNPAID", "ON_HOLD", "AWAITING_SHIPMENT"):
                assert "package_id" not in line  # not shipped yet
    assert set(statuses) <= {None, "PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED"}
    assert {"PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED"} <= set(statuses)


def test_an_orders_delivery_option_name_is_what_the_shop_calls_that_option(client) -> None:
    world = client.shop.world
    warehouse = next(iter(world.orders)).warehouse_id
    named = {o["id"]: o["name"] for o in client.ok(
        "GET", f"/logistics/202309/warehouses/{warehouse}/delivery_options",
        cipher=True)["delivery_options"]}
    orders = _all_orders(client)
    assert all(named[o["delivery_option_id"]] == o["delivery_option_name"] for o in orders)
    # Shipped-by-seller orders are told apart by shipping_type, not by the display name.
    assert {o["shipping_type"] for o in orders} == {"TIKTOK", "SELLER"}


def test_get_order_detail_202507_answers_as_202309_does(client) -> None:
    ids = ",".join(o.id for o in list(client.shop.world.orders)[:50])
    old = client.ok("GET", "/order/202309/orders", query={"ids": ids})["orders"]
    new = client.ok("GET", "/order/202507/orders", query={"ids": ids})["orders"]
    assert len(new) == 50 and new == old
    status, answer = client.fails("GET", "/order/202507/orders", query={"ids": ids + ",1"})
    assert (status, answer["code"]) == (400, 36009004)
