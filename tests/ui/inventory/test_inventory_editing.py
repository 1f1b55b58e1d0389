"""Editing like a spreadsheet: typing, bulk operations, fill down, paste, undo / redo, and
entries that are refused with a message. Every edit is in the outbox at once."""

from __future__ import annotations

import threading

from inventory_samples import EAST, MAIN
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from pytestqt.qtbot import QtBot

from tiktok_desktop.services.stock_edits import open_edits
from tiktok_desktop.store import Store
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.table_model import NEW, SELLER_SKU
from tiktok_desktop.ui.tasks import TaskControl, TaskRunner


def row(tab: InventoryTab, seller_sku: str, warehouse: str = MAIN) -> int:
    return next(r for r in range(tab.model.rowCount())
                if tab.model.cell(r).seller_sku == seller_sku
                and tab.model.cell(r).warehouse_id == warehouse)


def outbox(tab: InventoryTab) -> dict[tuple[str, str], int]:
    """The edits waiting in the outbox, by seller SKU and warehouse."""
    names = {c.sku_id: c.seller_sku for c in tab.model.loaded_cells()}
    return {(names[s], w): e.new for (s, w), e in open_edits(tab.store, tab.shop_id).items()}


def select(tab: InventoryTab, rows: list[int], column: int = NEW) -> None:
    selection = QItemSelection()
    for r in rows:
        index = tab.model.index(r, column)
        selection.select(index, index)
    tab.table.selectionModel().setCurrentIndex(tab.model.index(rows[0], column),
                                               QItemSelectionModel.SelectionFlag.NoUpdate)
    tab.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def open_editor(tab: InventoryTab) -> QLineEdit:
    """The editor open in the table (closed ones linger until deleted)."""
    [editor] = [e for e in tab.table.findChildren(QLineEdit) if e.isVisible()]
    return editor


def type_into(qtbot: QtBot, tab: InventoryTab, r: int, text: str) -> None:
    index = tab.model.index(r, NEW)
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    editor = open_editor(tab)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The view commits and closes the editor a moment later (a queued call).
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState)


def test_typing_a_number_edits_the_cell_and_queues_it(qtbot: QtBot, tab: InventoryTab) -> None:
    r = row(tab, "TEE-BLK-M")
    type_into(qtbot, tab, r, "52")
    assert tab.model.index(r, NEW).data() == "40 → 52"
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 52}
    assert tab.editor.counts.text() == "1 not pushed" and tab.editor.push_button.text() == "Push 1"


def test_enter_writes_the_number_and_moves_down_as_a_spreadsheet(
        qtbot: QtBot, tab: InventoryTab) -> None:
    tab.table.setFocus()
    r = row(tab, "TEE-BLK-M")
    type_into(qtbot, tab, r, "52")
    assert tab.model.index(r, NEW).data() == "40 → 52"
    assert tab.table.currentIndex().row() == r + 1 and tab.table.currentIndex().column() == NEW
    assert [i.row() for i in tab.table.selectionModel().selectedIndexes()] == [r + 1]


def test_an_invalid_entry_is_refused_with_a_message_and_changes_nothing(
        qtbot: QtBot, tab: InventoryTab) -> None:
    r = row(tab, "TEE-BLK-M")
    for text, words in (("12.5", "whole units"), ("-4", "can't be negative"),
                        ("100000", "at most 99,999"), ("lots", "is not a number")):
        type_into(qtbot, tab, r, text)
        assert tab.editor.banner.isVisibleTo(tab) and words in tab.editor.banner.text()
        assert tab.editor.banner.text().startswith("TEE-BLK-M in Main warehouse:")
    assert outbox(tab) == {} and tab.model.index(r, NEW).data() == ""
    type_into(qtbot, tab, r, "41")
    assert not tab.editor.banner.isVisibleTo(tab)


