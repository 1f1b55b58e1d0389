"""A cache worth rescuing (shops, open edits in every state, stock history, orders as padding)
and ways to damage it, for the rescue tests. Only ever used on files nothing has open."""

from __future__ import annotations

import os
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from store_samples import SHOP, order

from tiktok_desktop.store import AuditEntry, Edit, OutboxItem, Store, stock_target
from tiktok_desktop.store.outbox import STOCK

PAGE = 4096
SHOP_INFO = {"id": SHOP, "name": "Maria's shop", "region": "GB", "seller_type": "LOCAL",
             "cipher": "GCP_abc", "code": "GBLCAB"}


@dataclass(frozen=True)
class Sample:
    open_edits: dict[int, OutboxItem]  # id -> the edit as it was
    done_ids: frozenset[int]  # pushed edits: not rescued (their history line is)
    history: dict[int, AuditEntry]  # id -> line


def make_cache(path: Path, *, rounds: int = 16, edits_per_round: int = 30) -> Sample:
    """Open edits (pending, sent, failed, conflict), pushed ones, history lines and orders,
    written in rounds so that each table's pages are spread through the file. Closed at the
    end: the -wal is copied into the file and deleted."""
    rng = random.Random(7)
    with Store.open(path) as store:
        store.shops.upsert([SHOP_INFO])
        store.shops.mark_synced(SHOP, 1_780_000_000)
        store.set_sync_state(SHOP, "orders", {"update_time_ge": 1_780_000_000})
        for r in range(rounds):
            base = r * edits_per_round
            store.outbox.add_many(SHOP, STOCK, [
                Edit(stock_target(f"17300{base + i:05d}", "7068000000000000001"),
                     {"product_id": f"17290{(base + i) // 3:05d}", "quantity": rng.randrange(999)},
                     rng.randrange(999))
                for i in range(edits_per_round)])
            ids = [i.id for i in store.outbox.items(SHOP, states=("pending",))
                   if i.id > base]  # this round's edits
            claimed = store.outbox.claim(ids[:8])
            store.outbox.mark_done([c.id for c in claimed[:4]], request_id=f"req-{r}")
            store.outbox.mark_failed([claimed[4].id], "TikTok Shop refused this number.")
            store.outbox.mark_conflict([claimed[5].id], "Changed elsewhere: the shop now has 4")
            store.audit.record([
                AuditEntry(SHOP, STOCK, c.target, c.based_on, c.payload["quantity"], "done",
                           request_id=f"req-{r}", at=1_780_000_000 + base + n)
                for n, c in enumerate(claimed[:4])] + [
                AuditEntry(SHOP, STOCK, stock_target(f"9{r}{n}", "7068000000000000001"), n, n + 1,
                           "done", message="x" * rng.randrange(40, 120), at=1_780_000_500 + n)
                for n in range(12)])
            store.save_page(SHOP, "orders", [order(r * 40 + n) for n in range(40)], None)
        open_edits = {i.id: i for i in store.outbox.items(SHOP)}
        done = frozenset(i.id for i in store.outbox.items(SHOP, states=("done",)))
        history = {e.id: e for e in store.audit.entries(SHOP) if e.id is not None}
    assert not Path(f"{path}-wal").exists()
    return Sample(open_edits, done, history)


def leaf_pages(path: Path, table: str) -> list[int]:
    """The table's leaf pages in rowid order (read before the file is damaged)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                            "ORDER BY path", (table,)).fetchall()
    conn.close()
    return [pageno for (pageno,) in rows]


def rowids_on_page(path: Path, pageno: int) -> list[int]:
    """The rowids of a table leaf page's cells, read from the page's bytes."""
    with open(path, "rb") as f:
        f.seek((pageno - 1) * PAGE)
        page = f.read(PAGE)
    header = 100 if pageno == 1 else 0
    assert page[header] == 0x0D  # a table leaf
    cells = int.from_bytes(page[header + 3:header + 5], "big")
    rowids = []
    for n in range(cells):
        at = int.from_bytes(page[header + 8 + 2 * n:header + 10 + 2 * n], "big")
        _, at = _varint(page, at)  # payload size
        rowid, _ = _varint(page, at)
        rowids.append(rowid)
    return rowids


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def garble(path: Path, offset: int, size: int, seed: int = 1) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(random.Random(seed).randbytes(size))


def garble_page(path: Path, pageno: int) -> None:
    garble(path, (pageno - 1) * PAGE, PAGE, seed=pageno)


def truncate(path: Path, fraction: float) -> None:
    pages = path.stat().st_size // PAGE
    os.truncate(path, int(pages * fraction) * PAGE)
