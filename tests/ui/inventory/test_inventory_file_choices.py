"""Issue 13 items 7-9 in the Inventory tab: Export asks what to export and starts in the
documents folder, then the last folder used; a file a spreadsheet changed imports by seller SKU
and says so; a paste that names no warehouse asks which one when the shop has several."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from inventory_samples import EAST, MAIN, SHOP, OfflineSession, sku_id
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog
from test_inventory_editing import outbox
from test_inventory_files import write_csv

from tiktok_desktop.services.stock_csv import decode
from tiktok_desktop.store import Store
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory import files as files_module
from tiktok_desktop.ui.inventory.export_dialog import ExportDialog
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog, PasteDialog
from tiktok_desktop.ui.settings import Settings


class _Day(date):
    @classmethod
    def today(cls) -> _Day:  # type: ignore[override]
        return cls(2026, 12, 6)


@pytest.fixture
def session(session: OfflineSession) -> OfflineSession:
    with Store.open(session.store_path) as store:
        store.shops.upsert([{"id": SHOP, "name": "Acme Tees"}])
    return session


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda location: str(folder)
                        if location == QStandardPaths.StandardLocation.DocumentsLocation else "")
    monkeypatch.setattr(files_module, "date", _Day)
    return folder


class SaveDialog:
    """QFileDialog.getSaveFileName as the seller answers it: records where it started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[str] = []
        self.answer = ""
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self)

    def __call__(self, parent: object, title: str, start: str, kinds: str) -> tuple[str, str]:
        self.started.append(start)
        return self.answer, kinds


def _export(tab: InventoryTab) -> ExportDialog:
    tab.files.choose_export(tab.model.cells(), tab.with_shop_cells)
    dialog = tab.files.dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    return dialog


def _table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(decode(path.read_bytes()))))


