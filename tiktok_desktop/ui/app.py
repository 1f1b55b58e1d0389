"""Start-up: from the command line's options to the first window, and a clean exit.

`run(options)` does, in order: create the QApplication (name, version, icon); claim the data
folder (ui/single_instance.py: if an app already runs on it, ask it to come to the front, say so
and exit 0 before anything in the folder is touched); install logging (redacted, to stderr, a
rotating file in `<data>/logs/` and the in-memory buffer) and route Qt's own messages into it;
install the crash handler; create the task runner (shut down on `aboutToQuit`); open the main
window; offer crash logs left by an earlier run; run the self-check in the background and post
each problem's note to the message area. At exit the folder's lock is released last.

THE SEAM for the main window
----------------------------
If the module `tiktok_desktop.ui.main_window` exists, start-up calls

    tiktok_desktop.ui.main_window.open_main_window(context: AppContext) -> QWidget

on the GUI thread and shows the widget it returns (start-up calls `.show()`; don't `exec()`).
`context` carries everything the window needs:

    context.options.demo       --demo: start the demo shop in-process, sign in, title "Demo shop"
                               (titles leave out the app's name: Qt appends " — TikTok Shop
                               Desktop" itself, from applicationDisplayName)
    context.options.smoke      --smoke (see below)
    context.options.data_dir   the data folder: --data-dir, the platform's, or a temporary one
    context.settings           typed preferences (ui/settings.py): shop_choice, poll interval, ...
    context.tasks              the TaskRunner (ui/tasks.py): all background work goes through it
    context.log_buffer         recent log lines, for an in-app log view
    context.app                the QApplication

Messages for the seller go through `tiktok_desktop.ui.messages` (connect `messages.bus().posted`
to a @Slot(object) of the message bar); the self-check's notes arrive there too.

Until that module exists, `FirstWindow` below stands in (welcome text and "Explore the demo shop");
delete it and the `find_spec` branch when `main_window.py` lands.

--smoke
-------
Succeeds (exit 0, prints "smoke: ok" and a JSON line of figures) when the window has painted, the
self-check has run and QtPdf loads, and then, if the window has a method
`run_smoke(finish: Callable[[str | None], None]) -> None`, when that calls `finish(None)`. The main
window uses it to sync the demo shop and visit every tab; `finish("reason")` fails the run.
Any crash, or SMOKE_TIMEOUT_S without an answer, fails it too: exit 1, the reason on stderr.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

import tiktok_desktop
from tiktok_desktop.data_folder import default_data_dir, make_data_dir
from tiktok_desktop.logs import LogBuffer, get_logger, install_logging
from tiktok_desktop.ui import messages, resources_dir, single_instance
from tiktok_desktop.ui.crash import CrashHandler
from tiktok_desktop.ui.selfcheck import SelfCheckReport, run_self_check
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

log = get_logger("ui.app")
qt_log = get_logger("qt")

DESKTOP_FILE_NAME = "tiktok-desktop"  # the .desktop entry's name: taskbars match windows to it
SMOKE_TIMEOUT_S = 300
MAIN_WINDOW_MODULE = "tiktok_desktop.ui.main_window"


@dataclass(frozen=True)
class StartupOptions:
    """What the command line asked for (see `__main__.py`)."""

    demo: bool = False
    smoke: bool = False
    data_dir: Path | None = None  # None: the platform's folder (a temporary one in smoke)
    log_level: str = "info"
    launched_at: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class AppContext:
    """Everything the main window gets from start-up (the seam, see the module docstring)."""

    app: QApplication
    options: StartupOptions  # with data_dir resolved
    settings: Settings
    tasks: TaskRunner
    log_buffer: LogBuffer
    crash_handler: CrashHandler


def run(options: StartupOptions) -> int:
    """Start the app and run it until the seller quits; the process's exit code."""
    problem = display_problem()
    if problem and options.smoke:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # smoke needs no screen
    elif problem:
        _say(problem, error=True)
        return 2
    temporary = options.smoke and options.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="tiktok-desktop-smoke-")) if temporary else (
        options.data_dir or default_data_dir()).resolve()
    options = StartupOptions(options.demo, options.smoke, data_dir, options.log_level,
                             options.launched_at)
    try:
        return _run(options)
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)


