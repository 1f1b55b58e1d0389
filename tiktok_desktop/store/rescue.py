"""A damaged cache never costs an edit: set the file aside (kept), read what SQLite can still
read of the seller's open edits (stock, prices, listings), the change history and shops, and
start a fresh cache with them.

Everything else in the cache (orders, products, stock, the sync's watermarks) is a copy of the
shop and is downloaded again by the next (full) sync.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import Any

from tiktok_desktop.store.database import Store
from tiktok_desktop.store.outbox import OPEN_STATES, PRICE, STATES, STOCK
from tiktok_desktop.store.sql import immediate

# SQLite's own companions of the file: set aside with it, so SQLite can still open the trio.
# The -journal is moved too: a hot rollback journal left behind would be played into the
# fresh cache.
SIDE_FILES = ("-wal", "-shm", "-journal")
# = sync.stock_push.PUSH_STATE, sync.price_push.PUSH_STATE (store/ does not import sync/)
PUSH_STATES = ("stock_push", "price_push")

_DAMAGED_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_DAMAGED_WORDS = ("database disk image is malformed", "file is not a database",
                  "malformed database schema")
_READ_ERRORS = (sqlite3.Error, ValueError, OverflowError)  # bad text or numbers read too
_MAX_ROWID = 2**63 - 1
_BATCH = 200
_SHOWN = 5  # lost edits named in the sentence


def is_damaged(error: BaseException) -> bool:
    """The error says the cache file is damaged ("malformed", "not a database"), as opposed
    to busy, locked, full, read-only or any other failure. Follows `raise ... from` causes."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.DatabaseError):
            code = getattr(current, "sqlite_errorcode", None)  # Python 3.11+
            if code is not None:
                if code & 0xFF in _DAMAGED_CODES:
                    return True
            elif any(words in str(current).lower() for words in _DAMAGED_WORDS):
                return True
        current = current.__cause__
    return False


@dataclass(frozen=True)
class LostEdit:
    """An edit whose row could not be read; what its index entries still tell of it."""

    id: int
    shop_id: str | None
    kind: str | None
    target: str | None
    state: str | None  # None: not known

    @property
    def described(self) -> str | None:
        """The edit's cell in the seller's words; None when not known."""
        if self.target is None:
            return None
        sku, _, warehouse = self.target.rpartition("@")
        if self.kind == STOCK and sku:
            return f"SKU {sku} in warehouse {warehouse}"
        return f"the price of SKU {self.target}" if self.kind == PRICE else self.target


