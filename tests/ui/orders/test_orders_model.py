"""The Orders table model: a well-behaved Qt model that reads only the rows it is asked for."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from orders_samples import NOW, fill_by_hand, fill_from_demo_shop, order_id
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from tiktok_desktop.store import OrderQuery, OrderRow, Store
from tiktok_desktop.ui.orders.columns import COLUMN_KEYS, COLUMNS
from tiktok_desktop.ui.orders.model import BLOCK, Listing, OrdersModel, read_listing

SHIP_BY = COLUMN_KEYS.index("ship_by")


class CountingReader:
    """The store's row reader, counting the ids it is asked for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.batches: list[int] = []

    def __call__(self, ids: Sequence[str]) -> list[OrderRow]:
        self.batches.append(len(ids))
        return self.store.orders.rows(ids)


@pytest.fixture
def demo_store(tmp_path: Path):
    path = tmp_path / "cache.sqlite3"
    shop_id = fill_from_demo_shop(path, orders=450)
    with Store.open(path) as store:
        yield store, shop_id


@pytest.fixture
def hand_store(tmp_path: Path):
    path = tmp_path / "cache.sqlite3"
    fill_by_hand(path)
    with Store.open(path) as store:
        yield store


def test_the_model_passes_qts_model_checks(qtmodeltester, demo_store):
    store, shop_id = demo_store
    model = OrdersModel(store.orders.rows)
    model.show(Listing(store.orders.ids(OrderQuery(shop_id))))
    qtmodeltester.check(model, force_py=True)
    model.show(Listing([]))
    qtmodeltester.check(model, force_py=True)


def test_rows_are_read_in_blocks_when_first_shown(demo_store):
    store, shop_id = demo_store
    reader = CountingReader(store)
    model = OrdersModel(reader)
    model.show(Listing(store.orders.ids(OrderQuery(shop_id))))
    assert reader.batches == []  # nothing read until the view asks
    model.index(0, 0).data()
    model.index(BLOCK - 1, 3).data()
    assert reader.batches == [BLOCK]
    model.index(BLOCK + 5, 0).data()
    assert reader.batches == [BLOCK, BLOCK]
    model.index(449, 0).data()  # the last, partial block
    assert reader.batches == [BLOCK, BLOCK, 450 % BLOCK]


def test_a_listing_brings_the_rows_of_the_screen(demo_store):
    store, shop_id = demo_store
    ids = store.orders.ids(OrderQuery(shop_id))
    listing = read_listing(store.orders.rows, ids, top=None, rows=30, find=(), now=NOW)
    assert sorted(listing.blocks) == [0]
    reader = CountingReader(store)
    model = OrdersModel(reader)
    model.show(listing)
    assert model.index(29, 0).data() == ids[29]
    assert reader.batches == []  # the screen came with the answer


def test_a_listing_keeps_the_top_order_and_finds_the_selected_one(demo_store):
    store, shop_id = demo_store
    ids = store.orders.ids(OrderQuery(shop_id))
    listing = read_listing(store.orders.rows, ids, top=ids[250], rows=30,
                           find=[ids[420], "576999999999999999"], now=NOW)
    assert listing.found == {ids[250]: 250, ids[420]: 420}
    # rows 250-280 from the top order; 390-449 around the selected one, which may be shown
    assert sorted(listing.blocks) == [2, 3, 4]
    assert [row.order_id for row in listing.blocks[4]] == ids[400:450]


def screen(store: Store, ids: list[str]) -> Listing:
    return read_listing(store.orders.rows, ids, top=None, rows=30, find=(), now=NOW)


def test_a_refresh_repaints_only_the_rows_on_screen_that_changed(qtbot, demo_store):
    store, shop_id = demo_store
    ids = store.orders.ids(OrderQuery(shop_id))
    model = OrdersModel(store.orders.rows, clock=lambda: NOW)
    model.show(screen(store, ids))
    store.conn.execute("UPDATE orders SET buyer = 'someone new' WHERE id IN (?, ?)",
                       (ids[3], ids[7]))
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh(screen(store, list(ids)))
    assert (changed.args[0].row(), changed.args[1].row()) == (3, 7)
    assert model.index(3, COLUMN_KEYS.index("buyer")).data() == "someone new"
    # Orders far below the screen swap places: nothing on screen changed, nothing repaints.
    moved = list(ids)
    moved[300], moved[400] = moved[400], moved[300]
    with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.dataChanged):
        model.refresh(screen(store, moved))
    assert model.order_id(300) == ids[400]
    assert model.index(300, 0).data() == ids[400]  # read again when scrolled to


