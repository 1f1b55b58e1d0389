"""A damaged cache never costs an edit: set aside (kept), rescued into a fresh cache."""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from rescue_samples import (
    PAGE,
    Sample,
    garble,
    garble_page,
    leaf_pages,
    make_cache,
    rowids_on_page,
    truncate,
)
from store_samples import SHOP

from tiktok_desktop.store import RescueReport, Store, is_damaged, rescue_cache
from tiktok_desktop.store import rescue as rescue_module
from tiktok_desktop.store.outbox import OPEN_STATES, PRICE, STOCK
from tiktok_desktop.sync.price_push import PUSH_STATE as PRICE_PUSH_STATE
from tiktok_desktop.sync.price_push import price_push_interrupted
from tiktok_desktop.sync.stock_push import PUSH_STATE, stock_push_interrupted

NOW = datetime(2026, 12, 6, 7, 15)
COPY = "cache.damaged-2026-12-06-0715.sqlite3"
JARGON = re.compile(r"database|sqlite|wal\b|journal|cache|corrupt|malformed|file|page|row|"
                    r"outbox|index|delete", re.IGNORECASE)


@pytest.fixture
def cache(tmp_path: Path) -> tuple[Path, Sample]:
    path = tmp_path / "cache.sqlite3"
    return path, make_cache(path)


