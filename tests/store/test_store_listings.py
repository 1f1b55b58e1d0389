"""The Listings queries: rows with their SKU count, price range and total stock, the status tabs'
counts, search (also by part of an id and by a scanned code), the quick filters, the listing
health, one product's detail, and plans that use the indexes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from listing_samples import NOW, PRODUCTS, REVIEW_FAILURES, SHOP, fill, product_id, sku_id

from tiktok_desktop.store import ListingQuery, Store
from tiktok_desktop.store.listings import SORT_KEYS, STATUS_TABS, ListingHealth, Show


@pytest.fixture
def shop(store: Store) -> Store:
    fill(store)
    return store


def titles(store: Store, **asked: object) -> list[str]:
    query = ListingQuery(SHOP, **{"now": NOW, **asked})  # type: ignore[arg-type]
    return [row.title for row in store.listings.rows(query)]


def test_a_row_sums_its_skus_and_stock(shop: Store) -> None:
    tee = next(r for r in shop.listings.rows(ListingQuery(SHOP)) if r.title == "Cotton tee")
    assert (tee.product_id, tee.status_name, tee.sku_count) == (product_id(0), "Live", 2)
    assert (tee.price_min, tee.price_max, tee.currency) == (Decimal("12.5"), Decimal("14"), "GBP")
    assert tee.total_stock == 48
    assert tee.updated == NOW - 86_400


def test_status_tabs_count_each_state_in_plain_words(shop: Store) -> None:
    counts = shop.listings.counts(ListingQuery(SHOP))
    assert counts == {"All": 8, "Live": 2, "In review": 1, "Failed review": 1,
                      "Deactivated by you": 1, "Deactivated by TikTok": 1, "Frozen": 1,
                      "Draft": 1, "Deleted": 1}
    assert list(counts) != [] and set(counts) == set(STATUS_TABS)


def test_a_status_tab_lists_its_listings_and_all_leaves_out_the_deleted(shop: Store) -> None:
    assert titles(shop, status="Live") == ["Cotton tee", "Hoodie"]
    assert titles(shop, status="Frozen") == ["Enamel mug"]
    assert titles(shop, status="Deleted") == ["Trucker cap"]
    assert "Trucker cap" not in titles(shop)
    assert len(titles(shop)) == 8


@pytest.mark.parametrize(("text", "expected"), [
    ("tee", ["Cotton tee"]),
    ("case-glt", ["Glitter phone case"]),  # a seller SKU, any case, any part
    (sku_id(5, 0), ["Sage candle"]),  # a SKU id
    (product_id(3)[-7:], ["Glitter phone case"]),  # the last digits of a product id
    (product_id(3)[5:11], ["Glitter phone case"]),  # digits from its middle
    ("50%", []),  # LIKE's wildcards are text
])
def test_search_by_title_seller_sku_or_any_part_of_an_id(shop: Store, text: str,
                                                        expected: list[str]) -> None:
    assert titles(shop, search=text) == expected


def test_a_short_number_is_not_looked_for_inside_ids(shop: Store) -> None:
    assert titles(shop, search="172") == []


def test_counts_follow_the_search(shop: Store) -> None:
    counts = shop.listings.counts(ListingQuery(SHOP, search="e"))
    matching = [t for t, _, _ in PRODUCTS if "e" in t.lower()]
    assert sum(n for tab, n in counts.items() if tab != "All") == len(matching)


def test_a_scanned_code_names_its_product(shop: Store) -> None:
    lookup = shop.listings.lookup
    assert lookup(SHOP, product_id(2)) == (product_id(2), "PENDING")
    assert lookup(SHOP, "HOOD-GRY-M") == (product_id(1), "ACTIVATE")
    assert lookup(SHOP, sku_id(8, 0)) == (product_id(8), "DELETED")
    assert lookup(SHOP, product_id(2)[-6:]) is None  # only an exact code selects
    assert lookup("another shop", product_id(2)) is None


def test_out_of_stock_means_nothing_in_any_warehouse(shop: Store) -> None:
    assert titles(shop, show=Show.OUT_OF_STOCK) == ["Hoodie", "Wool scarf"]
    assert titles(shop, show=Show.OUT_OF_STOCK, status="Live") == ["Hoodie"]


def test_failing_review(shop: Store) -> None:
    assert titles(shop, show=Show.FAILING_REVIEW) == ["Glitter phone case"]


def test_no_sales_in_30_days_ignores_cancelled_and_older_orders(shop: Store) -> None:
    listed = titles(shop, show=Show.NO_SALES)
    assert "Cotton tee" not in listed
    assert {"Beanie", "Wool scarf", "Hoodie"} <= set(listed)
    assert len(listed) == 7
    # 41 days on, the tee's sale is too old as well.
    assert "Cotton tee" in titles(shop, show=Show.NO_SALES, now=NOW + 29 * 86_400)


def test_health_counts_live_review_failing_and_live_out_of_stock(shop: Store) -> None:
    assert shop.listings.health(SHOP) == ListingHealth(live=2, in_review=1, failing_review=1,
                                                       out_of_stock=1)
    assert shop.listings.health("another shop") == ListingHealth()


@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_column_sorts_both_ways(shop: Store, key: str) -> None:
    up = shop.listings.rows(ListingQuery(SHOP, sort=key))
    down = shop.listings.rows(ListingQuery(SHOP, sort=key, descending=True))
    assert {r.product_id for r in up} == {r.product_id for r in down}
    value = {"title": lambda r: r.title.lower(), "status": lambda r: r.status,
             "skus": lambda r: r.sku_count, "price": lambda r: r.price_min,
             "stock": lambda r: r.total_stock, "updated": lambda r: r.updated}[key]
    assert [value(r) for r in up] == sorted(value(r) for r in up)
    assert [value(r) for r in down] == sorted((value(r) for r in down), reverse=True)


def test_detail_has_skus_with_stock_per_warehouse_and_the_review_failures(shop: Store) -> None:
    tee = shop.listings.detail(SHOP, product_id(0))
    assert tee is not None and tee.review_failures == ()
    assert [(s.variant, s.seller_sku, s.price, s.total_stock) for s in tee.skus] == [
        ("Black, L", "TEE-BLK-L", "14.00", 3), ("Black, M", "TEE-BLK-M", "12.50", 45)]
    assert [(w.warehouse, w.available) for w in tee.skus[1].stock] == [
        ("Main warehouse", 40), ("East Coast", 5)]
    case = shop.listings.detail(SHOP, product_id(3))
    assert case is not None
    assert [(f.position, list(f.reasons), list(f.suggestions)) for f in case.review_failures] == [
        (f["position"], f["reasons"], f["suggestions"]) for f in REVIEW_FAILURES]
    assert shop.listings.detail(SHOP, "1") is None


def test_every_read_uses_the_indexes(shop: Store) -> None:
    """No full scan of a table but the shop's products (few thousand) and the CTEs' results;
    SKUs, stock, orders and line items are reached through their indexes."""
    asked: list[str] = []
    shop.conn.set_trace_callback(asked.append)
    try:
        for show in Show:
            query = ListingQuery(SHOP, search="4567", show=show, now=NOW)
            shop.listings.rows(query)
            shop.listings.counts(query)
        shop.listings.health(SHOP)
        shop.listings.lookup(SHOP, "TEE-BLK-M")
        shop.listings.detail(SHOP, product_id(0))
    finally:
        shop.conn.set_trace_callback(None)
    for sql in asked:
        plan = " | ".join(r[3] for r in shop.conn.execute(
            f"EXPLAIN QUERY PLAN {sql}") if r[3].startswith("SCAN"))
        for table in ("skus", "stock", "orders", "order_line_items", "warehouses",
                      "product_images", "product_details"):
            assert f"SCAN {table} " not in plan + " " and not plan.endswith(f"SCAN {table}"), \
                (sql, plan)
