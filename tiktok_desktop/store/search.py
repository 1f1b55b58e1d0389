"""Finding orders: the full-text index (FTS5) and the exact lookup a barcode scanner needs.

The index `order_search` has one row per order (rowid = the order's rowid) with the order id,
buyer and recipient names, product and variant names, seller SKUs, and every tracking number and
package id the order is known by; typed words match the start of its words. `order_numbers`
holds the order's numbers alone (order id, package ids, tracking numbers) in a trigram index, so
a number is also found by any part of four or more characters: sellers type the last digits.
Both are rebuilt for the touched orders in the same transaction as every write to orders, line
items or packages, so they never lag behind the cache.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence

from tiktok_desktop.store.sql import id_list


def _index_rows(conn: sqlite3.Connection, ids: str) -> dict[int, tuple[str, ...]]:
    """What the index holds for these orders (a JSON list of ids), from the cached rows."""
    orders = conn.execute(
        "SELECT rowid, id, buyer, recipient, tracking_number FROM orders "
        "WHERE id IN (SELECT value FROM json_each(?))", (ids,)).fetchall()
    items: dict[str, list[tuple]] = {}
    for row in conn.execute(
        "SELECT order_id, product_name, sku_name, seller_sku, tracking_number, package_id "
        "FROM order_line_items WHERE order_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY rowid", (ids,)):
        items.setdefault(row[0], []).append(row[1:])
    packages: dict[str, list[tuple]] = {}
    for order_id, *package in conn.execute(
        "SELECT po.order_id, p.id, p.tracking_number FROM package_orders po "
        "JOIN packages p ON p.id = po.package_id "
        "WHERE po.order_id IN (SELECT value FROM json_each(?)) ORDER BY p.id", (ids,)):
        packages.setdefault(order_id, []).append(package)
    index = {}
    for rowid, order_id, buyer, recipient, tracking in orders:
        lines = items.get(order_id, [])
        codes = [tracking, *(c for line in lines for c in line[3:5]),
                 *(c for package in packages.get(order_id, []) for c in package)]
        index[rowid] = (
            order_id,
            _words([buyer, recipient]),
            _words(f"{name} {variant}" if variant else name for name, variant, *_ in lines),
            _words(line[2] for line in lines),
            _words(codes),
        )
    return index


def _words(parts: Iterable[str | None]) -> str:
    return " ".join(dict.fromkeys(filter(None, parts)))


def reindex_orders(conn: sqlite3.Connection, order_ids: Sequence[str]) -> None:
    """Bring the index rows of these orders in line with the cache (call inside the write's
    transaction); rows that would not change are left alone."""
    if not order_ids:
        return
    wanted = _index_rows(conn, id_list(order_ids))
    held = {row[0]: tuple(row[1:]) for row in conn.execute(
        "SELECT rowid, order_id, buyer, products, skus, tracking FROM order_search "
        "WHERE rowid IN (SELECT value FROM json_each(?))", (json.dumps(list(wanted)),))}
    changed = [(rowid, *text) for rowid, text in wanted.items() if held.get(rowid) != text]
    gone = [(row[0],) for row in changed if row[0] in held]
    conn.executemany("DELETE FROM order_search WHERE rowid = ?", gone)
    conn.executemany("DELETE FROM order_numbers WHERE rowid = ?", gone)
    conn.executemany(
        "INSERT INTO order_search (rowid, order_id, buyer, products, skus, tracking) "
        "VALUES (?, ?, ?, ?, ?, ?)", changed)
    conn.executemany("INSERT INTO order_numbers (rowid, numbers) VALUES (?, ?)",
                     [(row[0], f"{row[1]} {row[5]}") for row in changed])


def rebuild_search_index(conn: sqlite3.Connection, chunk: int = 2000) -> None:
    """Index every cached order from scratch (used by the migration that adds the index)."""
    conn.execute("DELETE FROM order_search")
    conn.execute("DELETE FROM order_numbers")
    ids = [row[0] for row in conn.execute("SELECT id FROM orders")]
    for start in range(0, len(ids), chunk):
        reindex_orders(conn, ids[start:start + chunk])


# A search looks for at most this many words of at most this many characters (the first ones):
# a pasted page of text (5,000 words) would take seconds on a busy shop, and finds nothing more.
MAX_SEARCH_WORDS = 20
MAX_SEARCH_CHARS = 200
# Control characters (a pasted NUL ends an FTS5 query mid-string) and lone surrogates (SQLite
# takes UTF-8 only) separate words, as a space does.
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def searched_words(text: str) -> list[str]:
    """The words a search looks for in `text`: control characters and lone surrogates are
    spaces, and only the first MAX_SEARCH_WORDS words of the first MAX_SEARCH_CHARS
    characters count."""
    return _NOT_TEXT.sub(" ", text.strip()[:MAX_SEARCH_CHARS]).split()[:MAX_SEARCH_WORDS]


def searched_text(text: str) -> str:
    """What a search for `text` looks for, as the seller may be shown it."""
    return " ".join(searched_words(text))


MIN_NUMBER_PART = 4  # fewer characters inside a number would match a large share of a shop


def _is_number_part(word: str) -> bool:
    """A word that may be part of an order, package or tracking number: four or more ASCII
    letters and digits, at least one a digit ("54321", "GB1234")."""
    return (len(word) >= MIN_NUMBER_PART and word.isascii() and word.isalnum()
            and any(ch.isdigit() for ch in word))


def _prefix(word: str) -> str:
    """One word as a quoted FTS5 prefix phrase: punctuation inside it ("TS-BLK", "(+1)") is
    text, never query syntax."""
    return '"' + word.replace('"', '""') + '"*'


def match_expression(text: str) -> str | None:
    """Search-as-you-type: every typed word must match the start of a word in the order (the
    words that may be parts of numbers are left to `number_parts`). None when nothing of that
    kind was typed."""
    words = [w for w in dict.fromkeys(searched_words(text))
             if any(ch.isalnum() for ch in w) and not _is_number_part(w)]
    return " ".join(map(_prefix, words)) if words else None


def number_parts(text: str) -> list[tuple[str, str]]:
    """The typed words that may be parts of numbers, each as (a trigram phrase for
    `order_numbers`: the text anywhere, prefix query for the other words of `order_search`):
    an order matches
    such a word when one of its numbers contains it, or one of its other words starts with it
    ("2024" in a product name)."""
    return [(f'"{w}"', f"{{buyer products skus}} : {_prefix(w)}")
            for w in dict.fromkeys(searched_words(text)) if _is_number_part(w)]


def number_rowids(name: str) -> str:
    """The rowids of the orders one number part matches (parameters :{name}_part and
    :{name}_words)."""
    return (f"SELECT rowid FROM order_numbers WHERE order_numbers MATCH :{name}_part "
            f"UNION SELECT rowid FROM order_search WHERE order_search MATCH :{name}_words")


# Up to this many full-text matches, a search starts from them (and sorts them); beyond it,
# from the sort column's index, keeping the rows that match. Walking the whole index costs
# about the same whatever matches ("bar": 2,498 of 100k orders, 49 ms), starting from the
# matches costs per match (6 ms), and the broadest prefixes ("a") are faster the other way.
FEW_MATCHES = 20_000


def few_matches(conn: sqlite3.Connection, match: str, most: int = FEW_MATCHES) -> bool:
    """Whether at most `most` orders match (counting stops after `most` + 1). A single typed
    character is taken as many without counting: it matches a large share of any shop, and
    counting its many words' matches costs more (20 ms) than it could save."""
    if len(match) == len('"x"*'):  # one word of one character
        return False
    (found,) = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM order_search WHERE order_search MATCH ? "
        "LIMIT ?)", (match, most + 1)).fetchone()
    return found <= most


