"""Bugs end here: an exception nobody handled becomes a crash log and a (non-modal) crash dialog.

`CrashHandler.install()` takes over `sys.excepthook` (the GUI thread, and exceptions PySide
catches in slots and virtual methods) and `threading.excepthook` (Python threads). Each crash:

1. writes `crash-YYYYmmdd-HHMMSS-N.log` (redacted: traceback, versions, recent log lines) into
   `<data folder>/crash-logs/`, readable by the user only;
2. shows one `CrashDialog` on the GUI thread (a crash on a worker thread is queued there), which
   further crashes of the same run add to; in `--smoke` mode it ends the run with exit code 1
   and the reason instead.

A log still in the folder at the next start comes from a run that never showed it (the process
died): `offer_previous_crashes()` shows it, and closing the dialog moves it to `archive/`.
"""

from __future__ import annotations

import datetime
import itertools
import platform
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import tiktok_desktop
from tiktok_desktop.data_folder import private_folder, private_opener
from tiktok_desktop.logs import LogBuffer, get_logger, redact
from tiktok_desktop.store import is_damaged
from tiktok_desktop.ui import messages

log = get_logger("ui.crash")

FOLDER_NAME = "crash-logs"
KEEP_ARCHIVED = 20
MAX_LOGS_PER_RUN = 5  # a bug in a paint event fires 60 times a second: don't fill the disk
_RECENT_LINES = 100


@dataclass(frozen=True)
class CrashReport:
    path: Path | None  # None when the log could not be written
    summary: str       # "ValueError: ..." (redacted)
    text: str          # the whole log (redacted)


def crash_folder(data_dir: Path) -> Path:
    return data_dir / FOLDER_NAME


def format_crash(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None, *, thread: str, recent: list[str]) -> str:
    """The crash log's text: a header of versions, then the traceback and log lines, redacted."""
    header = [
        f"{tiktok_desktop.APP_NAME} {tiktok_desktop.__version__} crashed",
        f"time: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"thread: {thread}",
        f"python: {sys.version.split()[0]}  qt: {qVersion()}  "
        f"system: {platform.platform()}  frozen: {getattr(sys, 'frozen', False)}",
    ]
    details = [
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
        "",
        f"last {len(recent)} log lines:",
        *recent,
    ]
    return "\n".join(header) + "\n\n" + redact("\n".join(details)) + "\n"


def write_crash_log(folder: Path, text: str) -> Path:
    private_folder(folder)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    numbers = itertools.count(1)
    while True:  # "x" (O_EXCL): two crashes in one second get two files
        path = folder / f"crash-{stamp}-{next(numbers)}.log"
        try:
            with open(path, "x", encoding="utf-8", opener=private_opener) as file:
                file.write(text)
        except FileExistsError:
            continue
        return path


def previous_crash_logs(folder: Path) -> list[Path]:
    """Crash logs nobody has seen yet, oldest first."""
    return sorted(folder.glob("crash-*.log")) if folder.is_dir() else []


def archive(path: Path) -> None:
    """Move a shown crash log to `archive/`, keeping the newest KEEP_ARCHIVED there."""
    target = private_folder(path.parent / "archive")
    if path.exists():
        path.replace(target / path.name)
    for old in sorted(target.glob("crash-*.log"))[:-KEEP_ARCHIVED]:
        old.unlink()


class CrashDialog(QDialog):
    """Says what happened, where the report is, and lets the seller keep working or quit.

    Non-modal: the app keeps running behind it. Closing it archives the logs it showed.
    """

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(640, 420)
        self.paths: list[Path] = []
        self._intro = intro
        self.message = QLabel(wordWrap=True,
                              textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox()
        self.keep_working = buttons.addButton("Keep working",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton("Quit the app", QDialogButtonBox.ButtonRole.RejectRole)
        copy = QPushButton("Copy report")
        open_folder = QPushButton("Open folder")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_working.clicked.connect(self.accept)
        self.quit_button.clicked.connect(self._quit)
        copy.clicked.connect(self._copy)
        open_folder.clicked.connect(self._open_folder)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.finished.connect(self._archive)
        self.keep_working.setDefault(True)

    def add(self, report: CrashReport) -> None:
        if report.path is not None:
            self.paths.append(report.path)
        separator = "\n" + "-" * 72 + "\n" if self.details.toPlainText() else ""
        self.details.appendPlainText(separator + report.text)
        where = (f"The report is saved in {self.paths[-1].parent}." if self.paths
                 else "The report could not be saved; copy it from below.")
        count = len(self.paths) if self.paths else 1
        self.message.setText(f"{self._intro}\n\n{where}"
                             + (f" ({count} reports)" if count > 1 else ""))

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    @Slot()
    def _open_folder(self) -> None:
        if self.paths:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths[-1].parent)))

    @Slot()
    def _quit(self) -> None:
        self.reject()
        QApplication.exit(1)

    @Slot()
    def _archive(self) -> None:
        for path in self.paths:
            try:
                archive(path)
            except OSError as exc:
                log.warning("could not archive %s: %s", path, exc)


