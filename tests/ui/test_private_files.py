"""Start-up on a --data-dir the seller made open to others: every file and folder the app makes
in it (logs, settings, its lock, crash logs) is readable by the seller only, whatever was there."""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from tiktok_desktop import logs
from tiktok_desktop.ui import app as startup
from tiktok_desktop.ui.settings import Settings

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root, ours = logging.getLogger(), logging.getLogger(logs.ROOT_LOGGER)
    handlers, level, our_level = list(root.handlers), root.level, ours.level
    yield
    logs._attach(root, [], logging.Formatter())
    root.handlers[:] = handlers
    root.setLevel(level)
    ours.setLevel(our_level)
    logging.captureWarnings(False)


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes_inside(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
            for path in folder.rglob("*")}


def not_private(modes: dict[str, int], folder: Path) -> dict[str, str]:
    return {name: oct(mode) for name, mode in modes.items()
            if mode != (0o700 if (folder / name).is_dir() else 0o600)}


def test_what_start_up_makes_in_an_open_folder_is_private(qapp, tmp_path, monkeypatch,
                                                          umask_022, restore_logging):
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    (chosen / "logs").mkdir(mode=0o755)  # left by an older version
    (chosen / "settings.ini").write_text("[General]\nsettings_version=2\n")
    while_running: list[dict[str, int]] = []

    def broken_window(context: startup.AppContext) -> QMainWindow:
        while_running.append(modes_inside(chosen))  # the lock is held now
        raise AttributeError("no attribute 'orders_tab'")  # a bug: a crash log

    monkeypatch.setattr(startup, "open_window", broken_window)
    options = startup.StartupOptions(smoke=True, data_dir=chosen, log_level="info")
    assert startup.run(options) == 1
    assert {"app.lock", "settings.ini", "logs", "logs/app.log"} <= while_running[0].keys()
    assert not_private(while_running[0], chosen) == {}
    settings = Settings.open(chosen)
    settings.shop_choice = "demo"
    del settings  # saved now
    assert "demo" in (chosen / "settings.ini").read_text()
    after = modes_inside(chosen)
    assert any(name.startswith("crash-logs/crash-") for name in after)
    assert not_private(after, chosen) == {}
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755  # the seller's own folder is theirs


def test_a_crash_before_the_event_loop_leaves_later_event_loops_working(
        qapp, qtbot, tmp_path, monkeypatch, restore_logging):
    """Smoke mode ends the run on a crash; before the loop runs that is start-up's return
    value, not QApplication.exit(), which would end every later event loop at once."""
    def broken_window(context: startup.AppContext) -> QMainWindow:
        raise AttributeError("no attribute 'orders_tab'")

    monkeypatch.setattr(startup, "open_window", broken_window)
    assert startup.run(startup.StartupOptions(smoke=True, data_dir=tmp_path)) == 1
    ticked: list[int] = []
    QTimer.singleShot(10, lambda: ticked.append(1))
    qtbot.waitUntil(lambda: len(ticked) == 1, timeout=2000)
