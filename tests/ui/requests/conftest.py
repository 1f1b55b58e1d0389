"""The Requests tab over a cache filled by hand (a request in every state), with the synchronous
task runner, a fixed clock and, for the times of day, New York's time zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from requests_samples import AnsweringSession, fill, make_tab

from tiktok_desktop.ui.requests import RequestsTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner


@pytest.fixture
def new_york() -> Iterator[None]:
    """The seller is in New York (times of day are theirs)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def session(tmp_path: Path) -> AnsweringSession:
    path = tmp_path / "cache.sqlite3"
    fill(path)
    return AnsweringSession(path)


@pytest.fixture
def tasks(qtbot: QtBot) -> ImmediateTaskRunner:
    return ImmediateTaskRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.open(tmp_path)


@pytest.fixture
def tab(qtbot: QtBot, session: AnsweringSession, tasks: ImmediateTaskRunner,
        settings: Settings, new_york: None) -> Iterator[RequestsTab]:
    widget = make_tab(qtbot, session, tasks, settings)
    yield widget
    if widget.answering.results_box is not None:
        widget.answering.results_box.close()
    widget.shop_closing()