def _run(options: StartupOptions) -> int:
    data_dir = options.data_dir
    assert data_dir is not None
    app = create_application()  # the claim's socket needs it
    # Before the log file, settings, cache or demo shop: a second start touches none of them.
    guard = single_instance.claim(data_dir, {"demo": options.demo})
    if isinstance(guard, single_instance.AlreadyRunning):
        _say(guard.message, error=not guard.answered)
        return guard.exit_code
    try:
        return _run_app(options, app, guard)
    finally:
        guard.close()  # after the window and the task runner: the lock goes last


def _run_app(options: StartupOptions, app: QApplication,
             guard: single_instance.InstanceGuard) -> int:
    data_dir = options.data_dir
    assert data_dir is not None
    log_buffer = _install_logging(options.log_level, data_dir)
    log.info("%s %s starting (data folder %s%s)", tiktok_desktop.APP_NAME,
             tiktok_desktop.__version__, data_dir, ", demo" if options.demo else "")
    guard.log_status()
    previous_handler = qInstallMessageHandler(route_qt_message)
    crash_handler = CrashHandler(data_dir, log_buffer, smoke=options.smoke, parent=app)
    crash_handler.install()
    messages.bus()  # created here, so it lives on the GUI thread
    tasks = TaskRunner(app)
    app.aboutToQuit.connect(tasks.shutdown)
    window: QWidget | None = None
    try:
        context = AppContext(app, options, Settings.open(data_dir), tasks, log_buffer,
                             crash_handler)
        window = open_window(context)
        guard.activation_requested.connect(single_instance.WindowRaiser(window).bring_to_front)
        smoke = SmokeRun(context, window) if options.smoke else None
        window.show()
        crash_handler.offer_previous_crashes(window)
        on_report = smoke.self_check_done if smoke else post_self_check_notes
        tasks.run(lambda control: run_self_check(data_dir), name="Checking this computer",
                  on_done=on_report)
        return app.exec()
    except Exception:  # a bug before the event loop: keep the crash log for the next start
        crash_handler.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
        return 1
    finally:
        tasks.shutdown()
        if window is not None:  # windows go before the QApplication does
            window.close()
            window.deleteLater()
        crash_handler.uninstall()
        qInstallMessageHandler(previous_handler)


def display_problem() -> str | None:
    """Why Qt could not open a window here (it would abort the process), or None."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("No screen found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start the app from "
            "your desktop, or on a server use `xvfb-run tiktok-desktop`.")


def _install_logging(level: str, data_dir: Path) -> LogBuffer:
    try:
        make_data_dir(data_dir)
        return install_logging(level, data_dir / "logs" / "app.log")
    except OSError:  # an unwritable data folder: the self-check explains it to the seller
        buffer = install_logging(level, None)
        log.warning("logging without a file: %s is not writable", data_dir, exc_info=True)
        return buffer


def create_application() -> QApplication:
    # The program name, not `__main__.py` (python -m): X11 takes the window class from it.
    app = QApplication.instance() or QApplication([DESKTOP_FILE_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(DESKTOP_FILE_NAME)  # X11 WM_CLASS: matches StartupWMClass
    app.setApplicationDisplayName(tiktok_desktop.APP_NAME)
    app.setApplicationVersion(tiktok_desktop.__version__)
    app.setOrganizationName(tiktok_desktop.APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The icon from its PNGs (no SVG plugin needed); empty if the resources are missing."""
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("tiktok-desktop-*.png")):
        icon.addFile(str(png))
    return icon


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    """Qt's own warnings ("QFont::...", "QThread: Destroyed while ...") into our log."""
    category = context.category if context.category not in (None, "default") else None
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s",
               f"[{category}] " if category else "", text)


def open_window(context: AppContext) -> QWidget:
    if importlib.util.find_spec(MAIN_WINDOW_MODULE) is not None:
        main_window = importlib.import_module(MAIN_WINDOW_MODULE)
        return main_window.open_main_window(context)
    return FirstWindow(context)


