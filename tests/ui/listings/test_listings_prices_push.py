"""Pushing prices from the Listings tab to the demo shop on the real task runner: each SKU's
result on its row — saved, refused by a promotion, refused for a listing not live, changed
elsewhere — in plain words, the conflicts to resolve, and the history."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.editing.conflict_dialog import ConflictDialog
from tiktok_desktop.ui.editing.history_dialog import HistoryDialog
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.listings.price_model import NEW, STATUS
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sync"))
from stock_shop import StockShop, open_stock_shop

WAIT_MS = 20_000


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[StockShop]:
    with DemoShop(DemoShopConfig(seed=9, orders=20, products=8, rate_limit=50.0)) as shop:
        for sku_id in shop.world.skus_in_promotion():
            shop.world.set_promotion(sku_id, False)
        opened = open_stock_shop(shop, tmp_path / "demo")
        yield opened
        opened.session.close()


@pytest.fixture
def tab(qtbot: QtBot, demo: StockShop, tmp_path: Path) -> Iterator[ListingsTab]:
    tasks = TaskRunner()
    widget = ListingsTab(demo.session, tasks, Settings.open(tmp_path))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.price_toggle.setChecked(True)
    qtbot.waitUntil(lambda: widget.prices.model.rowCount() > 0, timeout=WAIT_MS)
    yield widget
    widget.shop_closing()
    tasks.shutdown()


def test_a_push_reports_each_skus_result_in_plain_words(
        qtbot: QtBot, demo: StockShop, tab: ListingsTab) -> None:
    view, world = tab.prices, demo.demo.world
    live = [view.model.cell(r) for r in range(view.model.rowCount())
            if view.model.cell(r).live]
    by_product: dict[str, list] = {}
    for cell in live:
        by_product.setdefault(cell.product_id, []).append(cell)
    first, second, third = (group[0] for group in list(by_product.values())[:3])
    locked, changed, fine = first, second, third
    world.set_promotion(locked.sku_id, True)
    heard: list[str] = []
    messages.bus().posted.connect(lambda m: heard.append(m.text))
    for cell, price in ((locked, "11.11"), (changed, "22.22"), (fine, "33.33")):
        assert view.model.setData(view.model.index(view.model.row_of(cell.key), NEW), price)
    world.set_price(changed.sku_id, "5.55")  # in Seller Center, meanwhile

    qtbot.waitUntil(lambda: not view.editor.editing.writing, timeout=WAIT_MS)
    with qtbot.waitSignal(view.editor.pusher.finished, timeout=WAIT_MS):
        view.editor.push()

    assert world.skus[fine.sku_id][1].price == 3333
    assert world.skus[locked.sku_id][1].price == int(locked.available * 100)
    assert heard[-1] == ("1 price change saved in the shop. 1 change was refused by TikTok "
                         "Shop. 1 price was changed elsewhere. Use Resolve… to keep yours or "
                         "take the shop's.")
    qtbot.waitUntil(lambda: isinstance(view.editor.dialog, ConflictDialog), timeout=WAIT_MS)

    def status(cell) -> str:  # type: ignore[no-untyped-def]
        return view.model.index(view.model.row_of(cell.key), STATUS).data()

    qtbot.waitUntil(lambda: status(fine) == "", timeout=WAIT_MS)
    assert status(locked).startswith("A promotion running on this SKU locks its price")
    assert status(changed) == ("Changed elsewhere: the shop now has 5.55 USD (it had "
                               f"{changed.available:,} USD when you edited it).")
    dialog = view.editor.dialog
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 6).data().startswith("Changed elsewhere")  # conflicts first

    dialog.keep_all_button.click()  # keep mine: the seller's prices go again
    qtbot.waitUntil(lambda: not view.editor.editing.writing, timeout=WAIT_MS)
    world.set_promotion(locked.sku_id, False)  # the promotion ended
    qtbot.waitUntil(lambda: view.editor.push_button.isEnabled(), timeout=WAIT_MS)
    with qtbot.waitSignal(view.editor.pusher.finished, timeout=WAIT_MS):
        view.editor.push()
    assert world.skus[changed.sku_id][1].price == 2222
    assert world.skus[locked.sku_id][1].price == 1111
    qtbot.waitUntil(lambda: view.model.cell(view.model.row_of(changed.key)).available
                    == Decimal("22.22"), timeout=WAIT_MS)

    view.editor.show_history()
    qtbot.waitUntil(lambda: isinstance(view.editor.dialog, HistoryDialog), timeout=WAIT_MS)
    results = sorted(view.editor.dialog.model.index(r, 6).data()
                     for r in range(view.editor.dialog.model.rowCount()))
    assert results == ["Conflict", "Refused", "Saved", "Saved", "Saved"]
