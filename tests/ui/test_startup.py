"""Start-up: the command line, the seam to the main window, --smoke, Qt messages in the log."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QLabel, QMainWindow

import tiktok_desktop
from tiktok_desktop import __main__ as entry
from tiktok_desktop import logs
from tiktok_desktop.ui import app as startup
from tiktok_desktop.ui import crash, single_instance


@pytest.fixture
def restore_logging():
    root, ours = logging.getLogger(), logging.getLogger(logs.ROOT_LOGGER)
    handlers, level, our_level = list(root.handlers), root.level, ours.level
    yield
    logs._attach(root, [], logging.Formatter())
    root.handlers[:] = handlers
    root.setLevel(level)
    ours.setLevel(our_level)
    logging.captureWarnings(False)


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "tiktok_desktop", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_version_answers_without_loading_qt():
    code = ("import sys; from tiktok_desktop.__main__ import main; main(['--version']); "
            "print(any(name.startswith('PySide6') for name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines() == [f"{tiktok_desktop.APP_NAME} {tiktok_desktop.__version__}", "False"]


def test_command_line_options():
    args = entry.parse_args(["--demo", "--smoke", "--data-dir", "/tmp/x", "--log-level", "debug"])
    assert (args.demo, args.smoke, args.data_dir, args.log_level) == (
        True, True, Path("/tmp/x"), "debug")
    with pytest.raises(SystemExit):
        entry.parse_args(["--log-level", "loud"])


def test_smoke_exits_0_after_the_window_painted(tmp_path):
    done = run_app("--smoke", "--demo", "--data-dir", str(tmp_path), "--log-level", "warning")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "smoke: ok" in lines
    figures = json.loads(lines[-1])
    assert figures["smoke"] == "ok" and figures["first_paint_s"] > 0
    assert figures["self_check"]["Label preview"] is True
    assert (tmp_path / "settings.ini").exists() and (tmp_path / "logs" / "app.log").exists()


def test_self_check_prints_the_report(tmp_path):
    done = run_app("--self-check", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "[ok] Data folder" in done.stdout and "Label preview" in done.stdout


class WindowWithSmokeSteps(QMainWindow):
    def __init__(self, reason: str | None) -> None:
        super().__init__()
        self.reason = reason
        self.setCentralWidget(QLabel("tabs"))

    def run_smoke(self, finish) -> None:
        finish(self.reason)


@pytest.mark.parametrize(("reason", "code"), [(None, 0), ("the Orders tab did not render", 1)])
def test_smoke_runs_the_main_windows_own_steps(qapp, tmp_path, monkeypatch, capsys,
                                               restore_logging, reason, code):
    monkeypatch.setattr(startup, "open_window", lambda context: WindowWithSmokeSteps(reason))
    options = startup.StartupOptions(smoke=True, data_dir=tmp_path, log_level="warning")
    assert startup.run(options) == code
    out = capsys.readouterr()
    if reason:
        assert f"smoke: failed: {reason}" in out.err
    else:
        assert "smoke: ok" in out.out


def test_a_bug_while_opening_the_window_fails_with_a_crash_log(qapp, tmp_path, monkeypatch,
                                                                capsys, restore_logging):
    def broken(context):
        raise AttributeError("no attribute 'orders_tab'")

    monkeypatch.setattr(startup, "open_window", broken)
    options = startup.StartupOptions(smoke=True, data_dir=tmp_path, log_level="warning")
    assert startup.run(options) == 1
    assert "AttributeError: no attribute 'orders_tab'" in capsys.readouterr().err
    assert len(crash.previous_crash_logs(tmp_path / "crash-logs")) == 1


def test_the_context_reaches_the_main_window(qapp, tmp_path, monkeypatch, restore_logging):
    seen = []

    def open_main_window(context: startup.AppContext) -> WindowWithSmokeSteps:
        seen.append(context)
        return WindowWithSmokeSteps(None)

    monkeypatch.setattr(startup, "open_window", open_main_window)
    options = startup.StartupOptions(demo=True, smoke=True, data_dir=tmp_path)
    assert startup.run(options) == 0
    context, = seen
    assert context.options.demo and context.options.data_dir == tmp_path.resolve()
    assert context.settings.path == tmp_path.resolve() / "settings.ini"
    assert context.app.applicationVersion() == tiktok_desktop.__version__
    assert not context.app.windowIcon().isNull()
    assert not (tmp_path / "app.lock").exists()  # released at exit: the next start may run


class WindowStartedTwice(WindowWithSmokeSteps):
    """Starts a second app on its folder once up; finishes when that brings it to the front."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(None)
        self.data_dir = data_dir
        self.second: list[object] = []
        self.thread: threading.Thread | None = None

    def run_smoke(self, finish) -> None:
        self.finish = finish
        # In a thread: this one's event loop has to run to answer it.
        self.thread = threading.Thread(target=lambda: self.second.append(
            single_instance.claim(self.data_dir, {"demo": True}, timeout_s=10)))
        self.thread.start()

    def raise_(self) -> None:
        super().raise_()
        self.finish(None)


def test_a_second_start_brings_the_window_to_the_front(qapp, tmp_path, monkeypatch,
                                                        restore_logging):
    window = WindowStartedTwice(tmp_path)
    monkeypatch.setattr(startup, "open_window", lambda context: window)
    options = startup.StartupOptions(smoke=True, data_dir=tmp_path, log_level="warning")
    assert startup.run(options) == 0  # only reached through the window coming forward
    assert window.thread is not None
    window.thread.join(10)
    assert window.second == [single_instance.AlreadyRunning(answered=True)]


def test_first_window_until_the_main_window_exists(qtbot, tmp_path):
    from tiktok_desktop.ui.settings import Settings

    context = startup.AppContext(None, startup.StartupOptions(demo=True, data_dir=tmp_path),
                                 Settings.open(tmp_path), None, None, None)
    window = startup.FirstWindow(context)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Demo shop"  # Qt appends " — TikTok Shop Desktop"
    assert "Welcome to TikTok Shop Desktop" in window.welcome.text()
    window.demo_button.click()
    assert context.settings.shop_choice == "demo"


def test_qt_messages_are_routed_into_the_log(qapp, caplog):
    caplog.set_level(logging.DEBUG, logger="tiktok_desktop.qt")
    previous = qInstallMessageHandler(startup.route_qt_message)
    try:
        from PySide6.QtCore import qWarning

        qWarning("QFont::setPointSize: Point size <= 0 (0), must be greater than 0")
    finally:
        qInstallMessageHandler(previous)
    record, = [r for r in caplog.records if r.name == "tiktok_desktop.qt"]
    assert record.levelno == logging.WARNING and "QFont::setPointSize" in record.getMessage()
    assert startup._QT_LEVELS[QtMsgType.QtCriticalMsg] == logging.ERROR


def test_no_screen_is_explained_instead_of_an_abort(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert "xvfb-run" in startup.display_problem()
    monkeypatch.setenv("DISPLAY", ":0")
    assert startup.display_problem() is None
