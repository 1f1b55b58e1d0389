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
then the result or the error. A cancel is a message; a parent that dies closes the pipe, and
the child stops at once. A child that dies is an error in the seller's words.

One authority for the shop's tokens and rate limits: the window's ApiClient (`api`). The child
never calls the token host: its client's renewal asks the parent, which answers with
`api.renew_after` (one renewal per stale token set, shared with the window's own calls, so a
refresh token is used once). Its requests take their slots from the parent's limiter: the
parent reserves one (`RateLimiter.reserve`, no waiting) and answers with the wait, which the
child sleeps (cancellably). Tokens the parent renews for itself are passed on at once.

Messages, each a (kind, value) pair:
  child -> parent: ("log", (logger, level, text)), ("progress", SyncProgress),
                   ("slot", (id, endpoint)), ("renew", (id, stale TokenSet)),
                   ("done", SyncResult), ("failed", exception)
  parent -> child: ("cancel", None), ("tokens", TokenSet),
                   ("answer", (id, ok, value or exception))
Requests carry ids because the engine's worker threads ask at the same time; the child's
listener thread hands each answer to the thread waiting for it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tiktok_desktop.api import ApiClient, ClientSettings, RequestCancelled, TokenSet
from tiktok_desktop.api.errors import ApiError
from tiktok_desktop.api.ratelimit import endpoint_of
from tiktok_desktop.api.transport import CANCEL_POLL_S
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
    api: ApiClient | None = None,
    on_tokens: Callable[[TokenSet], None] | None = None,
) -> SyncResult:
    """Run one sync in a new process and wait for it; the same contract as `SyncEngine.run`
    (progress calls on this thread, the cache keeps every page written if it fails).

    api: the window's client for this shop. It renews the tokens the child finds stale and its
    limiter paces the child's requests, so the sync shares both with the window's own calls.
    Without it, a client of `order.api` is made here for this run (sharing nothing; it reports
    the tokens it renews to `on_tokens`, which is not called when `api` is given: renewed
    tokens are then already `api`'s own).
    """
    own = api is None
    parent_api = order.api.client(on_tokens_refreshed=on_tokens) if api is None else api
    context = multiprocessing.get_context("spawn")  # fork would copy Qt's threads' locks
    ours, theirs = context.Pipe()
    child = context.Process(target=_child_main, args=(theirs, order), daemon=True,
                            name="tiktok-desktop-sync")
    child.start()
    theirs.close()
    serving = _Serving(ours, parent_api, cancel, order.api.tokens)
    try:
        while True:
            serving.tell()
            if not ours.poll(POLL_S):
                if not child.is_alive() and not ours.poll():
                    raise SyncProcessError(f"the sync's process ended ({child.exitcode})")
                continue
            try:
                kind, value = ours.recv()
            except (EOFError, OSError):  # a killed child may reset the pipe (unread answers)
                raise SyncProcessError("the sync's process closed its pipe") from None
            if kind == "slot":
                serving.slot(*value)
            elif kind == "renew":
                serving.renew(*value)
            elif kind == "log":
                name, level, text = value
                logging.getLogger(name).log(level, "%s", text)
            elif kind == "progress" and progress is not None:
                progress(value)
            elif kind == "done":
                return value
            elif kind == "failed":
                raise value
    finally:
        with serving.lock:  # a renewal answered late finds the pipe closed, and drops it
            ours.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
        if own:
            parent_api.close()


class _Serving:
    """The parent's side: answers the child's requests and tells it what changed here."""

    def __init__(self, connection: Connection, api: ApiClient,
                 cancel: threading.Event | None, tokens: TokenSet) -> None:
        self.connection, self.api, self.cancel = connection, api, cancel
        self.lock = threading.Lock()  # replies come from this thread and renewal threads
        self._cancel_sent = False
        self._tokens_sent = tokens

    def send(self, kind: str, value: Any) -> None:
        with self.lock, contextlib.suppress(OSError):  # it has ended: its answer says why
            self.connection.send((kind, value))

    def tell(self) -> None:
        """Pass on a cancel, and tokens renewed here since the child last heard."""
        if self.cancel is not None and self.cancel.is_set() and not self._cancel_sent:
            self._cancel_sent = True
            self.send("cancel", None)
        tokens = self.api.tokens
        if tokens != self._tokens_sent:
            self._tokens_sent = tokens
            self.send("tokens", tokens)

    def slot(self, request_id: int, endpoint: str) -> None:
        """A slot from this process's limiter: the child waits what it says before sending."""
        try:
            answer: tuple[bool, Any] = (True, self.api.limiter.reserve(endpoint))
        except Exception as error:  # a bug here must not leave the child waiting
            answer = (False, _picklable(error))
        self.send("answer", (request_id, *answer))

    def renew(self, request_id: int, stale: TokenSet) -> None:
        """Renew on a thread of its own: a refresh takes a round trip, and slots and progress
        must not wait for it."""
        threading.Thread(target=self._renew, args=(request_id, stale), daemon=True,
                         name="sync-renew").start()

    def _renew(self, request_id: int, stale: TokenSet) -> None:
        try:
            answer: tuple[bool, Any] = (True, self.api.renew_after(stale, self.cancel))
            self._tokens_sent = answer[1]  # the child has them with this answer
        except BaseException as error:
            answer = (False, _picklable(error))
        self.send("answer", (request_id, *answer))


