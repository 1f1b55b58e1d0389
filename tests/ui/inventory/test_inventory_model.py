"""The Inventory table model: rows per SKU and warehouse, filters, highlights, old → new."""

from __future__ import annotations

from dataclasses import replace

from inventory_samples import EAST, MAIN
from PySide6.QtCore import QByteArray, Qt
from pytestqt.modeltest import ModelTester

from tiktok_desktop.services.stock_edits import CellEdit, Change
from tiktok_desktop.ui.editing.rows_model import (
    CONFLICT,
    EDITED,
    FAILED,
    LOW_STOCK,
    OUT_OF_STOCK,
    Row,
    RowsModel,
)
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.tab import LAYOUT_KEY
from tiktok_desktop.ui.inventory.table_model import (
    AVAILABLE,
    COMMITTED,
    NEW,
    PRODUCT,
    SELLER_SKU,
    STATUS,
    VARIANT,
    WAREHOUSE,
    Show,
)
from tiktok_desktop.ui.settings import Settings


def test_the_model_passes_qts_model_checks(qtmodeltester: ModelTester, tab: InventoryTab) -> None:
    qtmodeltester.check(tab.model)
    tab.model.sort(AVAILABLE, Qt.SortOrder.DescendingOrder)
    tab.model.set_filter(Show.LOW, 5)
    qtmodeltester.check(tab.model)
    qtmodeltester.check(RowsModel(("A", "B"), [Row(("x", 1)), Row(("y", 2), EDITED, "tip")]))


def test_one_row_per_sku_and_warehouse_with_its_names_and_numbers(tab: InventoryTab) -> None:
    model = tab.model
    assert model.rowCount() == 12
    rows = {(model.index(r, SELLER_SKU).data(), model.index(r, WAREHOUSE).data()): r
            for r in range(model.rowCount())}
    r = rows[("HOOD-GRY-M", "Main warehouse")]
    assert [model.index(r, c).data() for c in (PRODUCT, VARIANT, AVAILABLE, COMMITTED, NEW)] == [
        "Hoodie", "Grey, M", "120", "6", ""]
    assert model.index(r, AVAILABLE).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight)
    low = rows[("TEE-BLK-L", "Main warehouse")]
    out = rows[("TEE-WHT-M", "Main warehouse")]
    assert model.index(low, AVAILABLE).data(Qt.ItemDataRole.BackgroundRole).color() == LOW_STOCK
    # Empty in Main but 12 in East: buyers can still order it, so it is not out of stock.
    assert model.index(out, AVAILABLE).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(out, AVAILABLE).data(Qt.ItemDataRole.ToolTipRole) == (
        "12 in all warehouses")
    assert "Low stock: 3 in all warehouses" in model.index(low, AVAILABLE).data(
        Qt.ItemDataRole.ToolTipRole)
    model.load([replace(c, available=0) if c.seller_sku == "TEE-WHT-M" else c
                for c in model.loaded_cells()])
    assert model.index(out, AVAILABLE).data(Qt.ItemDataRole.BackgroundRole).color() == OUT_OF_STOCK


def test_edited_cells_show_old_to_new_and_their_state(tab: InventoryTab) -> None:
    model = tab.model
    cell = model.cell(0)
    model.set_edits({cell.key: CellEdit(1, 55, cell.available, "pending")})
    assert model.index(0, NEW).data() == f"{cell.available} → 55"
    assert model.index(0, NEW).data(Qt.ItemDataRole.EditRole) == "55"
    assert model.index(0, STATUS).data() == "Not pushed yet"
    assert model.index(0, NEW).data(Qt.ItemDataRole.BackgroundRole).color() == EDITED
    assert model.index(0, NEW).data(Qt.ItemDataRole.FontRole).bold()
    model.set_edits({cell.key: CellEdit(1, 55, cell.available, "failed", "Refused: too big")})
    assert model.index(0, STATUS).data() == "Refused: too big"
    assert model.index(0, NEW).data(Qt.ItemDataRole.BackgroundRole).color() == FAILED
    model.set_edits({cell.key: CellEdit(1, 55, 9, "conflict", "Changed elsewhere")})
    assert model.index(0, NEW).data(Qt.ItemDataRole.BackgroundRole).color() == CONFLICT
    assert model.index(0, NEW).data() == "9 → 55"


