"""Listings and stock: products with SKUs, inventory search, the stock table."""

from __future__ import annotations

from store_samples import SHOP, product, sku, warehouse

from tiktok_desktop.store import Store

MAIN, BACKUP = warehouse(1, "Main", default=True), warehouse(2, "Backup")


def tee(**stock: dict[str, int]) -> dict:
    return product(1, "Cotton tee", [
        sku(1, seller_sku="TEE-BLK", colour="Black", stock=stock.get("black", {MAIN["id"]: 5})),
        sku(2, seller_sku="TEE-WHT", colour="White", stock=stock.get("white", {MAIN["id"]: 0})),
    ])


def test_products_fill_skus_and_available_stock(store: Store) -> None:
    store.save_page(SHOP, "warehouses", [MAIN, BACKUP], None)
    changes = store.save_page(SHOP, "products", [
        tee(black={MAIN["id"]: 5, BACKUP["id"]: 2}),
        product(2, "Mug", [sku(3, seller_sku="MUG", colour="", stock={MAIN["id"]: 40})]),
    ], None)
    assert (changes.count("products"), changes.count("skus"), changes.count("stock")) == (2, 3, 4)
    rows = store.catalog.stock_rows(SHOP)
    assert [(r.product_title, r.variant, r.seller_sku, r.warehouse_name, r.available)
            for r in rows] == [
        ("Cotton tee", "Black", "TEE-BLK", "Backup", 2),
        ("Cotton tee", "Black", "TEE-BLK", "Main", 5),
        ("Cotton tee", "White", "TEE-WHT", "Main", 0),
        ("Mug", "", "MUG", "Main", 40),
    ]
    assert all(r.committed is None for r in rows)  # only inventory search reports it


def test_inventory_search_adds_committed_stock_and_product_updates_keep_it(store: Store) -> None:
    store.save_page(SHOP, "products", [tee()], None)
    black = sku(1, seller_sku="TEE-BLK", colour="Black", stock={})
    entry = {"product_id": tee()["id"], "skus": [{
        "id": black["id"], "seller_sku": "TEE-BLK", "total_available_quantity": 4,
        "total_committed_quantity": 1,
        "warehouse_inventory": [{"warehouse_id": MAIN["id"], "available_quantity": 4,
                                 "committed_quantity": 1}]}]}
    assert store.save_page(SHOP, "inventory", [entry], None).count("stock") == 1
    [row] = store.catalog.stock_rows(SHOP, search="tee-blk")
    assert (row.available, row.committed) == (4, 1)
    store.save_page(SHOP, "products", [tee(black={MAIN["id"]: 3})], None)
    [row] = store.catalog.stock_rows(SHOP, search="TEE-BLK")
    assert (row.available, row.committed) == (3, 1)
    raw = store.conn.execute("SELECT inventory FROM skus WHERE id = ?", (black["id"],)).fetchone()
    assert '"total_committed_quantity":1' in raw[0]  # the API's answer is kept


def test_a_product_edit_drops_removed_skus_and_warehouses(store: Store) -> None:
    store.save_page(SHOP, "products", [tee(black={MAIN["id"]: 5, BACKUP["id"]: 2})], None)
    only_black = product(1, "Cotton tee", [
        sku(1, seller_sku="TEE-BLK", colour="Black", stock={BACKUP["id"]: 7})])
    store.save_page(SHOP, "products", [only_black], None)
    rows = store.catalog.stock_rows(SHOP)
    assert [(r.seller_sku, r.warehouse_id, r.available) for r in rows] == [
        ("TEE-BLK", BACKUP["id"], 7)]
    assert store.db["skus"].count == 1


def test_stock_rows_filter_by_warehouse_search_and_product(store: Store) -> None:
    store.save_page(SHOP, "products", [
        tee(black={MAIN["id"]: 5, BACKUP["id"]: 2}),
        product(2, "Mug 100%", [sku(3, seller_sku="MUG_1", colour="", stock={MAIN["id"]: 1})]),
    ], None)
    assert {r.seller_sku for r in store.catalog.stock_rows(SHOP, warehouse_id=BACKUP["id"])} == {
        "TEE-BLK"}
    assert [r.seller_sku for r in store.catalog.stock_rows(SHOP, search="100%")] == ["MUG_1"]
    assert [r.seller_sku for r in store.catalog.stock_rows(SHOP, search="G_1")] == ["MUG_1"]
    assert store.catalog.stock_rows(SHOP, search="white")[0].seller_sku == "TEE-WHT"
    mug_sku = sku(3, seller_sku="MUG_1", colour="", stock={})["id"]
    assert [r.seller_sku for r in store.catalog.stock_rows(SHOP, search=mug_sku)] == ["MUG_1"]
    assert len(store.catalog.stock_rows(SHOP, product_ids=[tee()["id"]])) == 3
    assert store.catalog.stock_rows("another shop") == []


def test_pushed_stock_is_recorded_locally(store: Store) -> None:
    store.save_page(SHOP, "products", [tee()], None)
    black = sku(1, seller_sku="TEE-BLK", colour="Black", stock={})["id"]
    changes = store.catalog.set_available(SHOP, [(black, MAIN["id"], 12), ("nope", "x", 1)])
    assert changes.count("stock") == 1
    assert store.catalog.stock_rows(SHOP, search="TEE-BLK")[0].available == 12


def test_catalog_lookups(store: Store) -> None:
    store.save_page(SHOP, "warehouses", [BACKUP, MAIN], None)
    store.save_page(SHOP, "products", [tee(), product(2, "Mug", [])], None)
    assert [w.name for w in store.catalog.warehouses(SHOP)] == ["Main", "Backup"]
    assert store.catalog.warehouses(SHOP)[0].is_default is True
    assert store.catalog.product_ids(SHOP) == sorted([tee()["id"], product(2, "Mug", [])["id"]])
    black = sku(1, seller_sku="TEE-BLK", colour="Black", stock={})["id"]
    assert store.catalog.product_ids_of_skus([black, "unknown"]) == [tee()["id"]]
