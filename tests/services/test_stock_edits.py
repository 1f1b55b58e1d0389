"""Stock numbers and bulk operations: whole units 0-99,999, refused in plain words, never half."""

from __future__ import annotations

from pathlib import Path

import pytest
from stock_cells import EAST, MAIN, cell, shop

from tiktok_desktop.services.cell_edits import (
    CellEdit,
    EditRefused,
    fill_down,
    keep_mine,
    revert,
    take_theirs,
    undo_of,
)
from tiktok_desktop.services.stock_edits import (
    STOCK_EDITS,
    Change,
    add,
    open_edits,
    save_changes,
    set_to,
    subtract,
)
from tiktok_desktop.services.stock_values import QuantityRefused, parse_quantity
from tiktok_desktop.store import Store

SHOP = "7000000000000000001"


@pytest.mark.parametrize(("text", "expected"), [
    ("0", 0), ("12", 12), (" 40 ", 40), ("99999", 99_999), ("1,234", 1234), ("12.0", 12),
    ("12,00", 12), ("+5", 5), ("1 234", 1234), ("１２", 12), (7, 7), ("007", 7),
])
def test_stock_numbers_sellers_type_are_read(text: object, expected: int) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("", "Enter a number"),
    ("abc", "“abc” is not a number"),
    ("-3", "can't be negative"),
    ("2.5", "whole units"),
    ("1,5", "whole units"),
    ("100000", "at most 99,999"),
    ("1e3", "not a number"),
    (True, "not a number"),
    ("12 boxes", "not a number"),
])
def test_anything_else_is_refused_with_a_plain_message(text: object, words: str) -> None:
    with pytest.raises(QuantityRefused, match=words):
        parse_quantity(text)


def test_set_add_subtract_change_only_the_cells_that_differ() -> None:
    a, b = cell(1, available=10), cell(2, available=3)
    assert [(c.sku_id, c.new, c.based_on) for c in set_to([a, b], 10)] == [(b.sku_id, 10, 3)]
    assert [c.new for c in add([a, b], 5)] == [15, 8]
    assert [c.new for c in subtract([a, b], 3)] == [7, 0]
    assert [c.new for c in set_to([a, b], 0)] == [0, 0]


def test_bulk_operations_work_on_the_edited_value() -> None:
    edited = cell(1, available=10, edit=CellEdit(5, 40, 10, "pending"))
    [change] = add([edited], 2)
    assert (change.new, change.based_on) == (42, 10)  # based on the shop's value, not the edit


def test_a_bulk_operation_that_would_leave_the_range_changes_nothing() -> None:
    cells = [cell(1, available=99_995), cell(2, available=10), cell(3, available=2)]
    with pytest.raises(EditRefused, match=r"above 99,999 \(TEE-001 in Main warehouse\)"):
        add(cells, 10)
    with pytest.raises(EditRefused, match=r"2 rows below 0.*Nothing was changed"):
        subtract([*cells[1:], cell(4, available=1)], 3)
    with pytest.raises(EditRefused, match="at most 99,999"):
        set_to(cells, 100_000)
    with pytest.raises(EditRefused, match="isn't known yet"):
        add([cell(5, available=None)], 1)


def test_fill_down_copies_the_first_number_and_revert_drops_edits() -> None:
    top = cell(1, available=7)
    rest = [cell(2, available=7), cell(3, available=1, edit=CellEdit(1, 4, 1, "failed"))]
    assert [(c.sku_id, c.new) for c in fill_down([top, *rest], "stock")] == [(rest[1].sku_id, 7)]
    assert fill_down([top], "stock") == []
    sending = cell(4, edit=CellEdit(2, 9, 10, "sent"))
    assert [(c.sku_id, c.new) for c in revert([*rest, sending])] == [(rest[1].sku_id, None)]


def test_undo_of_puts_back_the_previous_edit_or_none() -> None:
    fresh, edited = cell(1), cell(2, edit=CellEdit(3, 25, 10, "pending"))
    changes = set_to([fresh, edited], 50)
    assert [c.new for c in undo_of([fresh, edited], changes)] == [None, 25]


def test_changes_are_kept_in_the_outbox_and_a_change_back_drops_the_edit(tmp_path: Path) -> None:
    a, b = shop(2)[:2]
    with Store.open(tmp_path / "cache.sqlite3") as store:
        save_changes(store, SHOP, [Change.of(a, 25), Change.of(b, 4)])
        edits = open_edits(store, SHOP)
        assert {k: (e.new, e.based_on, e.state) for k, e in edits.items()} == {
            a.key: (25, 10, "pending"), b.key: (4, 1, "pending")}
        save_changes(store, SHOP, [Change.of(a, 10), Change.of(b, None)])  # back as they were
        assert open_edits(store, SHOP) == {}


def test_keep_mine_sends_again_on_the_new_base_and_take_theirs_forgets(tmp_path: Path) -> None:
    a, b = cell(1, MAIN, available=10), cell(1, EAST, available=3)
    with Store.open(tmp_path / "cache.sqlite3") as store:
        save_changes(store, SHOP, [Change.of(a, 25), Change.of(b, 4)])
        ids = [e.id for e in open_edits(store, SHOP).values()]
        store.outbox.claim(ids)
        store.outbox.mark_conflict(ids, "Changed elsewhere")
        edits = open_edits(store, SHOP)
        now_a = cell(1, MAIN, available=12, edit=edits[a.key])
        keep_mine(store, STOCK_EDITS, [now_a])
        take_theirs(store, [cell(1, EAST, available=5, edit=edits[b.key])])
        after = open_edits(store, SHOP)
    assert list(after) == [a.key]
    assert (after[a.key].state, after[a.key].based_on, after[a.key].new) == ("pending", 12, 25)


def test_add_and_subtract_stay_amounts_until_pushed() -> None:
    a = cell(1, available=85)
    [delivery] = add([a], 10)
    assert (delivery.delta, delivery.new, delivery.based_on) == (10, 95, 85)
    plus_ten = cell(1, available=85, edit=CellEdit(4, 95, 85, "pending", delta=10))
    assert plus_ten.current == 95
    assert cell(1, available=80, edit=plus_ten.edit).current == 90  # 5 sold: still +10
    [net] = subtract([plus_ten], 3)
    assert (net.delta, net.new) == (7, 92)  # amounts add up
    [gone] = subtract([plus_ten], 10)
    assert gone.drops_edit  # +10 - 10: back to the shop's value
    # On top of a set-to number, an amount makes a new number (the seller's own count).
    counted = cell(1, available=85, edit=CellEdit(5, 40, 85, "pending"))
    [on_count] = add([counted], 10)
    assert (on_count.delta, on_count.new) == (None, 50)
    # Undo puts the amount back as an amount.
    [undo] = undo_of([plus_ten], set_to([plus_ten], 3))
    assert (undo.delta, undo.new) == (10, 95)


def test_amounts_are_kept_in_the_outbox_as_amounts(tmp_path: Path) -> None:
    a = cell(1, available=85)
    with Store.open(tmp_path / "cache.sqlite3") as store:
        save_changes(store, SHOP, add([a], 10))
        [edit] = open_edits(store, SHOP).values()
        assert (edit.delta, edit.new, edit.based_on, edit.state) == (10, 95, 85, "pending")
        save_changes(store, SHOP, subtract([cell(1, available=85, edit=edit)], 10))
        assert open_edits(store, SHOP) == {}
