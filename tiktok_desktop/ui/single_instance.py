"""One app per data folder: a second start brings the running window to the front and stops.

Two pieces, each with one job:

* `<data>/app.lock`, a QLockFile held for the app's life, is the authority on "is an app running
  on this folder". The OS gives it to exactly one of two starts racing each other, and Qt treats
  the lock of a dead process as stale, so a crash never blocks the next start.
* A QLocalServer, named from a hash of the user and the resolved folder, only carries the second
  start's "come to the front" to the first. Only the lock's holder listens, so removing a socket
  a crashed instance left behind (`QLocalServer.removeServer`) never cuts off a live one.

`claim(data_dir, wish)` runs before start-up touches anything in the folder (logs, settings, the
cache, the demo shop's files) and answers either an `InstanceGuard` (this start is the app; keep
it until exit, then `close()`) or `AlreadyRunning` (say its `message` and exit without a window).
A folder where no lock can be made (read-only) does not block start-up: the guard then guards
nothing and says why in the log (`log_status`); the self-check explains the folder to the seller.

Protocol, one exchange per connection: the second start writes one JSON line,
`{"command": "activate", "wish": {...}}` (its command line, e.g. `{"demo": true}`), and the first
answers `ok` once it has asked its window to come to the front.
"""

from __future__ import annotations

import contextlib
import ctypes
import getpass
import hashlib
import json
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from tiktok_desktop import APP_NAME
from tiktok_desktop.data_folder import keep_private, make_data_dir
from tiktok_desktop.logs import get_logger

log = get_logger("ui.single_instance")

LOCK_FILE_NAME = "app.lock"
SERVER_PREFIX = "tiktok-desktop-"
ANSWER_TIMEOUT_S = 10.0  # the first start answers from its event loop, after its window opened
MAX_REQUEST_BYTES = 4096
ALREADY_OPEN = (f"{APP_NAME} is already open for this data folder; "
                "bringing its window to the front.")
NO_ANSWER = (f"{APP_NAME} is already open for this data folder, but it did not answer; "
             "switch to its window, or quit it and start again.")


def lock_path(data_dir: Path) -> Path:
    return data_dir / LOCK_FILE_NAME


def server_name(data_dir: Path) -> str:
    """The local socket's name for this user and folder. Short (31 characters): on Unix it
    becomes a file in the temporary folder, and macOS allows socket paths of 104 bytes only."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment nor the password database
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    folder = os.path.normcase(str(data_dir.resolve()))
    digest = hashlib.sha256(f"{user}\0{folder}".encode()).hexdigest()[:16]
    return SERVER_PREFIX + digest


@dataclass(frozen=True)
class AlreadyRunning:
    """Another app holds the folder; this start must exit without touching it."""

    answered: bool  # False: it holds the lock but did not answer within ANSWER_TIMEOUT_S

    @property
    def message(self) -> str:
        return ALREADY_OPEN if self.answered else NO_ANSWER

    @property
    def exit_code(self) -> int:
        return 0 if self.answered else 1


class InstanceGuard(QObject):
    """Holds the folder's lock and listens for later starts; lives on the GUI thread."""

    activation_requested = Signal(object)  # the later start's wish, e.g. {"demo": True}

    def __init__(self, data_dir: Path, lock: QLockFile | None, problem: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.name = server_name(data_dir)
        self.problem = problem  # why this start runs unguarded (or cannot be reached), if it does
        self._lock = lock
        self._server: QLocalServer | None = None

    @property
    def guarded(self) -> bool:
        return self._lock is not None and self._lock.isLocked()

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def listen(self) -> bool:
        if not self.guarded:  # not the lock's holder: a socket of that name may be live
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._accept)
        QLocalServer.removeServer(self.name)  # left by a crashed instance; we hold the lock
        if not server.listen(self.name):
            self.problem = f"later starts cannot reach this one: {server.errorString()}"
            server.deleteLater()
            return False
        self._server = server
        return True

    def log_status(self) -> None:
        """Called once logging is installed (the claim comes before it)."""
        if self.guarded:
            log.info("holding %s%s", lock_path(self.data_dir),
                     f", listening as {self.name}" if self.listening else "")
        if self.problem:
            log.warning("single instance: %s", self.problem)

    def close(self) -> None:
        """At exit: stop listening and release the lock (idempotent)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    @Slot()
    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    @Slot()
    def _read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_REQUEST_BYTES:  # not one of ours: hang up
                socket.abort()
            return
        request = _parse(bytes(socket.readLine().data()))
        if request is None:
            socket.abort()
            return
        wish = request.get("wish")
        wish = dict(wish) if isinstance(wish, dict) else {}
        log.info("another start asked for this window (%s)",
                 ", ".join(f"{key}={value}" for key, value in wish.items()) or "no options")
        self.activation_requested.emit(wish)
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()


def _parse(line: bytes) -> dict[str, object] | None:
    try:
        request = json.loads(line)
    except ValueError:
        return None
    if not isinstance(request, dict) or request.get("command") != "activate":
        return None
    return request


class WindowRaiser(QObject):
    """Brings `window` to the front when a later start asks (a child of the window, so the
    connection ends with it)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    @Slot(object)
    def bring_to_front(self, wish: object = None) -> None:
        window = self._window
        state = window.windowState()
        if state & Qt.WindowState.WindowMinimized:  # keeps "maximized" if it was
            window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()


