"""What an order holds and when it must ship: rows with their items (and packages while an order
ships in parts), packages with their line items, and the "Ship today / overdue" filter."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from store_samples import SHOP, line_item, order, package

from tiktok_desktop.store import STATUS_FILTERS, OrderQuery, Store
from tiktok_desktop.store.orders import DUE_TODAY, end_of_today, in_status_filter

HOUR = 3600
END = 1_700_100_000  # "today" ends here in these tests


def oid(n: int) -> str:
    return order(n)["id"]


def due(n: int, ship_by: int | None, status: str = "AWAITING_SHIPMENT") -> dict:
    made = order(n, status=status, create_time=1_700_000_000 + n)
    if ship_by is None:
        del made["rts_sla_time"]
    else:
        made["rts_sla_time"] = ship_by
    return made


@pytest.fixture
def due_orders(store: Store) -> Store:
    store.save_page(SHOP, "orders", [
        due(1, END - 10 * HOUR),  # overdue
        due(2, END - 1),  # due in the last second of today
        due(3, END),  # due at midnight: tomorrow
        due(4, END - HOUR, status="PARTIALLY_SHIPPING"),
        due(5, END - HOUR, status="ON_HOLD"),  # not shippable yet
        due(6, END - HOUR, status="IN_TRANSIT"),  # shipped
        due(7, None),  # no deadline given
    ], None)
    return store


def test_ship_today_lists_the_orders_to_ship_due_before_the_day_ends(due_orders: Store) -> None:
    query = OrderQuery(SHOP, status=DUE_TODAY, due_before=END, sort="ship_by",
                       descending=False)
    assert due_orders.orders.ids(query) == [oid(1), oid(4), oid(2)]  # most overdue first
    counts = due_orders.orders.counts(query)
    assert counts[DUE_TODAY] == 3
    assert counts["To ship"] == 5 and counts["All"] == 7
    assert list(counts) == list(STATUS_FILTERS)
    later = OrderQuery(SHOP, status=DUE_TODAY, due_before=END + 86400)
    assert due_orders.orders.counts(later)[DUE_TODAY] == 4


def test_ship_today_follows_the_dates_and_the_search(due_orders: Store) -> None:
    query = OrderQuery(SHOP, status=DUE_TODAY, due_before=END, created_from=1_700_000_002)
    assert sorted(due_orders.orders.ids(query)) == [oid(2), oid(4)]
    assert due_orders.orders.counts(query)[DUE_TODAY] == 2
    nobody = OrderQuery(SHOP, status=DUE_TODAY, due_before=END, search="nobody")
    assert due_orders.orders.counts(nobody)[DUE_TODAY] == 0


def test_ship_today_without_a_day_given_ends_at_the_next_midnight(due_orders: Store) -> None:
    # Every ship-by here is long past: all the orders to ship with one are due.
    assert len(due_orders.orders.ids(OrderQuery(SHOP, status=DUE_TODAY))) == 4
    midnight = end_of_today(END)
    assert 0 < midnight - END <= 25 * HOUR  # a day with a clock change lasts 25 h
    assert datetime.fromtimestamp(midnight).time() == time()


def test_in_status_filter_agrees_with_the_query(due_orders: Store) -> None:
    for label in STATUS_FILTERS:
        shown = set(due_orders.orders.ids(OrderQuery(SHOP, status=label, due_before=END)))
        for row in due_orders.orders.rows([oid(n) for n in range(1, 8)]):
            assert in_status_filter(label, row.status, row.ship_by, END) == (row.id in shown)


def test_rows_bring_their_items_by_sku(store: Store) -> None:
    store.save_page(SHOP, "orders", [
        order(1, items=[line_item(11), line_item(12, sku=2, product="Mug", variant=""),
                        line_item(13)]),
        order(2, items=[line_item(21, sku=3, seller_sku="CAP")]),
    ], None)
    first, second = store.orders.rows([oid(1), oid(2)])
    assert [(g.product_name, g.quantity, g.line_item_ids) for g in first.items] == [
        ("Cotton tee", 2, ("11", "13")), ("Mug", 1, ("12",))]
    assert [g.seller_sku for g in second.items] == ["CAP"]
    assert first.packages is None  # read only while an order ships in parts


def with_lines(made: dict, line_ids: list[str]) -> dict:
    return {**made, "order_line_item_ids": line_ids}


def test_packages_know_their_line_items_and_whether_they_have_shipped(store: Store) -> None:
    items = [line_item(11), line_item(12), line_item(13, sku=2, product="Mug")]
    store.save_page(SHOP, "orders", [order(1, status="PARTIALLY_SHIPPING", items=items)], None)
    store.save_page(SHOP, "packages", [
        with_lines(package(1, [oid(1)], tracking="TRK1"), ["11", "12"]),
        with_lines(package(2, [oid(1)]), ["13"]),
    ], None)
    detail = store.orders.detail(oid(1))
    assert detail is not None
    assert [(p.line_item_ids, p.has_shipped) for p in detail.packages] == [
        (("11", "12"), True), (("13",), False)]
    [row] = store.orders.rows([oid(1)])
    assert row.packages == detail.packages == detail.order.packages
    assert detail.order.items == detail.items


@pytest.mark.parametrize(("status", "tracking", "shipped"), [
    ("PROCESSING", "", False), ("PROCESSING", "TRK", True), ("FULFILLING", "", True),
    ("COMPLETED", "TRK", True), ("CANCELLED", "TRK", False),
])
def test_a_package_has_shipped_once_handed_over(store: Store, status: str, tracking: str,
                                                shipped: bool) -> None:
    store.save_page(SHOP, "orders", [order(1)], None)
    store.save_page(SHOP, "packages", [package(1, [oid(1)], tracking=tracking, status=status)],
                    None)
    [known] = store.orders.detail(oid(1)).packages
    assert known.has_shipped is shipped