def _picklable(error: BaseException) -> BaseException:
    """The error itself when it crosses a pipe intact, else its words in a plain error."""
    if _pickles(error):
        return error
    return SyncProcessError(redact(f"{type(error).__name__}: {error}"))


# -- in the child ---------------------------------------------------------------------------

class _Parent:
    """The child's end of the pipe: sends from any thread; asks the parent and waits for its
    answer (cancellably); its listener thread routes the parent's messages."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._waiting: dict[int, _Reply] = {}
        self._gone = False
        self.cancel = threading.Event()  # the parent's cancel, or the parent is gone
        self.on_tokens: Callable[[TokenSet], None] | None = None

    def send(self, kind: str, value: Any) -> None:
        with self._lock:
            self._connection.send((kind, value))

    def ask(self, kind: str, value: Any, cancel: threading.Event | None) -> Any:
        """Send a request and wait for its answer; a set `cancel` stops the waiting."""
        reply = _Reply()
        with self._lock:
            if self._gone:
                raise RequestCancelled()
            request_id = next(self._ids)
            self._waiting[request_id] = reply
            try:
                self._connection.send((kind, (request_id, value)))
            except OSError:
                del self._waiting[request_id]
                raise RequestCancelled() from None
        while not reply.done.wait(CANCEL_POLL_S):
            if cancel is not None and cancel.is_set():
                with self._lock:
                    self._waiting.pop(request_id, None)
                raise RequestCancelled()
        if reply.ok:
            return reply.value
        raise reply.value

    def renew(self, stale: TokenSet) -> TokenSet:
        """The child's ApiClient's `renew`: the parent renews (or already has)."""
        fresh: TokenSet = self.ask("renew", stale, self.cancel)
        return fresh

    def listen(self) -> None:
        """Route the parent's messages until it says cancel (then go on routing answers: the
        engine's threads finish their requests) or is gone (then cancel and fail every wait)."""
        try:
            while True:
                kind, value = self._connection.recv()
                if kind == CANCEL:
                    self.cancel.set()
                elif kind == "tokens" and self.on_tokens is not None:
                    self.on_tokens(value)
                elif kind == "answer":
                    request_id, ok, result = value
                    with self._lock:
                        reply = self._waiting.pop(request_id, None)
                    if reply is not None:
                        reply.give(ok, result)
        except (EOFError, OSError):
            pass
        self.cancel.set()
        with self._lock:
            self._gone = True
            waiting, self._waiting = list(self._waiting.values()), {}
        for reply in waiting:
            reply.give(False, RequestCancelled())


class _Reply:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.value: Any = None

    def give(self, ok: bool, value: Any) -> None:
        self.ok, self.value = ok, value
        self.done.set()


class _SharedLimiter:
    """The child's limiter: each slot comes from the parent's limiter (see the module doc)."""

    def __init__(self, parent: _Parent, rate: float) -> None:
        self._parent = parent
        self._rate = rate

    @property
    def rate(self) -> float:
        return self._rate

    def reserve(self, endpoint: str) -> float:
        wait: float = self._parent.ask("slot", endpoint, None)
        return wait

    def acquire(self, method: str, path: str, cancel: threading.Event | None = None) -> float:
        wait: float = self._parent.ask("slot", endpoint_of(method, path), cancel)
        if wait > 0:
            if cancel is None:
                time.sleep(wait)
            else:
                cancel.wait(wait)
        return wait


class _Forward(logging.Handler):
    def __init__(self, parent: _Parent) -> None:
        super().__init__()
        self._parent = parent

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self._parent.send("log", (record.name, record.levelno, redact(text)))
        except OSError:  # the parent is gone (the app closed): the sync is stopping anyway
            pass
        except Exception:  # a log line must never end the sync
            self.handleError(record)


def _child_main(connection: Connection, order: SyncOrder) -> None:
    if hasattr(os, "nice"):  # background work: when the CPU is short, the window goes first
        os.nice(NICENESS)
    parent = _Parent(connection)
    forward = _Forward(parent)
    for name, level in order.log_levels:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(forward)
        logger.propagate = False
    threading.Thread(target=parent.listen, daemon=True, name="sync-parent").start()
    try:
        # Never the token host, never a limiter of its own: the parent is the authority.
        api = order.api.client(renew=parent.renew,
                               limiter=_SharedLimiter(parent, order.api.rate_limit))
        parent.on_tokens = api.adopt_tokens
        engine = SyncEngine(api.shop(order.shop_cipher), order.shop_id,
                            rate_limit=order.api.rate_limit)
        with api, Store.open(order.store_path) as store:
            answer: tuple[str, Any] = ("done", engine.run(
                store, progress=lambda p: parent.send("progress", p), cancel=parent.cancel))
    except BaseException as error:
        if not isinstance(error, ApiError | RequestCancelled):
            log.exception("the sync failed")
        answer = ("failed", _picklable(error))
    with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
        parent.send(*answer)


def _pickles(error: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return False
    return True
