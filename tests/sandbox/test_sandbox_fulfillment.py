"""Packages: ship one or many, labels as real PDFs that expire, seller-shipped orders."""

from __future__ import annotations

import re

PACKAGES = "/fulfillment/202309/packages"


def waiting_package(world, shipping_type: str = "TIKTOK"):
    """A package of an order that waits to ship, all in one package."""
    return next(p for p in world.packages
                if p.status == "PROCESSING" and not p.shipped_time
                and p.shipping_type == shipping_type
                and world.orders.rows[p.order_id].status == "AWAITING_SHIPMENT"
                and len(world.orders.rows[p.order_id].packages) == 1)


def test_shipping_moves_the_order_and_assigns_a_tracking_number(client) -> None:
    world = client.shop.world
    package = waiting_package(world)
    order_before = client.ok("GET", "/order/202309/orders", query={"ids": package.order_id})
    before = order_before["orders"][0]
    slots = client.ok("GET", f"{PACKAGES}/{package.id}/handover_time_slots")
    slot = slots["pickup_slots"][0]
    assert slots["can_pickup"] and slot["start_time"] > world.now()
    world.advance_clock(5)
    assert client.ok("POST", f"{PACKAGES}/{package.id}/ship", body={
        "handover_method": "PICKUP",
        "pickup_slot": {"start_time": slot["start_time"], "end_time": slot["end_time"]}}) == {}
    after = client.ok("GET", "/order/202309/orders", query={"ids": package.order_id})["orders"][0]
    assert after["status"] == "AWAITING_COLLECTION"
    assert after["tracking_number"] and after["update_time"] > before["update_time"]
    assert all(x["package_id"] == package.id and x["tracking_number"] == after["tracking_number"]
               for x in after["line_items"])
    detail = client.ok("GET", f"{PACKAGES}/{package.id}")
    assert detail["tracking_number"] == after["tracking_number"]
    assert detail["handover_method"] == "PICKUP" and detail["pickup_slot"]["start_time"] == \
        slot["start_time"]
    _, again = client.fails("POST", f"{PACKAGES}/{package.id}/ship",
                            body={"handover_method": "DROP_OFF"})
    assert "already been shipped" in again["message"]


def test_shipping_releases_committed_stock(client) -> None:
    world = client.shop.world
    package = waiting_package(world)
    order = world.orders.rows[package.order_id]
    sku = world.skus[order.lines[0].sku_id][1]
    committed = sku.committed[order.warehouse_id]
    units = sum(1 for line in order.lines if line.sku_id == sku.id)
    client.ok("POST", f"{PACKAGES}/{package.id}/ship", body={"handover_method": "DROP_OFF"})
    assert sku.committed[order.warehouse_id] == committed - units


def test_batch_ship_reports_each_failure(client) -> None:
    world = client.shop.world
    good = waiting_package(world)
    cancelled = next(p for p in world.packages if p.status == "CANCELLED")
    data = client.ok("POST", f"{PACKAGES}/ship", body={"packages": [
        {"id": good.id, "handover_method": "DROP_OFF"},
        {"id": cancelled.id, "handover_method": "DROP_OFF"},
        {"id": "1152000000000000000", "handover_method": "DROP_OFF"},
    ]})
    failed = {e["detail"]["package_id"]: e for e in data["errors"]}
    assert set(failed) == {cancelled.id, "1152000000000000000"}
    assert failed["1152000000000000000"]["code"] == 21008111
    assert good.tracking_number


def test_search_packages_by_status_pages_them_all(client) -> None:
    world = client.shop.world
    found, token = [], ""
    while True:
        query = {"page_size": "7", **({"page_token": token} if token else {})}
        data = client.ok("POST", f"{PACKAGES}/search", query=query,
                         body={"package_status": "PROCESSING"})
        found += data["packages"]
        token = data["next_page_token"]
        if not token:
            break
    assert len({p["id"] for p in found}) == len(found) == data["total_count"] == sum(
        1 for p in world.packages if p.status == "PROCESSING")
    assert all(p["orders"][0]["skus"] for p in found)


