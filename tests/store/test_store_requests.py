"""Buyers' requests in the cache (store/requests.py): one shape for cancellations and returns,
what waits for the seller and by when, open and closed, per order; and the v7 migration that
gives an older cache the columns the counts are read from."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import sqlite_utils
from store_samples import SHOP

from tiktok_desktop.store import Store
from tiktok_desktop.store.migrations import migrate
from tiktok_desktop.store.requests import REQUEST_ANSWER

NOW = 1_800_000_000


def cancellation(n: int, status: str, deadline: int | None = None) -> dict:
    return {"cancel_id": f"403600000000000{n:04d}", "order_id": f"57600000000000{n:04d}",
            "cancel_type": "BUYER_CANCEL", "cancel_status": status, "role": "BUYER",
            "cancel_reason": "buyer_cancel_paid_reason_no_longer_needed",
            "cancel_reason_text": "No longer needed",
            "refund_amount": {"currency": "USD", "refund_total": "31.00"},
            "cancel_line_items": [
                {"sku_id": "1729500000000000001", "product_name": "Cotton tee",
                 "sku_name": "Black, M", "seller_sku": "TEE-BLK-M"},
                {"sku_id": "1729500000000000001", "product_name": "Cotton tee",
                 "sku_name": "Black, M", "seller_sku": "TEE-BLK-M"}],
            "seller_next_action_response": [{"action": "SELLER_RESPOND_CANCEL",
                                             "deadline": deadline}] if deadline else [],
            "create_time": NOW - 3600, "update_time": NOW - 3600}


def a_return(n: int, kind: str, status: str, action: str = "", deadline: int = 0) -> dict:
    return {"return_id": f"403500000000000{n:04d}", "order_id": f"57600000000000{n:04d}",
            "return_type": kind, "return_status": status, "role": "BUYER",
            "return_reason": "ecom_order_delivered_refund_and_return_reason_wrong_size",
            "return_reason_text": "Wrong size",
            "refund_amount": {"currency": "USD", "refund_total": "12.50"},
            "return_line_items": [{"sku_id": "1729500000000000002", "product_name": "Mug"}],
            "seller_next_action_response": [{"action": action, "deadline": deadline}]
            if action else [],
            "create_time": NOW - 7200, "update_time": NOW - 7200}


def filled(path: Path) -> Store:
    store = Store.open(path)
    store.save_page(SHOP, "products", [{"id": "1729000000000000001", "title": "Cotton tee",
                                        "skus": [{"id": "1729500000000000001"}]}], None)
    store.save_page(SHOP, "cancellations", [
        cancellation(1, "CANCELLATION_REQUEST_PENDING", NOW + 5 * 3600),
        cancellation(2, "CANCELLATION_REQUEST_COMPLETE")], None)
    store.save_page(SHOP, "returns", [
        a_return(3, "REFUND", "RETURN_OR_REFUND_REQUEST_PENDING", "SELLER_RESPOND_REFUND",
                 NOW + 3600),
        a_return(4, "RETURN_AND_REFUND", "AWAITING_BUYER_SHIP"),
        a_return(5, "RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_COMPLETE"),
        a_return(6, "REPLACEMENT", "REPLACEMENT_REQUEST_COMPLETE")], None)
    return store


def test_requests_in_one_shape_most_urgent_first(tmp_path: Path) -> None:
    with filled(tmp_path / "cache.sqlite3") as store:
        waiting = store.requests.open(SHOP)
        assert [(r.kind, r.type_key, r.next_action) for r in waiting] == [
            ("return", "refund", "SELLER_RESPOND_REFUND"),
            ("cancel", "cancel", "SELLER_RESPOND_CANCEL"),
            ("return", "return", None)]
        refund, cancel, buyer_turn = waiting
        assert (refund.deadline, cancel.deadline) == (NOW + 3600, NOW + 5 * 3600)
        assert refund.needs_answer and not buyer_turn.needs_answer and not buyer_turn.closed
        assert (cancel.reason, cancel.refund, cancel.currency) == ("No longer needed", "31.00",
                                                                   "USD")
        [tee] = cancel.items  # two units of one SKU: one item, quantity 2, its product known
        assert (tee.quantity, tee.product_id, tee.seller_sku) == (2, "1729000000000000001",
                                                                  "TEE-BLK-M")
        assert refund.items[0].product_id is None  # its SKU is not cached: no picture
        assert [r.id for r in store.requests.closed(SHOP)] == [  # newest first
            "4036000000000000002", "4035000000000000005", "4035000000000000006"]
        assert store.requests.closed_counts(SHOP) == {"cancel": 1, "refund": 0, "return": 1,
                                                      "replacement": 1}
        assert [r.id for r in store.requests.for_order("576000000000000001")] == [
            "4036000000000000001"]


def test_the_count_waiting_leaves_out_what_the_seller_answered_already(tmp_path: Path) -> None:
    with filled(tmp_path / "cache.sqlite3") as store:
        assert store.requests.waiting_count(SHOP) == 2
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM returns WHERE shop_id = ? "
            "AND next_action IS NOT NULL", (SHOP,)).fetchall()
        assert "returns_waiting" in str(plan)
        store.outbox.add(SHOP, REQUEST_ANSWER, "4036000000000000001",
                         {"answer": "approve", "next_action": "SELLER_RESPOND_CANCEL"})
        assert store.requests.waiting_count(SHOP) == 2  # only on its way
        [item] = store.outbox.items(SHOP, kind=REQUEST_ANSWER)
        store.outbox.mark_done([item.id])
        assert store.requests.waiting_count(SHOP) == 1  # answered; the cache not read back yet
        answered = cancellation(1, "CANCELLATION_REQUEST_COMPLETE")
        answered["update_time"] = NOW
        store.save_page(SHOP, "cancellations", [answered], None)
        assert store.requests.waiting_count(SHOP) == 1
        assert not store.requests.get(["4036000000000000001"])["4036000000000000001"].needs_answer


def test_an_older_cache_gains_the_next_action_columns_filled_from_its_requests(
        tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    assert migrate(db, target=6) == 6
    for table, raw in (("cancellations", cancellation(1, "CANCELLATION_REQUEST_PENDING",
                                                      NOW + 60)),
                       ("returns", a_return(5, "RETURN_AND_REFUND",
                                            "RETURN_OR_REFUND_REQUEST_COMPLETE"))):
        ident = raw.get("cancel_id") or raw["return_id"]
        db.conn.execute(f"INSERT INTO {table} (id, shop_id, order_id, status, update_time, raw) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (ident, SHOP, raw["order_id"], "x", raw["update_time"], json.dumps(raw)))
    db.close()
    with Store.open(path) as store:
        assert store.conn.execute("SELECT next_action, deadline FROM cancellations").fetchall() \
            == [("SELLER_RESPOND_CANCEL", NOW + 60)]
        assert store.conn.execute("SELECT next_action, deadline FROM returns").fetchall() == [
            (None, None)]
        assert store.requests.waiting_count(SHOP) == 1
