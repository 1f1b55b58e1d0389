"""Schema versions: ordered forward migrations, the version kept in `PRAGMA user_version`.

Migration N turns a version N-1 file into version N. A shipped migration is never edited: a
change to the schema is a new function appended to MIGRATIONS.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from tiktok_desktop.store.search import rebuild_search_index
from tiktok_desktop.store.sql import immediate

Migration = Callable[[sqlite_utils.Database], None]

SORTED_ORDER_COLUMNS = (
    "id", "status", "create_time", "update_time", "paid_time", "ship_by", "buyer", "recipient",
    "item_count", "item_summary", "total_minor", "currency", "tracking_number",
    "shipping_provider", "delivery_option_name", "shipping_type", "cancel_reason",
)

_V1_TABLES = [
    """CREATE TABLE shops (
        id TEXT PRIMARY KEY, name TEXT, region TEXT, seller_type TEXT, cipher TEXT, code TEXT,
        last_synced_at INTEGER, raw TEXT NOT NULL)""",
    """CREATE TABLE orders (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, status TEXT, is_on_hold INTEGER,
        create_time INTEGER, update_time INTEGER, paid_time INTEGER, ship_by INTEGER,
        buyer TEXT, recipient TEXT, item_count INTEGER, item_summary TEXT,
        total_amount TEXT, total_minor INTEGER, currency TEXT, tracking_number TEXT,
        shipping_provider TEXT, delivery_option_name TEXT, shipping_type TEXT,
        cancel_reason TEXT, raw TEXT NOT NULL)""",
    # One covering index per sortable column: (shop, column, status, create_time, id) answers
    # "status filter + date range + sort" from the index alone, for every column the tab sorts.
    # orders_by_status (shop, status, create_time, id) also serves the counts per status.
    *(
        f"CREATE INDEX orders_by_{column} ON orders "
        f"({', '.join(dict.fromkeys(('shop_id', column, 'status', 'create_time', 'id')))})"
        for column in SORTED_ORDER_COLUMNS
    ),
    # Line items are queried by column; their raw objects stay inside orders.raw.
    """CREATE TABLE order_line_items (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        sku_id TEXT, product_id TEXT, product_name TEXT, sku_name TEXT, sku_image TEXT,
        seller_sku TEXT, sale_price TEXT, currency TEXT, display_status TEXT, package_id TEXT,
        package_status TEXT, tracking_number TEXT, shipping_provider_name TEXT)""",
    "CREATE INDEX line_items_order ON order_line_items (order_id)",
    "CREATE INDEX line_items_sku ON order_line_items (sku_id)",
    "CREATE INDEX line_items_package ON order_line_items (package_id)",
    "CREATE INDEX line_items_tracking ON order_line_items (tracking_number)",
    """CREATE TABLE packages (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, status TEXT, tracking_number TEXT,
        shipping_provider_id TEXT, shipping_provider_name TEXT, create_time INTEGER,
        update_time INTEGER, raw TEXT NOT NULL)""",
    "CREATE INDEX packages_tracking ON packages (tracking_number)",
    """CREATE TABLE package_orders (
        package_id TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
        order_id TEXT NOT NULL, PRIMARY KEY (package_id, order_id))""",
    "CREATE INDEX package_orders_order ON package_orders (order_id)",
    """CREATE TABLE products (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, title TEXT, status TEXT,
        create_time INTEGER, update_time INTEGER, raw TEXT NOT NULL)""",
    "CREATE INDEX products_shop ON products (shop_id, title)",
    # skus.inventory: the SKU's latest inventory-search answer (stock per warehouse, raw).
    """CREATE TABLE skus (
        id TEXT PRIMARY KEY,
        product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
        shop_id TEXT NOT NULL, seller_sku TEXT, variant TEXT, price TEXT, currency TEXT,
        raw TEXT NOT NULL, inventory TEXT)""",
    "CREATE INDEX skus_product ON skus (product_id)",
    "CREATE INDEX skus_seller_sku ON skus (seller_sku)",
    """CREATE TABLE warehouses (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, name TEXT, type TEXT, effect_status TEXT,
        is_default INTEGER, raw TEXT NOT NULL)""",
    # No foreign key to skus: an inventory answer may name a SKU before its product arrives.
    """CREATE TABLE stock (
        sku_id TEXT NOT NULL, warehouse_id TEXT NOT NULL, shop_id TEXT NOT NULL,
        product_id TEXT, available INTEGER, committed INTEGER, updated_at INTEGER,
        PRIMARY KEY (sku_id, warehouse_id))""",
    "CREATE INDEX stock_shop ON stock (shop_id, product_id)",
    """CREATE TABLE returns (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, order_id TEXT, return_type TEXT,
        status TEXT, create_time INTEGER, update_time INTEGER, raw TEXT NOT NULL)""",
    "CREATE INDEX returns_order ON returns (order_id)",
    "CREATE INDEX returns_shop ON returns (shop_id, update_time)",
    """CREATE TABLE cancellations (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, order_id TEXT, cancel_type TEXT,
        status TEXT, role TEXT, create_time INTEGER, update_time INTEGER, raw TEXT NOT NULL)""",
    "CREATE INDEX cancellations_order ON cancellations (order_id)",
    "CREATE INDEX cancellations_shop ON cancellations (shop_id, update_time)",
    """CREATE TABLE statements (
        id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, statement_time INTEGER,
        settlement_amount TEXT, currency TEXT, payment_status TEXT, raw TEXT NOT NULL)""",
    "CREATE INDEX statements_shop ON statements (shop_id, statement_time)",
    """CREATE TABLE sync_state (
        shop_id TEXT NOT NULL, resource TEXT NOT NULL, state TEXT NOT NULL,
        updated_at INTEGER NOT NULL, PRIMARY KEY (shop_id, resource))""",
    # AUTOINCREMENT: an id is never reused, so a replaced edit can never be claimed by mistake.
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, shop_id TEXT NOT NULL, kind TEXT NOT NULL,
        target TEXT NOT NULL, payload TEXT NOT NULL, based_on TEXT, state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, request_id TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)""",
    # At most one pending edit per target: a newer edit replaces it (see outbox.py).
    """CREATE UNIQUE INDEX outbox_one_pending ON outbox (shop_id, kind, target)
        WHERE state = 'pending'""",
    "CREATE INDEX outbox_state ON outbox (shop_id, state, kind)",
    "CREATE INDEX outbox_target ON outbox (shop_id, kind, target)",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, shop_id TEXT NOT NULL,
        kind TEXT NOT NULL, target TEXT NOT NULL, old, new, result TEXT NOT NULL,
        request_id TEXT, message TEXT)""",
    "CREATE INDEX audit_log_shop ON audit_log (shop_id, at)",
]


def _v1_tables(db: sqlite_utils.Database) -> None:
    for sql in _V1_TABLES:
        db.conn.execute(sql)


def _v2_order_search(db: sqlite_utils.Database) -> None:
    """Full-text search over orders (filled by v6, with the numbers' index)."""
    db.conn.execute(
        """CREATE VIRTUAL TABLE order_search USING fts5 (
            order_id, buyer, products, skus, tracking,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"""
    )


def _v3_product_details(db: sqlite_utils.Database) -> None:
    """Get Product answers (variants, pictures) and product thumbnails.

    product_details.product_update_time: the cached product's update_time these details were
    fetched for (older than the product's: fetch again). raw is NULL when the shop had no
    details to give (a frozen or deleted listing). product_images.image is NULL when the
    picture at `url` could not be had (gone, too big): it is asked for again only when the
    listing names another url.
    """
    for sql in (
        """CREATE TABLE product_details (
            product_id TEXT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
            shop_id TEXT NOT NULL, product_update_time INTEGER NOT NULL, thumbnail_url TEXT,
            fetched_at INTEGER NOT NULL, raw TEXT)""",
        """CREATE TABLE product_images (
            product_id TEXT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
            shop_id TEXT NOT NULL, url TEXT NOT NULL, image BLOB, fetched_at INTEGER NOT NULL)""",
        "CREATE INDEX product_images_shop ON product_images (shop_id)",
    ):
        db.conn.execute(sql)


def _v4_picture_uris(db: sqlite_utils.Database) -> None:
    """Pictures told apart by their uri: a shop signs its picture links and hands out new ones
    while the picture stays, so the link alone would download the same picture again and again.
    NULL for pictures cached before (and for a shop that gives no uri): the link stands in."""
    db.conn.execute("ALTER TABLE product_details ADD COLUMN thumbnail_uri TEXT")
    db.conn.execute("ALTER TABLE product_images ADD COLUMN uri TEXT")


def _v5_labels(db: sqlite_utils.Database) -> None:
    """Label files downloaded for packages (their links expire within hours: a reprint reads the
    file) and the print jobs, for a reprint in one click."""
    for sql in (
        """CREATE TABLE labels (
            package_id TEXT NOT NULL, shop_id TEXT NOT NULL, document_type TEXT NOT NULL,
            size TEXT NOT NULL, path TEXT NOT NULL, tracking_number TEXT,
            fetched_at INTEGER NOT NULL, printed_at INTEGER,
            PRIMARY KEY (package_id, document_type, size))""",
        """CREATE TABLE print_jobs (
            id INTEGER PRIMARY KEY, shop_id TEXT NOT NULL, printed_at INTEGER NOT NULL,
            printer TEXT NOT NULL, size TEXT NOT NULL, order_by TEXT NOT NULL,
            package_ids TEXT NOT NULL, pages INTEGER NOT NULL)""",
        "CREATE INDEX print_jobs_shop ON print_jobs (shop_id, printed_at)",
    ):
        db.conn.execute(sql)


def _v6_order_numbers(db: sqlite_utils.Database) -> None:
    """Numbers found by any part of four or more characters: a trigram index over each order's
    numbers alone. (Every tail of every number in the words' index found the same, but made
    the cache 20% larger and searches on 100k orders twice as slow; this adds 2.6%. Without
    positions, detail=none, it would take half that, but a part is then asked with LIKE,
    which reads every candidate's text: 30 ms instead of 3 for "9400" on 100k orders.)"""
    db.conn.execute(
        "CREATE VIRTUAL TABLE order_numbers USING fts5 (numbers, tokenize = 'trigram')")
    if db.conn.execute("SELECT 1 FROM order_search LIMIT 1").fetchone():
        db.conn.execute(  # the text reindex_orders writes: the order id, then the others
            "INSERT INTO order_numbers (rowid, numbers) "
            "SELECT rowid, order_id || ' ' || tracking FROM order_search")
    else:  # a cache from before the words' index, or a new one
        rebuild_search_index(db.conn)


def _v7_request_deadlines(db: sqlite_utils.Database) -> None:
    """What a buyer's request waits for from the seller, and by when (the first
    `seller_next_action_response`), as columns: the requests waiting for an answer are then
    counted from an index (the tab title's count, on the GUI thread) and found per order by the
    Fulfillment tab, without reading each raw object. NULL: nothing for the seller to do."""
    for table in ("returns", "cancellations"):
        db.conn.execute(f"ALTER TABLE {table} ADD COLUMN next_action TEXT")
        db.conn.execute(f"ALTER TABLE {table} ADD COLUMN deadline INTEGER")
        db.conn.execute(
            f"UPDATE {table} SET "
            "next_action = json_extract(raw, '$.seller_next_action_response[0].action'), "
            "deadline = json_extract(raw, '$.seller_next_action_response[0].deadline')")
        db.conn.execute(f"CREATE INDEX {table}_waiting ON {table} (shop_id, deadline) "
                        "WHERE next_action IS NOT NULL")


def _v8_statement_transactions(db: sqlite_utils.Database) -> None:
    """What each statement paid out for: its orders and adjustments (Get Statement
    Transactions), fetched when a statement is opened and in the background for recent ones,
    kept for reading offline and for what an order really earned (by order_id).
    statement_fetches names the statements whose transactions are cached, with the answer's
    totals: a statement with no transactions is told apart from one never fetched."""
    for sql in (
        """CREATE TABLE statement_transactions (
            statement_id TEXT NOT NULL, id TEXT NOT NULL, shop_id TEXT NOT NULL, type TEXT,
            order_id TEXT, adjustment_id TEXT, order_create_time INTEGER, currency TEXT,
            settlement_amount TEXT, revenue_amount TEXT, fee_amount TEXT,
            shipping_cost_amount TEXT, adjustment_amount TEXT, raw TEXT NOT NULL,
            PRIMARY KEY (statement_id, id))""",
        "CREATE INDEX statement_transactions_order ON statement_transactions (order_id)",
        """CREATE TABLE statement_fetches (
            statement_id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, fetched_at INTEGER NOT NULL,
            transaction_count INTEGER NOT NULL, totals TEXT NOT NULL)""",
    ):
        db.conn.execute(sql)


MIGRATIONS: list[Migration] = [_v1_tables, _v2_order_search, _v3_product_details,
                               _v4_picture_uris, _v5_labels, _v6_order_numbers,
                               _v7_request_deadlines, _v8_statement_transactions]
LATEST = len(MIGRATIONS)


def version(db: sqlite_utils.Database) -> int:
    return db.conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, target: int = LATEST) -> int:
    """Bring the file up to `target` in one transaction; returns the version reached.

    The version is read first without a lock: a file already at `target` (every open but the
    first after an update) never waits for the write lock, which a running sync may hold for
    a while. A migration that is due reads the version again under the write lock, so two
    processes opening a new file at once cannot both run it.
    """
    current = _checked(version(db))
    if current >= target:
        return current
    with immediate(db.conn):
        current = _checked(version(db))
        for number in range(current + 1, target + 1):
            MIGRATIONS[number - 1](db)
            db.conn.execute(f"PRAGMA user_version = {number}")
    return max(current, target)


def _checked(current: int) -> int:
    if current > LATEST:
        raise RuntimeError(
            f"This cache was written by a newer version of the app (schema {current}); "
            "update the app or choose another data folder."
        )
    return current
