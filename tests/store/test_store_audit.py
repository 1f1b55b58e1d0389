"""The audit log of pushed changes."""

from __future__ import annotations

from store_samples import SHOP

from tiktok_desktop.store import AuditEntry, Store, stock_target


def test_entries_are_kept_newest_first(store: Store) -> None:
    target = stock_target("1729500000000000001", "7068000000000000001")
    changes = store.audit.record([
        AuditEntry(SHOP, "stock", target, 5, 7, "done", request_id="req-1", at=1_700_000_000),
        AuditEntry(SHOP, "stock", target, 7, 100_000, "failed", message="Too large"),
        AuditEntry("other", "price", "x", "1.00", "2.00", "done"),
    ])
    assert changes.count("audit_log") == 3 and changes.shop_ids == {SHOP, "other"}
    newest, oldest = store.audit.entries(SHOP)
    assert (newest.old, newest.new, newest.result, newest.message) == (7, 100_000, "failed",
                                                                       "Too large")
    assert newest.at > oldest.at == 1_700_000_000 and newest.id is not None
    assert (oldest.target, oldest.request_id) == (target, "req-1")
    assert store.audit.entries(SHOP, limit=1, offset=1) == [oldest]
    assert store.audit.entries(SHOP, since=1_700_000_001) == [newest]
    assert store.audit.entries(SHOP, kind="price") == []
