"""Listings: search, stock updates validated per SKU, price updates, activate/deactivate."""

from __future__ import annotations

PRODUCTS = "/product/202309/products"


def active_product(world):
    return next(p for p in world.products if p.status == "ACTIVATE" and len(p.skus) > 1)


def stock_of(client, product_id: str) -> dict[str, dict[str, int]]:
    data = client.ok("POST", "/product/202309/inventory/search",
                     body={"product_ids": [product_id]})
    return {s["id"]: {w["warehouse_id"]: w["available_quantity"]
                      for w in s["warehouse_inventory"]}
            for s in data["inventory"][0]["skus"]}


def test_products_have_several_skus_in_two_warehouses(client) -> None:
    data = client.ok("POST", f"{PRODUCTS}/search", query={"page_size": "100"}, body={})
    assert data["total_count"] == len(client.shop.world.products) == len(data["products"])
    assert data["next_page_token"] == ""
    product = next(p for p in data["products"] if len(p["skus"]) > 2)
    for sku in product["skus"]:
        assert len(sku["inventory"]) == 2
        assert set(sku["price"]) == {"currency", "sale_price", "tax_exclusive_price"}
    full = client.ok("GET", f"{PRODUCTS}/{product['id']}")
    assert {a["name"] for s in full["skus"] for a in s["sales_attributes"]}
    assert full["category_chains"][-1]["is_leaf"]


def test_update_inventory_changes_what_search_returns(client) -> None:
    product = active_product(client.shop.world)
    sku = product.skus[0]
    warehouses = list(sku.available)
    errors = client.ok("POST", f"{PRODUCTS}/{product.id}/inventory/update", body={"skus": [
        {"id": sku.id, "inventory": [{"warehouse_id": warehouses[0], "quantity": 42},
                                     {"warehouse_id": warehouses[1], "quantity": 0}]}]})
    assert errors == {"errors": []}
    assert stock_of(client, product.id)[sku.id] == {warehouses[0]: 42, warehouses[1]: 0}
    listed = client.ok("POST", f"{PRODUCTS}/search", query={"page_size": "100"}, body={})
    entry = next(p for p in listed["products"] if p["id"] == product.id)
    assert entry["skus"][0]["inventory"][0]["quantity"] == 42


def test_update_inventory_reports_bad_items_in_errors(client) -> None:
    product = active_product(client.shop.world)
    first, second = product.skus[0], product.skus[1]
    w1, w2 = list(first.available)
    before = stock_of(client, product.id)
    data = client.ok("POST", f"{PRODUCTS}/{product.id}/inventory/update", body={"skus": [
        {"id": first.id, "inventory": [{"warehouse_id": w1, "quantity": 100000},
                                       {"warehouse_id": w2, "quantity": -1}]},
        {"id": second.id, "inventory": [{"warehouse_id": w1, "quantity": 5}]},
    ]})
    by_sku = {e["detail"]["sku_id"]: e for e in data["errors"]}
    assert by_sku[first.id]["code"] == 12019024
    assert [x["warehouse_id"] for x in by_sku[first.id]["detail"]["extra_errors"]] == [w1, w2]
    assert by_sku[second.id]["code"] == 12019028  # every warehouse of the SKU must be sent
    assert stock_of(client, product.id) == before


def test_inventory_search_shows_committed_stock(client) -> None:
    world = client.shop.world
    order = next(o for o in world.orders if o.status == "AWAITING_SHIPMENT")
    sku_id = order.lines[0].sku_id
    data = client.ok("POST", "/product/202309/inventory/search", body={"sku_ids": [sku_id]})
    sku = data["inventory"][0]["skus"][0]
    assert sku["id"] == sku_id and sku["total_committed_quantity"] >= 1
    assert sku["total_available_quantity"] == sum(
        w["available_quantity"] for w in sku["warehouse_inventory"])


