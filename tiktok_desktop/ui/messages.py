"""One message channel for the seller: error / warning / info, kept in the message list
(ui/message_list.py), each with its time and, if given, an action.

    from tiktok_desktop.ui import messages
    messages.info("Stock saved for 12 SKUs.")
    messages.warning("2 numbers changed elsewhere.", MessageAction("Resolve…", tab.resolve))
    messages.report_failure(exc, doing="Syncing orders")  # known: friendly text; bug: crash

Each call logs the message and emits `messages.bus().posted(Message)`. The main window connects
that signal to a @Slot of its message list. The bus lives on the GUI thread, so a call from a worker
thread still reaches the bar on the GUI thread (queued), but prefer reporting from the task
runner's callbacks, which already run there.

Known failures (STYLE item 10) are the environment's doing — network down, sign-in expired,
rate limited, TikTok Shop's servers failing, the cache database busy / full / read-only / damaged,
no keychain, a folder that can't be written — and get a plain sentence with a way forward. A
damaged cache also emits `bus().cache_damaged`: the main window then rescues it.
Anything else is a bug and goes to `sys.excepthook` (the crash handler).
"""

from __future__ import annotations

import enum
import errno
import logging
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from PySide6.QtCore import QObject, Signal

from tiktok_desktop.api.errors import (
    ApiError,
    InvalidTokenError,
    NetworkError,
    RateLimitedError,
    ServerError,
    TokenExpiredError,
)
from tiktok_desktop.logs import get_logger, redact
from tiktok_desktop.store import is_damaged

log = get_logger("ui.messages")


class Level(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class MessageAction:
    """What the seller can do about a message, offered next to it in the message list."""

    label: str  # "Open the order", "Resolve…"
    run: Callable[[], object]  # called on the GUI thread when the seller clicks it


@dataclass(frozen=True)
class Message:
    level: Level
    text: str
    at: float = field(default_factory=time.time)
    action: MessageAction | None = None


class MessageBus(QObject):
    """Carries messages to whatever shows them. Connect `posted` to a @Slot(object)."""

    posted = Signal(object)  # Message
    cache_damaged = Signal()  # a failure said the cache file is damaged: the window rescues it


_bus: MessageBus | None = None


def bus() -> MessageBus:
    """The app's message bus, created on first use (call it first from the GUI thread)."""
    global _bus
    if _bus is None:
        _bus = MessageBus()
    return _bus


_LOG_LEVELS = {Level.INFO: logging.INFO, Level.WARNING: logging.WARNING, Level.ERROR: logging.ERROR}


def _post(level: Level, text: str, action: MessageAction | None) -> Message:
    message = Message(level, redact(text), action=action)
    log.log(_LOG_LEVELS[level], "%s", message.text)
    bus().posted.emit(message)
    return message


def info(text: str, action: MessageAction | None = None) -> Message:
    return _post(Level.INFO, text, action)


def warning(text: str, action: MessageAction | None = None) -> Message:
    return _post(Level.WARNING, text, action)


def error(text: str, action: MessageAction | None = None) -> Message:
    return _post(Level.ERROR, text, action)


def describe_failure(exc: BaseException) -> str | None:
    """A plain sentence with a way forward for a known failure, or None for a bug.

    Known by type: an error of another library that merely shares a name with one of ours
    (a `ServerError`, a `NetworkError`) is not ours to explain, so it is a bug."""
    if isinstance(exc, NetworkError | httpx.TransportError):
        return ("Can't reach TikTok Shop. Check your internet connection; the app keeps working "
                "from its local copy and tries again.")
    if isinstance(exc, TokenExpiredError | InvalidTokenError):
        return "Your shop's sign-in has expired. Connect your shop again to keep it up to date."
    if isinstance(exc, RateLimitedError):
        return "TikTok Shop asked the app to slow down. It will try again in a moment."
    if isinstance(exc, ServerError):
        return "TikTok Shop's servers had a problem. The app will try again; nothing was lost."
    if isinstance(exc, ApiError):
        return exc.plain  # one sentence in the seller's words, e.g. a missing permission
    plain = getattr(exc, "plain", None)
    if type(exc).__module__.startswith("tiktok_desktop.") and isinstance(plain, str):
        return plain  # one of ours that speaks to the seller (NotSignedIn, PortBusy, ...)
    if isinstance(exc, sqlite3.Error):
        return _describe_database_failure(exc)
    if _is_keyring_error(exc):
        return ("No usable keychain: you can explore the demo shop; to connect your own shop, "
                "install a Secret Service such as GNOME Keyring (or KWallet) and sign in to it.")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "The disk is full. Free some space; the app keeps what it has and retries."
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        where = f" ({exc.filename})" if exc.filename else ""
        return (f"The app isn't allowed to write to its folder{where}. Check the folder's "
                "permissions, or start the app with --data-dir pointing to a folder you own.")
    return None


def _describe_database_failure(exc: sqlite3.Error) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return ("The local copy of your shop is busy (is the app open twice?). "
                "Close the other window and try again.")
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return "The disk is full, so the local copy can't be updated. Free some space and retry."
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) or "readonly" in text:
        return ("The local copy of your shop can't be written (read-only folder or file). "
                "Check its permissions, or start the app with --data-dir.")
    if is_damaged(exc):
        return ("The local copy of your shop is damaged. The app sets it aside, keeps your "
                "unpushed edits and downloads the rest of your shop again.")
    return None


def _is_keyring_error(exc: BaseException) -> bool:
    errors = sys.modules.get("keyring.errors")
    return errors is not None and isinstance(exc, errors.KeyringError)


def report_failure(exc: BaseException, doing: str | None = None) -> Message | None:
    """Show a known failure as an error message; hand a bug to the crash handler.

    `doing` names what failed in the seller's words ("Syncing orders"). Returns the message
    shown, or None when it was a bug.
    """
    described = describe_failure(exc)
    if described is None:
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return None
    log.info("%s failed: %r", doing or "A task", exc)
    if is_damaged(exc):
        bus().cache_damaged.emit()
    return error(f"{doing} failed. {described}" if doing else described)
