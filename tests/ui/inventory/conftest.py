"""The Inventory tab over a small cached shop, with the synchronous task runner."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from inventory_samples import OfflineSession, fill
from pytestqt.qtbot import QtBot

from tiktok_desktop.store import Store
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

# The push tests share the demo-shop helper of the sync tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sync"))


@pytest.fixture
def session(tmp_path: Path) -> OfflineSession:
    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        fill(store)
    return OfflineSession(path)


@pytest.fixture
def tasks(qtbot: QtBot) -> ImmediateTaskRunner:
    return ImmediateTaskRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.open(tmp_path)


@pytest.fixture
def tab(qtbot: QtBot, session: OfflineSession, tasks: ImmediateTaskRunner,
        settings: Settings) -> Iterator[InventoryTab]:
    widget = InventoryTab(session, tasks, settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shop_closing()
