"""ApiClient: the one request path for every Open API call.

Each call is rate limited per endpoint, signed, sent over one pooled httpx.Client and decided
by the envelope's `code`. Throttled calls are retried; server errors, timeouts and dropped
connections only when the call is safe to repeat; an expired token is refreshed once (shared by
all threads) and the call retried. Safe to use from many threads at once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from tiktok_desktop.api.auth import AUTH_HOST, AuthClient, TokenSet
from tiktok_desktop.api.authorization import AuthorizedShop, authorized_shops
from tiktok_desktop.api.errors import (
    NO_ANSWER,
    ApiError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TokenExpiredError,
)
from tiktok_desktop.api.ratelimit import RateLimiter
from tiktok_desktop.api.retry import RetryPolicy
from tiktok_desktop.api.seller import SellerApi
from tiktok_desktop.api.shop import ShopApi
from tiktok_desktop.api.signing import encode_body, encode_query, query_value, sign
from tiktok_desktop.api.transport import (
    DEFAULT_TIMEOUT,
    Answer,
    envelope,
    envelope_data,
    new_http_client,
    send,
)

API_HOST = "https://open-api.tiktokglobalshop.com"

log = logging.getLogger(__name__)
R = TypeVar("R")


@dataclass(frozen=True)
class ClientStats:
    """Counters since the client was made: HTTP requests sent, retries, 429s seen, refreshes."""

    requests: int = 0
    retries: int = 0
    throttled: int = 0
    refreshes: int = 0


@dataclass(frozen=True)
class ClientSettings:
    """What it takes to make an equal client elsewhere (the sync's own process): plain and
    picklable. The secret and the tokens stay out of its repr."""

    app_key: str
    app_secret: str = field(repr=False)
    tokens: TokenSet
    base_url: str
    auth_base_url: str
    rate_limit: float

    def client(self, on_tokens_refreshed: Callable[[TokenSet], None] | None = None
               ) -> ApiClient:
        return ApiClient(self.app_key, self.app_secret, self.tokens, base_url=self.base_url,
                         auth_base_url=self.auth_base_url, rate_limit=self.rate_limit,
                         on_tokens_refreshed=on_tokens_refreshed)


class ApiClient:
    """A signed-in seller's connection to the TikTok Shop Open API."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        tokens: TokenSet,
        *,
        base_url: str = API_HOST,
        auth_base_url: str = AUTH_HOST,
        rate_limit: float = 50.0,
        on_tokens_refreshed: Callable[[TokenSet], None] | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        refresh_margin_s: float = 300.0,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.app_key = app_key
        self._app_secret = app_secret
        # (generation, tokens), swapped as one: a failed call names the generation it used.
        self._current: tuple[int, TokenSet] = (0, tokens)
        self.base_url = base_url.rstrip("/")
        self._on_tokens_refreshed = on_tokens_refreshed
        self._retry = retry or RetryPolicy()
        self._refresh_margin_s = refresh_margin_s
        self._clock, self._monotonic, self._sleep, self._rand = clock, monotonic, sleep, rand
        self._http = new_http_client(timeout=timeout, transport=transport)
        self._auth = AuthClient(app_key, app_secret, auth_base_url, http=self._http)
        self.limiter = RateLimiter(rate_limit, monotonic=monotonic, sleep=sleep)
        self._refresh_lock = threading.Lock()
        self._used = threading.local()
        self._last_refresh: float | None = None
        self._stats_lock = threading.Lock()
        self._stats = {"requests": 0, "retries": 0, "throttled": 0, "refreshes": 0}
        self.seller = SellerApi(self)

    # -- public ---------------------------------------------------------------------------

    @property
    def tokens(self) -> TokenSet:
        """The current tokens (they change when the client refreshes them)."""
        return self._current[1]

    @property
    def stats(self) -> ClientStats:
        with self._stats_lock:
            return ClientStats(**self._stats)

    def settings(self) -> ClientSettings:
        """This client's credentials, current tokens, hosts and rate limit."""
        return ClientSettings(self.app_key, self._app_secret, self.tokens, self.base_url,
                              self._auth.base_url, self.limiter.rate)

    def adopt_tokens(self, fresh: TokenSet) -> None:
        """Use tokens renewed by an equal client elsewhere (see `settings`), as if this one had
        renewed them: calls under way that fail on the old ones retry with these."""
        with self._refresh_lock:
            generation, current = self._current
            if fresh != current:
                self._renewed(generation, fresh)

    def shop(self, cipher: str) -> ShopApi:
        """The resource groups bound to one authorized shop (its `cipher`)."""
        return ShopApi(self, cipher)

    def authorized_shops(self) -> list[AuthorizedShop]:
        """The shops this authorization covers, each with the `cipher` that names it in calls."""
        return authorized_shops(self)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        shop_cipher: str | None = None,
        retry_safe: bool | None = None,
    ) -> dict[str, Any]:
        """Send one Open API call and return its `data` (`{}` when it has none).

        `query` holds the endpoint's own parameters (None values are left out); `body` is JSON
        (an empty object is sent as no body). `retry_safe` defaults to True for GET and for
        calls carrying an `idempotency_key`. Raises a typed ApiError.
        """
        return self.request_with_meta(method, path, query=query, body=body,
                                      shop_cipher=shop_cipher, retry_safe=retry_safe).data

    def request_with_meta(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        shop_cipher: str | None = None,
        retry_safe: bool | None = None,
    ) -> Answer:
        """Like `request`, with the answer's `request_id` beside its `data` (for an audit log:
        the id of the try that succeeded)."""
        method = method.upper()
        params = {key: query_value(value) for key, value in (query or {}).items()
                  if value is not None}
        if shop_cipher:
            params["shop_cipher"] = shop_cipher
        payload = encode_body(body)
        if payload is not None and method == "GET":
            raise ValueError("a GET request must not carry a body")
        if retry_safe is None:
            retry_safe = method == "GET" or "idempotency_key" in params
        self._refresh_if_due()
        return self._with_retries(
            f"{method} {path}",
            retry_safe,
            lambda: self._send_once(method, path, params, payload),
        )

    def download(self, url: str) -> bytes:
        """The bytes at a document URL (a label's `doc_url`): a plain GET, unsigned and with no
        access token, since the URL points at a file host, not at the Open API."""
        return self._with_retries("GET document", True, lambda: self._download_once(url))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ApiClient(app_key={self.app_key!r}, base_url={self.base_url!r})"

    # -- one try --------------------------------------------------------------------------

    def _send_once(
        self, method: str, path: str, params: dict[str, str], payload: bytes | None
    ) -> Answer:
        self.limiter.acquire(method, path)
        generation, tokens = self._current
        self._used.generation = generation  # which tokens this thread's latest try used
        query = {**params, "app_key": self.app_key, "timestamp": str(int(self._clock()))}
        query["sign"] = sign(self._app_secret, path, query, payload)
        request = self._http.build_request(
            method,
            f"{self.base_url}{path}?{encode_query(query)}",
            content=payload,
            headers={
                "x-tts-access-token": tokens.access_token,
                "content-type": "application/json",
            },
        )
        self._count("requests")
        response = send(self._http, request)
        try:
            answer = envelope(response, self._secrets())
        except RateLimitedError:
            self._count("throttled")
            raise
        log.debug("%s %s: ok (HTTP %d)", method, path, response.status_code)
        return answer

    def _download_once(self, url: str) -> bytes:
        # File hosts may redirect to a CDN; the Open API never does.
        response = send(self._http, self._http.build_request("GET", url), follow_redirects=True)
        content_type = response.headers.get("content-type", "")
        if response.status_code == 200 and "json" not in content_type:
            return response.content
        if response.status_code in (403, 404, 410) and "json" not in content_type:
            raise NotFoundError(
                NO_ANSWER,
                f"The document link answered HTTP {response.status_code}.",
                "",
                response.status_code,
                plain="The label link has expired; request the shipping document again.",
            )
        envelope_data(response, self._secrets())  # raises the typed error for the answer
        raise ServerError(NO_ANSWER, "The document link answered without a document.")

    # -- retries and refresh ----------------------------------------------------------------

    def _with_retries(self, what: str, retry_safe: bool, attempt_once: Callable[[], R]) -> R:
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            try:
                return attempt_once()
            except TokenExpiredError:
                if refreshed:
                    raise
                refreshed = True
                attempt -= 1  # the expired try does not count against the retry budget
                stale = getattr(self._used, "generation", self._current[0])
                log.info("%s: access token expired, renewing it", what)
                self._refresh(stale)
            except ApiError as error:
                if not self._retry.should_retry(error, attempt, retry_safe):
                    raise
                retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
                delay = self._retry.delay(attempt, retry_after, self._rand)
                log.warning(
                    "%s: %s (code %s); try %d of %d in %.1f s",
                    what, type(error).__name__, error.code, attempt + 1,
                    self._retry.max_attempts, delay,
                )
                self._count("retries")
                self._sleep(delay)

    def _refresh_if_due(self) -> None:
        """Renew the access token shortly before it expires, at most once per margin."""
        generation, tokens = self._current
        now = self._clock()
        if not tokens.needs_refresh(now, self._refresh_margin_s):
            return
        last = self._last_refresh
        if last is not None and self._monotonic() - last < self._refresh_margin_s:
            return
        try:
            self._refresh(generation)
        except (NetworkError, ServerError, RateLimitedError):
            if tokens.access_expires_in(now) <= 0:
                raise
            log.warning("Could not renew the access token early; the current one still works")

    def _refresh(self, stale_generation: int) -> TokenSet:
        """Refresh once for everyone: threads that used the same stale tokens share the result."""
        with self._refresh_lock:
            generation, current = self._current
            if generation != stale_generation:
                return current  # another thread refreshed while this one waited
            fresh = self._auth.refresh(current.refresh_token)
            self._count("refreshes")
            self._renewed(generation, fresh)
            return fresh

    def _renewed(self, generation: int, fresh: TokenSet) -> None:
        """Under the refresh lock: make `fresh` the current tokens and have them kept."""
        self._current = (generation + 1, fresh)
        self._last_refresh = self._monotonic()
        log.info("Access token renewed; it expires at %d", fresh.access_token_expires_at)
        if self._on_tokens_refreshed is not None:
            try:
                self._on_tokens_refreshed(fresh)
            except Exception as exc:
                # The app's persistence failed; the call itself can still go on.
                log.error("Saving the renewed tokens failed (%s)", type(exc).__name__)

    def _secrets(self) -> tuple[str, ...]:
        tokens = self._current[1]
        return (self._app_secret, tokens.access_token, tokens.refresh_token)

    def _count(self, name: str) -> None:
        with self._stats_lock:
            self._stats[name] += 1
