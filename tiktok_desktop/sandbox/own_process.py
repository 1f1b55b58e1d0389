"""The demo shop in a process of its own: how the app's demo mode runs it, like the remote API
it imitates.

In the app's process, the shop's server threads (building order pages, JSON) would take
Python's lock from the window while they answer the sync (heartbeat gaps of 43-84 ms during the
demo's first sync); in a process of their own they never do.

    shop = DemoShopProcess(DemoShopConfig(seed=1, orders=600), state_dir).start()
    shop.base_url, shop.app_key, shop.app_secret, shop.service_id, shop.restored
    shop.stop()

`multiprocessing` with spawn (fork would copy the window's threads' locks); the packaged app
calls `freeze_support`, so the bundle starts the child too. The child sends its address and
credentials through a pipe (never the command line, a file or a log), then its log lines, and
serves until the app says stop or its end of the pipe closes: the app quitting or dying stops the
shop, which saves its world on the way out. With `state_dir` the world carries on from the last
run (sandbox/state.py) and the child holds the folder's lock: a second shop there fails with
WorldInUse.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

from .config import DemoShopConfig
from .server import DemoShop
from .state import STATE_FILE, WorldInUse, holding

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0  # a big world takes a while to build; the app's demo, a fraction of a second
STOP_TIMEOUT_S = 5.0
STOP = "stop"
LOGGER = "tiktok_desktop.sandbox"  # the child's records under it come to the app's log


class DemoShopError(RuntimeError):
    """The demo shop's process could not start, or ended."""

    plain = "The demo shop could not start. Details are in the log."


class DemoShopProcess:
    def __init__(self, config: DemoShopConfig, state_dir: Path | None = None) -> None:
        self.config = config
        self.state_dir = state_dir
        self.base_url = self.app_key = self.app_secret = self.service_id = ""
        self.restored = False  # the world came back from state_dir (else: a new one)
        self._pipe: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._reader: threading.Thread | None = None
        self._stopping = False

    def __repr__(self) -> str:
        return f"DemoShopProcess({self.base_url or 'stopped'}, app_secret='***')"

    @property
    def is_alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self) -> DemoShopProcess:
        """Start the shop and wait until it serves. Raises WorldInUse (another shop runs on
        state_dir) or DemoShopError."""
        context = multiprocessing.get_context("spawn")
        self._pipe, theirs = context.Pipe()
        level = logging.getLogger(LOGGER).getEffectiveLevel()
        self._process = context.Process(
            target=_child_main, args=(theirs, self.config, self.state_dir, level), daemon=True,
            name="tiktok-desktop-demo-shop")
        self._process.start()
        theirs.close()
        try:
            info = self._wait_until_ready(self._pipe)
        except BaseException:
            self.stop()
            raise
        self.base_url, self.app_key = info["base_url"], info["app_key"]
        self.app_secret, self.service_id = info["app_secret"], info["service_id"]
        self.restored = info["restored"]
        self._reader = threading.Thread(target=self._read, args=(self._pipe,), daemon=True,
                                        name="demo-shop-log")
        self._reader.start()
        return self

    def stop(self) -> None:
        """Stop the shop (it saves its world) and wait for its process; killed if it hangs."""
        self._stopping = True
        if self._pipe is not None:
            with contextlib.suppress(OSError, ValueError):  # it has ended already
                self._pipe.send(STOP)
        if self._process is not None:
            self._process.join(STOP_TIMEOUT_S)
            if self._process.is_alive():
                log.warning("The demo shop did not stop in %s s; ending it.", STOP_TIMEOUT_S)
                self._process.kill()
                self._process.join()
        # Closed only once the reader has seen the end: closing a pipe another thread reads
        # would leave that thread (and the pipe) hanging.
        if self._reader is not None:
            self._reader.join(STOP_TIMEOUT_S)
            self._reader = None
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        self.base_url = ""

    def _wait_until_ready(self, pipe: Connection) -> dict[str, Any]:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if not pipe.poll(max(0.0, deadline - time.monotonic())):
                raise DemoShopError("the demo shop did not start in time")
            try:
                kind, value = pipe.recv()
            except EOFError:
                raise DemoShopError("the demo shop's process ended while starting") from None
            if kind == "log":
                _log(value)
            elif kind == "ready":
                return value
            elif kind == "in use":
                raise WorldInUse(value)
            elif kind == "failed":
                raise DemoShopError(value)

    def _read(self, pipe: Connection) -> None:
        """The child's log lines, until its end of the pipe closes."""
        while True:
            try:
                kind, value = pipe.recv()
            except (EOFError, OSError):
                break
            if kind == "log":
                _log(value)
        if not self._stopping:
            log.warning("The demo shop's process ended on its own.")


def _log(value: tuple[str, int, str]) -> None:
    name, level, text = value
    logging.getLogger(name).log(level, "%s", text)


# -- in the child ---------------------------------------------------------------------------

class _Pipe:
    """The child's end: sends from any thread (server threads log), one message at a time."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._lock = threading.Lock()

    def send(self, kind: str, value: Any) -> None:
        with self._lock:
            self.connection.send((kind, value))


class _Forward(logging.Handler):
    def __init__(self, pipe: _Pipe) -> None:
        super().__init__()
        self._pipe = pipe

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self._pipe.send("log", (record.name, record.levelno, text))
        except OSError:  # the app is gone: the shop is stopping anyway
            pass
        except Exception:  # a log line must never stop the shop
            self.handleError(record)


def _end(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _child_main(connection: Connection, config: DemoShopConfig, state_dir: Path | None,
                level: int) -> None:
    # Ctrl+C in a terminal reaches the whole process group: the app decides when the shop
    # stops. multiprocessing ends a daemon child with SIGTERM at the app's exit: save first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end)
    pipe = _Pipe(connection)
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level)
    logger.addHandler(_Forward(pipe))
    logger.propagate = False
    try:
        with contextlib.ExitStack() as stack:
            if state_dir is not None:
                try:
                    stack.enter_context(holding(state_dir))
                except WorldInUse as error:
                    pipe.send("in use", str(error))
                    return
            _serve(pipe, config, state_dir / STATE_FILE if state_dir is not None else None)
    except (OSError, SystemExit):  # the app is gone, or ended us: the shop has stopped
        pass


def _serve(pipe: _Pipe, config: DemoShopConfig, state_path: Path | None) -> None:
    try:
        shop = DemoShop(config, state_path).start()
    except Exception as error:
        log.exception("The demo shop could not start.")
        pipe.send("failed", f"{type(error).__name__}: {error}")
        return
    try:
        pipe.send("ready", {**shop.info(), "restored": shop.restored})
        while pipe.connection.recv() != STOP:
            pass
    except (EOFError, OSError, SystemExit):  # the app's end closed: it quit or died
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the last save finish
        shop.stop()