@dataclass(frozen=True)
class RescueReport:
    path: Path  # the fresh cache
    damaged_copy: Path | None  # where the damaged file was set aside; None: there was none
    readable: bool = True  # False: nothing at all could be read from it
    edits_rescued: int = 0  # open edits (pending, sent, failed, conflict) kept
    edits_lost: tuple[LostEdit, ...] = ()  # open (or maybe open) edits known to be lost
    more_edits_lost: bool = False  # rows were lost that nothing identifies: edits may be too
    history_rescued: int = 0
    history_lost: int = 0  # history lines known to be lost
    more_history_lost: bool = False
    shops_rescued: int = 0
    push_resumes: bool = False  # an interrupted push was kept: the app finishes it

    @property
    def nothing_lost(self) -> bool:
        return (self.readable and not self.edits_lost and not self.more_edits_lost
                and not self.history_lost and not self.more_history_lost)

    @property
    def sentence(self) -> str:
        """What happened, in one sentence for the seller."""
        if self.damaged_copy is None:
            return ("There was no local copy of your shop yet; a new one was started and the "
                    "shop is being downloaded.")
        if not self.readable:
            return ("The local copy of your shop was damaged beyond reading; it was set aside "
                    "and rebuilt, any edits not yet pushed and any change history in it "
                    "could not be read (recent changes may need entering again), and the "
                    "shop is being downloaded again.")
        parts = ["it was set aside and rebuilt"]
        kept = self._kept()
        if kept:
            plural = len(kept) > 1 or self.edits_rescued > 1
            parts.append(f"{' and '.join(kept)} {'were' if plural else 'was'} kept")
        parts += self._lost()
        if self.nothing_lost and not kept:
            parts.append("nothing of yours was lost")
        parts.append("the shop is being downloaded again")
        return ("The local copy of your shop was damaged; "
                f"{', '.join(parts[:-1])}, and {parts[-1]}.")

    def _kept(self) -> list[str]:
        kept = []
        n = self.edits_rescued
        if n and self.edits_lost and not self.more_edits_lost:
            kept.append(f"{n:,} of your {n + len(self.edits_lost):,} unpushed edits")
        elif n:
            kept.append(f"your {n:,} unpushed edit{'s' if n > 1 else ''}")
        if self.history_rescued:
            partly = self.history_lost or self.more_history_lost
            kept.append("part of your change history" if partly else "your change history")
        return kept

    def _lost(self) -> list[str]:
        lost = []
        shown = [d for d in (e.described for e in self.edits_lost) if d][:_SHOWN]
        rest = len(self.edits_lost) - len(shown)
        listing = _listed([*shown, f"{rest} more"] if rest else shown) if shown else ""
        if self.more_edits_lost:
            lost.append("some edits could not be read and may need entering again"
                        + (f" (among them {listing})" if listing else ""))
        elif self.edits_lost:
            k = len(self.edits_lost)
            lost.append(f"{k} edit{'s' if k > 1 else ''} could not be read and "
                        f"need{'' if k > 1 else 's'} entering again"
                        + (f" ({listing})" if listing else ""))
        if not self.history_rescued and (self.history_lost or self.more_history_lost):
            lost.append("your change history could not be read")
        return lost


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def rescue_cache(path: Path, *, now: datetime | None = None) -> RescueReport:
    """Set the damaged cache at `path` aside and build a fresh one there with what could be read.

    Precondition: no connection of this process has the file open (the shop's session closes
    all its connections and stops the sync's process first). The file is only renamed, never
    opened outside SQLite: closing any descriptor of it would drop SQLite's POSIX locks.

    The damaged file keeps its -wal and -shm under matching names (nothing is deleted); the
    fresh cache holds the open edits (ids and states kept: a `sent` edit stays in doubt, so
    the pusher asks the shop before sending it again), the change history, the shops (as never
    synced) and an interrupted push. The caller then runs a full sync. If building the fresh
    cache fails, the damaged file is put back, so the rescue can be tried again.
    """
    path = Path(path)
    if not any(map(_exists, _trio(path))):  # a stray -wal alone is still set aside
        Store.open(path).close()
        return RescueReport(path, None)
    copy = _set_aside(path, now or datetime.now())
    try:
        salvage = _read(copy)
        written = _write(path, salvage)
    except BaseException:
        _put_back(copy, path)
        raise
    return RescueReport(path, copy, **written)


# -- moving the file aside -----------------------------------------------------------------------

def _exists(path: Path) -> bool:
    return os.path.lexists(path)  # a stat: no descriptor of the file is opened


def _trio(path: Path) -> list[Path]:
    return [path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)]


def _set_aside(path: Path, now: datetime) -> Path:
    """Rename the file and its companions to e.g. cache.damaged-2026-12-06-0715.sqlite3, with
    a counter rather than over an earlier damaged copy."""
    stamp = now.strftime("%Y-%m-%d-%H%M")
    for n in count(1):
        copy = path.with_name(f"{path.stem}.damaged-{stamp}{f'-{n}' if n > 1 else ''}"
                              f"{path.suffix}")
        if not any(map(_exists, _trio(copy))):
            break
    # Companions first: a -wal left at the old name would be played into the fresh cache.
    moved: list[tuple[Path, Path]] = []
    try:
        for source, target in reversed(list(zip(_trio(path), _trio(copy), strict=True))):
            if _exists(source):
                os.rename(source, target)
                moved.append((source, target))
    except BaseException:
        for source, target in reversed(moved):  # all or nothing: the trio stays together
            os.rename(target, source)
        raise
    return copy


