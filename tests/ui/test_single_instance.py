"""One app per data folder: a second start brings the first to the front and touches nothing."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMainWindow

from tiktok_desktop.ui import app as startup
from tiktok_desktop.ui import single_instance
from tiktok_desktop.ui.single_instance import AlreadyRunning, InstanceGuard, WindowRaiser, claim

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

# A stand-in first instance in its own process: claims the folder, says so, serves until killed.
HOLDER = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from tiktok_desktop.ui.single_instance import claim
app = QCoreApplication([])
guard = claim(Path(sys.argv[1]))
print("listening" if guard.listening else f"not listening: {guard!r}", flush=True)
app.exec()
"""


def claim_in_thread(data_dir: Path, wish: dict[str, object] | None = None
                    ) -> tuple[threading.Thread, list[InstanceGuard | AlreadyRunning]]:
    """A second start in this process: the first answers from this thread's event loop, so the
    second must wait for its answer elsewhere."""
    result: list[InstanceGuard | AlreadyRunning] = []
    thread = threading.Thread(target=lambda: result.append(claim(data_dir, wish, timeout_s=5)))
    return thread, result


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.rglob("*")}


@pytest.fixture
def first(qapp, tmp_path):
    guard = claim(tmp_path / "data")
    assert isinstance(guard, InstanceGuard)
    yield guard
    guard.close()


def test_a_second_start_on_the_same_folder_activates_the_first(qtbot, first, tmp_path):
    data_dir = tmp_path / "data"
    assert first.guarded and first.listening and first.problem is None
    before = snapshot(data_dir)
    thread, result = claim_in_thread(data_dir, {"demo": True})
    with qtbot.waitSignal(first.activation_requested, timeout=5000) as activated:
        thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    assert activated.args == [{"demo": True}]
    assert result == [AlreadyRunning(answered=True)]
    assert result[0].exit_code == 0
    assert result[0].message == ("TikTok Shop Desktop is already open for this data folder; "
                                 "bringing its window to the front.")
    assert snapshot(data_dir) == before  # the second start only looked


def test_the_same_folder_by_another_path_is_the_same_app(qtbot, first, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "data", target_is_directory=True)
    thread, result = claim_in_thread(link)
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    assert result == [AlreadyRunning(answered=True)]


def test_another_folder_is_free_and_a_closed_app_frees_its_folder(qapp, first, tmp_path):
    other = claim(tmp_path / "other")
    assert isinstance(other, InstanceGuard) and other.guarded and other.listening
    assert other.name != first.name
    other.close()
    first.close()
    assert not (tmp_path / "data" / "app.lock").exists()
    again = claim(tmp_path / "data")
    assert isinstance(again, InstanceGuard) and again.guarded
    again.close()


def test_a_holder_that_does_not_answer_is_still_running(qapp, tmp_path):
    holder = claim(tmp_path)
    assert isinstance(holder, InstanceGuard)
    try:
        # No event loop runs here, so nothing answers: the lock still says "running".
        started = time.monotonic()
        assert claim(tmp_path, timeout_s=0.5) == AlreadyRunning(answered=False)
        assert time.monotonic() - started < 3
        assert AlreadyRunning(answered=False).exit_code == 1
    finally:
        holder.close()