def test_bulk_operations_on_the_selected_rows(tab: InventoryTab) -> None:
    rows = [row(tab, "HOOD-GRY-M"), row(tab, "HOOD-GRY-L"), row(tab, "HOOD-GRY-L", EAST)]
    select(tab, rows, SELLER_SKU)  # any column of a row selects the row
    assert tab.selection.bulk("add", 10) == 3
    assert outbox(tab) == {("HOOD-GRY-M", MAIN): 130, ("HOOD-GRY-L", MAIN): 14,
                           ("HOOD-GRY-L", EAST): 14}
    tab.selection.bulk("subtract", 4)
    assert outbox(tab)[("HOOD-GRY-M", MAIN)] == 126
    tab.selection.bulk("set", 7)
    assert set(outbox(tab).values()) == {7}
    tab.selection.bulk("set", 0)
    assert set(outbox(tab).values()) == {0}


def test_add_and_subtract_show_and_keep_an_amount(tab: InventoryTab) -> None:
    r = row(tab, "HOOD-GRY-M")
    select(tab, [r])
    tab.selection.bulk("add", 10)
    tab.selection.bulk("subtract", 3)
    assert tab.model.index(r, NEW).data() == "+7 → 127"
    assert "sales meanwhile are kept" in tab.model.index(r, NEW).data(
        Qt.ItemDataRole.ToolTipRole)
    [edit] = open_edits(tab.store, tab.shop_id).values()
    assert (edit.delta, edit.new, edit.based_on) == (7, 127, 120)
    tab.undo_action.trigger()
    assert tab.model.index(r, NEW).data() == "+10 → 130"
    tab.selection.bulk("set", 50)  # a count of the shelf: a number, checked for drift
    assert tab.model.index(r, NEW).data() == "120 → 50"
    assert open_edits(tab.store, tab.shop_id)[tab.model.cell(r).key].delta is None


def test_a_bulk_operation_out_of_range_is_refused_whole(tab: InventoryTab) -> None:
    select(tab, [row(tab, "HOOD-GRY-M"), row(tab, "TEE-BLK-L")])
    assert tab.selection.bulk("subtract", 5) == 0
    assert "Subtracting 5 would take 1 row below 0 (TEE-BLK-L in Main warehouse)" in (
        tab.editor.banner.text())
    assert outbox(tab) == {}


def test_the_number_prompt_is_not_modal_and_checks_what_is_typed(tab: InventoryTab) -> None:
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.ask_bulk("add")
    prompt = tab.selection.prompt
    assert prompt is not None and prompt.isVisible()  # opened with open(), not exec()
    prompt.textValueSelected.emit("five")
    assert "“five” is not a number" in tab.editor.banner.text()
    prompt.textValueSelected.emit("5")
    assert outbox(tab) == {("BEAN-RED", MAIN): 80}
    prompt.close()


def test_fill_down_and_clear_edits(tab: InventoryTab) -> None:
    rows = sorted([row(tab, "TEE-BLK-M"), row(tab, "HOOD-GRY-L"), row(tab, "BEAN-RED")])
    top, *rest = [tab.model.cell(r) for r in rows]
    select(tab, rows)
    tab.selection.fill_down()
    assert outbox(tab) == {(c.seller_sku, MAIN): top.available for c in rest}
    select(tab, rows[1:2])
    tab.selection.clear_edits()
    assert outbox(tab) == {(rest[1].seller_sku, MAIN): top.available}


def test_undo_and_redo_with_the_keyboard(qtbot: QtBot, tab: InventoryTab) -> None:
    r = row(tab, "TEE-BLK-M")
    type_into(qtbot, tab, r, "52")
    select(tab, [r])
    tab.selection.bulk("add", 8)
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 60}
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 52}
    assert tab.model.index(r, NEW).data() == "40 → 52"
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert outbox(tab) == {} and tab.model.index(r, NEW).data() == ""
    qtbot.keyClick(tab.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 52}
    assert tab.undo_action.toolTip() == "Undo: Edit stock (Ctrl+Z)"
    tab.redo_action.trigger()
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 60}


def test_paste_a_column_from_a_spreadsheet_by_position(tab: InventoryTab) -> None:
    first = row(tab, "TEE-BLK-M")
    select(tab, [first])
    assert tab.selection.paste_text("81\r\n82\r\n83\r\n") == 3
    expected = [tab.model.cell(first + i) for i in range(3)]
    assert outbox(tab) == {(c.seller_sku, c.warehouse_id): 81 + i for i, c in enumerate(expected)}
    tab.undo_action.trigger()
    assert outbox(tab) == {}  # a paste is one step


