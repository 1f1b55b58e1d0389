"""Schema versions: a new file, a file from the previous version, a file from the future."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from store_samples import SHOP

from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.store.migrations import LATEST, MIGRATIONS, migrate, version


def test_an_empty_file_is_brought_to_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.touch()
    with Store.open(path) as store:
        assert store.schema_version == LATEST == len(MIGRATIONS)
        assert {"orders", "order_search", "outbox", "audit_log", "sync_state"} <= set(
            store.db.table_names()
        )


def write_v1_file(path: Path) -> None:
    """A cache as version 1 of the app left it: v1 schema and an order, no search index."""
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    assert migrate(db, target=1) == 1
    raw = {"id": "576000000000000042", "status": "AWAITING_SHIPMENT", "buyer_nickname": "old_buyer"}
    db.conn.execute(
        "INSERT INTO orders (id, shop_id, status, create_time, buyer, tracking_number, raw) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (raw["id"], SHOP, raw["status"], 1_690_000_000, "old_buyer", "RM123456789GB",
         json.dumps(raw)),
    )
    db.conn.execute(
        "INSERT INTO order_line_items (id, order_id, sku_id, product_name, seller_sku) "
        "VALUES ('1', ?, '30001', 'Linen apron', 'APRON-01')",
        (raw["id"],),
    )
    db.conn.execute(
        "INSERT INTO sync_state VALUES (?, 'orders', '{\"watermark\": 1690000000}', 0)", (SHOP,)
    )
    db.close()


def test_a_file_from_the_previous_version_keeps_its_data_and_gains_search(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    write_v1_file(path)
    with Store.open(path) as store:
        assert store.schema_version == LATEST
        query = OrderQuery(SHOP, search="linen")
        assert store.orders.ids(query) == ["576000000000000042"]
        assert store.orders.ids(OrderQuery(SHOP, search="APRON")) == ["576000000000000042"]
        assert store.orders.ids(OrderQuery(SHOP, search="RM1234")) == ["576000000000000042"]
        assert store.orders.counts(query)["To ship"] == 1
        assert store.sync_state(SHOP, "orders") == {"watermark": 1690000000}


def test_opening_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    write_v1_file(path)
    Store.open(path).close()
    with Store.open(path) as store:
        assert store.schema_version == LATEST
        assert store.db["order_search"].count == 1


def test_a_file_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer version of the app"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert version(sqlite_utils.Database(conn)) == LATEST + 1
    conn.close()


def test_opening_an_up_to_date_file_does_not_wait_for_a_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync holding the write lock must not keep the UI from opening its own connection."""
    path = tmp_path / "cache.sqlite3"
    Store.open(path).close()
    monkeypatch.setattr("tiktok_desktop.store.database.BUSY_TIMEOUT_MS", 100)  # fail fast
    with Store.open(path) as writer:
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("UPDATE shops SET name = name")
        with Store.open(path) as reader:
            assert reader.schema_version == LATEST
            assert reader.orders.counts(OrderQuery(SHOP))["All"] == 0
        writer.conn.execute("COMMIT")


def test_a_due_migration_still_waits_for_the_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.sqlite3"
    write_v1_file(path)
    monkeypatch.setattr("tiktok_desktop.store.database.BUSY_TIMEOUT_MS", 100)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        Store.open(path)
    writer.execute("ROLLBACK")
    writer.close()
    with Store.open(path) as store:
        assert store.schema_version == LATEST