def test_export_asks_what_and_names_the_file_after_it(
        tab: InventoryTab, documents: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save = SaveDialog(monkeypatch)
    tab.selection.paste_text("Seller SKU\tQuantity in East Coast\nBEAN-RED\t9\n")
    tab.filters.warehouse.setCurrentIndex(tab.filters.warehouse.findData(EAST))

    dialog = _export(tab)
    assert dialog.all_rows.isChecked() and dialog.with_edits.isChecked()
    assert not dialog.excel_safe.isChecked()  # off unless asked for
    assert dialog.all_rows.text() == "All stock (6 SKUs)"
    assert dialog.shown_rows.isEnabled()
    dialog.shown_rows.setChecked(True)
    save.answer = str(documents / "east.csv")
    dialog.export_button.click()
    assert save.started == [str(documents / "stock-acme-tees-filtered-with-edits-2026-12-06.csv")]
    table = _table(documents / "east.csv")
    assert table[0][5:] == ["Quantity in East Coast"]  # only what the table showed
    assert len(table) == 7
    beanie = next(r for r in table if r[4] == "BEAN-RED")
    assert beanie[5] == "9"
    assert '="' not in (documents / "east.csv").read_text(encoding="utf-8-sig")

    dialog = _export(tab)
    dialog.without_edits.setChecked(True)
    dialog.excel_safe.setChecked(True)
    save.answer = str(documents / "all.csv")
    dialog.export_button.click()
    assert save.started[-1].endswith("stock-acme-tees-all-without-edits-2026-12-06.csv")
    table = _table(documents / "all.csv")
    assert sorted(table[0][5:]) == ["Quantity in East Coast", "Quantity in Main warehouse"]
    beanie = dict(zip(table[0], next(r for r in table if r[4] == '="BEAN-RED"'), strict=True))
    assert beanie["SKU ID"] == f'="{sku_id(2, 0)}"'
    assert beanie["Quantity in East Coast"] == "0"  # the shop's number, not the edit


def test_export_of_an_unfiltered_table_without_edits_has_nothing_else_to_choose(
        tab: InventoryTab, documents: Path) -> None:
    dialog = _export(tab)
    assert not dialog.shown_rows.isEnabled()
    assert dialog.without_edits.isChecked() and not dialog.without_edits.isEnabled()


def test_the_save_dialog_starts_in_documents_then_in_the_last_folder_used(
        tab: InventoryTab, documents: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    save = SaveDialog(monkeypatch)
    elsewhere = tmp_path / "counts"
    elsewhere.mkdir()
    save.answer = str(elsewhere / "mine")  # typed without .csv
    _export(tab).export_button.click()
    assert Path(save.started[0]).parent == documents
    assert (elsewhere / "mine.csv").exists()

    _export(tab).export_button.click()
    assert Path(save.started[1]).parent == elsewhere
    assert Settings.open(tmp_path).stock_files_folder == elsewhere  # kept for the next start
    assert Path.cwd() not in [Path(s).parent for s in save.started]


def test_import_starts_in_the_same_folder(tab: InventoryTab, documents: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda parent, title, start, kinds: (started.append(start), ("", ""))[1])
    tab.files.choose_import(tab.with_shop_cells)
    assert started == [str(documents)]


def test_a_file_changed_by_a_spreadsheet_imports_by_seller_sku_and_says_so(
        tab: InventoryTab, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "from-excel.csv", [
        ["Product ID", "Product name", "SKU ID", "Variation", "Seller SKU",
         "Quantity in Main warehouse", "Quantity in East Coast"],
        ["1.729E+18", "Cotton tee", "1.7295E+18", "Black, M", "TEE-BLK-M\t", "41", "5"],
        ["1.729E+18", "Cotton tee", f"{sku_id(0, 1)}.0", "Black, L", "TEE-BLK-L", "3", "0"],
        ["1.729E+18", "Hoodie", "1.7295E+18", "Grey, L", "HOOD-GRY-L", "4", "x"],
        ["1.729E+18", "Hoodie", "1.7295E+18", "", "", "1", ""],
    ])
    tab.files.import_csv(path, tab.shop_cells())
    dialog = tab.files.dialog
    assert isinstance(dialog, ImportDialog)
    assert "Matched by seller SKU: the SKU IDs in this file were changed by a spreadsheet." in (
        dialog.advice.text())
    assert dialog.summary.text() == (
        "<b>from-excel.csv</b>: 5 stock numbers matched: 1 will change, 4 unchanged. "
        "2 left out: 1 refused, 1 not found in this shop.")
    dialog.apply_button.click()
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 41}


def _several_warehouses_paste(tab: InventoryTab) -> PasteDialog:
    assert tab.selection.paste_text("TEE-BLK-M\t44\nBEAN-RED\t3\n") == 0
    dialog = tab.selection.paste_preview
    assert isinstance(dialog, PasteDialog) and dialog.isVisible()
    return dialog


def test_a_paste_without_warehouse_asks_which_one_and_applies_whole(tab: InventoryTab) -> None:
    dialog = _several_warehouses_paste(tab)
    assert dialog.warehouse.currentIndex() == -1  # no guess
    assert not dialog.apply_button.isEnabled()
    assert outbox(tab) == {}
    dialog.warehouse.setCurrentIndex(dialog.warehouse.findData(EAST))
    assert dialog.summary.text() == "2 stock numbers matched: 2 will change, 0 unchanged."
    assert dialog.apply_button.text() == "Paste 2 changes"
    dialog.apply_button.click()
    assert outbox(tab) == {("TEE-BLK-M", EAST): 44, ("BEAN-RED", EAST): 3}
    assert tab.undo_action.toolTip() == "Undo: Paste 2 numbers into East Coast (Ctrl+Z)"


def test_a_paste_with_a_row_the_chosen_warehouse_lacks_applies_nothing(
        tab: InventoryTab) -> None:
    tab.store.conn.execute("DELETE FROM stock WHERE warehouse_id = ? AND sku_id = ?",
                           (EAST, sku_id(2, 0)))  # the beanie is only in Main warehouse now
    tab.reload()
    dialog = _several_warehouses_paste(tab)
    dialog.warehouse.setCurrentIndex(dialog.warehouse.findData(EAST))
    assert not dialog.apply_button.isEnabled()
    assert "BEAN-RED is not stocked in East Coast" in dialog.model.index(0, 6).data()
    assert "Nothing is pasted while a row has a problem" in dialog.advice.text()
    dialog.warehouse.setCurrentIndex(dialog.warehouse.findData(MAIN))
    dialog.apply_button.click()
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 44, ("BEAN-RED", MAIN): 3}


def test_a_paste_without_warehouse_in_a_one_warehouse_shop_applies_at_once(
        tab: InventoryTab) -> None:
    tab.store.conn.execute("DELETE FROM stock WHERE warehouse_id = ?", (EAST,))
    tab.store.conn.execute("DELETE FROM warehouses WHERE id = ?", (EAST,))
    tab.reload()
    assert tab.selection.paste_text("TEE-BLK-M\t44\nBEAN-RED\t3\n") == 2
    assert tab.selection.paste_preview is None
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 44, ("BEAN-RED", MAIN): 3}
