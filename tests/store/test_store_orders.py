"""Orders in the cache: columns, filters with counts, sorting, search, scanner lookup, detail."""

from __future__ import annotations

import pytest
from store_samples import SHOP, STATUSES, line_item, order, package

from tiktok_desktop.store import STATUS_FILTERS, OrderQuery, Store

DAY = 86400


def oid(n: int) -> str:
    return order(n)["id"]


def test_an_order_page_fills_the_columns_the_orders_tab_shows(store: Store) -> None:
    changes = store.save_page(SHOP, "orders", [order(1, total="1234.50")], None)
    assert changes.count("orders") == 1 and changes.count("order_line_items") == 2
    assert changes.touches("orders") and not changes.touches("stock")
    [row] = store.orders.rows([oid(1)])
    assert row.status == "AWAITING_SHIPMENT" and row.is_on_hold is False
    assert row.buyer == "maria_k" and row.recipient == "M*** K***"
    assert row.ship_by == 1_700_000_000 + 2 * DAY
    assert row.item_count == 2 and row.item_summary == "2 × Cotton tee (Black, M)"
    assert (row.total_amount, row.total_minor, row.currency) == ("1234.50", 123450, "GBP")
    assert row.delivery_option_name == "Standard Shipping" and row.shipping_type == "TIKTOK"


def test_rows_come_back_in_the_order_asked_and_skip_unknown_ids(store: Store) -> None:
    store.save_page(SHOP, "orders", [order(n) for n in range(1, 4)], None)
    assert [r.id for r in store.orders.rows([oid(3), "nope", oid(1)])] == [oid(3), oid(1)]


def test_counts_per_status_filter(store: Store) -> None:
    orders = [order(i, status=s) for i, s in enumerate(STATUSES)]
    orders.append(order(99, status="AWAITING_SHIPMENT"))
    store.save_page(SHOP, "orders", orders, None)
    counts = store.orders.counts(OrderQuery(SHOP, status="Cancelled"))
    assert list(counts) == list(STATUS_FILTERS)
    assert counts["All"] == 10
    assert counts["To ship"] == 3  # AWAITING_SHIPMENT ×2 + PARTIALLY_SHIPPING
    assert counts["On hold"] == 1 and counts["Unpaid"] == 1 and counts["Cancelled"] == 1
    assert store.orders.counts(OrderQuery("another shop"))["All"] == 0


def test_status_filter_date_range_and_search_combine(store: Store) -> None:
    start = 1_700_000_000
    store.save_page(SHOP, "orders", [
        order(1, create_time=start, buyer="anna"),
        order(2, create_time=start + DAY, buyer="anna"),
        order(3, create_time=start + 2 * DAY, buyer="anna", status="CANCELLED"),
        order(4, create_time=start + DAY, buyer="bob"),
    ], None)
    query = OrderQuery(SHOP, status="To ship", created_from=start + DAY,
                       created_to=start + 3 * DAY, search="ann")
    assert store.orders.ids(query) == [oid(2)]
    counts = store.orders.counts(query)
    assert counts["All"] == 2 and counts["To ship"] == 1 and counts["Cancelled"] == 1


@pytest.mark.parametrize(("sort", "descending", "expected"), [
    ("create_time", True, [3, 2, 1]),
    ("create_time", False, [1, 2, 3]),
    ("total", False, [2, 3, 1]),
    ("buyer", False, [3, 1, 2]),
    ("ship_by", True, [3, 2, 1]),
    ("item_count", True, [2, 1, 3]),
])
def test_sorting_by_a_column(store: Store, sort: str, descending: bool,
                             expected: list[int]) -> None:
    store.save_page(SHOP, "orders", [
        order(1, create_time=1_700_000_000, total="100.00", buyer="bella",
              items=[line_item(11), line_item(12)]),
        order(2, create_time=1_700_000_100, total="9.99", buyer="carl",
              items=[line_item(21), line_item(22), line_item(23)]),
        order(3, create_time=1_700_000_200, total="20.00", buyer="al", items=[line_item(31)]),
    ], None)
    ids = store.orders.ids(OrderQuery(SHOP, sort=sort, descending=descending))
    assert ids == [oid(n) for n in expected]


@pytest.mark.parametrize("descending", [False, True])
def test_orders_without_a_ship_by_come_last_either_way(store: Store, descending: bool) -> None:
    shipped = order(4, create_time=1_700_000_050, status="IN_TRANSIT")
    del shipped["rts_sla_time"]  # no deadline once it has left
    store.save_page(SHOP, "orders", [
        order(1, create_time=1_700_000_000), shipped, order(2, create_time=1_700_000_100),
    ], None)
    ids = store.orders.ids(OrderQuery(SHOP, sort="ship_by", descending=descending))
    assert ids == [oid(n) for n in ([2, 1] if descending else [1, 2])] + [oid(4)]


def test_unknown_sort_or_filter_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="sort"):
        store.orders.ids(OrderQuery(SHOP, sort="raw; DROP TABLE orders"))
    with pytest.raises(ValueError, match="status filter"):
        store.orders.counts(OrderQuery(SHOP, status="Lost"))


def search(store: Store, text: str) -> list[str]:
    return sorted(store.orders.ids(OrderQuery(SHOP, search=text)))