def test_paste_matched_by_seller_sku(tab: InventoryTab) -> None:
    block = "Seller SKU\tQuantity in East Coast\nBEAN-RED\t9\nTEE-WHT-M\t1\n"
    assert tab.selection.paste_text(block) == 2
    assert outbox(tab) == {("BEAN-RED", EAST): 9, ("TEE-WHT-M", EAST): 1}


def test_a_paste_with_a_problem_changes_nothing(tab: InventoryTab) -> None:
    select(tab, [row(tab, "TEE-BLK-M")])
    assert tab.selection.paste_text("11\n1.5\n13") == 0
    banner = tab.editor.banner.text()
    assert "Nothing was pasted: row 2" in banner and "whole units" in banner
    assert outbox(tab) == {}


def test_copy_gives_plain_tab_separated_numbers(tab: InventoryTab) -> None:
    from PySide6.QtGui import QGuiApplication

    r = row(tab, "HOOD-GRY-M")
    selection = QItemSelection(tab.model.index(r, SELLER_SKU), tab.model.index(r, NEW))
    tab.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    tab.selection.copy()
    assert QGuiApplication.clipboard().text() == "HOOD-GRY-M\tMain warehouse\t120\t6\t120\n"


def test_a_scanned_sku_opens_its_new_value_then_returns_to_the_search(
        qtbot: QtBot, tab: InventoryTab) -> None:
    tab.filters.warehouse.setCurrentIndex(tab.filters.warehouse.findData(EAST))
    tab.filters.search.setText("hood-gry-l")
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return)
    assert tab.model.rowCount() == 1
    editor = open_editor(tab)
    editor.setText("9")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState)
    assert outbox(tab) == {("HOOD-GRY-L", EAST): 9}
    assert tab.filters.search.hasFocus() or tab.filters.search.selectedText() == "hood-gry-l"


def test_an_edit_made_just_before_quitting_is_kept(qtbot: QtBot, session, settings) -> None:
    runner = TaskRunner(parallel_threads=1)
    tab = InventoryTab(session, runner, settings)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not runner.active_tasks)
    syncing_started, lane_free = threading.Event(), threading.Event()

    def syncing(control: TaskControl) -> None:  # stopped by the quit
        syncing_started.set()
        control.cancelled.wait(5)
        lane_free.set()

    runner.run(syncing, name="Syncing")
    assert syncing_started.wait(5)
    # The serial lane is busy until the app quits: the edits' writes wait behind it.
    runner.run(lambda control: lane_free.wait(5), name="Saving", lane="serial")
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.bulk("set", 5)
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.bulk("add", 1)
    assert outbox(tab) == {} and tab.editing.writing
    assert runner.shutdown(timeout_ms=5000)  # what aboutToQuit does
    assert outbox(tab) == {("BEAN-RED", MAIN): 6}
    tab.shop_closing()
    tab.editing.settled.emit()  # a write finishing after the shop closed is ignored
    tab.refresh_numbers()
    qtbot.wait(10)  # the start-up check, after closing, does nothing either


def test_an_edit_still_queued_when_the_shop_is_left_is_written_quietly(
        qtbot: QtBot, session, settings) -> None:
    runner = TaskRunner()
    tab = InventoryTab(session, runner, settings)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not runner.active_tasks)
    lane_free = threading.Event()
    runner.run(lambda control: lane_free.wait(5), name="Saving", lane="serial")
    select(tab, [row(tab, "BEAN-RED")])
    tab.selection.bulk("set", 5)
    announced: list[object] = []
    tab.editing.saved.connect(announced.append)
    tab.editing.settled.connect(lambda: announced.append("settled"))
    store = Store.open(session.store_path)
    tab.shop_closing()  # leaving the demo shop: the tab is deleted right after
    lane_free.set()
    qtbot.waitUntil(lambda: not runner.active_tasks)
    assert {e.new for e in open_edits(store, session.shop_id).values()} == {5}
    assert announced == []  # nothing reaches a tab that may be gone
    store.close()
    runner.shutdown()