def claim(data_dir: Path, wish: Mapping[str, object] | None = None,
          timeout_s: float = ANSWER_TIMEOUT_S) -> InstanceGuard | AlreadyRunning:
    """Become the app for `data_dir`, or ask the one that is to come to the front.

    Needs a QCoreApplication (the server answers from its event loop). Touches the folder only
    to make it when it is missing and to take the lock file."""
    data_dir = data_dir.resolve()
    message = json.dumps({"command": "activate", "wish": dict(wish or {})}).encode() + b"\n"
    deadline = time.monotonic() + timeout_s
    while True:
        lock = QLockFile(str(lock_path(data_dir)))
        lock.setStaleLockTime(0)  # held for the app's life: only a dead holder makes it stale
        try:
            if not data_dir.exists():
                make_data_dir(data_dir)
            taken = lock.tryLock(0)
        except OSError as exc:
            return InstanceGuard(data_dir, None, f"no lock in {data_dir}: {exc}")
        if taken:
            with contextlib.suppress(OSError):  # it names this computer and the app's process
                keep_private(lock_path(data_dir))
            guard = InstanceGuard(data_dir, lock)
            guard.listen()
            return guard
        if lock.error() != QLockFile.LockError.LockFailedError:  # unwritable folder and the like
            return InstanceGuard(data_dir, None,
                                 f"no lock in {data_dir} ({lock.error().name}); "
                                 "a second start on this folder would not be stopped")
        _allow_foreground(lock)
        answered = _send(server_name(data_dir), message, deadline)
        if answered is not None:
            return AlreadyRunning(answered)
        if time.monotonic() >= deadline:
            return AlreadyRunning(False)
        time.sleep(0.1)  # the holder is just starting (or just quit): ask the lock again


def _send(name: str, message: bytes, deadline: float) -> bool | None:
    """True: answered; False: connected but no answer by `deadline`; None: nobody listens."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(500):
        return None
    socket.write(message)
    socket.waitForBytesWritten(1000)
    reply = b""
    # Short waits: PySide6 keeps Python's lock while it blocks, and a first instance in this
    # same process (the tests) needs it to answer.
    while b"\n" not in reply and time.monotonic() < deadline:
        if socket.waitForReadyRead(50):
            reply += bytes(socket.readAll().data())
        elif socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
            break  # it hung up without an answer
    socket.abort()
    return reply.startswith(b"ok")


def _allow_foreground(lock: QLockFile) -> None:
    """Windows only lets the foreground process hand the foreground on: this start is it (the
    seller just started it), so it lets the running app take it."""
    if sys.platform != "win32":
        return
    info = lock.getLockInfo()  # PySide6: (pid, hostname, appname)
    pid = info[0] if isinstance(info, tuple) and info and isinstance(info[0], int) else 0
    if pid > 0:
        ctypes.windll.user32.AllowSetForegroundWindow(pid)  # type: ignore[attr-defined]
