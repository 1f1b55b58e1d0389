"""The Listings tab over a small cached shop (a listing in every state), with the synchronous
task runner."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.store import Store
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

# The shop is the one the store's listing tests read; the demo app is the UI tests' own.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "store"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from listing_samples import SHOP, fill


@dataclass
class CachedSession:
    store_path: Path
    shop_id: str = SHOP

    @functools.cached_property
    def cache(self) -> CacheLanes:
        return CacheLanes(self.store_path)


@pytest.fixture
def session(tmp_path: Path) -> CachedSession:
    path = tmp_path / "cache.sqlite3"
    with Store.open(path) as store:
        store.shops.upsert([{"id": SHOP, "name": "Bloom & Co", "region": "GB"}])
        fill(store, now=int(time.time()))  # "no sales in 30 days" counts from the clock
    return CachedSession(path)


@pytest.fixture
def tasks(qtbot: QtBot) -> ImmediateTaskRunner:
    return ImmediateTaskRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.open(tmp_path)


def make_tab(qtbot: QtBot, session: CachedSession, tasks: ImmediateTaskRunner,
             settings: Settings) -> ListingsTab:
    """A tab as the window builds it (also a second one, as at the next start)."""
    widget = ListingsTab(session, tasks, settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def tab(qtbot: QtBot, session: CachedSession, tasks: ImmediateTaskRunner,
        settings: Settings) -> Iterator[ListingsTab]:
    widget = make_tab(qtbot, session, tasks, settings)
    yield widget
    widget.shop_closing()
