"""Review, push, per-item errors on their rows, conflicts (keep mine / take theirs), cancel, and
an interrupted push finished when the tab opens — against the demo shop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from inventory_samples import MAIN, OfflineSession
from pytestqt.qtbot import QtBot
from stock_shop import StockShop, open_stock_shop
from test_inventory_editing import row, select

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.stock_edits import open_edits
from tiktok_desktop.store import stock_target
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.sync.stock_push import PUSH_STATE
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.editing.conflict_dialog import ConflictDialog
from tiktok_desktop.ui.editing.review_dialog import ReviewDialog
from tiktok_desktop.ui.editing.rows_model import CONFLICT
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.table_model import STATUS, Show
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner


@pytest.fixture
def said(qtbot: QtBot) -> list[str]:
    texts: list[str] = []
    messages.bus().posted.connect(lambda m: texts.append(m.text))
    return texts


def test_review_shows_the_diff_and_warnings_and_pushes_on_request(
        tab: InventoryTab, session: OfflineSession) -> None:
    select(tab, [row(tab, "HOOD-GRY-M")])
    tab.selection.bulk("set", 3)  # 120 → 3: below the 6 committed, and a large drop
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.bulk("add", 5)
    tab.editor.show_review()  # reads the shop's cells in the background, then opens
    dialog = tab.editor.dialog
    assert isinstance(dialog, ReviewDialog) and dialog.isVisible()
    assert dialog.headline.text() == ("<b>2 stock numbers will change: 2 SKUs in 2 products."
                                      "</b>")
    assert "1 change needs a second look" in dialog.notes.text()
    first = [dialog.model.index(0, c).data() for c in range(8)]
    assert first[:7] == ["Hoodie", "Grey, M", "HOOD-GRY-M", "Main warehouse", "120", "3", "-117"]
    assert "Below committed stock: 6 units" in first[7] and "Large drop" in first[7]
    assert dialog.model.row(0).colour == CONFLICT
    assert dialog.model.index(1, 6).data() == "+5"
    dialog.push_button.click()
    assert session.pushes == [False]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[StockShop]:
    with DemoShop(DemoShopConfig(seed=8, orders=20, products=4, rate_limit=50.0)) as shop:
        opened = open_stock_shop(shop, tmp_path / "demo")
        yield opened
        opened.session.close()


@pytest.fixture
def demo_tab(qtbot: QtBot, demo: StockShop, tmp_path: Path) -> Iterator[InventoryTab]:
    widget = InventoryTab(demo.session, ImmediateTaskRunner(), Settings.open(tmp_path))
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shop_closing()


def test_a_push_reports_refused_rows_and_conflicts_in_plain_words(
        demo: StockShop, demo_tab: InventoryTab, said: list[str]) -> None:
    tab = demo_tab
    good, changed, refused = tab.model.cell(0), tab.model.cell(2), tab.model.cell(4)
    select(tab, [0, 2])
    tab.selection.bulk("set", 500)  # a count: checked against what the shop has at the push
    demo.demo.world.set_stock(changed.sku_id, changed.warehouse_id, 1)  # sold elsewhere
    tab.store.outbox.add(demo.shop_id, STOCK, stock_target(refused.sku_id, refused.warehouse_id),
                         {"product_id": refused.product_id, "quantity": 100_000},
                         refused.available)  # another tool's value the shop refuses
    posted: list[messages.Message] = []
    messages.bus().posted.connect(posted.append)
    tab.editor.push()
    messages.bus().posted.disconnect(posted.append)

    assert demo.shop_stock(good) == 500
    assert demo.shop_stock(changed) == 1
    assert said[-1] == ("1 stock change saved in the shop. 1 change was refused by TikTok "
                        "Shop. 1 stock number was changed elsewhere. Use Resolve… to keep yours or "
                        "take the shop's.")
    statuses = {tab.model.cell(r).key: tab.model.index(r, STATUS).data()
                for r in range(tab.model.rowCount())}
    assert "0 to 99,999" in statuses[refused.key]
    assert statuses[changed.key].startswith("Changed elsewhere: the shop now has 1")
    assert statuses[good.key] == ""
    assert tab.model.cell(tab.model.row_of(good.key)).available == 500

    assert isinstance(tab.editor.dialog, ConflictDialog) and tab.editor.dialog.isVisible()
    tab.editor.dialog.close()
    action = posted[-1].action
    assert action is not None and action.label == "Resolve…"
    action.run()  # from the message list, later: the same dialog again
    dialog = tab.editor.dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert dialog.model.rowCount() == 2  # the conflict first, then the failure
    assert dialog.model.index(0, 5).data() == "1"  # what the shop has now
    dialog.table.selectRow(0)
    dialog.keep_button.click()
    dialog.take_all_button.click()  # the refused one: forget it
    assert dialog.model.rowCount() == 0 and not dialog.keep_all_button.isEnabled()
    assert {e.state for e in open_edits(tab.store, demo.shop_id).values()} == {"pending"}
    tab.editor.push()
    assert demo.shop_stock(changed) == 500
    assert open_edits(tab.store, demo.shop_id) == {}


def test_cancel_stops_the_push_and_keeps_the_rest(
        demo: StockShop, demo_tab: InventoryTab, said: list[str]) -> None:
    tab = demo_tab
    tab.filters.set_quick_filter(Show.ALL)
    firsts: dict[str, int] = {}
    for r in range(tab.model.rowCount()):
        firsts.setdefault(tab.model.cell(r).product_id, r)
    select(tab, list(firsts.values()))
    tab.selection.bulk("add", 1)
    shown = tab.editor.push_bar.update_progress

    def cancel_at_once(progress: object) -> None:
        shown(progress)  # type: ignore[arg-type]
        assert tab.editor.push_bar.isVisible()
        tab.editor.push_bar.cancel_button.click()

    tab.editor.push_bar.update_progress = cancel_at_once  # type: ignore[method-assign]
    tab.editor.push()
    assert said[-1] == "Push stopped. Changes not sent yet wait for the next push."
    assert not tab.editor.push_bar.isVisible() and tab.editor.push_button.isEnabled()
    assert {e.state for e in open_edits(tab.store, demo.shop_id).values()} == {"pending"}


def test_an_interrupted_push_is_finished_when_the_tab_opens(
        qtbot: QtBot, demo: StockShop, tmp_path: Path) -> None:
    cells = demo.cells()
    a, b = cells[0], next(c for c in cells if c.product_id != cells[0].product_id)
    demo.edit([(a, 61), (b, 62)])
    with demo.store() as store:  # what a crash in the middle of a push leaves behind
        ids = [e.id for e in open_edits(store, demo.shop_id).values()]
        store.set_sync_state(demo.shop_id, PUSH_STATE, {"up_to": max(ids)})
        store.outbox.claim(ids[:1])
        store.conn.execute("UPDATE outbox SET updated_at = updated_at - 60")  # a minute ago
    demo.edit([(cells[1], 63)])  # made after the push started: waits for the seller

    tab = InventoryTab(demo.session, ImmediateTaskRunner(), Settings.open(tmp_path))
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.editor.pusher.running and demo.shop_stock(b) == 62)
    assert demo.shop_stock(a) == 61
    assert {k: e.state for k, e in open_edits(tab.store, demo.shop_id).items()} == {
        cells[1].key: "pending"}
    tab.shop_closing()


def test_a_push_waits_for_edits_still_being_written(tab: InventoryTab,
                                                    session: OfflineSession) -> None:
    tab.editing._writes = 1  # an outbox write still on the serial lane
    tab.editor.push()
    assert session.pushes == []
    tab.editing._writes = 0
    tab.editing.settled.emit()
    assert session.pushes == [False]


def test_the_low_stock_line_is_the_sellers_setting(tab: InventoryTab, settings: Settings) -> None:
    tab.filters.set_quick_filter(Show.LOW)
    assert "HOOD-GRY-M" not in {tab.model.cell(r).seller_sku for r in range(tab.model.rowCount())}
    tab.filters.threshold.setValue(150)
    assert settings.low_stock_threshold_for(tab.shop_id) == 150
    assert "HOOD-GRY-M" in {tab.model.cell(r).seller_sku for r in range(tab.model.rowCount())}
    assert row(tab, "HOOD-GRY-M", MAIN) is not None


def test_each_shop_has_its_own_low_stock_line(qtbot: QtBot, tab: InventoryTab,
                                              session: OfflineSession, tasks: ImmediateTaskRunner,
                                              settings: Settings) -> None:
    settings.low_stock_threshold = 7  # a line set before lines were per shop
    tab.filters.threshold.setValue(150)
    other = InventoryTab(OfflineSession(session.store_path, shop_id="7000000000000000002"),
                         tasks, settings)
    qtbot.addWidget(other)
    assert other.filters.threshold.value() == 7  # never set for this shop: the global line
    other.filters.threshold.setValue(20)
    other.shop_closing()
    again = InventoryTab(session, tasks, settings)
    qtbot.addWidget(again)
    assert again.filters.threshold.value() == 150
    assert again.model.low_stock_threshold == 150
    again.shop_closing()
    assert settings.low_stock_threshold == 7


def test_a_small_plain_push_goes_at_once(tab: InventoryTab, session: OfflineSession) -> None:
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.bulk("add", 5)
    tab.editor.push_button.click()
    assert session.pushes == [False] and tab.editor.dialog is None


def test_a_push_with_a_large_drop_opens_the_review_first(
        tab: InventoryTab, session: OfflineSession) -> None:
    select(tab, [row(tab, "HOOD-GRY-M")])
    tab.selection.bulk("set", 3)  # 120 → 3
    tab.editor.push_button.click()
    assert session.pushes == []  # nothing sent before the seller looked
    assert isinstance(tab.editor.dialog, ReviewDialog) and tab.editor.dialog.isVisible()
    tab.editor.dialog.push_button.click()
    assert session.pushes == [False]


def test_a_push_of_many_changes_opens_the_review_first(
        tab: InventoryTab, session: OfflineSession, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tiktok_desktop.services.edit_review.REVIEW_ABOVE", 1)
    select(tab, [row(tab, "BEAN-RED"), row(tab, "HOOD-GRY-M")])
    tab.selection.bulk("add", 5)  # two changes, above a threshold of one
    tab.editor.push_button.click()
    assert session.pushes == [] and isinstance(tab.editor.dialog, ReviewDialog)


def test_rows_being_pushed_say_sending(tab: InventoryTab) -> None:
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.bulk("add", 5)
    edited = row(tab, "BEAN-RED")
    assert tab.model.index(edited, STATUS).data() == "Not pushed yet"
    tab.model.set_sending(True)
    assert tab.model.index(edited, STATUS).data() == "Sending…"
