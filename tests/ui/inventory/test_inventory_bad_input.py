"""Whatever reaches the Inventory tab (Set to / Add / Subtract text, a pasted block, a file of
any size), the outbox gets every change of it or none, and a refusal is a plain message
(issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_inventory_editing import outbox, row, select

from tiktok_desktop.services.stock_values import parse_quantity
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog

# Python refuses to convert more than 4,300 digits to a number.
LONG_NUMBERS = st.integers(4_290, 6_000).flatmap(lambda n: st.sampled_from([
    "9" * n, "-" + "9" * n, "0" * n + "7", "1" + ",000" * (n // 3), "1" + "0" * n + ".0"]))
# Any text Qt carries (a lone surrogate never reaches the tab: Qt's strings drop it; the
# services' tests give it to them directly).
ENTRIES = st.one_of(
    LONG_NUMBERS,
    st.integers(-5, 120_000).map(str),
    st.tuples(st.integers(0, 300).map(str), st.sampled_from(["\x00", "\x1b", "\x7f", "\x85"]),
              st.integers(0, 9).map(str)).map("".join),
    st.text(max_size=8),
)
SKUS = ("TEE-BLK-M", "HOOD-GRY-L", "BEAN-RED", "NOPE")
BLOCKS = st.one_of(
    st.lists(ENTRIES, min_size=1, max_size=4).map("\n".join),
    st.lists(st.tuples(st.sampled_from(SKUS), ENTRIES), min_size=1, max_size=4).map(
        lambda rows: "Seller SKU\tQuantity in East Coast\n" + "\n".join(
            f"{sku}\t{n}" for sku, n in rows)))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def fresh(tab: InventoryTab) -> None:
    """The shop as synced, no edits (each example starts from it)."""
    tab.editing.undo_stack.clear()
    tab.store.conn.execute("DELETE FROM outbox")
    tab.reload()
    tab.editor.banner.hide()


def assert_plain(message: str) -> None:
    assert message and "Exceeds the limit" not in message
    ours = re.sub(r"“[^”]*”", "“”", message)  # the seller's own text, quoted, may hold ".."
    assert ".." not in ours.replace("…", "")


@SETTINGS
@given(text=ENTRIES, op=st.sampled_from(["set", "add", "subtract"]))
def test_bulk_dialog_text_changes_every_selected_row_or_none(tab: InventoryTab, text: str,
                                                             op: str) -> None:
    fresh(tab)
    rows = [row(tab, "TEE-BLK-M"), row(tab, "HOOD-GRY-L"), row(tab, "BEAN-RED")]
    select(tab, rows)
    before = {tab.model.cell(r).key: tab.model.cell(r).current for r in rows}
    tab.selection.ask_bulk(op)
    prompt = tab.selection.prompt
    assert prompt is not None
    prompt.textValueSelected.emit(text)
    prompt.close()
    after = {tab.model.cell(r).key: tab.model.cell(r).current for r in rows}
    if tab.editor.banner.isVisibleTo(tab):
        assert_plain(tab.editor.banner.text())
        assert after == before and outbox(tab) == {}
        return
    amount = parse_quantity(text)
    expected = {key: {"set": amount, "add": n + amount, "subtract": n - amount}[op]
                for key, n in before.items()}
    assert after == expected
    assert set(outbox(tab).values()) <= set(expected.values())


@SETTINGS
@given(block=BLOCKS, first=st.integers(0, 11))
def test_a_pasted_block_of_any_text_applies_whole_or_not_at_all(tab: InventoryTab, block: str,
                                                                first: int) -> None:
    fresh(tab)
    select(tab, [first])
    applied = tab.selection.paste_text(block)
    waiting = outbox(tab)
    if applied == 0:
        assert waiting == {}
        if tab.editor.banner.isVisibleTo(tab):
            assert_plain(tab.editor.banner.text())
    else:
        assert len(waiting) == applied and all(0 <= n <= 99_999 for n in waiting.values())


def test_importing_a_huge_file_says_so_without_reading_it(tab: InventoryTab,
                                                          tmp_path: Path) -> None:
    huge = tmp_path / "everything.csv"
    with huge.open("wb") as file:
        file.truncate(1024 ** 3)  # 1 GB, sparse
    tab.files.import_csv(huge, tab.shop_cells())
    dialog = tab.files.dialog
    assert isinstance(dialog, ImportDialog)
    assert "too large for a stock list (over 50 MB)" in dialog.summary.text()
    dialog.close()


def test_importing_a_file_that_is_gone_says_so(tab: InventoryTab, tmp_path: Path) -> None:
    tab.files.import_csv(tmp_path / "gone.csv", tab.shop_cells())
    dialog = tab.files.dialog
    assert isinstance(dialog, ImportDialog)
    assert "This file can't be opened (" in dialog.summary.text()
    dialog.close()
