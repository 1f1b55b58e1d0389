"""The HTTP layer under the client: one pooled httpx.Client, envelopes, and secret hygiene.

Token-host URLs carry the app secret in the query, so neither httpx's own log lines nor its
exception texts may escape: log records are redacted, and network failures are re-raised as a
`NetworkError` that carries no URL and no chained httpx exception.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from tiktok_desktop.api.errors import NO_ANSWER, ApiError, NetworkError, ServerError, error_for

log = logging.getLogger(__name__)

# Connect fast, allow slow reads (big order pages); the pool fits ~16 worker threads.
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0, pool=30.0)
POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=20)

_SECRET_PARAM = re.compile(
    r"([?&](?:app_secret|access_token|refresh_token|auth_code|code)=)[^&\s\"'#]*",
    re.IGNORECASE,
)


def redact_url_text(text: str) -> str:
    """Text with the values of secret-bearing query parameters replaced by `***`."""
    return _SECRET_PARAM.sub(r"\1***", text)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Text with every known secret replaced by `***` (a server might echo one back)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class _RedactQuery(logging.Filter):
    """Rewrites httpx's 'HTTP Request: GET <url>' lines so the query's secrets never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                redact_url_text(str(arg)) if isinstance(arg, httpx.URL | str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = redact_url_text(record.msg)
        return True


def install_log_redaction() -> None:
    """Attach the redacting filter to httpx's logger once."""
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactQuery) for f in httpx_logger.filters):
        httpx_logger.addFilter(_RedactQuery())


def new_http_client(
    *, timeout: httpx.Timeout = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The one pooled client a process should reuse (creating one costs ~20 ms)."""
    install_log_redaction()
    return httpx.Client(timeout=timeout, limits=POOL_LIMITS, transport=transport)


CANCEL_POLL_S = 0.05  # how often a cancellable send looks at its cancel while it waits


class RequestCancelled(Exception):
    """The caller cancelled the request (its `cancel` event was set).

    Not an ApiError on purpose: TikTok Shop refused nothing, so code that turns API errors into
    "offline" or "sign in again" must not see it. `in_doubt` is True when a try was already on
    its way (abandoned in flight, or an earlier try got no clear answer): it may have taken
    effect. False means nothing of this call reached TikTok Shop.
    """

    plain = "Cancelled."

    def __init__(self, in_doubt: bool = False) -> None:
        super().__init__(in_doubt)
        self.in_doubt = in_doubt

    def __str__(self) -> str:
        return "the request was cancelled" + (" (it may have taken effect)" if self.in_doubt
                                               else "")


def cancelled(cancel: threading.Event | None, in_doubt: bool = False) -> None:
    """Raise RequestCancelled if `cancel` is set."""
    if cancel is not None and cancel.is_set():
        raise RequestCancelled(in_doubt)


def send(
    http: httpx.Client,
    request: httpx.Request,
    *,
    follow_redirects: bool = False,
    cancel: threading.Event | None = None,
) -> httpx.Response:
    """Send and read the whole answer; transport failures become a URL-free NetworkError.

    With a `cancel`, the blocking send runs on a daemon thread of its own and this thread
    returns as soon as either it ends or `cancel` is set (within CANCEL_POLL_S): httpx's sync
    client cannot be woken from another thread (closing a socket does not wake a blocked recv
    on Linux), so a cancelled request is abandoned rather than stopped. Its late answer or
    failure is dropped. Without a cancel it runs on this thread, as before.
    """
    if cancel is None:
        return _send(http, request, follow_redirects)
    cancelled(cancel)
    done = threading.Event()
    outcome: list[httpx.Response | BaseException] = []
    abandoned: list[bool] = []

    def run() -> None:
        try:
            outcome.append(_send(http, request, follow_redirects))
        except BaseException as exc:  # handed to the waiting thread (or dropped)
            outcome.append(exc)
        finally:
            done.set()
        if abandoned:
            # Only the type: a failure's text might name the URL (the auth host's has secrets).
            log.debug("a cancelled request ended after all (%s); dropped",
                      type(outcome[0]).__name__)

    threading.Thread(target=run, name="api-send", daemon=True).start()
    while not done.wait(CANCEL_POLL_S):
        if cancel.is_set():
            abandoned.append(True)
            raise RequestCancelled(in_doubt=True)
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _send(http: httpx.Client, request: httpx.Request, follow_redirects: bool) -> httpx.Response:
    try:
        return http.send(request, follow_redirects=follow_redirects)
    except RuntimeError:
        if not http.is_closed:
            raise
        failure: ApiError | RequestCancelled = RequestCancelled()  # closed: nothing was sent
    except httpx.TimeoutException:
        failure = NetworkError("TikTok Shop did not answer in time.", timed_out=True)
    except httpx.RequestError as exc:  # refused, reset, dropped mid-answer, TLS, …
        failure = NetworkError(f"The connection to TikTok Shop failed ({type(exc).__name__}).")
    # Raised outside the except block on purpose: no chained httpx exception (it names the URL).
    raise failure


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """The Retry-After header in seconds (a number or an HTTP date), if any."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class Answer:
    """A successful call: its `data` (`{}` when it has none) and the `request_id` TikTok Shop
    gave it ("" when there was none), which its support asks for when a change needs tracing."""

    data: dict[str, Any]
    request_id: str = ""


def envelope_data(response: httpx.Response, secrets: Iterable[str] = ()) -> dict[str, Any]:
    """The `data` of a successful envelope; otherwise raise the typed error for its `code`."""
    return envelope(response, secrets).data


def envelope(response: httpx.Response, secrets: Iterable[str] = ()) -> Answer:
    """The `data` and `request_id` of a successful envelope; otherwise raise the typed error
    for its `code`. Success is decided by `code`, never by the HTTP status (reference §5.1).
    """
    try:
        payload = response.json()
    except ValueError:
        payload = None
    status = response.status_code
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), int):
        if status < 300:
            raise ServerError(NO_ANSWER, "TikTok Shop sent an unreadable answer.", "", status)
        raise error_for(
            NO_ANSWER,
            f"HTTP {status} without a TikTok Shop answer.",
            "",
            status,
            retry_after=retry_after_seconds(response),
        )
    code = payload["code"]
    if code == 0:
        data = payload.get("data")
        return Answer(data if isinstance(data, dict) else {}, str(payload.get("request_id") or ""))
    error: ApiError = error_for(
        code,
        scrub(str(payload.get("message") or ""), secrets),
        str(payload.get("request_id") or ""),
        status,
        retry_after=retry_after_seconds(response),
    )
    raise error
