"""Shops and when they were last synced."""

from __future__ import annotations

from store_samples import SHOP

from tiktok_desktop.store import Store


def test_shops_are_saved_and_marked_synced(store: Store) -> None:
    shop = {"id": SHOP, "name": "Maria's Crafts", "region": "GB", "seller_type": "LOCAL",
            "cipher": "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3", "code": "GBLCCRAFTS"}
    assert store.shops.upsert([shop]).touches("shops")
    info = store.shops.get(SHOP)
    assert (info.name, info.region, info.cipher, info.last_synced_at) == (
        "Maria's Crafts", "GB", shop["cipher"], None)
    store.shops.mark_synced(SHOP, 1_700_000_000)
    store.shops.upsert([shop | {"name": "Maria's Crafts Ltd"}])  # keeps the sync time
    info = store.shops.get(SHOP)
    assert (info.name, info.last_synced_at) == ("Maria's Crafts Ltd", 1_700_000_000)
    store.shops.mark_synced("7000000000000000002", 5)  # a shop not listed yet
    assert [s.id for s in store.shops.all()] == ["7000000000000000002", SHOP]
    assert store.shops.get("nope") is None