class FirstWindow(QMainWindow):
    """Stands in for the main window until `ui/main_window.py` exists (see the seam above)."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._settings = context.settings
        self.setWindowTitle("Demo shop" if context.options.demo else "")
        self.resize(960, 640)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.welcome = QLabel(f"<h1>Welcome to {tiktok_desktop.APP_NAME}</h1>"
                              "<p>Your TikTok Shop orders, labels and stock on your desktop.</p>",
                              alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.welcome, 0, Qt.AlignmentFlag.AlignHCenter)
        self.demo_button = QPushButton("Explore the demo shop")
        self.demo_button.clicked.connect(self._choose_demo)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setCentralWidget(page)
        self.statusBar()  # where the self-check's notes appear
        messages.bus().posted.connect(self._show_message)

    @Slot()
    def _choose_demo(self) -> None:
        self._settings.shop_choice = "demo"

    @Slot(object)
    def _show_message(self, message: messages.Message) -> None:
        self.statusBar().showMessage(message.text)


# Not a problem until the seller does what needs it: the print dialog says there is no printer,
# the connect dialog that there is no keychain. Announcing them at every start teaches sellers
# to ignore the message area.
SITUATIONAL = frozenset({"Printing", "Keychain"})


def post_self_check_notes(report: SelfCheckReport) -> None:
    """Post the problems that matter now; the situational ones are only logged."""
    for finding in report.problems:
        if finding.capability in SITUATIONAL:
            log.info("self-check: %s (said when it matters)", finding.note)
        else:
            messages.warning(finding.note)


class SmokeRun(QObject):
    """--smoke: waits for the first paint, the self-check and the window's own smoke steps."""

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self._context = context
        self._window = window
        self._waiting = {"the first paint", "the self-check"}
        self._figures: dict[str, object] = {}
        self._ended = False
        window.installEventFilter(self)
        QTimer.singleShot(SMOKE_TIMEOUT_S * 1000, self._time_out)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            self._figures["first_paint_s"] = round(
                time.perf_counter() - self._context.options.launched_at, 3)
            self._figures["painted_at"] = time.time()
            QTimer.singleShot(0, lambda: self._step_done("the first paint"))
        return False

    def self_check_done(self, report: SelfCheckReport) -> None:
        post_self_check_notes(report)
        _say(report.as_text())
        self._figures["self_check"] = {f.capability: f.ok for f in report.findings}
        pdf = next(f for f in report.findings if f.capability == "Label preview")
        if not pdf.ok:  # bundled with the app: missing means a broken build
            self.fail(pdf.note)
            return
        self._step_done("the self-check")

    def _step_done(self, step: str) -> None:
        self._waiting.discard(step)
        if self._waiting or self._ended:
            return
        run_smoke: Callable[[Callable[[str | None], None]], None] | None = getattr(
            self._window, "run_smoke", None)
        if run_smoke is None:
            self.succeed()
            return
        self._waiting.add("the main window's smoke steps")
        run_smoke(self._window_finished)

    def _window_finished(self, reason: str | None) -> None:
        if reason is None:
            self.succeed()
        else:
            self.fail(reason)

    def succeed(self) -> None:
        if self._ended:
            return
        self._ended = True
        _say("smoke: ok")
        _say(json.dumps({"smoke": "ok", **self._figures}))
        QApplication.exit(0)

    def fail(self, reason: str) -> None:
        if self._ended:
            return
        self._ended = True
        _say(f"smoke: failed: {reason}", error=True)
        QApplication.exit(1)

    @Slot()
    def _time_out(self) -> None:
        self.fail(f"timed out after {SMOKE_TIMEOUT_S} s waiting for "
                  + ", ".join(sorted(self._waiting)))


def print_self_check(options: StartupOptions) -> int:
    """--self-check: print the report (problems are findings, not failures: exit 0)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # printing a report needs no screen
    install_logging(options.log_level, None)
    # The program name, not `__main__.py` (python -m): X11 takes the window class from it.
    app = QApplication.instance() or QApplication([DESKTOP_FILE_NAME])  # noqa: F841 - Qt needs one
    report = run_self_check((options.data_dir or default_data_dir()).resolve())
    _say(f"{tiktok_desktop.APP_NAME} {tiktok_desktop.__version__} self-check")
    _say(report.as_text())
    return 0


def _say(text: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # a windowed build on Windows has neither
        print(text, file=stream, flush=True)
