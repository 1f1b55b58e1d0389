"""ApiClient: the one request path for every Open API call.

Each call is rate limited per endpoint, signed, sent over one pooled httpx.Client and decided
by the envelope's `code`. Throttled calls are retried; server errors, timeouts and dropped
connections only when the call is safe to repeat; an expired token is renewed once (shared by
all threads) and the call retried. Safe to use from many threads at once.

Cancel: every call takes an optional `cancel` event (or use `with_cancel(cancel)`, a view of
the client whose every call carries it, e.g. for resource groups). It is checked before each
try, wakes the rate limiter's wait and back-off pauses at once, and abandons a try in flight
within CANCEL_POLL_S; the call then raises RequestCancelled (not an ApiError).

Renewal: one renewal in flight per client; callers that used the same stale tokens wait for its
result (`renew_after`). What a renewal does is injectable (`renew`): by default a refresh at the
token host; the sync's own process asks the window's client instead (sync/own_process.py), so
one client owns the refresh token and never uses it twice.
"""

from __future__ import annotations

import copy
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
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
from tiktok_desktop.api.ratelimit import Limiter, RateLimiter
from tiktok_desktop.api.retry import RetryPolicy
from tiktok_desktop.api.seller import SellerApi
from tiktok_desktop.api.shop import ShopApi
from tiktok_desktop.api.signing import encode_body, encode_query, query_value, sign
from tiktok_desktop.api.transport import (
    CANCEL_POLL_S,
    DEFAULT_TIMEOUT,
    Answer,
    RequestCancelled,
    cancelled,
    envelope,
    envelope_data,
    new_http_client,
    send,
)

API_HOST = "https://open-api.tiktokglobalshop.com"

log = logging.getLogger(__name__)
R = TypeVar("R")
# Renewal failures worth another try later: the token host did not refuse the tokens.
RETRY_LATER = (NetworkError, ServerError, RateLimitedError)
# Renews a client's tokens: given the tokens found stale, returns fresh ones (or raises).
Renewer = Callable[[TokenSet], TokenSet]


@dataclass(frozen=True)
class ClientStats:
    """Counters since the client was made: HTTP requests sent, retries, 429s seen, renewals
    (refreshes this client made, or asked its `renew` for)."""

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

    def client(
        self,
        on_tokens_refreshed: Callable[[TokenSet], None] | None = None,
        *,
        renew: Renewer | None = None,
        limiter: Limiter | None = None,
    ) -> ApiClient:
        return ApiClient(self.app_key, self.app_secret, self.tokens, base_url=self.base_url,
                         auth_base_url=self.auth_base_url, rate_limit=self.rate_limit,
                         on_tokens_refreshed=on_tokens_refreshed, renew=renew, limiter=limiter)