def test_the_label_is_an_a6_pdf_with_the_order_and_tracking_number(client) -> None:
    world = client.shop.world
    package = waiting_package(world)
    client.ok("POST", f"{PACKAGES}/{package.id}/ship", body={"handover_method": "DROP_OFF"})
    doc = client.ok("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                    query={"document_type": "SHIPPING_LABEL"})
    assert doc["tracking_number"] == package.tracking_number
    pdf = client.http.get(doc["doc_url"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    body = pdf.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", body) == [(b"297.64", b"419.53")]
    assert package.order_id.encode() in body and package.tracking_number.encode() in body
    assert body.count(b" re f") > 30  # the barcode's bars
    xref = int(body.rsplit(b"startxref", 1)[1].split()[0])
    assert body[xref:xref + 4] == b"xref"


def test_a5_labels_and_packing_slips(client) -> None:
    world = client.shop.world
    package = waiting_package(world)
    slip = client.ok("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                     query={"document_type": "PACKING_SLIP", "document_size": "A5"})
    assert b"/MediaBox [0 0 419.53 595.28]" in client.http.get(slip["doc_url"]).content
    _, early = client.fails("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                            query={"document_type": "SHIPPING_LABEL"})
    assert early["code"] == 21023035 and "not been arranged" in early["message"]
    client.ok("POST", f"{PACKAGES}/{package.id}/ship", body={"handover_method": "DROP_OFF"})
    both = client.ok("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                     query={"document_type": "SHIPPING_LABEL_AND_PACKING_SLIP"})
    assert b"/Count 2" in client.http.get(both["doc_url"]).content


def test_label_links_expire_after_24_hours(client) -> None:
    world = client.shop.world
    package = waiting_package(world)
    client.ok("POST", f"{PACKAGES}/{package.id}/ship", body={"handover_method": "DROP_OFF"})
    url = client.ok("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                    query={"document_type": "SHIPPING_LABEL"})["doc_url"]
    world.advance_clock(23 * 3600)
    assert client.http.get(url).status_code == 200
    world.advance_clock(3600 + 1)
    expired = client.http.get(url)
    assert expired.status_code == 404 and "expired" in expired.text


def test_seller_shipped_orders_are_marked_shipped_with_their_own_tracking(client) -> None:
    world = client.shop.world
    package = waiting_package(world, "SELLER")
    order = world.orders.rows[package.order_id]
    _, refused = client.fails("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                              query={"document_type": "SHIPPING_LABEL"})
    assert refused["code"] == 11034002
    providers = client.ok("GET", f"/logistics/202309/delivery_options/"
                                 f"{order.delivery_option_id}/shipping_providers")
    provider = providers["shipping_providers"][0]["id"]
    first_line = order.lines[0].id
    data = client.ok("POST", f"/fulfillment/202309/orders/{order.id}/packages", body={
        "order_line_item_ids": [first_line], "tracking_number": "1Z999AA10123456784",
        "shipping_provider_id": provider})
    assert data["order_line_item_ids"] == [first_line]
    expected = "IN_TRANSIT" if len(order.lines) == 1 else "PARTIALLY_SHIPPING"
    assert world.orders.rows[order.id].status == expected
    shipped = world.packages.rows[data["package_id"]]
    assert shipped.tracking_number == "1Z999AA10123456784"
    client.ok("POST", f"{PACKAGES}/{shipped.id}/shipping_info/update", body={
        "tracking_number": "1Z999AA10123456785", "shipping_provider_id": provider})
    assert shipped.tracking_number == "1Z999AA10123456785"


def test_package_detail_has_the_documented_note_tag_and_address_lines(client) -> None:
    world = client.shop.world
    tags = {}
    for package in list(world.packages)[:40]:
        detail = client.ok("GET", f"{PACKAGES}/{package.id}")
        noted = bool(world.orders.rows[package.order_id].buyer_message)
        tags[detail["note_tag"]] = noted
        assert detail["note_tag"] == ("BUYER_NOTED" if noted else "BUYER_UNNOTED")
        sender = detail["sender_address"]
        assert {"address_detail", "address_line1", "address_line2", "address_line3",
                "address_line4"} <= set(sender)
        assert {"first_name", "last_name", "district_info",
                "delivery_preferences"} <= set(detail["recipient_address"])
    assert set(tags) == {"BUYER_NOTED", "BUYER_UNNOTED"}  # both occur in the demo shop


def test_a_picked_up_package_has_no_label_any_more(client) -> None:
    world = client.shop.world
    package = next(p for p in world.packages if p.status in ("FULFILLING", "COMPLETED")
                   and p.shipping_type == "TIKTOK")
    _, answer = client.fails("GET", f"{PACKAGES}/{package.id}/shipping_documents",
                             query={"document_type": "SHIPPING_LABEL"})
    assert answer["code"] == 21042102