@contextlib.contextmanager
def holder_process(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """An app holding `data_dir` in a process of its own; killed (SIGKILL) on leaving."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], cwd=ROOT, env=ENV,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "listening"
        yield holder
    finally:
        holder.kill()  # SIGKILL: no clean-up at all
        holder.wait(10)


def test_start_up_stops_before_touching_a_folder_in_use(qapp, tmp_path, capsys):
    data_dir = tmp_path / "data"
    with holder_process(data_dir):
        assert startup.run(startup.StartupOptions(demo=True, data_dir=data_dir)) == 0
        assert capsys.readouterr().out.splitlines() == [single_instance.ALREADY_OPEN]
        assert os.listdir(data_dir) == ["app.lock"]  # no log, settings, cache or demo shop
    QLocalServer.removeServer(single_instance.server_name(data_dir))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and socket files are Unix's")
def test_a_killed_app_leaves_no_obstacle(qtbot, tmp_path):
    data_dir = tmp_path / "data"
    with holder_process(data_dir):
        pass
    socket_file = Path(QDir.tempPath()) / single_instance.server_name(data_dir)
    assert (data_dir / "app.lock").exists() and socket_file.exists()  # both left behind

    guard = claim(data_dir, timeout_s=5)
    assert isinstance(guard, InstanceGuard)
    try:
        assert guard.guarded and guard.listening
        thread, result = claim_in_thread(data_dir)
        with qtbot.waitSignal(guard.activation_requested, timeout=5000):
            thread.start()
        qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
        assert result == [AlreadyRunning(answered=True)]
    finally:
        guard.close()


def test_a_folder_without_room_for_a_lock_does_not_block_the_start(qapp, tmp_path):
    (tmp_path / "a-file").write_text("")
    guard = claim(tmp_path / "a-file" / "data")
    assert isinstance(guard, InstanceGuard)
    assert not guard.guarded and not guard.listening and "no lock" in (guard.problem or "")
    guard.close()


def test_a_stranger_on_the_socket_is_hung_up_on(qtbot, first):
    stranger = QLocalSocket()
    stranger.connectToServer(first.name)
    assert stranger.waitForConnected(2000)
    with qtbot.assertNotEmitted(first.activation_requested, wait=200):
        stranger.write(b"GET / HTTP/1.0\n")
        qtbot.waitUntil(
            lambda: stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState,
            timeout=3000)


@pytest.mark.parametrize("minimize", [True, False])
def test_the_window_comes_back_when_minimized_or_hidden(qtbot, minimize):
    window = QMainWindow()
    qtbot.addWidget(window)
    if minimize:
        window.showMinimized()
        assert window.isMinimized()
    raiser = WindowRaiser(window)
    raiser.bring_to_front({"demo": True})
    assert window.isVisible() and not window.isMinimized()


@pytest.mark.slow
def test_a_second_start_of_the_real_app_exits_and_leaves_the_first_alone(qapp, tmp_path):
    data_dir = tmp_path / "data"
    with open(tmp_path / "first.log", "w") as first_output:
        first = subprocess.Popen(
            [sys.executable, "-m", "tiktok_desktop", "--data-dir", str(data_dir)],
            cwd=ROOT, env=ENV, stdout=first_output, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(first, single_instance.server_name(data_dir))
        log_file = data_dir / "logs" / "app.log"
        wait_for(lambda: (data_dir / "settings.ini").exists() and log_file.exists()
                 and "self-check: Data folder" in log_file.read_text())  # up and settled
        names = set(snapshot(data_dir))
        settings = (data_dir / "settings.ini").read_bytes()

        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "tiktok_desktop", "--data-dir", str(data_dir), "--demo"],
            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert time.monotonic() - started < 10
        assert second.stdout.splitlines() == [single_instance.ALREADY_OPEN]

        wait_for(lambda: "another start asked for this window (demo=True)"
                 in log_file.read_text())
        assert first.poll() is None  # still running
        assert set(snapshot(data_dir)) == names  # no demo shop, no second log
        assert not any("demo" in name for name in names)
        assert (data_dir / "settings.ini").read_bytes() == settings
        assert log_file.read_text().count("starting (data folder") == 1
    finally:
        first.terminate()
        try:
            first.wait(10)
        except subprocess.TimeoutExpired:
            first.kill()
            first.wait(10)
        QLocalServer.removeServer(single_instance.server_name(data_dir))  # SIGTERM left it


def wait_until_listening(process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "the first app ended early"
        probe = QLocalSocket()
        probe.connectToServer(name)
        if probe.waitForConnected(200):
            probe.abort()  # says nothing: the app hangs up on it without coming forward
            return
        assert time.monotonic() < deadline, "the first app never listened"
        time.sleep(0.1)


def wait_for(condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
