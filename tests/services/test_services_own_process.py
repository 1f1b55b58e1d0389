"""Work in a process of its own: its result, progress and failures come back as if it had been
called here; a cancel stops it at once."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tiktok_desktop.services import own_process
from tiktok_desktop.services.own_process import (
    WorkCancelled,
    WorkProcessError,
    run_in_own_process,
)

# The work below runs in the child, which imports this module by name (spawn).


def count_to(n: int, *, progress: Any, step: int = 1) -> dict[str, int]:
    for i in range(0, n + 1, step):
        progress(i)
    return {"pid": os.getpid(), "counted": n}


def refuse(reason: str, *, progress: Any) -> None:
    raise ValueError(reason)


class Unsendable(Exception):
    """An exception that can't be rebuilt from its arguments (pickle calls cls(*args))."""

    def __init__(self, reason: str, *, row: int) -> None:
        super().__init__(f"Row {row}: {reason}")


def refuse_unsendably(*, progress: Any) -> None:
    raise Unsendable("bad quantity", row=7)


def forever(*, progress: Any) -> None:
    progress("started")
    while True:
        time.sleep(0.01)


def die(*, progress: Any) -> None:
    os._exit(3)


def test_the_result_and_every_progress_come_back_in_order() -> None:
    seen: list[int] = []
    result = run_in_own_process(count_to, 50, progress=seen.append, step=10)
    assert result["counted"] == 50 and result["pid"] != os.getpid()
    assert seen == [0, 10, 20, 30, 40, 50]


def test_the_works_failure_is_raised_here_with_the_childs_traceback() -> None:
    with pytest.raises(ValueError, match="no such column") as raised:
        run_in_own_process(refuse, "no such column")
    assert any("In the work's own process" in note and "def refuse" not in note
               and "refuse" in note for note in raised.value.__notes__)


def test_a_failure_that_cant_cross_arrives_as_its_words() -> None:
    with pytest.raises(RuntimeError, match="Unsendable: Row 7: bad quantity"):
        run_in_own_process(refuse_unsendably)


def test_a_cancel_stops_the_process_at_once() -> None:
    cancel = threading.Event()
    started = threading.Event()

    def on_progress(_value: object) -> None:
        started.set()
        threading.Timer(0.1, cancel.set).start()

    with pytest.raises(WorkCancelled):
        run_in_own_process(forever, progress=on_progress, cancel=cancel)
    assert started.is_set()
    assert not [child for child in multiprocessing.active_children()
                if child.name == "tiktok-desktop-forever"]


def test_a_process_that_dies_is_an_error_in_plain_words() -> None:
    with pytest.raises(WorkProcessError, match=r"ended \(3\)") as raised:
        run_in_own_process(die)
    assert "try again" in raised.value.plain



def write_until_cancelled(path: Path, *, progress: Any, cancel: threading.Event) -> None:
    """A writer that removes its part-written file when cancelled."""
    part = path.with_suffix(".part")
    with part.open("w") as file:
        progress("writing")
        while not cancel.wait(0.01):
            file.write("row\n")
    part.unlink()
    raise RuntimeError("stopped")


def test_work_that_stops_itself_is_asked_and_tidies_up(tmp_path: Path) -> None:
    cancel = threading.Event()
    with pytest.raises(RuntimeError, match="stopped"):
        run_in_own_process(write_until_cancelled, tmp_path / "orders.csv",
                           progress=lambda _v: threading.Timer(0.1, cancel.set).start(),
                           cancel=cancel, stops_itself=True)
    assert list(tmp_path.iterdir()) == []


def ignore_the_cancel(*, progress: Any, cancel: threading.Event) -> None:
    progress("started")
    while True:
        time.sleep(0.01)


def test_work_that_does_not_stop_when_asked_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(own_process, "CANCEL_GRACE_S", 0.2)
    cancel = threading.Event()
    with pytest.raises(WorkCancelled):
        run_in_own_process(ignore_the_cancel, progress=lambda _v: cancel.set(), cancel=cancel,
                           stops_itself=True)
    assert not [child for child in multiprocessing.active_children()
                if child.name == "tiktok-desktop-ignore_the_cancel"]