def read_error(path: Path, sql: str = "SELECT * FROM outbox") -> sqlite3.Error:
    """What the app meets when it reads the file (as Store does, WAL and all)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql).fetchall()
    except sqlite3.Error as error:
        return error
    finally:
        conn.close()
    raise AssertionError("the file read without an error")


def check_fresh(path: Path, sample: Sample, report: RescueReport) -> None:
    """The fresh cache is sound and private; what it holds agrees with the report and with
    the edits and history lines as they were."""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        edits = store.outbox.items(SHOP)
        history = store.audit.entries(SHOP)
        [shop] = store.shops.all()
        assert store.sync_state(SHOP, "orders") is None  # watermarks: downloaded again
    assert (shop.id, shop.name, shop.cipher, shop.last_synced_at) == (
        SHOP, "Maria's shop", "GCP_abc", None)
    assert report.edits_rescued == len(edits) and report.history_rescued == len(history)
    for edit in edits:  # every value, state and id exactly as it was
        assert edit == sample.open_edits[edit.id]
    for line in history:
        assert line == sample.history[line.id]
    lost = {e.id for e in report.edits_lost}
    assert not lost & {e.id for e in edits} and lost <= set(sample.open_edits)
    if not report.more_edits_lost:
        assert len(edits) + len(lost) == len(sample.open_edits)
    if not report.more_history_lost:
        assert len(history) + report.history_lost == len(sample.history)
    assert not JARGON.search(report.sentence), report.sentence
    assert report.sentence.count(".") == 1 and report.sentence.endswith(".")


def test_a_sound_cache_is_rebuilt_with_every_edit_and_history_line(
        cache: tuple[Path, Sample]) -> None:
    path, sample = cache
    report = rescue_cache(path, now=NOW)
    assert report.damaged_copy == path.with_name(COPY) and report.damaged_copy.exists()
    assert report.nothing_lost and report.shops_rescued == 1
    assert report.edits_rescued == len(sample.open_edits) == 416
    assert {e.state for e in sample.open_edits.values()} == set(OPEN_STATES)
    check_fresh(path, sample, report)
    assert report.sentence == (
        "The local copy of your shop was damaged; it was set aside and rebuilt, your 416 "
        "unpushed edits and your change history were kept, and the shop is being "
        "downloaded again.")


def test_a_garbled_page_of_edits_costs_only_its_own_edits_and_says_which(
        cache: tuple[Path, Sample]) -> None:
    path, sample = cache
    leaves = leaf_pages(path, "outbox")
    middle = leaves[len(leaves) // 2]
    on_page = rowids_on_page(path, middle)
    garble_page(path, middle)
    error = read_error(path)
    assert is_damaged(error), error
    report = rescue_cache(path, now=NOW)
    # Exactly the open edits of that page are lost (its pushed ones are not counted), each
    # named by the index pages that survived.
    expected = [i for i in on_page if i in sample.open_edits]
    assert expected and set(on_page) - set(expected) <= sample.done_ids
    assert [e.id for e in report.edits_lost] == expected and not report.more_edits_lost
    assert [(e.target, e.state) for e in report.edits_lost] == [
        (sample.open_edits[i].target, sample.open_edits[i].state) for i in expected]
    assert report.edits_rescued == len(sample.open_edits) - len(expected)
    check_fresh(path, sample, report)
    first = sample.open_edits[expected[0]].target.replace("@", " in warehouse ")
    assert (f"{report.edits_rescued} of your {len(sample.open_edits)} unpushed edits "
            f"and your change history were kept, {len(expected)} edits could not be read "
            f"and need entering again (SKU {first}, ") in report.sentence
    assert f"and {len(expected) - 5} more), and the shop is being downloaded again." in (
        report.sentence)
    # Ids are never reused, not even those of the lost edits.
    with Store.open(path) as store:
        store.outbox.add(SHOP, STOCK, "1@2", {"quantity": 1})
        assert store.outbox.items(SHOP)[-1].id > max(*sample.open_edits, *sample.done_ids)


def test_with_its_indexes_garbled_too_a_bad_page_still_costs_only_its_own_edits(
        cache: tuple[Path, Sample]) -> None:
    """Nothing names the lost rows now: reading skips past the bad page by rowid alone."""
    path, sample = cache
    leaves = leaf_pages(path, "outbox")
    on_page = set(rowids_on_page(path, leaves[5]))
    for pageno in [leaves[5], *leaf_pages(path, "outbox_target"),
                   *leaf_pages(path, "outbox_state")]:
        garble_page(path, pageno)
    report = rescue_cache(path, now=NOW)
    assert report.more_edits_lost and report.edits_lost == ()
    assert report.edits_rescued == len(set(sample.open_edits) - on_page)
    check_fresh(path, sample, report)
    assert "some edits could not be read and may need entering again" in report.sentence


def test_a_garbled_page_of_history_costs_only_its_lines(cache: tuple[Path, Sample]) -> None:
    path, sample = cache
    leaves = leaf_pages(path, "audit_log")
    on_page = rowids_on_page(path, leaves[3])
    garble_page(path, leaves[3])
    report = rescue_cache(path, now=NOW)
    assert report.history_lost == len(on_page) and not report.more_history_lost
    assert report.edits_rescued == len(sample.open_edits) and not report.edits_lost
    check_fresh(path, sample, report)
    assert "your 416 unpushed edits and part of your change history were kept" in (
        report.sentence)


@pytest.mark.parametrize("fraction", [0.5, 0.8])
def test_a_truncated_cache_keeps_every_edit_it_can_read(cache: tuple[Path, Sample],
                                                        fraction: float) -> None:
    path, sample = cache
    kept_pages = int(path.stat().st_size // PAGE * fraction)
    whole = {i for page in leaf_pages(path, "outbox") if page <= kept_pages
             for i in rowids_on_page(path, page)}
    truncate(path, fraction)
    damaged = path.read_bytes()
    error = read_error(path)
    assert is_damaged(error), error
    report = rescue_cache(path, now=NOW)
    assert report.readable and 0 < report.edits_rescued < len(sample.open_edits)
    assert report.more_edits_lost  # the cut-off part's rows cannot all be named
    with Store.open(path) as store:  # every edit on a page that was kept is rescued
        assert whole & set(sample.open_edits) <= {i.id for i in store.outbox.items(SHOP)}
    check_fresh(path, sample, report)
    assert path.with_name(COPY).read_bytes() == damaged
    assert f"your {report.edits_rescued} unpushed edits" in report.sentence
    assert "some edits could not be read and may need entering again" in report.sentence


def test_a_garbled_header_leaves_nothing_readable_and_says_so_truthfully(
        cache: tuple[Path, Sample]) -> None:
    path, _ = cache
    garble(path, 0, 100)
    damaged = path.read_bytes()
    error = read_error(path, "SELECT * FROM sqlite_master")
    assert is_damaged(error) and "not a database" in str(error)
    with pytest.raises(sqlite3.DatabaseError) as opening:
        Store.open(path)
    assert is_damaged(opening.value)
    report = rescue_cache(path, now=NOW)
    assert not report.readable and report.edits_rescued == 0 and not report.nothing_lost
    assert path.with_name(COPY).read_bytes() == damaged  # kept as it was
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert store.outbox.items(SHOP) == [] and store.shops.all() == []
    assert not JARGON.search(report.sentence)
    assert "any edits not yet pushed" in report.sentence
    assert "nothing" not in report.sentence  # it cannot know that nothing was open


def test_the_damaged_copy_keeps_its_wal_and_an_earlier_copy_is_never_overwritten(
        tmp_path: Path) -> None:
    """Edits only in the -wal (the app died before copying it into the file) are rescued
    through the set-aside -wal; a second rescue in the same minute gets a new name."""
    path = tmp_path / "cache.sqlite3"
    sample = make_cache(path, rounds=2)
    script = (
        "import os, sys\n"
        "from tiktok_desktop.store import Store, Edit\n"
        "store = Store.open(sys.argv[1])\n"
        "store.outbox.add_many(sys.argv[2], 'stock', "
        "[Edit(f'{n}@w', {'quantity': n}, 0) for n in range(50)])\n"
        "os._exit(0)  # dies with the connection open: the edits are only in the -wal\n")
    subprocess.run([sys.executable, "-c", script, str(path), SHOP], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    report = rescue_cache(path, now=NOW)
    copy = path.with_name(COPY)
    assert report.damaged_copy == copy
    assert Path(f"{copy}-wal").exists() and Path(f"{copy}-shm").exists()
    assert not Path(f"{path}-wal").exists()  # no -wal of the old file left by the new one
    assert report.edits_rescued == len(sample.open_edits) + 50 and report.nothing_lost
    with Store.open(path) as store:
        targets = {i.target for i in store.outbox.items(SHOP, states=("pending",))}
    assert {f"{n}@w" for n in range(50)} <= targets
    # The set-aside trio still opens as it was.
    conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM outbox WHERE target LIKE '%@w'").fetchone() == (
        50,)
    conn.close()

    again = rescue_cache(path, now=NOW)
    assert again.damaged_copy == path.with_name("cache.damaged-2026-12-06-0715-2.sqlite3")
    assert copy.exists() and Path(f"{copy}-wal").exists()
    assert again.edits_rescued == report.edits_rescued


def test_a_sent_edit_stays_in_doubt_and_an_interrupted_push_is_finished(
        tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        store.outbox.add(SHOP, STOCK, "1@w", {"product_id": "17", "quantity": 4}, based_on=2)
        store.outbox.add(SHOP, PRICE, "2", {"product_id": "17", "price": "12.99",
                                            "currency": "USD"}, based_on="10.00")
        [sent, _] = store.outbox.claim([item.id for item in store.outbox.items(SHOP)])
        store.set_sync_state(SHOP, PUSH_STATE, {"up_to": sent.id})
        store.set_sync_state(SHOP, PRICE_PUSH_STATE, {"up_to": sent.id + 1})
        store.set_sync_state(SHOP, "products", {"update_time_ge": 5})
    report = rescue_cache(path, now=NOW)
    assert report.push_resumes and report.edits_rescued == 2
    assert rescue_module.PUSH_STATES == (PUSH_STATE, PRICE_PUSH_STATE)
    with Store.open(path) as store:
        # "sent" with its claim time: the pusher asks the shop before sending it again.
        assert store.outbox.get(sent.id) == sent
        assert stock_push_interrupted(store, SHOP) and price_push_interrupted(store, SHOP)
        assert store.sync_state(SHOP, "products") is None
    assert "your 2 unpushed edits were kept" in report.sentence


def test_no_file_means_a_fresh_cache(tmp_path: Path) -> None:
    path = tmp_path / "shop" / "cache.sqlite3"
    report = rescue_cache(path, now=NOW)
    assert report.damaged_copy is None and report.nothing_lost
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not JARGON.search(report.sentence)


def test_a_failed_rebuild_puts_the_damaged_file_back_to_be_rescued_again(
        cache: tuple[Path, Sample], monkeypatch: pytest.MonkeyPatch) -> None:
    path, sample = cache
    before = path.read_bytes()

    class FullDisk:
        @staticmethod
        def open(where: Path) -> Store:
            Store.open(where).close()  # made, then the writes fail
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(rescue_module, "Store", FullDisk)
    with pytest.raises(sqlite3.OperationalError):
        rescue_cache(path, now=NOW)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["cache.sqlite3"]
    monkeypatch.undo()
    assert rescue_cache(path, now=NOW).edits_rescued == len(sample.open_edits)


def test_is_damaged_tells_damage_from_other_failures(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("INSERT INTO shops (id, raw) VALUES ('x', '{}')")
    holder.execute("ROLLBACK")
    readonly = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        readonly.execute("INSERT INTO shops (id, raw) VALUES ('x', '{}')")
    other.execute("PRAGMA max_page_count = 1")
    with pytest.raises(sqlite3.DatabaseError) as full:
        other.execute("INSERT INTO shops (id, raw) VALUES ('x', ?)", ("x" * 100_000,))
    for conn in (holder, other, readonly):
        conn.close()
    for error in (locked.value, refused.value, full.value, ValueError("malformed"),
                  sqlite3.OperationalError("no such table: outbox")):
        assert not is_damaged(error), error
    # Without error codes (raised by hand, or before Python 3.11) the words decide.
    assert is_damaged(sqlite3.DatabaseError("database disk image is malformed"))
    assert not is_damaged(sqlite3.OperationalError("database is locked"))
    wrapped = RuntimeError("reading stock failed")
    wrapped.__cause__ = sqlite3.DatabaseError("file is not a database")
    assert is_damaged(wrapped)