class ApiClient:
    """A signed-in seller's connection to the TikTok Shop Open API.

    renew: what renewing stale tokens means (default: refresh them at the token host). The
    client calls it at most once per stale token set, on one thread at a time.
    limiter: where requests take their slots (default: a RateLimiter of `rate_limit`).
    """

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
        renew: Renewer | None = None,
        limiter: Limiter | None = None,
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
        # (generation, tokens), swapped as one: a renewal that ends can tell whether tokens
        # were adopted from elsewhere meanwhile.
        self._current: tuple[int, TokenSet] = (0, tokens)
        self.base_url = base_url.rstrip("/")
        self._on_tokens_refreshed = on_tokens_refreshed
        self._retry = retry or RetryPolicy()
        self._refresh_margin_s = refresh_margin_s
        self._clock, self._monotonic, self._sleep, self._rand = clock, monotonic, sleep, rand
        self._http = new_http_client(timeout=timeout, transport=transport)
        self._auth = AuthClient(app_key, app_secret, auth_base_url, http=self._http)
        self._renew: Renewer = renew or self._refresh_at_token_host
        self.limiter: Limiter = limiter or RateLimiter(rate_limit, monotonic=monotonic,
                                                       sleep=sleep)
        # Guards the current tokens and the renewal in flight; never held during a renewal.
        self._tokens_lock = threading.Lock()
        self._renewal: Future[TokenSet] | None = None
        # The token host's refusal of the current tokens: asking again would only repeat it
        # with a refresh token already used.
        self._refused: tuple[TokenSet, ApiError] | None = None
        self._used = threading.local()
        self._closed = False
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
        with self._tokens_lock:
            generation, current = self._current
            if fresh != current:
                self._renewed(generation, fresh)

    def renew_after(self, stale: TokenSet, cancel: threading.Event | None = None) -> TokenSet:
        """Fresh tokens for a caller whose `stale` ones stopped working (or are due).

        When the current tokens already differ from `stale`, someone renewed them: they are
        returned with no call. Otherwise they are renewed once, with `renew`; a renewal in
        flight is joined, never doubled, so a refresh token is used once. A set `cancel` stops
        the waiting (RequestCancelled), not the renewal: its result is still kept.
        """
        with self._tokens_lock:
            generation, current = self._current
            if stale != current:
                return current
            if self._refused is not None and self._refused[0] == current:
                raise copy.copy(self._refused[1])
            renewal, mine = self._renewal, self._renewal is None
            if renewal is None:
                renewal = self._renewal = Future()
        if mine:
            if cancel is None:
                self._run_renewal(renewal, generation, current)
            else:  # on a thread of its own, so that a cancel never drops renewed tokens
                threading.Thread(target=self._run_renewal, args=(renewal, generation, current),
                                 name="api-renew", daemon=True).start()
        if cancel is None:
            return renewal.result()
        while True:
            try:
                return renewal.result(timeout=CANCEL_POLL_S)
            except TimeoutError:
                cancelled(cancel)

    def shop(self, cipher: str) -> ClientShopApi:
        """The resource groups bound to one authorized shop (its `cipher`)."""
        return ClientShopApi(self, cipher)

    def authorized_shops(self) -> list[AuthorizedShop]:
        """The shops this authorization covers, each with the `cipher` that names it in calls."""
        return authorized_shops(self)

    def with_cancel(self, cancel: threading.Event) -> CancellableClient:
        """This client (same tokens, limiter and connections) with every call cancelled by
        `cancel`: hand it, or its `shop(cipher)`, to work the caller may cancel."""
        return CancellableClient(self, cancel)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        shop_cipher: str | None = None,
        retry_safe: bool | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]:
        """Send one Open API call and return its `data` (`{}` when it has none).

        `query` holds the endpoint's own parameters (None values are left out); `body` is JSON
        (an empty object is sent as no body). `retry_safe` defaults to True for GET and for
        calls carrying an `idempotency_key`. Raises a typed ApiError, or RequestCancelled once
        `cancel` is set (checked before each try; it also ends waits and a try in flight).
        """
        return self.request_with_meta(method, path, query=query, body=body,
                                      shop_cipher=shop_cipher, retry_safe=retry_safe,
                                      cancel=cancel).data

    def request_with_meta(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        shop_cipher: str | None = None,
        retry_safe: bool | None = None,
        cancel: threading.Event | None = None,
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
        cancelled(cancel)
        self._refresh_if_due(cancel)
        return self._with_retries(
            f"{method} {path}",
            retry_safe,
            lambda: self._send_once(method, path, params, payload, cancel),
            cancel,
        )

    def download(self, url: str, *, cancel: threading.Event | None = None) -> bytes:
        """The bytes at a document URL (a label's `doc_url`): a plain GET, unsigned and with no
        access token, since the URL points at a file host, not at the Open API."""
        return self._with_retries("GET document", True,
                                  lambda: self._download_once(url, cancel), cancel)

    def close(self) -> None:
        """Close the connections without waiting for calls in flight: those end with their
        try (or were abandoned by their cancel), and no call tries again: RequestCancelled."""
        self._closed = True
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ApiClient(app_key={self.app_key!r}, base_url={self.base_url!r})"

    # -- one try --------------------------------------------------------------------------

    def _send_once(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        payload: bytes | None,
        cancel: threading.Event | None,
    ) -> Answer:
        self.limiter.acquire(method, path, cancel)
        cancelled(cancel)  # the limiter's wait ends early on a cancel
        tokens = self._current[1]
        self._used.tokens = tokens  # which tokens this thread's latest try used
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
        response = send(self._http, request, cancel=cancel)
        try:
            answer = envelope(response, self._secrets())
        except RateLimitedError:
            self._count("throttled")
            raise
        log.debug("%s %s: ok (HTTP %d)", method, path, response.status_code)
        return answer

    def _download_once(self, url: str, cancel: threading.Event | None) -> bytes:
        # File hosts may redirect to a CDN; the Open API never does.
        response = send(self._http, self._http.build_request("GET", url), follow_redirects=True,
                        cancel=cancel)
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

    def _with_retries(
        self,
        what: str,
        retry_safe: bool,
        attempt_once: Callable[[], R],
        cancel: threading.Event | None = None,
    ) -> R:
        attempt = 0
        refreshed = False
        in_doubt = False  # a try got no clear answer: it may have taken effect
        while True:
            attempt += 1
            try:
                cancelled(cancel, in_doubt)
                if self._closed:  # the app left the shop: as good as a cancel
                    raise RequestCancelled(in_doubt)
                return attempt_once()
            except RequestCancelled as stop:
                raise RequestCancelled(in_doubt or stop.in_doubt) from None
            except TokenExpiredError:
                if refreshed:
                    raise
                refreshed = True
                attempt -= 1  # the expired try does not count against the retry budget
                stale = getattr(self._used, "tokens", self._current[1])
                log.info("%s: access token expired, renewing it", what)
                try:
                    self.renew_after(stale, cancel)
                except RequestCancelled:
                    raise RequestCancelled(in_doubt) from None
            except ApiError as error:
                in_doubt = in_doubt or isinstance(error, NetworkError | ServerError)
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
                if cancel is None:
                    self._sleep(delay)
                elif cancel.wait(delay):
                    raise RequestCancelled(in_doubt) from None

    def _refresh_if_due(self, cancel: threading.Event | None = None) -> None:
        """Renew the access token shortly before it expires, at most once per margin."""
        tokens = self._current[1]
        now = self._clock()
        if not tokens.needs_refresh(now, self._refresh_margin_s):
            return
        last = self._last_refresh
        if last is not None and self._monotonic() - last < self._refresh_margin_s:
            return
        try:
            self.renew_after(tokens, cancel)
        except RETRY_LATER:
            if tokens.access_expires_in(now) <= 0:
                raise
            log.warning("Could not renew the access token early; the current one still works")

    def _refresh_at_token_host(self, stale: TokenSet) -> TokenSet:
        """The default renewal: a refresh at the token host (the refresh token then rotates)."""
        return self._auth.refresh(stale.refresh_token)

    def _run_renewal(self, renewal: Future[TokenSet], generation: int, stale: TokenSet) -> None:
        """The one renewal in flight: renew, keep the result, hand it to every waiter."""
        try:
            fresh = self._renew(stale)
        except BaseException as exc:
            with self._tokens_lock:
                self._renewal = None
                if isinstance(exc, ApiError) and not isinstance(exc, RETRY_LATER):
                    self._refused = (stale, exc)
            renewal.set_exception(exc)
            return
        self._count("refreshes")
        with self._tokens_lock:
            if self._current[0] == generation:  # not adopted from elsewhere meanwhile
                self._renewed(generation, fresh)
            fresh = self._current[1]
            self._renewal = None
        renewal.set_result(fresh)

    def _renewed(self, generation: int, fresh: TokenSet) -> None:
        """Under the tokens lock: make `fresh` the current tokens and have them kept."""
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


class CancellableClient:
    """`api.with_cancel(cancel)`: the client's calls, each carrying `cancel` (see ApiClient).

    It has what resource groups need (`request`, `request_with_meta`, `download`), so
    `api.with_cancel(cancel).shop(cipher)` gives a shop whose every call stops on `cancel`.
    """

    def __init__(self, api: ApiClient, cancel: threading.Event) -> None:
        self.api = api
        self.cancel = cancel

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
        return self.api.request(method, path, query=query, body=body, shop_cipher=shop_cipher,
                                retry_safe=retry_safe, cancel=self.cancel)

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
        return self.api.request_with_meta(method, path, query=query, body=body,
                                          shop_cipher=shop_cipher, retry_safe=retry_safe,
                                          cancel=self.cancel)

    def download(self, url: str) -> bytes:
        return self.api.download(url, cancel=self.cancel)

    def shop(self, cipher: str) -> ClientShopApi:
        return ClientShopApi(self.api, cipher, self.cancel)

    def __repr__(self) -> str:
        return f"CancellableClient({self.api!r})"


class ClientShopApi(ShopApi):
    """What `ApiClient.shop(cipher)` returns: a ShopApi that can be bound to a cancel later
    (`with_cancel`), e.g. by the sync engine when its run is given one."""

    def __init__(self, api: ApiClient, cipher: str,
                 cancel: threading.Event | None = None) -> None:
        super().__init__(api if cancel is None else CancellableClient(api, cancel), cipher)
        self.api = api

    def with_cancel(self, cancel: threading.Event) -> ClientShopApi:
        """The same shop with every call cancelled by `cancel`."""
        return ClientShopApi(self.api, self.cipher, cancel)

