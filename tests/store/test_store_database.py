"""Opening the cache: private file, WAL, one connection per thread."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import platformdirs
import pytest
from store_samples import SHOP, order

from tiktok_desktop.store import Store, default_path
from tiktok_desktop.store.migrations import LATEST

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_a_new_cache_is_readable_by_its_user_only(tmp_path: Path) -> None:
    path = tmp_path / "TikTokShopDesktop" / "cache.sqlite3"
    with Store.open(path) as store:
        store.save_page(SHOP, "orders", [order(1)], None)  # makes SQLite create the -wal file
        assert mode(path.parent) == 0o700
        assert mode(path) == 0o600
        assert mode(Path(f"{path}-wal")) == 0o600


@posix_only
def test_a_loose_cache_file_is_made_private_again(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    Store.open(path).close()
    assert mode(path) == 0o600


@posix_only
def test_a_data_folder_chosen_by_the_user_keeps_its_permissions(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    Store.open(default_path(tmp_path)).close()
    assert mode(tmp_path) == 0o755


def test_default_path_is_the_platform_app_data_folder_or_the_data_dir(tmp_path: Path) -> None:
    expected = Path(platformdirs.user_data_dir("tiktok-shop-desktop", appauthor=False))
    assert default_path().parent == expected
    assert default_path(tmp_path) == tmp_path / "cache.sqlite3"


def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version == LATEST


def test_a_store_refuses_to_be_used_from_another_thread(store: Store) -> None:
    errors: list[BaseException] = []

    def use() -> None:
        try:
            store.conn.execute("SELECT 1").fetchone()
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=use)
    worker.start()
    worker.join()
    assert len(errors) == 1 and isinstance(errors[0], sqlite3.ProgrammingError)


def test_the_ui_reads_while_a_worker_writes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    reader = Store.open(path)
    in_transaction, may_commit = threading.Event(), threading.Event()

    def write() -> None:
        with Store.open(path) as writer:
            writer.conn.execute("BEGIN IMMEDIATE")
            writer.save_page(SHOP, "orders", [order(1)], None)
            in_transaction.set()
            may_commit.wait(5)
            writer.conn.execute("COMMIT")

    worker = threading.Thread(target=write)
    worker.start()
    assert in_transaction.wait(5)
    # The writer holds the write lock; reading is neither blocked nor sees uncommitted rows.
    assert reader.orders.existing([order(1)["id"]]) == set()
    may_commit.set()
    worker.join()
    assert reader.orders.existing([order(1)["id"]]) == {order(1)["id"]}
    reader.close()


_WRITE_AND_CLOSE = """
import sys
sys.path.insert(0, sys.argv[2])
from store_samples import SHOP, order
from tiktok_desktop.store import Store
with Store.open(sys.argv[1]) as store:
    store.save_page(SHOP, "orders", [order(2)], None)
"""


@posix_only
def test_another_process_closing_the_cache_never_deletes_the_wal_under_us(
        tmp_path: Path) -> None:
    """The window keeps connections open while the sync's process opens, writes and closes.

    SQLite's last connection to close deletes the -wal file; it decides it is the last by the
    locks it cannot take. Opening one more Store here must not drop this process's locks (on
    POSIX, closing any descriptor of the file does), or the other process deletes the WAL that
    our open connections still use: "database disk image is malformed"."""
    path = tmp_path / "cache.sqlite3"
    first, second = Store.open(path), Store.open(path)
    try:
        first.save_page(SHOP, "orders", [order(1)], None)
        assert second.conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 1
        Store.open(path).close()  # one more connection in this process, opened and closed
        subprocess.run([sys.executable, "-c", _WRITE_AND_CLOSE, str(path),
                        str(Path(__file__).parent)], check=True, timeout=60)
        assert Path(f"{path}-wal").exists()
        for store in (first, second):
            assert store.conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 2
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        first.close()
        second.close()


def test_check_finds_damage_no_read_has_met_yet(tmp_path: Path) -> None:
    from tiktok_desktop.store import is_damaged
    from tiktok_desktop.store.database import CacheDamaged

    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        store.save_page(SHOP, "orders", [order(n) for n in range(400)], None)
        store.check()  # a sound cache: nothing raised
        pages = [p for (p,) in store.conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'orders' AND pagetype = 'leaf'")]
    with open(path, "r+b") as f:  # closed above: nothing has the file open
        f.seek((pages[len(pages) // 2] - 1) * 4096)
        f.write(b"\xff" * 4096)
    with Store.open(path) as store:
        assert store.conn.execute("SELECT count(*) FROM shops").fetchone()  # opens fine
        with pytest.raises(CacheDamaged) as damaged:
            store.check()
    assert is_damaged(damaged.value)