def test_a_refresh_adds_and_removes_rows_at_the_end(qtbot, demo_store):
    store, shop_id = demo_store
    ids = store.orders.ids(OrderQuery(shop_id))
    model = OrdersModel(store.orders.rows)
    model.show(screen(store, ids[:400]))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.refresh(screen(store, ids))
    assert inserted.args[1:] == [400, 449] and model.rowCount() == 450
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        model.refresh(screen(store, ids[:10]))
    assert removed.args[1:] == [10, 449] and model.rowCount() == 10


def test_a_new_query_resets_the_model(qtbot, demo_store):
    store, shop_id = demo_store
    ids = store.orders.ids(OrderQuery(shop_id))
    model = OrdersModel(store.orders.rows)
    model.show(Listing(ids))
    with qtbot.waitSignal(model.modelReset):
        model.show(Listing(ids[:10]))
    assert model.rowCount() == 10


def test_an_order_gone_from_the_cache_shows_as_a_blank_row(hand_store):
    model = OrdersModel(hand_store.orders.rows)
    model.show(Listing([order_id(1), "576999999999999999", order_id(2)]))
    assert model.index(1, 0).data() == "576999999999999999"
    assert model.index(1, 1).data() == ""
    assert model.index(2, COLUMN_KEYS.index("buyer")).data() == "bob_builder"


def test_display_texts(hand_store):
    model = OrdersModel(hand_store.orders.rows, clock=lambda: NOW)
    model.show(Listing([order_id(1), order_id(5)]))
    texts = {COLUMNS[c].key: model.index(0, c).data() for c in range(len(COLUMNS))}
    assert texts["id"] == order_id(1)
    assert texts["status"] == "To ship"
    assert texts["total"] == "$31.00"
    assert texts["item_summary"] == "3 items: 2 × Cotton tee (Black, M); 1 × Wool socks (Grey)"
    assert texts["ship_by"] == "1 d 4 h left"
    assert model.index(1, COLUMN_KEYS.index("tracking_number")).data() == (
        "9400111899223344556677")
    assert model.index(1, COLUMN_KEYS.index("shipping_type")).data() == "TikTok"


def test_a_close_or_missed_deadline_is_red_and_on_hold_is_grey(hand_store):
    model = OrdersModel(hand_store.orders.rows, clock=lambda: NOW)
    model.show(Listing([order_id(7), order_id(1), order_id(3)]))  # overdue, 28 h left, on hold
    overdue = model.index(0, SHIP_BY)
    assert isinstance(overdue.data(Qt.ItemDataRole.ForegroundRole), QBrush)
    assert overdue.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, SHIP_BY).data(Qt.ItemDataRole.ForegroundRole) is None
    on_hold = model.index(2, SHIP_BY).data(Qt.ItemDataRole.ForegroundRole)
    assert on_hold.color().name() == "#8a8a8a"


def test_money_is_right_aligned(hand_store):
    model = OrdersModel(hand_store.orders.rows)
    model.show(Listing([order_id(1)]))
    alignment = model.index(0, COLUMN_KEYS.index("total")).data(
        Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(alignment) & Qt.AlignmentFlag.AlignRight


def test_sorting_asks_the_tab_to_query_again(qtbot, hand_store):
    model = OrdersModel(hand_store.orders.rows)
    with qtbot.waitSignal(model.sort_requested) as asked:
        model.sort(COLUMN_KEYS.index("total"), Qt.SortOrder.DescendingOrder)
    assert asked.args == ["total", True]


def test_row_of_finds_an_order_in_the_list(hand_store):
    model = OrdersModel(hand_store.orders.rows)
    model.show(Listing([order_id(3), order_id(1)]))
    assert model.row_of(order_id(1)) == 1
    assert model.row_of(order_id(2)) is None
    model.show(Listing([order_id(1)]))
    assert model.row_of(order_id(1)) == 0


def test_every_sort_key_is_one_the_store_knows():
    from tiktok_desktop.store import SORT_COLUMNS

    assert set(COLUMN_KEYS) <= set(SORT_COLUMNS)
