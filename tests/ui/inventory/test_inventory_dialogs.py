"""The inventory's small dialogs read well: the conflict list wraps its sentences and shows an
amount as an amount; the number prompt is wide enough for its title and question."""

from __future__ import annotations

import sys
from pathlib import Path

from inventory_samples import MAIN
from pytestqt.qtbot import QtBot
from test_inventory_editing import row, select

from tiktok_desktop.services.stock_edits import CellEdit
from tiktok_desktop.ui.editing.conflict_dialog import ConflictDialog
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.stock_kind import CONFLICTS, CONFLICTS_EXPLAINED, NOUN

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services"))
from stock_cells import cell

LONG = ("TikTok Shop refused this number: stock must be a whole number from 0 to 99,999. "
        "TikTok Shop said: “quantity out of range”.")


def test_the_conflict_list_wraps_what_happened_and_shows_amounts(qtbot: QtBot) -> None:
    cells = [cell(1, MAIN, available=3, edit=CellEdit(1, 40, 10, "conflict", "Changed.")),
             cell(2, MAIN, available=5, edit=CellEdit(2, 100_000, 5, "failed", LONG * 2)),
             cell(3, MAIN, available=7, edit=CellEdit(3, 15, 5, "conflict", "Lost.", delta=10))]
    dialog = ConflictDialog(cells, CONFLICTS, CONFLICTS_EXPLAINED, NOUN)
    qtbot.addWidget(dialog)
    dialog.resize(900, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.table.horizontalScrollBar().isVisible()
    assert dialog.table.rowHeight(1) > dialog.table.rowHeight(0)  # the long one wraps
    assert dialog.model.index(2, 4).data() == "+10"
    assert dialog.model.index(0, 4).data() == "40"


def test_the_number_prompt_fits_its_question(tab: InventoryTab) -> None:
    rows = [row(tab, "HOOD-GRY-M"), row(tab, "TEE-BLK-M")]
    select(tab, rows)
    tab.selection.ask_bulk("subtract")
    prompt = tab.selection.prompt
    assert prompt is not None
    question = prompt.fontMetrics().horizontalAdvance(prompt.labelText())
    assert prompt.width() >= question + 40
    prompt.close()
