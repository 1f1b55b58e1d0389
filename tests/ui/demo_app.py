"""The real app on the demo shop for UI tests that live through syncs: the real window, the real
task runner, the sync's own process and the demo shop's, a crash handler writing into the data
folder, and every message the seller was shown."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tiktok_desktop.logs import LogBuffer
from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.services import open_demo_session
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.app import AppContext, StartupOptions
from tiktok_desktop.ui.crash import CrashHandler
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.table_model import NEW
from tiktok_desktop.ui.main_window import MainWindow, open_main_window
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

SYNC_TIMEOUT_MS = 30_000


@dataclass
class RunningApp:
    window: MainWindow
    crash_handler: CrashHandler
    heard: list[messages.Message] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [m.text for m in self.heard if m.level is not messages.Level.INFO]

    def crash_reports(self) -> list[Path]:
        return sorted(self.crash_handler.folder.glob("*.log"))

    def tab(self, kind: type) -> object:
        tab = self.window.tab(kind)
        assert isinstance(tab, kind)
        return tab


@contextlib.contextmanager
def running_app(qtbot: QtBot, qapp: QApplication, data_dir: Path,
                config: DemoShopConfig) -> Iterator[RunningApp]:
    """Start the app on the demo shop in `data_dir` and wait for its tabs; at the end keep any
    unpushed edits for next time, close the shop and stop the task runner."""
    tasks = TaskRunner()
    crash_handler = CrashHandler(data_dir)
    crash_handler.install()
    context = AppContext(qapp, StartupOptions(demo=True, data_dir=data_dir),
                         Settings.open(data_dir), tasks, LogBuffer(), crash_handler)
    app = None
    try:
        window = open_main_window(context, lambda folder: open_demo_session(folder, config))
        window.ask_about_unpushed = lambda count: "keep"  # type: ignore[method-assign]
        app = RunningApp(window, crash_handler)
        messages.bus().posted.connect(app.heard.append)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.all_tabs_built, timeout=SYNC_TIMEOUT_MS)
        yield app
    finally:
        if app is not None:
            messages.bus().posted.disconnect(app.heard.append)
            app.window.close_session()
        tasks.shutdown()
        crash_handler.uninstall()


def sync_once(qtbot: QtBot, window: MainWindow) -> None:
    """Press F5 (after the sync under way, if any) and wait for a complete sync."""
    assert window.sync is not None
    qtbot.waitUntil(lambda: not window.sync.running, timeout=SYNC_TIMEOUT_MS)
    with qtbot.waitSignal(window.sync.finished, timeout=SYNC_TIMEOUT_MS) as finished:
        assert window.sync.sync_now()
    outcome = finished.args[0]
    assert outcome.error is None and outcome.result.complete, outcome


def edit_stock(qtbot: QtBot, tab: InventoryTab, rng: random.Random) -> tuple[str, str, int]:
    """Set a random row to a new number, as a seller does (select, Set to), and wait until
    the edit is in the cache. Returns (sku, warehouse, number)."""
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    row = rng.randrange(tab.model.rowCount())
    cell = tab.model.cell(row)
    index = tab.model.index(row, NEW)
    tab.table.setCurrentIndex(index)
    tab.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    value = rng.randrange(1000, 5000)  # far from the shop's numbers: never a no-op
    tab.selection.bulk("set", value)
    qtbot.waitUntil(lambda: not tab.editing.writing)
    return cell.sku_id, cell.warehouse_id, value