def test_price_updates_need_an_active_listing(client) -> None:
    world = client.shop.world
    product = active_product(world)
    sku = product.skus[0]
    client.ok("POST", f"{PRODUCTS}/{product.id}/prices/update",
              body={"skus": [{"id": sku.id, "price": {"amount": "19.50", "currency": "USD"}}]})
    full = client.ok("GET", f"{PRODUCTS}/{product.id}")
    assert full["skus"][0]["price"]["sale_price"] == "19.50"
    data = client.ok("POST", f"{PRODUCTS}/deactivate", body={"product_ids": [product.id]})
    assert data == {"errors": []}
    assert world.products.rows[product.id].status == "SELLER_DEACTIVATED"
    _, refused = client.fails("POST", f"{PRODUCTS}/{product.id}/prices/update",
                              body={"skus": [{"id": sku.id, "price": {"amount": "18.00"}}]})
    assert refused["code"] == 12019113
    client.ok("POST", f"{PRODUCTS}/activate", body={"product_ids": [product.id]})
    assert world.products.rows[product.id].status == "PENDING"  # TikTok reviews it first


def test_activate_reports_unknown_products_and_limits_the_batch(client) -> None:
    data = client.ok("POST", f"{PRODUCTS}/activate", body={"product_ids": ["1729000000000000001"]})
    assert data["errors"][0]["detail"]["product_id"] == "1729000000000000001"
    _, answer = client.fails("POST", f"{PRODUCTS}/deactivate",
                             body={"product_ids": [str(i) for i in range(21)]})
    assert answer["code"] == 12019120


def test_activate_and_deactivate_refuse_per_product_what_the_shop_refuses(client) -> None:
    world = client.shop.world
    statuses = ("ACTIVATE", "SELLER_DEACTIVATED", "PENDING", "FAILED", "PLATFORM_DEACTIVATED",
                "FREEZE", "DRAFT", "DELETED")
    first = {}
    for status, product in zip(statuses, list(world.products), strict=False):
        with world.changing(world.products, product):
            product.status = status
        first[status] = product.id
    on = client.ok("POST", f"{PRODUCTS}/activate", body={"product_ids": list(first.values())})
    refused = {e["detail"]["product_id"]: e for e in on["errors"]}
    assert {s for s, p in first.items() if p in refused} == {
        "FAILED", "PLATFORM_DEACTIVATED", "FREEZE", "DRAFT", "DELETED"}
    assert refused[first["FREEZE"]]["code"] == 12019113
    assert "FREEZE" in refused[first["FREEZE"]]["message"]
    assert refused[first["DELETED"]]["code"] == 12052032
    # Live stays live, one in review stays in review, a deactivated one goes to review.
    assert [world.products.rows[first[s]].status for s in (
        "ACTIVATE", "PENDING", "SELLER_DEACTIVATED", "FREEZE")] == [
        "ACTIVATE", "PENDING", "PENDING", "FREEZE"]

    live = first["ACTIVATE"]
    off = client.ok("POST", f"{PRODUCTS}/deactivate",
                    body={"product_ids": [live, first["PENDING"], first["FREEZE"]]})
    assert {e["detail"]["product_id"] for e in off["errors"]} == {first["PENDING"],
                                                                   first["FREEZE"]}
    assert world.products.rows[live].status == "SELLER_DEACTIVATED"
    again = client.ok("POST", f"{PRODUCTS}/deactivate", body={"product_ids": [live]})
    assert again == {"errors": []}  # already deactivated: nothing to refuse


def test_search_by_status_and_update_time(client) -> None:
    world = client.shop.world
    product = active_product(world)
    world.advance_clock(10)
    client.ok("POST", f"{PRODUCTS}/deactivate", body={"product_ids": [product.id]})
    changed = client.ok("POST", f"{PRODUCTS}/search", query={"page_size": "50"},
                        body={"update_time_ge": world.now() - 1})["products"]
    assert [p["id"] for p in changed] == [product.id]
    inactive = client.ok("POST", f"{PRODUCTS}/search", query={"page_size": "50"},
                         body={"status": "SELLER_DEACTIVATED"})["products"]
    assert product.id in {p["id"] for p in inactive}
    assert all(p["status"] == "SELLER_DEACTIVATED" for p in inactive)


