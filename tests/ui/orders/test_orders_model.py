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
from tiktok_desktop.ui.orders.model import BLOCK, OrdersModel

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
    model.show(store.orders.ids(OrderQuery(shop_id)))
    qtmodeltester.check(model, force_py=True)
    model.show([])
    qtmodeltester.check(model, force_py=True)


def test_rows_are_read_in_blocks_when_first_shown(demo_store):
    store, shop_id = demo_store
    reader = CountingReader(store)
    model = OrdersModel(reader)
    model.show(store.orders.ids(OrderQuery(shop_id)))
    assert reader.batches == []  # nothing read until the view asks
    model.index(0, 0).data()
    model.index(BLOCK - 1, 3).data()
    assert reader.batches == [BLOCK]
    model.index(BLOCK + 5, 0).data()
    assert reader.batches == [BLOCK, BLOCK]
    model.index(449, 0).data()  # the last, partial block
    assert reader.batches == [BLOCK, BLOCK, 450 % BLOCK]


def test_forgotten_rows_are_read_again(demo_store):
    store, shop_id = demo_store
    reader = CountingReader(store)
    model = OrdersModel(reader)
    model.show(store.orders.ids(OrderQuery(shop_id)))
    model.index(0, 0).data()
    model.forget_rows()
    model.index(0, 0).data()
    assert reader.batches == [BLOCK, BLOCK]


def test_an_order_gone_from_the_cache_shows_as_a_blank_row(hand_store):
    model = OrdersModel(hand_store.orders.rows)
    model.show([order_id(1), "576999999999999999", order_id(2)])
    assert model.index(1, 0).data() == "576999999999999999"
    assert model.index(1, 1).data() == ""
    assert model.index(2, COLUMN_KEYS.index("buyer")).data() == "bob_builder"


def test_display_texts(hand_store):
    model = OrdersModel(hand_store.orders.rows, clock=lambda: NOW)
    model.show([order_id(1), order_id(5)])
    texts = {COLUMNS[c].key: model.index(0, c).data() for c in range(len(COLUMNS))}
    assert texts["id"] == order_id(1)
    assert texts["status"] == "To ship"
    assert texts["total"] == "$31.00"
    assert texts["item_summary"] == "2 × Cotton tee (Black, M); 1 × Wool socks (Grey)"
    assert texts["ship_by"] == "1 d 4 h left"
    assert model.index(1, COLUMN_KEYS.index("tracking_number")).data() == (
        "9400111899223344556677")
    assert model.index(1, COLUMN_KEYS.index("shipping_type")).data() == "TikTok"


def test_a_close_or_missed_deadline_is_red_and_on_hold_is_grey(hand_store):
    model = OrdersModel(hand_store.orders.rows, clock=lambda: NOW)
    model.show([order_id(7), order_id(1), order_id(3)])  # overdue, 28 h left, on hold
    overdue = model.index(0, SHIP_BY)
    assert isinstance(overdue.data(Qt.ItemDataRole.ForegroundRole), QBrush)
    assert overdue.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, SHIP_BY).data(Qt.ItemDataRole.ForegroundRole) is None
    on_hold = model.index(2, SHIP_BY).data(Qt.ItemDataRole.ForegroundRole)
    assert on_hold.color().name() == "#8a8a8a"


def test_money_is_right_aligned(hand_store):
    model = OrdersModel(hand_store.orders.rows)
    model.show([order_id(1)])
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
    model.show([order_id(3), order_id(1)])
    assert model.row_of(order_id(1)) == 1
    assert model.row_of(order_id(2)) is None
    model.show([order_id(1)])
    assert model.row_of(order_id(1)) == 0


def test_every_sort_key_is_one_the_store_knows():
    from tiktok_desktop.store import SORT_COLUMNS

    assert set(COLUMN_KEYS) <= set(SORT_COLUMNS)
