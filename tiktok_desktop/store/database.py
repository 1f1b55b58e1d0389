"""Opening the cache: one SQLite file per user, private to them, WAL, migrated on open."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from tiktok_desktop.data_folder import (
    default_data_dir,
    keep_private,
    make_data_dir,
    private_opener,
)
from tiktok_desktop.store import migrations
from tiktok_desktop.store.audit import AuditLog
from tiktok_desktop.store.catalog import Catalog
from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.finance import Finance
from tiktok_desktop.store.listings import Listings
from tiktok_desktop.store.orders import Orders
from tiktok_desktop.store.outbox import Outbox
from tiktok_desktop.store.pages import PreparedPage, prepare_page, write_pages
from tiktok_desktop.store.requests import Requests
from tiktok_desktop.store.shipping import Shipping
from tiktok_desktop.store.shops import Shops
from tiktok_desktop.store.sql import dumps, immediate

FILE_NAME = "cache.sqlite3"
BUSY_TIMEOUT_MS = 10_000
CACHE_KB = 64 * 1024
CHECKPOINT_PAGES = 10_000  # ~40 MB of WAL


def default_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file: in `data_dir` (the app's --data-dir) or the app's default data folder."""
    folder = Path(data_dir) if data_dir else default_data_dir()
    return folder / FILE_NAME


# SQLite's companions of a cache file (WAL mode; a rollback journal if ever switched back).
CACHE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def cache_exists(path: Path) -> bool:
    return any(path.with_name(path.name + suffix).exists() for suffix in CACHE_COMPANIONS)


def delete_cache(path: Path) -> None:
    """Delete a cache file and its companions. Only when nothing has it open: a live SQLite
    connection's files must never be deleted under it."""
    for suffix in CACHE_COMPANIONS:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _private_file(path: Path) -> None:
    """Create the folder (0700) and, when it does not exist yet, the file (0600) before SQLite
    does, so neither is ever readable by other users (SQLite gives its -wal and -shm files the
    database's mode).

    An existing file is never opened here: on POSIX, closing any descriptor of a file drops
    every SQLite lock this process holds on it, and another process (the sync's) may then delete
    the WAL under a live reader. A file that does not exist yet has no such locks; O_EXCL keeps
    a race with another opener from ever closing a descriptor of a file that SQLite uses.
    """
    make_data_dir(path.parent)  # the app's own folder is made 0700 even when it exists
    try:
        os.close(private_opener(str(path), os.O_RDWR | os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        keep_private(path)  # by name: no descriptor of the file is opened


class CacheDamaged(sqlite3.DatabaseError):
    """Store.check found damaged pages (store.rescue.is_damaged says yes to it)."""


class Store:
    """The local cache on one connection. Use it only on the thread that opened it (WAL lets
    each thread open its own Store on the same file: the UI reads while a worker writes)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
        self.orders = Orders(conn)
        self.catalog = Catalog(conn)
        self.listings = Listings(conn)
        self.outbox = Outbox(conn)
        self.audit = AuditLog(conn)
        self.shops = Shops(conn)
        self.shipping = Shipping(conn)
        self.finance = Finance(conn)
        self.requests = Requests(conn)  # buyers' cancellations and returns

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, shared: bool = False) -> Store:
        """Open (creating and migrating if needed) the cache file; default: default_path().

        `shared`: the connection may be used by whichever thread holds it (the caller makes
        sure only one at a time does), for a pool whose threads come and go."""
        file = Path(path) if path is not None else default_path()
        _private_file(file)
        conn = sqlite3.connect(file, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=not shared)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL is safe in WAL mode (no corruption); a power cut may lose the last commit.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # A sync touches every order index at once: keep them in memory, and copy the
            # WAL back into the file less often (each copy ends with an fsync).
            conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
            conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            store = cls(conn, file)
            migrations.migrate(store.db)
        except BaseException:
            conn.close()
            raise
        return store

    @property
    def schema_version(self) -> int:
        return migrations.version(self.db)

    def check(self) -> None:
        """Read every page (SQLite's quick_check: no index cross-checks, so it is quick) and
        raise CacheDamaged if one is damaged — damage a screen or a sync would meet later."""
        # Every page passes through: a small page cache for the walk, released after, so the
        # check does not leave this connection holding CACHE_KB of pages nobody reads again.
        self.conn.execute("PRAGMA cache_size = -2048")
        try:
            problems = [row[0] for row in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as error:  # a page too garbled to walk
            problems = [str(error)]
        finally:
            self.conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
            self.conn.execute("PRAGMA shrink_memory")
        if problems != ["ok"]:
            raise CacheDamaged(f"database disk image is malformed: {'; '.join(problems)}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def save_page(self, shop_id: str, resource: str, items: Sequence[dict[str, Any]],
                  state: dict[str, Any] | None) -> Changes:
        """Upsert one page of raw API objects of `resource` and, in the same transaction,
        the sync engine's state for it (None leaves the state alone).

        Resources: orders, packages, products (skus[].inventory[] = available stock),
        inventory (inventory-search entries: available and committed per warehouse),
        warehouses, returns, cancellations, statements, product_details (Get Product answers
        and pictures of cached products, see details.py). An object older (update_time) than
        the cached one is skipped.
        """
        return self.save_prepared([prepare_page(shop_id, resource, items)], state)

    def save_prepared(self, pages: Sequence[PreparedPage],
                      state: dict[str, Any] | None) -> Changes:
        """Like save_page, for pages already turned into rows by `prepare_page` (on another
        thread): several pages of one shop and resource, with one state, in one transaction."""
        if not pages:
            return Changes()
        with immediate(self.conn):
            changes = write_pages(self.conn, pages)
            if state is not None:
                changes |= self._write_state(pages[0].shop_id, pages[0].resource, state)
        return changes

    def sync_state(self, shop_id: str, resource: str) -> dict[str, Any] | None:
        """The sync engine's saved state for one resource of a shop."""
        row = self.conn.execute(
            "SELECT state FROM sync_state WHERE shop_id = ? AND resource = ?",
            (shop_id, resource),
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def set_sync_state(self, shop_id: str, resource: str, state: dict[str, Any]) -> Changes:
        with immediate(self.conn):
            return self._write_state(shop_id, resource, state)

    def _write_state(self, shop_id: str, resource: str, state: dict[str, Any]) -> Changes:
        self.conn.execute(
            "INSERT INTO sync_state (shop_id, resource, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (shop_id, resource) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            (shop_id, resource, dumps(state), int(time.time())),
        )
        return Changes.of(shop_id, sync_state=1)