def test_search_as_you_type_matches_the_start_of_each_word(store: Store) -> None:
    store.save_page(SHOP, "orders", [
        order(1, buyer="maria_k", items=[line_item(11, product="Linen apron", variant="Sage",
                                                   seller_sku="APR-SAGE")]),
        order(2, buyer="marek", items=[line_item(21, product="Wool socks", variant="Grey, L",
                                                 seller_sku="SOCK-GRY-L")]),
    ], None)
    assert search(store, "mar") == [oid(1), oid(2)]
    assert search(store, "mar soc") == [oid(2)]  # every word must match
    assert search(store, "LINEN") == [oid(1)]  # any case
    assert search(store, "sock-gr") == [oid(2)]  # seller SKU with its punctuation
    assert search(store, "sage") == [oid(1)]  # variant
    assert search(store, str(oid(2))[:8]) == [oid(1), oid(2)]  # start of an order id
    assert search(store, oid(2)) == [oid(2)]
    assert search(store, "ria") == []  # the middle of a word is not a match
    assert search(store, '"(') == [oid(1), oid(2)]  # nothing searchable typed: no filter


def test_search_follows_every_update(store: Store) -> None:
    store.save_page(SHOP, "orders", [order(1, buyer="first_name")], None)
    store.save_page(SHOP, "orders", [order(1, buyer="second_name",
                                           tracking_number="TT0012345678")], None)
    assert search(store, "first") == []
    assert search(store, "second") == [oid(1)]
    assert search(store, "tt00123") == [oid(1)]
    assert store.db["order_search"].count == 1


def test_packages_make_their_tracking_numbers_findable(store: Store) -> None:
    store.save_page(SHOP, "orders", [order(1), order(2)], None)
    pkg = package(1, [oid(1)], tracking="JD014600006281547125")
    changes = store.save_page(SHOP, "packages", [pkg], None)
    assert changes.count("packages") == 1
    assert search(store, "JD0146") == [oid(1)]
    # The package moves to the other order (a re-split): both orders' index rows follow.
    store.save_page(SHOP, "packages", [package(1, [oid(2)], tracking="JD014600006281547125")],
                    None)
    assert search(store, "JD0146") == [oid(2)]


def test_a_scanned_code_opens_exactly_one_order(store: Store) -> None:
    store.save_page(SHOP, "orders", [
        order(1, tracking_number="RM123456789GB"),
        order(2, items=[line_item(21, tracking_number="TT555", package_id="115000000000000077")]),
        order(3),
    ], None)
    store.save_page(SHOP, "packages", [package(9, [oid(3)], tracking="JD0001")], None)
    lookup = store.orders.lookup
    assert lookup(SHOP, oid(1)) == oid(1)
    assert lookup(SHOP, " RM123456789GB\n") == oid(1)
    assert lookup(SHOP, "rm123456789gb") == oid(1)
    assert lookup(SHOP, "TT555") == oid(2)
    assert lookup(SHOP, "115000000000000077") == oid(2)
    assert lookup(SHOP, package(9, [])["id"]) == oid(3)
    assert lookup(SHOP, "JD0001") == oid(3)
    assert lookup(SHOP, "RM1234") is None  # a prefix is not a scan
    assert lookup("another shop", oid(1)) is None
    assert lookup(SHOP, "  ") is None


def test_order_detail_groups_line_items_by_sku(store: Store) -> None:
    pkg = package(1, [], tracking="TRK1", status="COMPLETED")
    items = [line_item(11, sku=1, package_id=pkg["id"], tracking_number="TRK1",
                       package_status="PROCESSING", shipping_provider_name="Evri"),
             line_item(12, sku=2, product="Mug", variant="", seller_sku="MUG", price="8.00"),
             line_item(13, sku=1, package_id=pkg["id"], tracking_number="TRK1")]
    store.save_page(SHOP, "orders", [order(1, items=items)], None)
    detail = store.orders.detail(oid(1))
    assert detail is not None
    tee, mug = detail.items
    assert (tee.seller_sku, tee.quantity, tee.line_item_ids) == ("TEE-BLK-M", 2, ("11", "13"))
    assert (tee.unit_price, tee.currency, tee.sku_image) == ("12.50", "GBP",
                                                             "https://img.example/1.jpg")
    assert (mug.product_name, mug.quantity) == ("Mug", 1)
    assert detail.order.item_summary == "2 × Cotton tee (Black, M); 1 × Mug"
    assert detail.payment["total_amount"] == "25.00"
    assert detail.buyer_message == "Please gift wrap"
    assert detail.recipient_address["name"] == "M*** K***"
    # A package known only from the line items, then the synced package replaces it.
    [known] = detail.packages
    assert (known.id, known.tracking_number, known.status) == (pkg["id"], "TRK1", "PROCESSING")
    assert known.shipping_provider_name == "Evri"
    store.save_page(SHOP, "packages", [pkg], None)  # linked to the order by its line items only
    detail = store.orders.detail(oid(1))
    assert [(p.id, p.status) for p in detail.packages] == [(pkg["id"], "COMPLETED")]
    assert store.orders.detail("nope") is None


def test_line_items_follow_the_latest_version_of_the_order(store: Store) -> None:
    store.save_page(SHOP, "orders", [order(1)], None)
    store.save_page(SHOP, "orders", [order(1, items=[line_item(11)])], None)
    detail = store.orders.detail(oid(1))
    assert [g.quantity for g in detail.items] == [1]
    assert store.orders.rows([oid(1)])[0].item_count == 1


def test_existing_tells_new_orders_from_updates(store: Store) -> None:
    store.save_page(SHOP, "orders", [order(1)], None)
    assert store.orders.existing([oid(1), oid(2)]) == {oid(1)}
