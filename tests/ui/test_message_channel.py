"""One message channel: messages are logged and posted; failures are told apart from bugs."""

from __future__ import annotations

import errno
import logging
import pickle
import sqlite3

import httpx
import pytest
from keyring.errors import NoKeyringError

from tiktok_desktop.api import errors as api_errors
from tiktok_desktop.services.accounts import NotSignedIn
from tiktok_desktop.services.cache_lanes import ShopClosed
from tiktok_desktop.services.redirect_listener import ListenerTimedOut, PortBusy
from tiktok_desktop.services.session import CacheInUse
from tiktok_desktop.sync.own_process import SyncProcessError
from tiktok_desktop.ui import messages


@pytest.fixture
def posted(qapp):
    shown: list[messages.Message] = []
    messages.bus().posted.connect(shown.append)
    yield shown
    messages.bus().posted.disconnect(shown.append)


def test_helpers_log_and_post_redacted_text(posted, caplog):
    caplog.set_level(logging.INFO, logger="tiktok_desktop")
    messages.info("Stock saved for 12 SKUs.")
    messages.warning("Token access_token=TTP_abc123xyz expiring")
    messages.error("Could not print.")
    assert [(m.level, m.text) for m in posted] == [
        (messages.Level.INFO, "Stock saved for 12 SKUs."),
        (messages.Level.WARNING, "Token access_token=[redacted] expiring"),
        (messages.Level.ERROR, "Could not print."),
    ]
    assert [r.levelno for r in caplog.records] == [logging.INFO, logging.WARNING, logging.ERROR]


def api_error(cls: type) -> Exception:
    return cls(36009003, "internal", "req-1", 500)


@pytest.mark.parametrize(("exc", "words"), [
    (api_errors.NetworkError("connection refused"), "Can't reach TikTok Shop"),
    (httpx.ConnectError("refused"), "Can't reach TikTok Shop"),
    (api_error(api_errors.TokenExpiredError), "sign-in has expired"),
    (api_error(api_errors.InvalidTokenError), "sign-in has expired"),
    (api_error(api_errors.RateLimitedError), "slow down"),
    (api_error(api_errors.ServerError), "servers had a problem"),
    (api_error(api_errors.NotFoundError), api_errors.NotFoundError.plain),
    (sqlite3.OperationalError("database is locked"), "busy"),
    (sqlite3.OperationalError("database or disk is full"), "disk is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "can't be written"),
    (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
    (NoKeyringError(), "No usable keychain"),
    (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    (PermissionError(errno.EACCES, "Permission denied", "/data/cache.db"), "/data/cache.db"),
])
def test_known_failures_get_a_plain_sentence(exc, words):
    described = messages.describe_failure(exc)
    assert described is not None and words in described


def test_real_sqlite_error_codes_are_understood(tmp_path):
    path = tmp_path / "shop.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(path).execute("select * from sqlite_master")
    assert "damaged" in messages.describe_failure(caught.value)


@pytest.mark.parametrize("exc", [KeyError("x"), ValueError("bad"), sqlite3.ProgrammingError("x"),
                                 OSError(errno.EBADF, "Bad file descriptor")])
def test_everything_else_is_a_bug(exc):
    assert messages.describe_failure(exc) is None


def test_report_failure_shows_known_and_hands_bugs_to_the_excepthook(posted, monkeypatch):
    hooked = []
    monkeypatch.setattr("sys.excepthook", lambda *args: hooked.append(args[1]))
    shown = messages.report_failure(api_error(api_errors.RateLimitedError), doing="Syncing orders")
    assert shown is posted[-1] and shown.level is messages.Level.ERROR
    assert shown.text.startswith("Syncing orders failed. TikTok Shop asked the app to slow down")
    bug = RuntimeError("unexpected")
    assert messages.report_failure(bug) is None
    assert hooked == [bug]


class ServerError(Exception):
    """Another library's error that shares a name (and a `plain`) with one of the API's."""

    plain = "Someone else's words."


class NetworkError(ConnectionError):
    pass


@pytest.mark.parametrize("exc", [ServerError("boom"), NetworkError("boom")])
def test_a_namesake_of_a_known_error_is_still_a_bug(exc, posted, monkeypatch):
    hooked = []
    monkeypatch.setattr("sys.excepthook", lambda *args: hooked.append(args[1]))
    assert messages.describe_failure(exc) is None
    assert messages.report_failure(exc, doing="Syncing orders") is None
    assert hooked == [exc] and posted == []


def every_api_error() -> list[type[api_errors.ApiError]]:
    found, todo = [], [api_errors.ApiError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("cls", every_api_error(), ids=lambda cls: cls.__name__)
def test_every_api_error_is_known_also_after_crossing_from_the_sync_process(cls):
    exc = (api_errors.NetworkError("timed out") if cls is api_errors.NetworkError
           else api_error(cls))
    described = messages.describe_failure(exc)
    assert described and described == messages.describe_failure(pickle.loads(pickle.dumps(exc)))
    assert described[0].isupper() and described.endswith(".") and ".." not in described


@pytest.mark.parametrize("exc", [
    SyncProcessError("the sync's process ended (-9)"), CacheInUse(), NotSignedIn(),
    PortBusy(53682, "python3"), ListenerTimedOut(), ShopClosed(),
])
def test_our_own_failures_speak_in_their_own_words(exc):
    assert messages.describe_failure(exc) == exc.plain


@pytest.mark.parametrize("exc", [
    sqlite3.OperationalError("unterminated string"),  # a query the app got wrong
    ValueError("Exceeds the limit (4300 digits) for integer string conversion"),
    UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
])
def test_an_error_the_channel_does_not_recognise_goes_to_the_crash_handler(exc, posted,
                                                                          monkeypatch):
    hooked = []
    monkeypatch.setattr("sys.excepthook", lambda *args: hooked.append(args[1]))
    assert messages.report_failure(exc, doing="Searching orders") is None
    assert hooked == [exc] and posted == []