def test_categories_brands_and_attributes(client) -> None:
    categories = client.ok("GET", "/product/202309/categories")["categories"]
    leaf = next(c for c in categories if c["is_leaf"])
    root = next(c for c in categories if c["parent_id"] == "0")
    attributes = client.ok("GET", f"/product/202309/categories/{leaf['id']}/attributes")
    assert {"SALES_PROPERTY", "PRODUCT_PROPERTY"} == {a["type"] for a in attributes["attributes"]}
    _, answer = client.fails("GET", f"/product/202309/categories/{root['id']}/attributes")
    assert answer["code"] == 12052024
    first = client.ok("GET", "/product/202309/brands", query={"page_size": "10"})
    second = client.ok("GET", "/product/202309/brands",
                       query={"page_size": "10", "page_token": first["next_page_token"]})
    names = [b["name"] for b in first["brands"] + second["brands"]]
    assert names == sorted(names) and len(set(names)) == 20
    assert first["total_count"] > 20


def test_a_brandless_product_has_no_brand_key(client) -> None:
    world = client.shop.world
    brandless = [p for p in world.products if not any(b.id == p.brand_id for b in world.brands)]
    branded = [p for p in world.products if p not in brandless]
    assert brandless and branded
    assert "brand" not in client.ok("GET", f"{PRODUCTS}/{brandless[0].id}")
    brand = client.ok("GET", f"{PRODUCTS}/{branded[0].id}")["brand"]
    assert brand["id"] and brand["name"]


SEARCH_202502 = "/product/202502/products/search"


def test_search_products_202502_lists_the_wider_product_beside_202309(client) -> None:
    world = client.shop.world
    old = client.ok("POST", "/product/202309/products/search", query={"page_size": "100"},
                    body={})["products"]
    new = client.ok("POST", SEARCH_202502, query={"page_size": "100"}, body={})["products"]
    assert [p["id"] for p in new] == [p["id"] for p in old]
    for before, after in zip(old, new, strict=True):
        assert "audit" not in before and "list_price" not in before["skus"][0]
        assert {k: v for k, v in after.items() if k in before and k != "skus"} == {
            k: v for k, v in before.items() if k != "skus"}
        assert after["audit"]["status"] in ("NONE", "AUDITING", "FAILED", "APPROVED")
        assert (after["has_draft"], after["is_not_for_sale"]) == (False, False)
        assert after["listing_quality_tier"] in ("POOR", "FAIR", "GOOD")
        for sku in after["skus"]:
            assert set(sku["list_price"]) == {"amount", "currency"}
            assert sku["status_info"] == {"status": "NORMAL"}
    approved = {p.id for p in world.products if p.status == "ACTIVATE"}
    found = client.ok("POST", SEARCH_202502, query={"page_size": "100"},
                      body={"audit_status": ["APPROVED"]})["products"]
    assert {p["id"] for p in found} == approved
    product = next(iter(world.products))
    by_sku = client.ok("POST", SEARCH_202502, query={"page_size": "10"},
                       body={"sku_ids": [product.skus[0].id]})["products"]
    assert [p["id"] for p in by_sku] == [product.id]
    assert client.ok("POST", SEARCH_202502, query={"page_size": "10"},
                     body={"listing_platforms": ["TOKOPEDIA"]})["products"] == []


def test_search_products_202502_refuses_what_it_cannot_honour(client) -> None:
    for body in ({"sku_ids": [str(n) for n in range(11)]}, {"audit_status": ["MAYBE"]},
                 {"sns_filter": "anything"}, {"return_draft_version": "yes"},
                 {"category_version": "v9"}):
        status, answer = client.fails("POST", SEARCH_202502, query={"page_size": "10"},
                                      body=body)
        assert status == 400 and answer["code"] in (36009004, 12019087), body
