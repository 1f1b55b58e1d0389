"""The real app on the demo shop, for many sync cycles, the way a seller leaves it running.

The cache broke at the second sync, five minutes in, and no test saw it: every tab test ran on
the immediate task runner, and none lived through more than one sync. Here the real window, the
real task runner, the sync's own process and the demo shop run through a dozen syncs, with stock
and price edits typed in, orders scanned and pushes in between; then the cache must be whole and
nothing the seller did may be lost.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from demo_app import SYNC_TIMEOUT_MS, edit_stock, running_app, sync_once
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.store import stock_target
from tiktok_desktop.store.outbox import PRICE, STOCK
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.listings.price_model import NEW
from tiktok_desktop.ui.orders import OrdersTab

CYCLES = 12
pytestmark = pytest.mark.slow

# A small shop whose buyers keep ordering: every sync brings something new.
CONFIG = DemoShopConfig(seed=5, orders=120, products=12, new_order_every_s=1.0)


def scan_order(qtbot: QtBot, tab: OrdersTab, order_id: str) -> None:
    with qtbot.waitSignal(tab.order_shown, timeout=10_000) as shown:
        tab.filters.search.setText(order_id)
        qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert shown.args == [order_id]


def edit_price(qtbot: QtBot, tab: ListingsTab, rng: random.Random) -> tuple[str, Decimal]:
    """Type a new price into a random live SKU's row and wait until it is in the cache."""
    view = tab.prices
    qtbot.waitUntil(lambda: any(c.live for c in view.model.cells()))
    rows = [r for r, c in enumerate(view.model.cells()) if c.live]
    row = rng.choice(rows)
    price = Decimal(rng.randrange(1000, 9000)) / 100
    assert view.model.setData(view.model.index(row, NEW), str(price))
    qtbot.waitUntil(lambda: not view.editor.editing.writing)
    return view.model.cell(row).sku_id, price


def test_the_app_lives_through_many_syncs_with_edits_scans_and_a_push(
        qtbot: QtBot, qapp, tmp_path: Path) -> None:
    with running_app(qtbot, qapp, tmp_path, CONFIG) as app:
        window, session = app.window, app.window.session
        assert session is not None
        orders, inventory = app.tab(OrdersTab), app.tab(InventoryTab)
        listings = app.tab(ListingsTab)
        listings.price_toggle.setChecked(True)
        wal = Path(f"{session.store_path}-wal")
        rng = random.Random(9)
        made: list[tuple[str, str, int]] = []
        priced: list[tuple[str, Decimal]] = []
        for cycle in range(CYCLES):
            sync_once(qtbot, window)
            assert wal.exists(), f"the -wal file went away after sync {cycle + 1}"
            window.tabs.setCurrentWidget(inventory)
            made.append(edit_stock(qtbot, inventory, rng))
            window.tabs.setCurrentWidget(listings)
            priced.append(edit_price(qtbot, listings, rng))
            window.tabs.setCurrentWidget(orders)
            qtbot.waitUntil(lambda: orders.model.rowCount() > 0)
            scan_order(qtbot, orders,
                       orders.model.order_id(rng.randrange(orders.model.rowCount())))
            if cycle == CYCLES // 2:
                with qtbot.waitSignal(inventory.editor.pusher.finished, timeout=SYNC_TIMEOUT_MS):
                    inventory.editor.push()
                with qtbot.waitSignal(listings.prices.editor.pusher.finished,
                                      timeout=SYNC_TIMEOUT_MS):
                    listings.prices.editor.push()
        sync_once(qtbot, window)

        store = session.cache.gui()
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert wal.exists()
        assert app.crash_reports() == []
        assert app.problems == []
        # Every edit is either in the shop (its push is in the stock history) or still open.
        # A later edit of the same cell replaces the earlier one: the last is what must survive.
        pushed = {(e.target, e.new) for e in store.audit.entries(session.shop_id, kind=STOCK)
                  if e.result == "done"}
        waiting = {(i.target, i.payload["quantity"])
                   for i in store.outbox.items(session.shop_id, kind=STOCK)}
        last = {stock_target(sku_id, warehouse_id): value for sku_id, warehouse_id, value in made}
        assert 0 < len(waiting) < len(last), "the push sent some edits and later ones wait"
        for target, value in last.items():
            assert (target, value) in pushed | waiting, f"the edit {value} of {target} was lost"
        # The same for prices (a price changed by a sale never: each is done or waits).
        pushed_prices = {(e.target, Decimal(str(e.new)))
                         for e in store.audit.entries(session.shop_id, kind=PRICE)
                         if e.result == "done"}
        waiting_prices = {(i.target, Decimal(i.payload["price"]))
                          for i in store.outbox.items(session.shop_id, kind=PRICE)}
        last_prices = dict(priced)
        assert waiting_prices and pushed_prices
        for target, price in last_prices.items():
            assert (target, price) in pushed_prices | waiting_prices, (
                f"the price {price} of {target} was lost")
        # The cache holds every order the shop has (buyers keep ordering: catch up first).
        for _ in range(5):
            answer = session.api.request("POST", "/order/202309/orders/search",
                                         query={"page_size": 1}, body={},
                                         shop_cipher=session.shop.cipher)
            cached = store.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
            if cached == answer["total_count"]:
                break
            sync_once(qtbot, window)
        assert cached == answer["total_count"]
