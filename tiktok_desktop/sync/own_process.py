"""A sync run in its own process, so its work never competes with the window for Python.

Why: CPython runs one thread's Python at a time (the GIL). A full sync keeps several threads
busy decoding JSON and writing pages, and the window's thread must take the lock each time Qt
calls into Python — a few thousand times for one paint of the Orders table — waiting each time.
With 100,000 orders and the sync on threads, the window froze for 200-350 ms every few seconds.
In its own process the sync has its own lock; the window only reads the cache (SQLite in WAL
mode lets it read while the sync writes).

The parent's calling thread stays in charge and blocks, as `SyncEngine.run` does: it hands the
child what the sync needs through a pipe (never the command line, a file or a log): the API
client's settings with the current tokens, the shop and the cache's path. The child runs the
same engine on the same file and sends back, in order: log lines (already redacted), progress,
renewed tokens, then the result or the error. A cancel is a message; a parent that dies closes
the pipe, and the child stops at once. A child that dies is an error in the seller's words.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tiktok_desktop.api import ClientSettings, TokenSet
from tiktok_desktop.api.errors import ApiError
from tiktok_desktop.logs import ROOT_LOGGER, redact
from tiktok_desktop.store import Store
from tiktok_desktop.sync.engine import SyncEngine
from tiktok_desktop.sync.progress import SyncProgress, SyncResult

log = logging.getLogger(__name__)

# Loggers whose records the child passes on, at the parent's levels (httpx: one line a request).
FORWARDED_LOGGERS = (ROOT_LOGGER, "httpx")
CANCEL = "cancel"
NICENESS = 10  # added to the child's priority number (POSIX; Windows keeps the parent's)
POLL_S = 0.1  # how often the parent looks for a cancel or a dead child between messages


class SyncProcessError(RuntimeError):
    """The sync's process ended without an answer (killed, out of memory, a crash)."""

    plain = "The sync stopped unexpectedly. The app tries again at the next sync."


@dataclass(frozen=True)
class SyncOrder:
    """Everything the child needs, picklable."""

    api: ClientSettings
    shop_cipher: str
    shop_id: str
    store_path: Path
    log_levels: tuple[tuple[str, int], ...]


def log_levels() -> tuple[tuple[str, int], ...]:
    """This process's levels of the loggers the child passes on."""
    return tuple((name, logging.getLogger(name).getEffectiveLevel())
                 for name in FORWARDED_LOGGERS)


def sync_in_own_process(
    order: SyncOrder,
    *,
    progress: Callable[[SyncProgress], None] | None = None,
    cancel: threading.Event | None = None,
    on_tokens: Callable[[TokenSet], None] | None = None,
) -> SyncResult:
    """Run one sync in a new process and wait for it; the same contract as `SyncEngine.run`
    (progress calls on this thread, the cache keeps every page written if it fails)."""
    context = multiprocessing.get_context("spawn")  # fork would copy Qt's threads' locks
    ours, theirs = context.Pipe()
    child = context.Process(target=_child_main, args=(theirs, order), daemon=True,
                            name="tiktok-desktop-sync")
    child.start()
    theirs.close()
    cancel_sent = False
    try:
        while True:
            if cancel is not None and cancel.is_set() and not cancel_sent:
                cancel_sent = True
                with contextlib.suppress(OSError):  # it has ended: read its answer below
                    ours.send(CANCEL)
            if not ours.poll(POLL_S):
                if not child.is_alive() and not ours.poll():
                    raise SyncProcessError(f"the sync's process ended ({child.exitcode})")
                continue
            try:
                kind, value = ours.recv()
            except EOFError:
                raise SyncProcessError("the sync's process closed its pipe") from None
            if kind == "log":
                name, level, text = value
                logging.getLogger(name).log(level, "%s", text)
            elif kind == "progress" and progress is not None:
                progress(value)
            elif kind == "tokens" and on_tokens is not None:
                on_tokens(value)
            elif kind == "done":
                return value
            elif kind == "failed":
                raise value
    finally:
        ours.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()


# -- in the child ---------------------------------------------------------------------------

class _Pipe:
    """The child's end: sends from any thread, one message at a time."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def send(self, kind: str, value: Any) -> None:
        with self._lock:
            self._connection.send((kind, value))


class _Forward(logging.Handler):
    def __init__(self, pipe: _Pipe) -> None:
        super().__init__()
        self._pipe = pipe

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self._pipe.send("log", (record.name, record.levelno, redact(text)))
        except OSError:  # the parent is gone (the app closed): the sync is stopping anyway
            pass
        except Exception:  # a log line must never end the sync
            self.handleError(record)


def _child_main(connection: Connection, order: SyncOrder) -> None:
    if hasattr(os, "nice"):  # background work: when the CPU is short, the window goes first
        os.nice(NICENESS)
    pipe = _Pipe(connection)
    forward = _Forward(pipe)
    for name, level in order.log_levels:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(forward)
        logger.propagate = False
    cancel = threading.Event()
    threading.Thread(target=_listen, args=(connection, cancel), daemon=True,
                     name="sync-cancel").start()
    try:
        api = order.api.client(on_tokens_refreshed=lambda tokens: pipe.send("tokens", tokens))
        engine = SyncEngine(api.shop(order.shop_cipher), order.shop_id,
                            rate_limit=order.api.rate_limit)
        with api, Store.open(order.store_path) as store:
            answer: tuple[str, Any] = ("done", engine.run(
                store, progress=lambda p: pipe.send("progress", p), cancel=cancel))
    except BaseException as error:
        if not isinstance(error, ApiError):
            log.exception("the sync failed")
        answer = ("failed", error if _pickles(error) else SyncProcessError(
            redact(f"{type(error).__name__}: {error}")))
    with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
        pipe.send(*answer)


def _pickles(error: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return False
    return True


def _listen(connection: Connection, cancel: threading.Event) -> None:
    """Cancel on the parent's word, or when the parent is gone (its end of the pipe closed)."""
    try:
        while connection.recv() != CANCEL:
            pass
    except (EOFError, OSError):
        pass
    cancel.set()