def _put_back(copy: Path, path: Path) -> None:
    for fresh in _trio(path):  # our own, just made, open nowhere
        if _exists(fresh):
            os.unlink(fresh)
    for source, target in zip(_trio(copy), _trio(path), strict=True):
        if _exists(source):
            os.rename(source, target)


# -- reading what can be read --------------------------------------------------------------------

Row = tuple[Any, ...]
Check = Callable[[Row], Row | None]  # the row made plain, or None when it makes no sense


@dataclass
class _Table:
    rows: dict[int, Row] = field(default_factory=dict)
    unreadable: set[int] = field(default_factory=set)  # rowids known to exist, not readable
    index: dict[int, dict[str, Any]] = field(default_factory=dict)  # indexed columns by rowid
    complete: bool = True  # every row is in rows or unreadable


@dataclass
class _Salvage:
    readable: bool = False
    outbox: _Table = field(default_factory=_Table)
    audit: _Table = field(default_factory=_Table)
    shops: _Table = field(default_factory=_Table)
    push_states: list[Row] = field(default_factory=list)
    outbox_seq: int = 0


_OUTBOX_COLUMNS = ("shop_id, kind, target, payload, based_on, state, attempts, last_error, "
                   "request_id, created_at, updated_at")
_AUDIT_COLUMNS = "at, shop_id, kind, target, old, new, result, request_id, message"
_SHOP_COLUMNS = "id, name, region, seller_type, cipher, code, raw"


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _json(value: Any) -> bool:
    try:
        json.loads(value)
    except (TypeError, ValueError):
        return False
    return True


def _outbox_row(r: Row) -> Row | None:
    ok = (all(map(_text, r[0:3])) and _json(r[3]) and (r[4] is None or _json(r[4]))
          and r[5] in STATES and all(isinstance(v, int) for v in (r[6], r[9], r[10])))
    return r if ok else None


def _audit_row(r: Row) -> Row | None:
    ok = isinstance(r[0], int) and all(map(_text, (*r[1:4], r[6])))
    return r if ok else None


def _shop_row(r: Row) -> Row | None:
    return r if _text(r[0]) and _text(r[6]) else None


