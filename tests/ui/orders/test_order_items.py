"""What is in an order: every item in the Items column and its tooltip, which items ship in which
package, and an order "shipping in parts" called what it really is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from orders_samples import HOUR, NOW, SHOP, fill_by_hand, line, order, order_id, package, socks, tee
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from tiktok_desktop.store import Store
from tiktok_desktop.ui.orders.columns import COLUMN_KEYS
from tiktok_desktop.ui.orders.detail import OrderDetailPane
from tiktok_desktop.ui.orders.model import Listing, OrdersModel

ITEMS, STATUS = COLUMN_KEYS.index("item_summary"), COLUMN_KEYS.index("status")


def cap(n: int) -> dict[str, Any]:
    return line(n, sku="1729500000000000003", product="Cap", variant="", seller_sku="",
                price="9.00")


def packed(n: int, order_n: int, lines: list[dict[str, Any]], *, tracking: str = "",
           status: str = "PROCESSING") -> dict[str, Any]:
    """A package of order `order_n` holding these line items, as Search Packages lists it."""
    return {**package(n, order_id(order_n), tracking=tracking, status=status),
            "order_line_item_ids": [item["id"] for item in lines]}


SPLIT = [tee(201), tee(202), socks(203)]  # order 20: split in two, nothing shipped yet
HALF_SHIPPED = [tee(211), socks(212)]  # order 21: one of two packages shipped
SHIPPED_LINES = [  # order 22: line items naming their package (no package synced)
    {**tee(221), "package_id": "1150000000000000222", "package_status": "FULFILLING",
     "tracking_number": "9400100000000000000222", "shipping_provider_name": "USPS"},
    {**socks(222), "package_id": "1150000000000000222", "package_status": "FULFILLING",
     "tracking_number": "9400100000000000000222", "shipping_provider_name": "USPS"},
]
ORDERS = [
    order(20, status="PARTIALLY_SHIPPING", items=SPLIT, created=NOW - 5 * HOUR),
    order(21, status="PARTIALLY_SHIPPING", items=HALF_SHIPPED, created=NOW - 6 * HOUR),
    order(22, status="IN_TRANSIT", items=SHIPPED_LINES, created=NOW - 7 * HOUR),
    order(23, items=[tee(231), cap(232)], created=NOW - 8 * HOUR),
    order(24, items=[tee(241) | {"product_name": "Tee <b>bold</b>"}], created=NOW - 9 * HOUR),
]
PACKAGES = [
    packed(201, 20, SPLIT[:2]), packed(202, 20, SPLIT[2:]),
    packed(211, 21, HALF_SHIPPED[:1], tracking="9400100000000000000211"),
    packed(212, 21, HALF_SHIPPED[1:]),
]


@pytest.fixture
def store(tmp_path: Path):
    path = tmp_path / "cache.sqlite3"
    fill_by_hand(path)
    with Store.open(path) as opened:
        opened.save_page(SHOP, "orders", ORDERS, None)
        opened.save_page(SHOP, "packages", PACKAGES, None)
        yield opened


@pytest.fixture
def model(store: Store) -> OrdersModel:
    shown = OrdersModel(store.orders.rows, clock=lambda: NOW)
    shown.show(Listing([order_id(n) for n in (1, 2, 20, 21, 22, 23, 24)]))
    return shown


def cell(model: OrdersModel, n: int, column: int, role: int = Qt.ItemDataRole.DisplayRole):
    return model.index(model.row_of(order_id(n)), column).data(role)


def plain(markup: str) -> str:
    document = QTextDocument()
    document.setHtml(markup)
    return document.toPlainText()


def test_the_items_column_shows_every_item_with_a_count(model):
    assert cell(model, 1, ITEMS) == "3 items: 2 × Cotton tee (Black, M); 1 × Wool socks (Grey)"
    assert cell(model, 23, ITEMS) == "2 items: 1 × Cotton tee (Black, M); 1 × Cap"
    assert cell(model, 2, ITEMS) == "1 × Wool socks (Grey)"  # one item: no count


def test_the_items_tooltip_lists_each_item_with_its_seller_sku(model):
    assert plain(cell(model, 1, ITEMS, Qt.ItemDataRole.ToolTipRole)) == (
        "2 × Cotton tee (Black, M) · SKU TEE-BLK-M\n1 × Wool socks (Grey) · SKU SOCK-GRY")
    assert plain(cell(model, 23, ITEMS, Qt.ItemDataRole.ToolTipRole)).endswith("\n1 × Cap")
    # A product name that looks like markup is shown as written.
    assert plain(cell(model, 24, ITEMS, Qt.ItemDataRole.ToolTipRole)).startswith(
        "1 × Tee <b>bold</b> (Black, M)")
    assert cell(model, 1, STATUS, Qt.ItemDataRole.ToolTipRole) is None


def test_an_order_split_in_packages_none_shipped_is_to_ship_not_partly_shipped(model):
    assert cell(model, 20, STATUS) == "To ship"
    assert cell(model, 21, STATUS) == "1 of 2 packages shipped"
    assert cell(model, 1, STATUS) == "To ship"
    assert cell(model, 22, STATUS) == "In transit"


@pytest.fixture
def text_of(qtbot, store):
    pane = OrderDetailPane(clock=lambda: NOW)
    qtbot.addWidget(pane)

    def read(n: int) -> str:
        pane.show_order(store.orders.detail(order_id(n)))
        return pane.toPlainText()

    return read


def test_the_detail_lists_each_package_with_its_items(text_of):
    text = text_of(20)
    assert text.splitlines()[1].startswith("To ship · Placed")  # not "Partly shipped"
    assert ("Package 1 of 2 · Not shipped yet\n1150000000000000201\nno tracking number yet\n"
            "2 × Cotton tee (Black, M)\n") in text
    assert ("Package 2 of 2 · Not shipped yet\n1150000000000000202\nno tracking number yet\n"
            "1 × Wool socks (Grey)") in text
    assert "Not in a package yet" not in text


def test_a_shipped_package_shows_its_tracking_and_the_other_waits(text_of):
    text = text_of(21)
    assert text.splitlines()[1].startswith("1 of 2 packages shipped · Placed")
    assert ("Package 1 of 2 · Shipped, waiting for the carrier to collect it\n"
            "1150000000000000211\nUSPS: 9400100000000000000211\n1 × Cotton tee (Black, M)"
            ) in text
    assert "Package 2 of 2 · Not shipped yet" in text


def test_a_package_known_from_its_line_items_lists_them(text_of):
    text = text_of(22)
    assert ("Package · On its way\n1150000000000000222\nUSPS: 9400100000000000000222\n"
            "1 × Cotton tee (Black, M)\n1 × Wool socks (Grey)") in text


def test_items_not_in_a_package_yet_are_listed_apart(store, text_of):
    store.save_page(SHOP, "packages", [packed(212, 21, [])], None)  # socks left the package
    text = text_of(21)
    assert "Not in a package yet\n1 × Wool socks (Grey)" in text
