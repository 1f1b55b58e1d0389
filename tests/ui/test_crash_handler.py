"""Crashes: a redacted crash log, one non-modal dialog, offered again at the next start."""

from __future__ import annotations

import os
import stat
import sys
import threading

import pytest
from PySide6.QtCore import QTimer

from tiktok_desktop.logs import LogBuffer
from tiktok_desktop.ui import crash

# The dialog is raised above the main window; the offscreen platform says it can't raise windows.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

@pytest.fixture
def handler(qapp, qtbot, tmp_path):
    buffer = LogBuffer()
    handler = crash.CrashHandler(tmp_path, buffer)
    handler.install()
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


def raise_and_hook(exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        sys.excepthook(*sys.exc_info())


def test_a_bug_writes_a_redacted_log_and_shows_one_dialog(handler, tmp_path):
    raise_and_hook(ValueError("bad refresh_token=TTP_leak123abc"))
    raise_and_hook(KeyError("second"))
    logs = crash.previous_crash_logs(tmp_path / "crash-logs")
    assert len(logs) == 2
    text = logs[0].read_text()
    assert "TTP_leak123abc" not in text and "refresh_token=[redacted]" in text
    assert "ValueError" in text and "0.1.0" in text
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    dialog = handler.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert "KeyError" in dialog.details.toPlainText()
    assert "(2 reports)" in dialog.message.text()
    dialog.accept()  # "Keep working": the logs were seen, so they are archived
    assert crash.previous_crash_logs(tmp_path / "crash-logs") == []
    assert len(list((tmp_path / "crash-logs" / "archive").glob("crash-*.log"))) == 2


def test_a_crash_on_a_worker_thread_reaches_the_dialog_on_the_gui_thread(handler, qtbot):
    thread = threading.Thread(target=lambda: 1 / 0, name="sync-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert "ZeroDivisionError" in handler.dialog.details.toPlainText()
    assert "thread: sync-worker" in handler.dialog.details.toPlainText()


def test_logs_are_capped_per_run(handler, tmp_path):
    for n in range(crash.MAX_LOGS_PER_RUN + 3):
        raise_and_hook(RuntimeError(f"paint bug {n}"))
    assert len(crash.previous_crash_logs(tmp_path / "crash-logs")) == crash.MAX_LOGS_PER_RUN
    assert len(handler.reports) == crash.MAX_LOGS_PER_RUN + 3


def test_smoke_mode_exits_with_the_reason_instead_of_a_dialog(qapp, qtbot, tmp_path, capsys,
                                                               monkeypatch):
    exits = []
    monkeypatch.setattr(crash.QApplication, "exit", exits.append)
    handler = crash.CrashHandler(tmp_path, smoke=True)
    handler.install()
    try:
        raise_and_hook(LookupError("before the event loop"))  # start-up returns 1 itself
        assert exits == []
        QTimer.singleShot(0, lambda: raise_and_hook(LookupError("no such tab")))
        qtbot.waitUntil(lambda: exits == [1])  # in the running app: the run ends
    finally:
        handler.uninstall()
    assert handler.dialog is None
    assert "smoke: failed: unexpected error: LookupError: no such tab" in capsys.readouterr().err


def test_previous_crash_is_offered_then_archived(qapp, tmp_path):
    folder = tmp_path / "crash-logs"
    folder.mkdir()
    (folder / "crash-20250101-101010-1.log").write_text("TikTok Shop Desktop crashed\nboom\n")
    handler = crash.CrashHandler(tmp_path)
    dialog = handler.offer_previous_crashes()
    assert dialog is not None and dialog.isVisible()
    assert "closed unexpectedly last time" in dialog.message.text()
    assert "boom" in dialog.details.toPlainText()
    dialog.reject()
    assert crash.previous_crash_logs(folder) == []
    assert crash.CrashHandler(tmp_path).offer_previous_crashes() is None


def test_archive_keeps_the_newest(tmp_path):
    for n in range(crash.KEEP_ARCHIVED + 5):
        path = tmp_path / f"crash-20250101-0000{n:02d}-1.log"
        path.write_text("x")
        crash.archive(path)
    kept = sorted((tmp_path / "archive").glob("crash-*.log"))
    assert len(kept) == crash.KEEP_ARCHIVED
    assert kept[-1].name == f"crash-20250101-0000{crash.KEEP_ARCHIVED + 4:02d}-1.log"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_crash_logs_and_their_folders_are_private_whatever_was_there(handler, tmp_path):
    old = os.umask(0o022)
    try:
        (tmp_path / "crash-logs").mkdir(mode=0o755)  # made open by an older version
        raise_and_hook(ValueError("order 576461413 for Jane Buyer, 1 Main St"))
        handler.dialog.accept()  # seen: archived
    finally:
        os.umask(old)
    folder = tmp_path / "crash-logs"
    [archived] = (folder / "archive").glob("crash-*.log")
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (folder, folder / "archive", archived)]
    assert modes == [0o700, 0o700, 0o600]


def test_keyboard_interrupt_quits_quietly(handler, monkeypatch, tmp_path):
    exits = []
    monkeypatch.setattr(crash.QApplication, "exit", exits.append)
    raise_and_hook(KeyboardInterrupt())
    assert exits == [130] and handler.dialog is None
    assert crash.previous_crash_logs(tmp_path / "crash-logs") == []


def test_a_damaged_cache_is_no_crash_the_window_repairs_it(handler, qtbot, tmp_path):
    import sqlite3

    from tiktok_desktop.ui import messages

    heard: list[messages.Message] = []
    messages.bus().posted.connect(heard.append)
    try:
        with qtbot.waitSignal(messages.bus().cache_damaged):
            raise_and_hook(sqlite3.DatabaseError("database disk image is malformed"))
    finally:
        messages.bus().posted.disconnect(heard.append)
    assert handler.dialog is None
    assert crash.previous_crash_logs(tmp_path / "crash-logs") == []
    [message] = heard
    assert "damaged" in message.text and "delete" not in message.text