def _read(copy: Path) -> _Salvage:
    """Read the set-aside file read-only: with its -wal first (the newest state), else the main
    file alone (immutable: no -wal or -shm is looked at, none is created). Never mixed: rows
    the -wal deleted (an edit the seller took back) must not come back from the main file."""
    with_wal = ("mode=ro",) if _exists(Path(f"{copy}-wal")) else ()
    for options in (*with_wal, "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(f"{copy.resolve().as_uri()}?{options}", uri=True,
                                   isolation_level=None)
        except sqlite3.Error:
            continue
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA cell_size_check = ON")  # find damaged pages sooner
            # Lets SQLite read a file shorter than its header says (cut off) and a schema
            # with damaged entries; nothing can be written on this read-only connection.
            conn.execute("PRAGMA writable_schema = ON")
            tables = {name for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except _READ_ERRORS:
            conn.close()
            continue
        try:
            return _salvage(conn, tables)
        finally:
            conn.close()
    return _Salvage()


def _salvage(conn: sqlite3.Connection, tables: set[str]) -> _Salvage:
    salvage = _Salvage(readable=True)
    if "outbox" in tables:
        salvage.outbox = _table(conn, "outbox", _OUTBOX_COLUMNS, _outbox_row, [
            ("outbox_target", ("shop_id", "kind", "target")),
            ("outbox_state", ("shop_id", "state", "kind"))])
        seq = _first(conn, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")
        salvage.outbox_seq = seq if isinstance(seq, int) else 0
    if "audit_log" in tables:
        salvage.audit = _table(conn, "audit_log", _AUDIT_COLUMNS, _audit_row,
                               [("audit_log_shop", ("shop_id", "at"))])
    if "shops" in tables:
        salvage.shops = _table(conn, "shops", _SHOP_COLUMNS, _shop_row,
                               [("sqlite_autoindex_shops_1", ("id",))])
    if "sync_state" in tables:
        # Only an interrupted push is kept: the watermarks go, so everything is downloaded.
        states = _table(conn, "sync_state", "shop_id, resource, state",
                        lambda r: r if r[1] in PUSH_STATES and _json(r[2]) else None, [])
        salvage.push_states = list(states.rows.values())
    return salvage


def _first(conn: sqlite3.Connection, sql: str) -> Any:
    try:
        row = conn.execute(sql).fetchone()
    except _READ_ERRORS:
        return None
    return None if row is None else row[0]


def _table(conn: sqlite3.Connection, table: str, columns: str, check: Check,
           indexes: Sequence[tuple[str, Sequence[str]]]) -> _Table:
    """Every row that can be read, each bad page costing only its own rows: the table is read
    in rowid order and a read that fails skips just past the damage. The indexes (other pages)
    tell which rowids exist: those still missing are tried one by one, then known lost."""
    result = _Table()
    walked_clean = _walk(conn, table, columns, check, result)
    index_complete = bool(indexes)
    for name, keys in indexes:
        entries, complete = _index(conn, table, name, keys)
        index_complete = index_complete and complete
        for rowid, facts in entries.items():
            result.index.setdefault(rowid, {}).update(facts)
    if not walked_clean:
        sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid = ?"
        for rowid in sorted(result.index.keys() - result.rows.keys() - result.unreadable):
            try:
                rows = conn.execute(sql, (rowid,)).fetchall()
            except _READ_ERRORS:
                result.unreadable.add(rowid)
                continue
            for row in rows:
                _keep(row, check, result)
    result.complete = walked_clean or index_complete
    return result


def _keep(row: Row, check: Check, result: _Table) -> None:
    plain = check(row[1:])
    if plain is None:
        result.unreadable.add(row[0])
    else:
        result.rows[row[0]] = plain


def _walk(conn: sqlite3.Connection, table: str, columns: str, check: Check,
          result: _Table) -> bool:
    """Read the table in rowid order (our tables' rowids are positive); False if some part of
    it could not be read."""
    # `rowid >= x` looks x up directly: `rowid > x` would look up x itself, and x is on the
    # damaged page when it is that page's last rowid.
    sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid >= ? ORDER BY rowid LIMIT ?"

    def readable_from(rowid: int) -> bool:
        try:
            conn.execute(sql, (rowid, 1)).fetchall()
        except _READ_ERRORS:
            return False
        return True

    clean, start, batch = True, 1, _BATCH
    while True:
        n = 0
        try:
            for row in conn.execute(sql, (start, batch)):
                n, start = n + 1, min(row[0] + 1, _MAX_ROWID)
                _keep(row, check, result)
        except _READ_ERRORS:
            clean = False
            if batch > 1:
                # Python reads one row ahead: the row before the damage was dropped with the
                # error. Read up to the damage one row at a time.
                batch = 1
                continue
            start, batch = _skip(start, readable_from), _BATCH
            if start == _MAX_ROWID:  # nothing could be read past the damage
                return clean
            continue
        if n < batch:
            return clean


def _skip(bad: int, readable_from: Callable[[int], bool]) -> int:
    """The smallest rowid past `bad` from which reading works again (found by doubling the
    step, then bisecting): the rows skipped are those of the damaged page."""
    step = 1
    while True:
        good = min(bad + step, _MAX_ROWID)
        if good == _MAX_ROWID or readable_from(good):  # MAX: nothing readable, give up
            break
        step *= 2
    bad = bad + step // 2 if step > 1 else bad
    while good - bad > 1:
        middle = (bad + good) // 2
        bad, good = (bad, middle) if readable_from(middle) else (middle, good)
    return good


def _index(conn: sqlite3.Connection, table: str, name: str,
           keys: Sequence[str]) -> tuple[dict[int, dict[str, Any]], bool]:
    """rowid -> indexed values, from a covering scan of one index read from both ends, so that
    a damaged page in the middle hides only its own entries; True if it was read whole."""
    entries: dict[int, dict[str, Any]] = {}
    for order in ("", " DESC"):
        by = ", ".join(f"{key}{order}" for key in (*keys, "rowid"))
        try:
            for row in conn.execute(f"SELECT rowid, {', '.join(keys)} FROM {table} "
                                    f"INDEXED BY {name} ORDER BY {by}"):
                if isinstance(row[0], int):
                    entries[row[0]] = dict(zip(keys, row[1:], strict=True))
        except _READ_ERRORS:
            continue
        return entries, True
    return entries, False


# -- the fresh cache -----------------------------------------------------------------------------

def _write(path: Path, salvage: _Salvage) -> dict[str, Any]:
    """Create the fresh cache and put the rescued rows in, in one transaction. OR IGNORE: a
    row that damage made contradict another is left out rather than failing the rescue."""
    outbox, audit, shops = salvage.outbox, salvage.audit, salvage.shops
    edits = _open_edits(outbox.rows)
    lost = _lost_edits(outbox)
    resumes = [(shop, push, state) for shop, push, state in salvage.push_states
               if isinstance(kept := json.loads(state), dict) and kept.get("up_to") is not None]
    with Store.open(path) as store, immediate(store.conn):
        conn = store.conn
        n_shops = conn.executemany(
            f"INSERT OR IGNORE INTO shops ({_SHOP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            shops.rows.values()).rowcount  # last_synced_at NULL: none of the shop is cached
        n_edits = conn.executemany(
            f"INSERT OR IGNORE INTO outbox (id, {_OUTBOX_COLUMNS}) "
            f"VALUES ({', '.join('?' * 12)})",
            [(rowid, *row) for rowid, row in sorted(edits.items())]).rowcount
        # Ids are never reused (see migrations): not even those of lost or pushed rows.
        seq = max([salvage.outbox_seq, *edits, *(e.id for e in lost)])
        if seq:
            conn.execute("INSERT OR IGNORE INTO sqlite_sequence (name, seq) VALUES ('outbox', 0)")
            conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'",
                         (seq,))
        n_history = conn.executemany(
            f"INSERT OR IGNORE INTO audit_log (id, {_AUDIT_COLUMNS}) "
            f"VALUES ({', '.join('?' * 10)})",
            [(rowid, *row) for rowid, row in sorted(audit.rows.items())]).rowcount
        conn.executemany(
            "INSERT OR IGNORE INTO sync_state (shop_id, resource, state, updated_at) "
            "VALUES (?, ?, ?, strftime('%s', 'now'))", resumes)
    return {
        "readable": salvage.readable, "edits_rescued": max(0, n_edits),
        "edits_lost": tuple(lost), "more_edits_lost": not outbox.complete,
        "history_rescued": max(0, n_history), "history_lost": len(audit.unreadable),
        "more_history_lost": not audit.complete, "shops_rescued": max(0, n_shops),
        "push_resumes": bool(resumes),
    }


def _open_edits(rows: dict[int, Row]) -> dict[int, Row]:
    """Rows not done, at most one pending per target (the newest, as Outbox.add keeps it)."""
    edits: dict[int, Row] = {}
    pending: dict[tuple[Any, ...], int] = {}
    for rowid, row in sorted(rows.items()):
        if row[5] not in OPEN_STATES:
            continue
        if row[5] == "pending":
            edits.pop(pending.get(row[0:3], -1), None)
            pending[row[0:3]] = rowid
        edits[rowid] = row
    return edits


def _lost_edits(outbox: _Table) -> list[LostEdit]:
    """Unreadable outbox rows that were (or may have been) open, with what the indexes say."""
    lost = []
    for rowid in sorted(outbox.unreadable - outbox.rows.keys()):
        facts = outbox.index.get(rowid, {})
        if facts.get("state") != "done":
            lost.append(LostEdit(rowid, facts.get("shop_id"), facts.get("kind"),
                                 facts.get("target"), facts.get("state")))
    return lost
