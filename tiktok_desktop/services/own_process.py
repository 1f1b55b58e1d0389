"""Long Python work (reading a 200,000-row spreadsheet) in a process of its own, so the window
keeps its Python to itself.

Why not a worker thread: CPython runs one thread's Python at a time (the GIL), and the window's
thread takes that lock each time Qt calls into Python. A thread reading a big file for seconds
held the window for over a second at a time (sync/own_process.py tells the same of the sync).

    result = run_in_own_process(export_cached_orders, path, cache, shop_id, order_ids,
                                progress=control.progress, cancel=control.cancelled,
                                stops_itself=True)

The calling thread waits, as if it had called `work(*args, progress=…, **kwargs)` itself:
progress arrives on it, the result is returned, the work's exception raised (with the child's
traceback in its notes). A cancel stops the child at once (killed), which suits work without
side effects, such as reading a file. Work that must tidy up when cancelled (a writer removes
its part-written file) says `stops_itself=True`: it is given a `cancel` flag that is set on a
cancel (or when this process dies) and has CANCEL_GRACE_S to end before it is killed.
`work` must be a module-level function; it, its arguments and its result must pickle. Keep the
result small: unpickling it holds this process's Python, so hand back what the window shows
(a preview), not 200,000 rows.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# From this size a file is read in a process of its own: starting one costs ~0.4 s, more than
# reading a smaller file takes, and a smaller file holds the window only briefly.
OWN_PROCESS_FROM = 32 * 1024
CANCEL_GRACE_S = 5.0  # for work that stops itself to end after a cancel (then it is killed)
POLL_S = 0.05  # how often the parent looks for a cancel or a dead child between messages
EXIT_WAIT_S = 5  # for a child that has answered to end on its own before it is stopped


class WorkCancelled(Exception):
    """The work was cancelled; its process was stopped."""


class WorkProcessError(RuntimeError):
    """The work's process ended without an answer (killed, out of memory, a crash)."""

    plain = ("It stopped unexpectedly (out of memory, or its process was ended). "
             "Please try again.")


def run_in_own_process(work: Callable[..., T], *args: Any,
                       progress: Callable[[Any], None] | None = None,
                       cancel: threading.Event | None = None, stops_itself: bool = False,
                       **kwargs: Any) -> T:
    """`work(*args, progress=…, **kwargs)` in a new process; wait for it (see the module)."""
    context = multiprocessing.get_context("spawn")  # fork would copy Qt's threads' locks
    ours, theirs = context.Pipe()
    child = context.Process(target=_child_main, args=(theirs, work, args, kwargs, stops_itself),
                            daemon=True,
                            name=f"tiktok-desktop-{getattr(work, '__name__', 'work')}")
    child.start()
    theirs.close()
    answered = False
    stop_by: float | None = None  # asked to stop itself: killed if still running then
    try:
        while True:
            if cancel is not None and cancel.is_set() and stop_by is None:
                stop_by = _ask_to_stop(ours) if stops_itself else 0.0
            if stop_by is not None and time.monotonic() >= stop_by:
                raise WorkCancelled
            if not ours.poll(POLL_S):
                if not child.is_alive() and not ours.poll():
                    raise WorkProcessError(f"the work's process ended ({child.exitcode})")
                continue
            try:
                kind, value = ours.recv()
            except (EOFError, OSError):  # it died: its end of the pipe closed with it
                child.join(EXIT_WAIT_S)
                raise WorkProcessError(f"the work's process ended ({child.exitcode})") from None
            if kind == "progress":
                if progress is not None:
                    progress(value)
                continue
            answered = True
            if kind == "failed":
                raise value
            return value
    finally:
        ours.close()
        if answered:
            child.join(EXIT_WAIT_S)
        if child.is_alive():
            child.kill()
        child.join()


def _ask_to_stop(conn: Connection) -> float:
    """Tell the child to stop; when to stop waiting for it."""
    try:
        conn.send(("cancel", None))
    except OSError:  # already gone
        return 0.0
    return time.monotonic() + CANCEL_GRACE_S


def _child_main(conn: Connection, work: Callable[..., Any], args: tuple[Any, ...],
                kwargs: dict[str, Any], stops_itself: bool) -> None:
    if stops_itself:
        cancel = threading.Event()
        threading.Thread(target=_listen, args=(conn, cancel), daemon=True).start()
        kwargs = {**kwargs, "cancel": cancel}
    try:
        result = work(*args, progress=lambda value: conn.send(("progress", value)), **kwargs)
    except BaseException as error:  # every failure goes back to the caller
        conn.send(("failed", _sendable(error)))
    else:
        conn.send(("done", result))
    finally:
        conn.close()


def _listen(conn: Connection, cancel: threading.Event) -> None:
    """The child's ear: the parent's only message is a cancel; its end of the pipe closing
    (it died) means the same."""
    with contextlib.suppress(EOFError, OSError):
        conn.recv()
    cancel.set()


def _sendable(error: BaseException) -> BaseException:
    """The error with the child's traceback noted, or, if it can't cross to the parent, a
    RuntimeError saying what it was."""
    error.add_note("In the work's own process:\n" + traceback.format_exc().rstrip())
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # any failure to cross means: send its words instead
        plain = RuntimeError(f"{type(error).__name__}: {error}")
        plain.__notes__ = list(getattr(error, "__notes__", []))
        return plain
    return error


def run_for_file(path: Path, work: Callable[..., T], *args: Any,
                 progress: Callable[[Any], None] | None = None,
                 cancel: threading.Event | None = None, **kwargs: Any) -> T:
    """`work(path, *args, progress=…, cancel=…, **kwargs)` for a file the seller picked: read
    here when it is under OWN_PROCESS_FROM, else in a process of its own (run_in_own_process:
    the child gets no `cancel`, it is killed instead). A file that can't be looked at is read
    here: reading it says what is wrong in the seller's words."""
    try:
        small = path.stat().st_size < OWN_PROCESS_FROM
    except OSError:
        small = True
    if small:
        return work(path, *args, progress=progress, cancel=cancel, **kwargs)
    return run_in_own_process(work, path, *args, progress=progress, cancel=cancel, **kwargs)
