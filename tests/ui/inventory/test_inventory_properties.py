"""Pasting anything into the table: never an exception, and either all of it reaches the outbox
or none of it does."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_inventory_editing import outbox, select

from tiktok_desktop.ui.inventory import InventoryTab

CELL_TEXT = st.one_of(
    st.sampled_from(["TEE-BLK-M", "HOOD-GRY-L", "BEAN-RED", "Seller SKU", "Quantity",
                     "Quantity in East Coast", "Warehouse", "Main warehouse", "", "1,5", "-1",
                     "99999", "100000", '"', "\t"]),
    st.integers(0, 200).map(str),
    st.text(max_size=6),
)
NUMBERS = st.lists(st.integers(0, 300).map(str) | st.just(""), min_size=1, max_size=5).map(
    "\n".join)
KEYED = st.lists(st.tuples(st.sampled_from(["TEE-BLK-M", "HOOD-GRY-L", "BEAN-RED", "NOPE"]),
                           st.integers(0, 300).map(str) | CELL_TEXT), min_size=1, max_size=4).map(
    lambda rows: "Seller SKU\tQuantity in East Coast\n" + "\n".join(f"{a}\t{b}" for a, b in rows))
BLOCKS = st.one_of(
    NUMBERS, KEYED, st.text(max_size=60),
    st.lists(st.lists(CELL_TEXT, min_size=1, max_size=4), min_size=1, max_size=6).map(
        lambda rows: "\n".join("\t".join(r) for r in rows)))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(block=BLOCKS, first=st.integers(0, 11), rows=st.integers(1, 3))
def test_a_paste_applies_whole_or_not_at_all(tab: InventoryTab, block: str, first: int,
                                             rows: int) -> None:
    tab.editing.undo_stack.clear()
    tab.store.conn.execute("DELETE FROM outbox")
    tab.reload()
    select(tab, list(range(first, min(first + rows, tab.model.rowCount()))))
    applied = tab.selection.paste_text(block)
    waiting = outbox(tab)
    if applied == 0:
        assert waiting == {}
    else:
        assert len(waiting) == applied
        assert all(0 <= n <= 99_999 for n in waiting.values())
        shown = {(c.seller_sku, c.warehouse_id): c.edit.new
                 for c in tab.model.loaded_cells() if c.edit is not None}
        assert shown == waiting