def test_quick_filters(tab: InventoryTab) -> None:
    model = tab.model

    def shown(show: Show) -> set[tuple[str, str]]:
        model.set_filter(show, 5)
        return {(model.cell(r).seller_sku, model.cell(r).warehouse_id)
                for r in range(model.rowCount())}

    # A SKU's stock across warehouses decides: 3 + 0 is low; 40 + 5 and 4 + 4 are not, and a
    # warehouse without it while another has it is not "out of stock".
    assert shown(Show.LOW) == {("TEE-BLK-L", MAIN), ("TEE-BLK-L", EAST)}
    assert shown(Show.OUT) == set()
    model.set_filter(Show.ALL, 5)
    a, b, c = model.cell(0), model.cell(1), model.cell(2)
    model.apply_local([Change.of(a, 1)])
    model.set_edits({b.key: CellEdit(2, 3, 4, "failed", "no"),
                     c.key: CellEdit(3, 3, 4, "conflict", "no")})
    assert shown(Show.EDITED) == {(a.seller_sku, a.warehouse_id)}
    assert shown(Show.FAILED) == {(b.seller_sku, b.warehouse_id)}
    assert shown(Show.CONFLICTS) == {(c.seller_sku, c.warehouse_id)}


def test_only_the_new_value_column_is_editable(tab: InventoryTab) -> None:
    flags = [tab.model.flags(tab.model.index(0, c)) for c in range(tab.model.columnCount())]
    editable = [bool(f & Qt.ItemFlag.ItemIsEditable) for f in flags]
    assert editable == [c == NEW for c in range(tab.model.columnCount())]


def test_search_and_warehouse_filter_come_from_the_cache(tab: InventoryTab) -> None:
    tab.filters.search.setText("hood")
    tab.reload()
    assert {tab.model.cell(r).product for r in range(tab.model.rowCount())} == {"Hoodie"}
    tab.filters.warehouse.setCurrentIndex(tab.filters.warehouse.findData(EAST))
    assert {tab.model.cell(r).warehouse_id for r in range(tab.model.rowCount())} == {EAST}
    assert tab.model.rowCount() == 2


def test_the_column_layout_is_remembered(qtbot, tab: InventoryTab, session, tasks,
                                         settings) -> None:
    header = tab.table.horizontalHeader()
    default_width = tab.table.columnWidth(SELLER_SKU)
    header.moveSection(header.visualIndex(WAREHOUSE), 0)
    tab.table.setColumnWidth(PRODUCT, 333)
    tab.save_state()  # what the main window does at close
    again = InventoryTab(session, tasks, settings)
    qtbot.addWidget(again)
    assert again.table.columnWidth(PRODUCT) == 333
    assert again.table.horizontalHeader().visualIndex(WAREHOUSE) == 0
    assert again.table.columnWidth(SELLER_SKU) == default_width
    again.shop_closing()


def test_an_unreadable_layout_leaves_the_default_columns(qtbot, tab: InventoryTab, session,
                                                         tasks, settings) -> None:
    settings.set_ui_state(LAYOUT_KEY, QByteArray(b"not a header"))
    again = InventoryTab(session, tasks, settings)
    qtbot.addWidget(again)
    fixed = range(tab.model.columnCount() - 1)  # the last one stretches to the tab's width
    assert [again.table.columnWidth(c) for c in fixed] == [tab.table.columnWidth(c) for c in fixed]
    again.shop_closing()


def test_the_quick_filter_and_warehouse_come_back(qtbot, session, tasks, settings,
                                                   tab: InventoryTab) -> None:
    tab.filters.set_quick_filter(Show.LOW)
    tab.filters.warehouse.setCurrentIndex(tab.filters.warehouse.findData(EAST))
    tab.save_state()
    again = InventoryTab(session, tasks, Settings.open(settings.path.parent))
    qtbot.addWidget(again)
    assert again.filters.quick_filter is Show.LOW and again.filters.warehouse_id == EAST
    again.shop_closing()
