"""The outbox: edits survive until pushed, a newer edit replaces a pending one."""

from __future__ import annotations

from pathlib import Path

from store_samples import SHOP

from tiktok_desktop.store import Edit, Store, stock_target
from tiktok_desktop.store.outbox import STOCK

A, B = stock_target("1729500000000000001", "7068000000000000001"), stock_target("2", "w")


def test_an_edit_waits_in_the_outbox_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        changes = store.outbox.add(SHOP, STOCK, A, {"quantity": 7}, based_on=5)
        assert changes.count("outbox") == 1 and changes.shop_ids == {SHOP}
    with Store.open(path) as store:
        [item] = store.outbox.items(SHOP)
    assert (item.kind, item.target, item.payload, item.based_on) == (STOCK, A, {"quantity": 7}, 5)
    assert (item.state, item.attempts, item.last_error) == ("pending", 0, None)


def test_a_new_edit_replaces_the_pending_one(store: Store) -> None:
    store.outbox.add(SHOP, STOCK, A, {"quantity": 7}, based_on=5)
    [first] = store.outbox.items(SHOP)
    store.outbox.add_many(SHOP, STOCK, [Edit(A, {"quantity": 9}, 5), Edit(B, {"quantity": 1}, 0)])
    items = store.outbox.items(SHOP)
    assert [(i.target, i.payload["quantity"]) for i in items] == [(A, 9), (B, 1)]
    assert items[0].id != first.id
    # A pusher still holding the replaced row cannot claim it: the old value is never sent.
    assert store.outbox.claim([first.id]) == []


def test_claiming_marks_rows_sent_and_a_new_edit_queues_behind_them(store: Store) -> None:
    store.outbox.add(SHOP, STOCK, A, {"quantity": 7}, based_on=5)
    [item] = store.outbox.items(SHOP)
    [claimed] = store.outbox.claim([item.id])
    assert (claimed.state, claimed.attempts) == ("sent", 1)
    assert store.outbox.claim([item.id]) == []  # claimed once only
    store.outbox.add(SHOP, STOCK, A, {"quantity": 8}, based_on=7)
    assert [(i.state, i.payload["quantity"]) for i in store.outbox.items(SHOP)] == [
        ("sent", 7), ("pending", 8)]


def test_outcomes_done_failed_conflict(store: Store) -> None:
    store.outbox.add_many(SHOP, STOCK, [Edit(A, 1), Edit(B, 2), Edit("c@w", 3)])
    a, b, c = store.outbox.claim([i.id for i in store.outbox.items(SHOP)])
    store.outbox.mark_done([a.id], request_id="req-1")
    store.outbox.mark_failed([b.id], "The quantity is above 99,999.", request_id="req-2")
    changes = store.outbox.mark_conflict([c.id], "Changed in Seller Center: now 4")
    assert changes.count("outbox") == 1
    assert store.outbox.get(a.id).state == "done" and store.outbox.get(a.id).request_id == "req-1"
    failed = store.outbox.get(b.id)
    assert (failed.state, failed.last_error, failed.request_id) == (
        "failed", "The quantity is above 99,999.", "req-2")
    assert [i.target for i in store.outbox.items(SHOP, states=("conflict",))] == ["c@w"]
    assert {i.id for i in store.outbox.items(SHOP)} == {b.id, c.id}  # open rows only
    assert store.outbox.items(SHOP, kind="price") == []


def test_keep_mine_requeues_on_the_new_base_and_take_theirs_discards(store: Store) -> None:
    store.outbox.add_many(SHOP, STOCK, [Edit(A, 7, 5), Edit(B, 1, 0)])
    a, b = store.outbox.claim([i.id for i in store.outbox.items(SHOP)])
    store.outbox.mark_conflict([a.id, b.id], "changed elsewhere")
    store.outbox.requeue([a.id], based_on=6)
    again = store.outbox.get(a.id)
    assert (again.state, again.based_on, again.last_error) == ("pending", 6, None)
    assert store.outbox.discard([b.id]).count("outbox") == 1
    assert store.outbox.get(b.id) is None


def test_requeue_yields_to_a_newer_pending_edit(store: Store) -> None:
    store.outbox.add(SHOP, STOCK, A, 7)
    [sent] = store.outbox.claim([store.outbox.items(SHOP)[0].id])
    store.outbox.add(SHOP, STOCK, A, 9)  # edited again while the first was in flight
    store.outbox.requeue([sent.id])  # e.g. resumed after a crash
    assert [(i.state, i.payload) for i in store.outbox.items(SHOP)] == [("pending", 9)]


def test_a_new_edit_supersedes_a_failed_one(store: Store) -> None:
    store.outbox.add(SHOP, STOCK, A, 100_000)
    [item] = store.outbox.claim([store.outbox.items(SHOP)[0].id])
    store.outbox.mark_failed([item.id], "too large")
    store.outbox.add(SHOP, STOCK, A, 99_999)
    assert [(i.state, i.payload) for i in store.outbox.items(SHOP)] == [("pending", 99_999)]


def test_discarding_by_target_leaves_rows_being_sent(store: Store) -> None:
    store.outbox.add_many(SHOP, STOCK, [Edit(A, 1), Edit(B, 2)])
    [sent] = store.outbox.claim([store.outbox.items(SHOP)[0].id])
    store.outbox.add(SHOP, STOCK, A, 3)  # queued behind the one being sent
    assert store.outbox.discard_targets(SHOP, STOCK, [A, B]).count("outbox") == 2
    assert [(i.id, i.state) for i in store.outbox.items(SHOP)] == [(sent.id, "sent")]


def test_count_says_how_many_edits_are_not_pushed_yet(store: Store) -> None:
    store.outbox.add_many(SHOP, STOCK, [Edit(A, {"quantity": 9}, 5), Edit(B, {"quantity": 1}, 0)])
    assert store.outbox.count(SHOP) == 2
    [first, _] = store.outbox.items(SHOP)
    store.outbox.claim([first.id])
    assert store.outbox.count(SHOP) == 2  # one is being sent: still not in the shop
    store.outbox.mark_done([first.id])
    assert store.outbox.count(SHOP) == 1
    assert store.outbox.count("another shop") == 0
