"""Importing a CSV (report first, nothing applied until confirmed), exporting the table so it
round-trips, and the stock history with its CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from inventory_samples import EAST, MAIN, SHOP, sku_id
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from test_inventory_editing import outbox

from tiktok_desktop.services.stock_csv import decode
from tiktok_desktop.store import AuditEntry, stock_target
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.ui.editing.history_dialog import HistoryDialog
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.import_dialog import ImportDialog


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def test_an_import_shows_its_report_and_applies_only_when_confirmed(
        tab: InventoryTab, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "count.csv", [
        ["Seller SKU", "Quantity in Main warehouse", "Quantity in East Coast"],
        ["TEE-BLK-M", "44", "5"], ["HOOD-GRY-L", "x", ""], ["GHOST", "1", ""]])
    tab.files.import_csv(path, tab.shop_cells())
    dialog = tab.files.dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    assert dialog.summary.text() == (
        "<b>count.csv</b>: 2 stock numbers matched: 1 will change, 1 unchanged. "
        "2 left out: 1 refused, 1 not found in this shop.")
    assert dialog.model.rowCount() == 3  # unchanged rows hidden until asked for
    assert [dialog.model.index(r, 5).data() for r in range(3)] == [
        "Refused", "Not found", "Will change"]
    dialog.show_unchanged.setChecked(True)
    assert dialog.model.rowCount() == 4
    assert outbox(tab) == {}  # nothing yet
    assert dialog.apply_button.text() == "Apply 1 change"
    dialog.apply_button.click()
    assert outbox(tab) == {("TEE-BLK-M", MAIN): 44}
    tab.undo_action.trigger()
    assert outbox(tab) == {}


def test_export_then_edit_in_a_spreadsheet_then_import_round_trips(
        tab: InventoryTab, tmp_path: Path) -> None:
    tab.selection.paste_text("Seller SKU\tQuantity in East Coast\nBEAN-RED\t9\n")
    exported = tmp_path / "stock.csv"
    tab.files.export_csv(exported, tab.model.cells(), excel_safe=True)
    table = list(csv.reader(io.StringIO(decode(exported.read_bytes()))))
    assert len(table) == 7  # header + 6 SKUs
    beanie = dict(zip(table[0], next(r for r in table if r[4] == '="BEAN-RED"'), strict=True))
    # The edited value is the current one.
    assert (beanie["Quantity in Main warehouse"], beanie["Quantity in East Coast"]) == ("75", "9")

    tab.files.import_csv(exported, tab.shop_cells())
    assert tab.files.dialog.preview.summary == (  # type: ignore[union-attr]
        "12 stock numbers matched: 0 will change, 12 unchanged.")

    table = [[c[2:-1] if c.startswith('="') else c for c in r] for r in table]
    next(r for r in table if r[4] == "TEE-BLK-L")[table[0].index("Quantity in East Coast")] = "17"
    edited = write_csv(tmp_path / "edited.csv", table)
    tab.files.import_csv(edited, tab.shop_cells())
    dialog = tab.files.dialog
    assert isinstance(dialog, ImportDialog)
    assert [(c.sku_id, c.warehouse_id, c.new) for c in dialog.preview.changes] == [
        (sku_id(0, 1), EAST, 17)]


def test_the_history_lists_pushed_changes_and_exports_them(
        tab: InventoryTab, tmp_path: Path) -> None:
    tab.store.audit.record([
        AuditEntry(SHOP, STOCK, stock_target(sku_id(1, 0), MAIN), 120, 90, "done", "req-1",
                   at=1_700_000_000),
        AuditEntry(SHOP, STOCK, stock_target(sku_id(0, 0), EAST), 5, 100_000, "failed", "req-2",
                   "TikTok Shop refused this number", at=1_700_000_100)])
    tab.editor.show_history()
    dialog = tab.editor.dialog
    assert isinstance(dialog, HistoryDialog)
    assert dialog.model.rowCount() == 2
    newest = [dialog.model.index(0, c).data() for c in range(1, 9)]
    assert newest == ["Cotton tee", "Black, M", "TEE-BLK-M", "East Coast", "5", "100,000",
                      "Refused", "TikTok Shop refused this number"]
    # The request id is for support: in the tooltip and copied on request, not a column.
    assert "Request ID req-2" in dialog.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert not dialog.copy_button.isEnabled()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "req-2"
    path = tmp_path / "history.csv"
    tab.editor.export_history(path, [row.data for row in dialog.model.rows])  # type: ignore[misc]
    rows = list(csv.reader(io.StringIO(decode(path.read_bytes()))))
    assert rows[0] == ["When", "Product", "Variation", "Seller SKU", "SKU ID", "Warehouse",
                       "Old", "New", "Result", "Message", "Request ID"]
    assert rows[2][1:] == ["Hoodie", "Grey, M", '="HOOD-GRY-M"', f'="{sku_id(1, 0)}"',
                           "Main warehouse", "120", "90", "Saved", "", "req-1"]


def test_a_big_file_is_read_beside_the_window_with_progress_and_a_cancel(
        qtbot, session, settings, tmp_path: Path) -> None:
    """On the real task runner: a file over OWN_PROCESS_FROM is read in a process of its own;
    Cancel stops it with nothing opened or applied; read to the end, its preview opens."""
    from tiktok_desktop.ui.tasks import TaskRunner

    rows = [["Seller SKU", "Quantity in Main warehouse"], ["TEE-BLK-L", "8"]]
    rows += [[f"GONE-{n}", str(n % 50)] for n in range(150_000)]
    big = write_csv(tmp_path / "big.csv", rows)
    tasks = TaskRunner()
    tab = InventoryTab(session, tasks, settings)
    qtbot.addWidget(tab)
    tab.files.choice.ask_open_path = lambda *_a: big  # type: ignore[method-assign]
    try:
        tab.files.choose_import(tab.with_shop_cells)
        qtbot.waitUntil(lambda: tab.files.progress is not None, timeout=5_000)
        progress = tab.files.progress
        qtbot.waitUntil(lambda: progress.isVisible() and progress.value() > 0, timeout=30_000)
        assert "rows" in progress.labelText()
        progress.canceled.emit()  # its Cancel button
        qtbot.waitUntil(lambda: progress.ended and not tasks.active_tasks, timeout=5_000)
        assert tab.files.dialog is None

        tab.files.choose_import(tab.with_shop_cells)
        qtbot.waitUntil(lambda: isinstance(tab.files.dialog, ImportDialog), timeout=60_000)
        assert tab.files.progress is not progress and tab.files.progress.ended
        preview = tab.files.dialog.preview  # type: ignore[union-attr]
        assert preview.summary == ("1 stock number matched: 1 will change, 0 unchanged. "
                                   "150,000 left out: 150,000 not found in this shop.")
        assert [(c.sku_id, c.new) for c in preview.changes] == [(sku_id(0, 1), 8)]
        assert outbox(tab) == {}
    finally:
        tab.shop_closing()
        tasks.shutdown()