def few_number_matches(conn: sqlite3.Connection, part: str, most: int = FEW_MATCHES) -> bool:
    """Whether at most `most` orders have a number containing the part (a phrase of
    `number_parts`); "9400", the start of every USPS tracking number, may match a third."""
    (found,) = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM order_numbers WHERE order_numbers MATCH ? "
        "LIMIT ?)", (part, most + 1)).fetchone()
    return found <= most


_LOOKUPS = (
    "SELECT id FROM orders WHERE shop_id = :shop AND id = :code",
    "SELECT po.order_id FROM package_orders po JOIN packages p ON p.id = po.package_id "
    "WHERE p.shop_id = :shop AND p.id = :code",
    "SELECT o.id FROM order_line_items li JOIN orders o ON o.id = li.order_id "
    "WHERE o.shop_id = :shop AND li.package_id = :code",
    "SELECT id FROM orders WHERE shop_id = :shop AND tracking_number = :code",
    "SELECT o.id FROM order_line_items li JOIN orders o ON o.id = li.order_id "
    "WHERE o.shop_id = :shop AND li.tracking_number = :code",
    "SELECT po.order_id FROM package_orders po JOIN packages p ON p.id = po.package_id "
    "WHERE p.shop_id = :shop AND p.tracking_number = :code",
)


def lookup_order(conn: sqlite3.Connection, shop_id: str, code: str) -> str | None:
    """The order a scanned code names exactly: an order id, package id or tracking number."""
    code = searched_text(code)
    if not code:
        return None
    # Scanners type exactly what is printed; a person may type a tracking number in lower case.
    for candidate in dict.fromkeys((code, code.upper())):
        for sql in _LOOKUPS:
            row = conn.execute(sql + " LIMIT 1", {"shop": shop_id, "code": candidate}).fetchone()
            if row:
                return row[0]
    return None
