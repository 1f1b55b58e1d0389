"""Logging for the whole app: named loggers, secret redaction, and a bounded in-memory buffer.

No Qt here (the UI routes Qt's own messages in, see `ui/app.py`). Every handler that
`install_logging` adds carries the `Redactor` filter, so a token never reaches a log line, a log
file, a crash log or the in-app log view, whichever logger wrote it:

    from tiktok_desktop.logs import get_logger, register_secret
    log = get_logger("sync")              # -> logging.Logger "tiktok_desktop.sync"
    register_secret(tokens.access_token)  # masked wherever it appears from now on
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Iterable
from io import TextIOWrapper
from pathlib import Path

from tiktok_desktop.data_folder import private_folder, private_opener

ROOT_LOGGER = "tiktok_desktop"
MASK = "[redacted]"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
LEVELS = ("debug", "info", "warning", "error")

# Names under which TikTok Shop and HTTP carry secrets: query strings, JSON, headers, reprs.
_SECRET_NAMES = (
    r"access_token|refresh_token|app_secret|auth_code|code|sign|signature|password|secret"
    r"|x-tts-access-token|authorization"
)
_KEYED = re.compile(
    rf"""(?ix)
    (?P<key>["']?\b(?:{_SECRET_NAMES})\b["']?)     # the name, maybe quoted
    (?P<sep>\s*[:=]\s*(?:Bearer\s+)?["']?)          # = or : (JSON, headers), maybe Bearer, quote
    (?!\[redacted\])                                # (already masked: leave it)
    (?=[^\s"'&,;}}\])]*[^\d\s"'&,;}}\])])             # not all digits: keeps "code": 105002
    (?P<value>[^\s"'&,;}}\])]+)                     # the value up to a delimiter
    """
)
# An opaque credential-looking run: 40+ characters of letters, digits and - _ + = with both
# letters and digits. Order, package and SKU ids are all digits, so they stay readable; "." and
# "/" end a run, so file paths and version strings in tracebacks do too.
_OPAQUE = re.compile(r"(?<![\w+=-])(?=[\w+=-]*[A-Za-z])(?=[\w+=-]*\d)[\w+=-]{40,}")
# Values shorter than this are not registered: masking "1" or "ab" everywhere would ruin logs.
_MIN_SECRET_LENGTH = 6


class Redactor(logging.Filter):
    """Masks secrets in a record's message, arguments and traceback text.

    Two nets: values registered at runtime (exact matches, e.g. the current tokens), and patterns
    that catch what looks like a secret even if nobody registered it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._known: frozenset[str] = frozenset()

    def register(self, value: str) -> None:
        if value and len(value) >= _MIN_SECRET_LENGTH:
            with self._lock:
                self._known = self._known | {value}

    def redact(self, text: str) -> str:
        for value in sorted(self._known, key=len, reverse=True):
            text = text.replace(value, MASK)
        text = _KEYED.sub(lambda m: f"{m['key']}{m['sep']}{MASK}", text)
        return _OPAQUE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = Redactor()


def register_secret(value: str) -> None:
    """Mask `value` in every log line, crash log and log view from now on."""
    REDACTOR.register(value)


def redact(text: str) -> str:
    """`text` with every known or secret-looking value masked (for crash logs, error text)."""
    return REDACTOR.redact(text)


def get_logger(area: str) -> logging.Logger:
    """The logger for one area of the app ("sync", "ui.tasks", ...), under `tiktok_desktop`."""
    return logging.getLogger(f"{ROOT_LOGGER}.{area}")


class LogBuffer(logging.Handler):
    """The last `capacity` log lines, formatted and redacted, for the in-app log view.

    A view polls `lines_since(seen)` with the `total` it saw last time; it never has to keep up.
    """

    def __init__(self, capacity: int = 2000) -> None:
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.total = 0  # lines ever written; the buffer holds the last `capacity` of them

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self.lock:  # type: ignore[union-attr]  # Handler.createLock() made it
            self._lines.append(line)
            self.total += 1

    def lines(self) -> list[str]:
        with self.lock:  # type: ignore[union-attr]
            return list(self._lines)

    def lines_since(self, seen: int) -> tuple[list[str], int]:
        """Lines written after the first `seen` ones (as far as the buffer still holds them)."""
        with self.lock:  # type: ignore[union-attr]
            new = min(self.total - seen, len(self._lines))
            return list(self._lines)[len(self._lines) - new:] if new > 0 else [], self.total


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """The rotated log file, readable by its user only: the first file and each one a rotation
    starts (log lines name orders, buyers and shops)."""

    def _open(self) -> TextIOWrapper:
        return open(self.baseFilename, self.mode, encoding=self.encoding,
                    errors=self.errors, opener=private_opener)


def install_logging(level: str = "info", log_file: Path | None = None) -> LogBuffer:
    """Configure the app's loggers once at start-up; returns the buffer for the log view.

    Writes to stderr (when there is one: a windowed build on Windows has none), to `log_file`
    (rotated, 1 MB x 3) and to the buffer, all redacted. Libraries' loggers (httpx, keyring)
    reach the same handlers through the root logger at WARNING.
    """
    numeric = getattr(logging, level.upper())
    formatter = logging.Formatter(LOG_FORMAT)
    buffer = LogBuffer()
    handlers: list[logging.Handler] = [buffer]
    if sys.stderr is not None:
        handlers.append(logging.StreamHandler(sys.stderr))
    if log_file is not None:
        private_folder(log_file.parent)
        handlers.append(PrivateLogFile(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"))
    _attach(logging.getLogger(), handlers, formatter)
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger(ROOT_LOGGER).setLevel(numeric)
    logging.captureWarnings(True)
    return buffer


def _attach(logger: logging.Logger, handlers: Iterable[logging.Handler],
            formatter: logging.Formatter) -> None:
    for old in [h for h in logger.handlers if getattr(h, "_tiktok_desktop", False)]:
        logger.removeHandler(old)
        old.close()
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(REDACTOR)
        handler._tiktok_desktop = True  # type: ignore[attr-defined]  # ours, replaced on reinstall
        logger.addHandler(handler)
