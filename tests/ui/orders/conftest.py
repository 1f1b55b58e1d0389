"""The Orders tab over a cache filled by hand, with the synchronous task runner and a fixed
clock (countdowns are worked out against NOW)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from orders_samples import SHOP, CachedShop, fill_by_hand, make_tab
from pytestqt.qtbot import QtBot

from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner


@pytest.fixture
def shop(tmp_path: Path) -> CachedShop:
    path = tmp_path / "cache.sqlite3"
    fill_by_hand(path)
    return CachedShop(SHOP, path)


@pytest.fixture
def tasks(qtbot: QtBot) -> ImmediateTaskRunner:
    return ImmediateTaskRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.open(tmp_path)


@pytest.fixture
def tab(qtbot: QtBot, shop: CachedShop, tasks: ImmediateTaskRunner,
        settings: Settings) -> Iterator[OrdersTab]:
    widget = make_tab(qtbot, shop, tasks, settings)
    yield widget
    widget.shop_closing()
