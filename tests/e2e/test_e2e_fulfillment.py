"""Fulfillment and logistics, live: ship a package, get its label, download the PDF."""

from __future__ import annotations

import pytest
from e2e_shop import sign_in

from tiktok_desktop.api import ShopApi
from tiktok_desktop.api.errors import ApiError, NotFoundError


def waiting_packages(shop: ShopApi, shipping_type: str, count: int) -> list[tuple[dict, str]]:
    """(order, package id) pairs of orders waiting to ship, shipped by TikTok or the seller."""
    found = []
    for page in shop.orders.iter_pages({"order_status": "AWAITING_SHIPMENT"}, page_size=100):
        for order in page.items:
            if order.get("shipping_type") == shipping_type and len(order["packages"]) == 1:
                found.append((order, order["packages"][0]["id"]))
                if len(found) == count:
                    return found
    raise AssertionError(f"the demo shop has too few {shipping_type} orders waiting to ship")


def test_ship_a_package_and_download_its_label(signed_in) -> None:
    shop = signed_in.shop
    order, package_id = waiting_packages(shop, "TIKTOK", 1)[0]

    slots = shop.fulfillment.handover_time_slots(package_id)
    assert slots["can_pickup"] and slots["pickup_slots"]
    slot = slots["pickup_slots"][0]
    shop.fulfillment.ship_package(
        package_id,
        handover_method="PICKUP",
        pickup_slot={"start_time": slot["start_time"], "end_time": slot["end_time"]},
    )

    package = shop.fulfillment.package(package_id)
    assert package["tracking_number"] and package["handover_method"] == "PICKUP"
    assert shop.orders.get([order["id"]])[0]["status"] == "AWAITING_COLLECTION"

    document = shop.fulfillment.shipping_document(package_id, document_size="A6")
    assert document["tracking_number"] == package["tracking_number"]
    pdf = shop.fulfillment.download_document(document["doc_url"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 500

    with pytest.raises(ApiError):  # shipping is irreversible: a second ship is refused
        shop.fulfillment.ship_package(package_id)


def test_expired_label_link_is_reported(small_shop) -> None:
    session = sign_in(small_shop)
    with session.api:
        shop = session.shop
        _, package_id = waiting_packages(shop, "TIKTOK", 1)[0]
        shop.fulfillment.ship_package(package_id)
        document = shop.fulfillment.shipping_document(package_id)
        small_shop.world.advance_clock(2 * 86400)
        with pytest.raises(NotFoundError):
            session.api.download(document["doc_url"])


def test_batch_ship_reports_failures_per_package(signed_in) -> None:
    shop = signed_in.shop
    pairs = waiting_packages(shop, "TIKTOK", 2)
    unknown = "1152321127278713999"
    errors = shop.fulfillment.ship_packages(
        [{"id": package_id, "handover_method": "DROP_OFF"} for _, package_id in pairs]
        + [{"id": unknown, "handover_method": "DROP_OFF"}]
    )
    assert [e.item_id for e in errors] == [unknown]
    assert errors[0].code != 0 and errors[0].message
    for _, package_id in pairs:
        assert shop.fulfillment.package(package_id)["tracking_number"]


def test_seller_shipping_mark_shipped_and_correct_tracking(signed_in) -> None:
    shop = signed_in.shop
    order, _ = waiting_packages(shop, "SELLER", 1)[0]
    warehouse = shop.logistics.warehouses()[0]
    options = shop.logistics.delivery_options(warehouse["id"])
    providers = shop.logistics.shipping_providers(options[0]["id"])
    assert providers and providers[0]["name"]

    line_ids = [line["id"] for line in order["line_items"]]
    marked = shop.fulfillment.mark_package_shipped(
        order["id"], order_line_item_ids=line_ids, tracking_number="1Z999AA10123456784",
        shipping_provider_id=providers[0]["id"],
    )
    package_id = marked["package_id"]
    assert shop.fulfillment.package(package_id)["tracking_number"] == "1Z999AA10123456784"

    shop.fulfillment.update_shipping_info(
        package_id, tracking_number="1Z999AA10123456785", shipping_provider_id=providers[0]["id"]
    )
    assert shop.fulfillment.package(package_id)["tracking_number"] == "1Z999AA10123456785"


def test_search_packages_pages(signed_in) -> None:
    fulfillment = signed_in.shop.fulfillment
    pages = list(fulfillment.iter_package_pages(page_size=50))
    ids = [p["id"] for page in pages for p in page.items]
    assert len(pages) > 1 and len(ids) == len(set(ids)) == pages[0].total_count
    processing = fulfillment.search_packages_page({"package_status": "PROCESSING"}).items
    assert processing and {p["status"] for p in processing} == {"PROCESSING"}


def test_unknown_package(signed_in) -> None:
    with pytest.raises(NotFoundError):
        signed_in.shop.fulfillment.package("1152321127278713999")


def test_logistics(signed_in) -> None:
    logistics = signed_in.shop.logistics
    warehouses = logistics.warehouses()
    assert len(warehouses) >= 2 and all(w["id"] and w["name"] for w in warehouses)
    options = logistics.delivery_options(warehouses[0]["id"])
    assert options and options[0]["name"]
