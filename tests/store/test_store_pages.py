"""save_page: a page of a resource and the sync state, written together or not at all."""

from __future__ import annotations

import pytest
from store_samples import SHOP, order, package

from tiktok_desktop.store import RESOURCES, OrderQuery, Store


def test_a_page_and_its_state_are_saved_together(store: Store) -> None:
    changes = store.save_page(SHOP, "orders", [order(1)], {"watermark": 1_700_000_060})
    assert changes.touches("orders", "sync_state")
    assert store.sync_state(SHOP, "orders") == {"watermark": 1_700_000_060}
    assert store.sync_state(SHOP, "packages") is None


def test_a_failing_page_leaves_neither_items_nor_state(store: Store) -> None:
    store.save_page(SHOP, "orders", [order(1)], {"watermark": 1})
    broken = order(3)
    del broken["line_items"][1]["id"]  # the writer fails half-way through the page
    with pytest.raises(KeyError):
        store.save_page(SHOP, "orders", [order(2), broken], {"watermark": 2})
    assert store.orders.ids(OrderQuery(SHOP)) == [order(1)["id"]]
    assert store.sync_state(SHOP, "orders") == {"watermark": 1}
    assert store.db["order_search"].count == 1


def test_state_alone_and_an_empty_page(store: Store) -> None:
    assert store.save_page(SHOP, "returns", [], None).tables == frozenset()
    store.set_sync_state(SHOP, "returns", {"watermark": 5})
    assert store.sync_state(SHOP, "returns") == {"watermark": 5}


def test_every_resource_keeps_the_raw_object(store: Store) -> None:
    pages = {
        "returns": [{"return_id": "4035", "order_id": "576", "return_type": "REFUND",
                     "return_status": "RETURN_OR_REFUND_REQUEST_PENDING", "update_time": 9,
                     "refund_amount": {"currency": "GBP", "refund_total": "5.00"}}],
        "cancellations": [{"cancel_id": "4036", "order_id": "577", "cancel_type": "BUYER_CANCEL",
                           "cancel_status": "CANCELLATION_REQUEST_PENDING", "role": "BUYER",
                           "update_time": 9}],
        "statements": [{"id": "S1", "statement_time": 1_700_006_400, "currency": "GBP",
                        "settlement_amount": "120.00", "payment_status": "PAID",
                        "fee_amount": "-3.00"}],
        "warehouses": [{"id": "W1", "name": "Main", "is_default": True, "type": "SALES_WAREHOUSE"}],
    }
    for resource, items in pages.items():
        assert store.save_page(SHOP, resource, items, None).count(resource) == 1
    assert store.db["returns"].get("4035")["status"] == "RETURN_OR_REFUND_REQUEST_PENDING"
    assert '"refund_total":"5.00"' in store.db["returns"].get("4035")["raw"]
    assert store.db["cancellations"].get("4036")["role"] == "BUYER"
    assert store.db["statements"].get("S1")["settlement_amount"] == "120.00"
    assert '"fee_amount":"-3.00"' in store.db["statements"].get("S1")["raw"]
    assert set(RESOURCES) == {"orders", "packages", "products", "inventory", "warehouses",
                              "returns", "cancellations", "statements", "product_details"}


def test_an_unknown_resource_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown resource"):
        store.save_page(SHOP, "refunds", [{"id": "1"}], None)


def test_an_older_version_never_overwrites_a_newer_one(store: Store) -> None:
    newer = order(1, status="CANCELLED", buyer="after")
    older = order(1, status="AWAITING_SHIPMENT", buyer="before")
    older["update_time"] = newer["update_time"] - 30
    # Two answers in one write (two windows), then a late answer in a write of its own.
    assert store.save_page(SHOP, "orders", [newer, older], None).count("orders") == 1
    assert store.save_page(SHOP, "orders", [older], None).count("orders") == 0
    [row] = store.orders.rows([newer["id"]])
    assert (row.status, row.buyer) == ("CANCELLED", "after")
    assert store.orders.ids(OrderQuery(SHOP, search="before")) == []
    pkg = package(1, [newer["id"]], tracking="NEW", update_time=500)
    store.save_page(SHOP, "packages", [pkg], None)
    store.save_page(SHOP, "packages", [package(1, [], tracking="OLD", update_time=400)], None)
    assert store.db["packages"].get(pkg["id"])["tracking_number"] == "NEW"
    same_second = order(1, status="COMPLETED", buyer="after")  # same update_time: it wins
    store.save_page(SHOP, "orders", [same_second], None)
    assert store.orders.rows([newer["id"]])[0].status == "COMPLETED"