_NOW_INTRO = (
    "Something went wrong that the app did not expect. Your shop is safe: changes waiting to be "
    "sent stay queued and are sent later. You can keep working, or quit and start again. If it "
    "happens again, please send the report below to support."
)
_PREVIOUS_INTRO = (
    "The app closed unexpectedly last time. Your shop is safe: changes that were waiting are sent "
    "now. If it keeps happening, please send the report below to support."
)


class CrashHandler(QObject):
    """Writes crash logs and shows them. Create on the GUI thread, then `install()`."""

    _crashed = Signal(object)  # CrashReport; may be emitted on any thread

    def __init__(self, data_dir: Path, log_buffer: LogBuffer | None = None, *,
                 smoke: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = crash_folder(data_dir)
        self._log_buffer = log_buffer
        self._smoke = smoke
        self._written = 0
        self._lock = threading.Lock()
        self.dialog: CrashDialog | None = None
        self.reports: list[CrashReport] = []
        self._previous_hooks: tuple | None = None
        self._crashed.connect(self._show)

    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle_exception
        threading.excepthook = self._handle_thread_exception

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def _handle_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        self.handle_exception(args.exc_type, args.exc_value, args.exc_traceback, thread=name)

    def handle_exception(self, exc_type: type[BaseException], exc: BaseException,
                         tb: TracebackType | None, *, thread: str | None = None) -> None:
        """The excepthook: log it, write the crash log, show it (from any thread)."""
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal: just quit
            QApplication.exit(130)
            return
        if is_damaged(exc):  # not a bug: the window rescues the cache (ui/messages.py)
            messages.report_failure(exc)
            return
        thread = thread or threading.current_thread().name
        recent = self._log_buffer.lines()[-_RECENT_LINES:] if self._log_buffer else []
        text = format_crash(exc_type, exc, tb, thread=thread, recent=recent)
        log.critical("unexpected error on thread %s", thread, exc_info=(exc_type, exc, tb))
        summary = redact("".join(traceback.format_exception_only(exc_type, exc)).strip())
        path = None
        with self._lock:
            self._written += 1
            may_write = self._written <= MAX_LOGS_PER_RUN
        if may_write:
            try:
                path = write_crash_log(self.folder, text)
            except OSError as error:
                log.error("could not write the crash log: %s", error)
        self._crashed.emit(CrashReport(path, summary, text))

    @Slot(object)
    def _show(self, report: CrashReport) -> None:  # on the GUI thread
        self.reports.append(report)
        if self._smoke:
            if sys.stderr is not None:
                print(f"smoke: failed: unexpected error: {report.summary}", file=sys.stderr)
            # Before the event loop runs, start-up returns 1 itself; exit() then would make
            # every later event loop of this process end at once (Qt's quitNow).
            if QThread.currentThread().loopLevel() > 0:
                QApplication.exit(1)
            return
        if self.dialog is None or not self.dialog.isVisible():
            self.dialog = CrashDialog(f"{tiktok_desktop.APP_NAME}: unexpected problem", _NOW_INTRO,
                                      QApplication.activeWindow())
        self.dialog.add(report)
        self.dialog.show()
        self.dialog.raise_()

    def offer_previous_crashes(self, parent: QWidget | None = None) -> CrashDialog | None:
        """Show crash logs left by earlier runs, if any (not in smoke mode: CI has no reader)."""
        paths = previous_crash_logs(self.folder)
        if not paths or self._smoke:
            return None
        dialog = CrashDialog(f"{tiktok_desktop.APP_NAME}: it closed unexpectedly",
                             _PREVIOUS_INTRO, parent)
        for path in paths[-MAX_LOGS_PER_RUN:]:
            text = path.read_text(encoding="utf-8", errors="replace")
            dialog.add(CrashReport(path, text.splitlines()[0] if text else "", text))
        dialog.paths = paths  # archive even the ones not shown: they are old
        dialog.quit_button.hide()  # nothing is wrong now: there is nothing to quit from
        dialog.show()
        return dialog
