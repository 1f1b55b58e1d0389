"""The detail pane: one order as a seller reads it before packing."""

from __future__ import annotations

from pathlib import Path

import pytest
from orders_samples import DAY, NOW, fill_by_hand, order_id

from tiktok_desktop.store import Store
from tiktok_desktop.ui.orders.detail import OrderDetailPane, order_html


@pytest.fixture
def store(tmp_path: Path):
    path = tmp_path / "cache.sqlite3"
    fill_by_hand(path)
    with Store.open(path) as opened:
        yield opened


@pytest.fixture
def text_of(qtbot, store):
    """The pane's text for hand-made order n, as the seller sees it."""
    pane = OrderDetailPane(clock=lambda: NOW)
    qtbot.addWidget(pane)

    def read(n: int) -> str:
        pane.show_order(store.orders.detail(order_id(n)))
        return pane.toPlainText()

    return read


def test_units_of_one_sku_are_one_line_with_a_quantity(text_of):
    text = text_of(1)
    assert "Items (3 units)" in text
    assert "2 ×\nCotton tee\nBlack, M\nSKU TEE-BLK-M\n$12.50\n$25.00" in text
    assert "1 ×\nWool socks\nGrey\nSKU SOCK-GRY\n$6.00\n$6.00" in text


def test_what_the_buyer_paid(text_of):
    text = text_of(1)
    assert "Products\n$33.00" in text
    assert "Your discount\n−$2.00" in text
    assert "Shipping\n$0.00" in text
    assert "Tax" not in text  # nothing charged: no line
    assert "Buyer paid\n$31.00" in text
    assert "Paid with Visa" in text


def test_buyer_and_masked_address_as_given(text_of):
    text = text_of(1)
    assert "maria_k" in text
    assert "M*** K***, (+1)213-***-1234" in text
    assert "1*** Main St, Los Angeles, California, 90001" in text
    assert "Standard Shipping · shipped by TikTok" in text
    assert "Buyer message\n“Please <b>gift</b> wrap”" in text


def test_the_ship_by_countdown(text_of):
    assert "Ship within 1 d 4 h" in text_of(1)
    assert "Overdue by 3 h" in text_of(7)
    assert "Ship within" not in text_of(5)  # already on its way
    assert "On hold: not shippable yet" in text_of(3)


def test_the_countdown_is_red_when_close_or_missed(store):
    detail = store.orders.detail(order_id(1))
    assert detail is not None
    assert 'class="urgent"' not in order_html(detail, NOW)  # 28 h left
    assert 'class="urgent"' in order_html(detail, NOW + DAY)  # 4 h left


def test_packages_with_tracking(text_of):
    text = text_of(5)
    assert "On its way" in text
    assert "USPS: 9400111899223344556677" in text
    assert "Not shipped yet." in text_of(1)


def test_a_cancelled_order_says_who_cancelled_and_why(text_of):
    assert "Cancelled by the buyer: Buyer changed their mind" in text_of(6)


def test_the_pane_keeps_its_place_when_the_same_order_is_shown_again(qtbot, store):
    pane = OrderDetailPane(clock=lambda: NOW)
    qtbot.addWidget(pane)
    pane.resize(300, 150)
    pane.show()
    detail = store.orders.detail(order_id(1))
    pane.show_order(detail)
    pane.verticalScrollBar().setValue(40)
    pane.show_order(store.orders.detail(order_id(1)))
    assert pane.verticalScrollBar().value() == 40
    assert pane.order_id == order_id(1)
    pane.show_order(None)
    assert pane.order_id is None
    assert "Select an order" in pane.toPlainText()
