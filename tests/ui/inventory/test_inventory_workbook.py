"""Seller Center's batch-edit workbook, both ways: export stock and prices, edit them in a
spreadsheet (openpyxl here), import them back as exactly those edits, in both tables."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from inventory_samples import EAST, MAIN, SHOP, OfflineSession, sku_id
from pytestqt.qtbot import QtBot
from workbook_samples import priced_session

from tiktok_desktop.services import price_edits, stock_edits
from tiktok_desktop.services.stock_csv import read_import_file
from tiktok_desktop.services.stock_workbook import export_workbook
from tiktok_desktop.store import Store
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.export_dialog import ExportChoice
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

PRICE = "Retail Price (Local Currency)"


@pytest.fixture
def shop(tmp_path: Path) -> OfflineSession:
    return priced_session(tmp_path)


def cells(session: OfflineSession) -> tuple[list, list]:
    with Store.open(session.store_path) as store:
        return (stock_edits.load_cells(store, SHOP)[0],
                price_edits.load_cells(store, SHOP)[0])


def edit(path: Path, changes: dict[tuple[str, str], object]) -> None:
    """Set cells by (seller SKU, column name), as a seller would in Excel."""
    book = openpyxl.load_workbook(path)
    sheet = book["Template"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        seller_sku = row[header.index("Seller SKU")].value
        for (sku, column), value in changes.items():
            if sku == seller_sku:
                row[header.index(column)].value = value
    book.save(path)


def test_the_workbook_has_seller_centers_shape(shop: OfflineSession, tmp_path: Path) -> None:
    stock, prices = cells(shop)
    path = tmp_path / "batch.xlsx"
    export_workbook(path, stock, prices)
    sheet = openpyxl.load_workbook(path)["Template"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["Product ID", "Category", "Product name", "SKU ID", "Variation Option",
                       PRICE, "Seller SKU", "Quantity in East Coast", "Quantity in Main warehouse"]
    assert len(rows) == 7
    beanie = next(r for r in rows if r[6] == "BEAN-RED")
    assert beanie[3] == sku_id(2, 0) and isinstance(beanie[3], str)  # an id stays text
    assert beanie[5] in ("12.09", 12.09) and beanie[7:] == [0, 75]
    # One warehouse: a single Quantity column.
    main_only = [c for c in stock if c.warehouse_id == MAIN]
    export_workbook(path, main_only, prices)
    header = [c.value for c in next(openpyxl.load_workbook(path)["Template"].iter_rows())]
    assert header[-1] == "Quantity" and len(header) == 8


def test_export_edit_import_gives_exactly_the_edits(shop: OfflineSession,
                                                    tmp_path: Path) -> None:
    stock, prices = cells(shop)
    path = tmp_path / "batch.xlsx"
    export_workbook(path, stock, prices)
    unchanged = read_import_file(path, stock, prices=prices)
    assert unchanged.problem is None and unchanged.changes == [] and unchanged.price_changes == []
    edit(path, {("TEE-BLK-M", "Quantity in East Coast"): 8, ("HOOD-GRY-L", PRICE): 19.5,
                ("BEAN-RED", PRICE): "£13.00", ("BEAN-RED", "Quantity in Main warehouse"): 70})
    report = read_import_file(path, stock, prices=prices)
    assert report.problem is None
    assert sorted((c.sku_id, c.warehouse_id, c.new) for c in report.changes) == sorted([
        (sku_id(0, 0), EAST, 8), (sku_id(2, 0), MAIN, 70)])
    assert sorted((c.sku_id, c.new) for c in report.price_changes) == sorted([
        (sku_id(1, 1), Decimal("19.50")), (sku_id(2, 0), Decimal("13.00"))])
    assert "2 will change" in report.summary() and "6 prices matched" in report.summary()


def test_a_bad_price_refuses_the_whole_file_with_its_row(shop: OfflineSession,
                                                         tmp_path: Path) -> None:
    stock, prices = cells(shop)
    path = tmp_path / "batch.xlsx"
    export_workbook(path, stock, prices)
    edit(path, {("TEE-BLK-M", "Quantity in East Coast"): 8, ("HOOD-GRY-M", PRICE): "-3"})
    report = read_import_file(path, stock, prices=prices)
    assert report.problem is not None and report.problem.startswith("Row ")
    assert "HOOD-GRY-M" in report.problem and "negative" in report.problem
    assert report.changes == [] and report.price_changes == []
    # Where prices can't be applied, a file with prices is refused too (never half-applied).
    refused = read_import_file(path, stock, refuse_prices=True)
    assert refused.problem is not None and refused.changes == []


def test_ids_a_spreadsheet_mangled_are_matched_by_seller_sku(shop: OfflineSession,
                                                             tmp_path: Path) -> None:
    stock, prices = cells(shop)
    path = tmp_path / "batch.xlsx"
    export_workbook(path, stock, prices)
    book = openpyxl.load_workbook(path)
    sheet = book["Template"]
    for row in sheet.iter_rows(min_row=2):  # Excel turned every id into a rounded number
        row[0].value, row[3].value = float(row[0].value), float(row[3].value)
        if row[6].value == "TEE-WHT-M":
            row[5].value = 9.99
    book.save(path)
    report = read_import_file(path, stock, prices=prices)
    assert report.problem is None
    assert [(c.sku_id, c.new) for c in report.price_changes] == [(sku_id(0, 2), Decimal("9.99"))]
    assert report.changes == []
    assert any("seller SKU" in note for note in report.notes)


@pytest.fixture
def tabs(qtbot: QtBot, shop: OfflineSession, tmp_path: Path
         ) -> Iterator[tuple[InventoryTab, ListingsTab]]:
    tasks = ImmediateTaskRunner()
    settings = Settings.open(tmp_path)
    inventory = InventoryTab(shop, tasks, settings)
    listings = ListingsTab(shop, tasks, settings)  # type: ignore[arg-type]
    for widget in (inventory, listings):
        qtbot.addWidget(widget)
    inventory.files.prices = listings.prices.editor  # as the main window connects them
    yield inventory, listings
    inventory.shop_closing()
    listings.shop_closing()


def outboxes(session: OfflineSession) -> tuple[dict, dict]:
    with Store.open(session.store_path) as store:
        stock = {k: e.new for k, e in stock_edits.open_edits(store, SHOP).items()}
        prices = {k: e.new for k, e in price_edits.open_edits(store, SHOP).items()}
    return stock, prices


def test_the_preview_applies_stock_and_prices_each_undoable(
        tabs: tuple[InventoryTab, ListingsTab], shop: OfflineSession, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inventory, listings = tabs
    path = tmp_path / "batch.xlsx"
    monkeypatch.setattr(inventory.files.choice, "ask_save_path", lambda *_a: path)
    inventory.files._export_as(ExportChoice(False, True, False, workbook=True),
                               inventory.shop_cells())
    assert path.exists()
    edit(path, {("TEE-BLK-L", "Quantity in Main warehouse"): 6, ("TEE-BLK-L", PRICE): 11})
    monkeypatch.setattr(inventory.files.choice, "ask_open_path", lambda *_a: path)
    inventory.files.choose_import(inventory.with_shop_cells)
    dialog = inventory.files.dialog
    assert isinstance(dialog, ImportDialog)
    assert "1 will change" in dialog.summary.text() and "6 prices matched" in dialog.summary.text()
    assert dialog.model.rowCount() == 2  # the stock line and the price line
    assert dialog.apply_button.text() == "Apply 2 changes"
    dialog.apply_button.click()
    assert outboxes(shop) == ({(sku_id(0, 1), MAIN): 6}, {sku_id(0, 1): Decimal("11.00")})
    listings.prices.editor.undo_action.trigger()
    assert outboxes(shop) == ({(sku_id(0, 1), MAIN): 6}, {})
    inventory.undo_action.trigger()
    assert outboxes(shop) == ({}, {})


def test_without_the_listings_tab_a_file_with_prices_applies_nothing(
        qtbot: QtBot, shop: OfflineSession, tmp_path: Path) -> None:
    tab = InventoryTab(shop, ImmediateTaskRunner(), Settings.open(tmp_path))
    qtbot.addWidget(tab)
    stock, prices = cells(shop)
    path = tmp_path / "batch.xlsx"
    export_workbook(path, stock, prices)
    edit(path, {("TEE-BLK-L", "Quantity in Main warehouse"): 6, ("TEE-BLK-L", PRICE): 11})
    tab.files.import_csv(path, tab.shop_cells())
    dialog = tab.files.dialog
    assert isinstance(dialog, ImportDialog) and dialog.preview.problem is not None
    assert not dialog.apply_button.isEnabled()
    tab.shop_closing()


def test_a_huge_files_preview_lists_its_first_rows_and_counts_them_all(qtbot: QtBot) -> None:
    from tiktok_desktop.services.import_preview import preview_of
    from tiktok_desktop.services.sheet_source import SHOWN_AT_MOST
    from tiktok_desktop.services.stock_import import UNKNOWN, ImportLine, ImportReport

    lines = tuple(ImportLine(n + 2, f"NOPE-{n}", "Main warehouse", UNKNOWN, "No such SKU")
                  for n in range(SHOWN_AT_MOST + 500))
    dialog = ImportDialog("big.csv", preview_of(ImportReport(lines)))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == SHOWN_AT_MOST
    assert dialog.model.row(0).cells[0] == 2  # in the file's order
    assert not dialog.more.isHidden()
    assert f"first {SHOWN_AT_MOST:,} of {SHOWN_AT_MOST + 500:,} rows" in dialog.more.text()
    assert f"{SHOWN_AT_MOST + 500:,} left out" in dialog.summary.text()
