"""Start-up self-check: what this computer can do, as plain notes (STYLE item 14).

    report = run_self_check(data_dir)      # any thread, after the QApplication exists
    for finding in report.problems: ...    # finding.note says what still works and what to do

Nothing here raises: a missing capability is a finding, not a crash. The app runs it on the task
runner at start-up (printer discovery can take a while with network printers) and shows each
problem's note in the message area; `--self-check` prints the report; `--smoke` runs it too, so
the packaged app proves it carries QtPdf, the print plugin and keyring's backends.
"""

from __future__ import annotations

import ctypes.util
import importlib.metadata
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tiktok_desktop.data_folder import make_data_dir
from tiktok_desktop.logs import get_logger

log = get_logger("ui.selfcheck")


@dataclass(frozen=True)
class Finding:
    capability: str  # "Label preview", "Printing", "Keychain", "Data folder"
    ok: bool
    note: str        # a plain sentence for the seller: what works, what to do


@dataclass(frozen=True)
class SelfCheckReport:
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.ok)

    def as_text(self) -> str:
        return "\n".join(f"[{'ok' if f.ok else '!!'}] {f.capability}: {f.note}"
                         for f in self.findings)


def check_pdf() -> Finding:
    try:
        from PySide6.QtPdf import QPdfDocument

        QPdfDocument()
    except ImportError as exc:
        log.warning("QtPdf is missing: %s", exc)
        return Finding("Label preview", False,
                       "Labels can't be previewed inside the app (Qt's PDF module is missing). "
                       "You can still save labels as PDF and print them from your PDF viewer.")
    return Finding("Label preview", True, "Labels and pick lists can be previewed in the app.")


def check_printers() -> Finding:
    if sys.platform.startswith("linux") and ctypes.util.find_library("cups") is None:
        return Finding("Printing", False,
                       "Printing is not available: CUPS (libcups2) is not installed. You can "
                       "still save labels and pick lists as PDF; install CUPS (for example "
                       "`sudo apt install libcups2`) and restart the app to print.")
    try:
        from PySide6.QtPrintSupport import QPrinterInfo

        names = QPrinterInfo.availablePrinterNames()
        default = QPrinterInfo.defaultPrinterName()
    except ImportError as exc:
        log.warning("QtPrintSupport is missing: %s", exc)
        return Finding("Printing", False,
                       "Printing is not available in this copy of the app (Qt's print support "
                       "is missing). You can still save labels and pick lists as PDF.")
    if not names:
        return Finding("Printing", False,
                       "No printer found. You can still save labels and pick lists as PDF; "
                       "add a printer in your system settings and it shows up here.")
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    suffix = f" (default: {default})" if default else ""
    return Finding("Printing", True, f"{len(names)} printer(s): {shown}{suffix}.")


def check_keychain() -> Finding:
    no_keychain = ("No keychain: you can explore the demo shop; to connect your own shop, "
                   "install a Secret Service such as GNOME Keyring (or KWallet) and restart.")
    # Backends are found through entry points: a packaged app without keyring's metadata has
    # none. Logged so the packaging test can see them.
    backends = sorted(ep.name for ep in importlib.metadata.entry_points(group="keyring.backends"))
    log.info("keyring backends installed: %s", ", ".join(backends) or "none")
    try:
        import keyring
        from keyring.backends import fail
        from keyring.errors import KeyringError

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return Finding("Keychain", False, no_keychain)
        # Reading an entry that doesn't exist proves the backend answers, without writing.
        keyring.get_password("tiktok-shop-desktop self-check", "nobody")
    except KeyringError as exc:  # NoKeyringError, a locked or broken keychain, ...
        log.warning("keychain unusable: %r", exc)
        return Finding("Keychain", False, no_keychain)
    except Exception as exc:  # a third-party backend may raise anything: still no keychain
        log.warning("keychain unusable: %r", exc, exc_info=True)
        return Finding("Keychain", False, no_keychain)
    name = getattr(backend, "name", type(backend).__name__)
    return Finding("Keychain", True, f"Sign-ins are kept in the system keychain ({name}).")


def check_data_folder(data_dir: Path) -> Finding:
    try:
        make_data_dir(data_dir)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        log.warning("data folder %s is not writable: %s", data_dir, exc)
        return Finding("Data folder", False,
                       f"The app can't write to {data_dir}, so it can't keep your shop on this "
                       "computer. Check the folder's permissions, or start the app with "
                       "--data-dir pointing to a folder you own.")
    return Finding("Data folder", True, f"Your shop's local copy is kept in {data_dir}.")


def run_self_check(data_dir: Path) -> SelfCheckReport:
    """Every check, in the order the seller meets the capabilities."""
    checks: list[Callable[[], Finding]] = [
        lambda: check_data_folder(data_dir), check_keychain, check_pdf, check_printers]
    findings = tuple(check() for check in checks)
    for finding in findings:
        log.info("self-check: %s: %s: %s", finding.capability,
                 "ok" if finding.ok else "problem", finding.note)
    return SelfCheckReport(findings)
