"""ShopSession: one signed-in shop — its API client, its cache and its sync engine.

Every method blocks (network, disk): the UI calls them through its task runner, never on the
GUI thread. A session may be used from several worker threads. It owns the cache's connections
(`cache`, one per lane, closed with the shop) and the lifetime of its work: `close()` cancels
what runs (pushes first), then closes the network client and the connections.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tiktok_desktop.api import ApiClient, TokenSet
from tiktok_desktop.api.errors import (
    NEEDS_SIGN_IN,
    NO_ANSWER,
    ApiError,
    InvalidTokenError,
    NetworkError,
)
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.listing_status import ListingStatusChanger, StatusChangeResult
from tiktok_desktop.services.payouts import (
    StatementTransactions,
    fetch_statement_transactions,
)
from tiktok_desktop.services.request_answers import Answer, AnswersResult, RequestAnswerer
from tiktok_desktop.services.request_plans import reject_reasons
from tiktok_desktop.services.shipping import (
    ArrangeResult,
    ShipChoice,
    ShipOptions,
    Shipper,
    ship_options,
)
from tiktok_desktop.store import RescueReport, Store, is_damaged, rescue_cache
from tiktok_desktop.sync import SyncEngine, SyncProgress, SyncResult
from tiktok_desktop.sync.edit_push import EditPusher, PushProgress, PushResult
from tiktok_desktop.sync.own_process import SyncOrder, log_levels, sync_in_own_process
from tiktok_desktop.sync.price_push import PricePusher
from tiktok_desktop.sync.stock_push import StockPusher

log = logging.getLogger(__name__)

CLOSE_WAIT_S = 2.0  # how long close() waits for a cancelled push or sync to let go
RESCUE_WAIT_S = 30.0  # how long a rescue waits for them: it must never move a file in use

# Remind the seller to renew the shop's authorization this long before it ends (a year after
# consent): today sellers find out when orders stop arriving.
RENEWAL_WARNING_S = 30 * 24 * 3600


class TokenVault(Protocol):
    """Where tokens are kept between refreshes: credentials.Keychain or MemoryVault."""

    def save(self, account: str, secret: str) -> None: ...


@dataclass(frozen=True)
class ConnectionState:
    """What the status bar says about the link to TikTok Shop."""

    online: bool
    access_expires_at: int
    authorization_expires_at: int
    problem: str | None = None  # the last failure, in the seller's words
    needs_sign_in: bool = False  # the authorization ended: only signing in again helps

    def expiring_soon(self, now: float) -> bool:
        """The authorization ends within the warning period (access tokens renew themselves)."""
        return self.authorization_expires_at - now < RENEWAL_WARNING_S


@dataclass(frozen=True)
class ShopIdentity:
    id: str
    name: str
    cipher: str
    region: str = ""


class CacheInUse(RuntimeError):
    """A damaged cache could not be set aside: the shop's push or sync did not stop."""

    plain = ("The local copy of your shop is damaged and still in use, so it could not be "
             "repaired now. Quit and start the app again: it repairs the copy at the start.")


class ShopSession:
    def __init__(
        self,
        api: ApiClient,
        shop: ShopIdentity,
        store_path: Path,
        *,
        is_demo: bool = False,
        on_close: Callable[[], None] | None = None,
        own_process: bool = True,
        rescued: RescueReport | None = None,
    ) -> None:
        self.api = api
        self.shop = shop
        self.store_path = store_path
        self.is_demo = is_demo
        self._on_close = on_close
        # The app syncs in a process of its own (sync/own_process.py: the window stays smooth);
        # own_process=False runs the engine on the calling thread (tests with a fake network).
        self._own_process = own_process
        self._sync_lock = threading.Lock()  # one sync at a time: the poll timer may fire twice
        self._push_lock = threading.Lock()  # one stock push at a time
        self._state_lock = threading.Lock()
        self._online = True
        self._problem: str | None = None
        self._needs_sign_in = False
        self.cache = CacheLanes(store_path)
        self._running: set[threading.Event] = set()  # cancel flags of work under way
        self._closed = False
        self.rescued = rescued  # the cache was found damaged and rebuilt as the shop opened

    @property
    def shop_id(self) -> str:
        return self.shop.id

    @property
    def shop_name(self) -> str:
        return self.shop.name

    @contextlib.contextmanager
    def _operation(self, cancel: threading.Event | None) -> Iterator[threading.Event]:
        """A cancel flag for one piece of work, set by the caller or by close()."""
        flag = cancel if cancel is not None else threading.Event()
        with self._state_lock:
            if self._closed:
                flag.set()
            self._running.add(flag)
        try:
            yield flag
        finally:
            with self._state_lock:
                self._running.discard(flag)

    def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncResult:
        """Pull every resource that changed since the last sync into the cache."""
        with self._operation(cancel) as cancel, self._sync_lock:
            if self._own_process:
                order = SyncOrder(self.api.settings(), self.shop.cipher, self.shop.id,
                                  self.store_path, log_levels())
                result = sync_in_own_process(order, progress=progress, cancel=cancel,
                                             api=self.api)
            else:
                engine = SyncEngine(self.api.shop(self.shop.cipher), self.shop.id,
                                    rate_limit=self.api.limiter.rate)
                with self.cache.using("sync") as store:
                    result = engine.run(store, progress=progress, cancel=cancel)
        self._note_result(result)
        return result

    def push_stock(
        self,
        progress: Callable[[PushProgress], None] | None = None,
        cancel: threading.Event | None = None,
        *,
        resume: bool = False,
    ) -> PushResult:
        """Send the stock edits waiting in the outbox; `resume=True` only finishes a push that
        a crash or a lost connection interrupted (see sync/stock_push.py)."""
        return self._push(StockPusher, progress, cancel, resume)

    def push_prices(
        self,
        progress: Callable[[PushProgress], None] | None = None,
        cancel: threading.Event | None = None,
        *,
        resume: bool = False,
    ) -> PushResult:
        """Send the price edits waiting in the outbox, as push_stock sends stock (see
        sync/price_push.py)."""
        return self._push(PricePusher, progress, cancel, resume)

    def _push(self, kind: type[EditPusher], progress: Callable[[PushProgress], None] | None,
              cancel: threading.Event | None, resume: bool) -> PushResult:
        """One push at a time, stock or prices or a shipment: they share the push's lock."""
        pusher = kind(self.api, self.shop.cipher, self.shop.id, rate_limit=self.api.limiter.rate)
        with (self._operation(cancel) as cancel, self._push_lock,
              self.cache.using("push") as store):
            result = pusher.push(store, progress=progress, cancel=cancel, resume=resume)
        self._note_send(result.problem, result.needs_sign_in)
        return result

    def _note_send(self, problem: str | None, needs_sign_in: bool = False) -> None:
        with self._state_lock:
            self._online = problem != NetworkError.plain
            if problem:
                self._problem = problem
            self._needs_sign_in = self._needs_sign_in or needs_sign_in

    def arrange_shipment(self, choices: Sequence[ShipChoice],
                         cancel: threading.Event | None = None, *,
                         document_type: str = "SHIPPING_LABEL",
                         size: str = "A6") -> ArrangeResult:
        """Ship these packages and fetch their labels (services/shipping.py). One send at a
        time: it shares the push's lock, so a stock push and a shipment never overlap."""
        with (self._operation(cancel) as cancel, self._push_lock,
              self.cache.using("push") as store):
            shop = self.api.with_cancel(cancel).shop(self.shop.cipher)
            shipper = Shipper(shop, self.shop.id, store, self.store_path, cancel)
            result = shipper.arrange(choices, document_type=document_type, size=size)
        self._note_send(result.problem)
        return result

    def change_listing_status(self, action: str | None, product_ids: Sequence[str] = (),
                              cancel: threading.Event | None = None) -> StatusChangeResult:
        """Activate or deactivate listings through the outbox (services/listing_status.py);
        `action=None` only finishes the changes a crash or a lost answer left. It shares the
        push's lock: one send at a time."""
        with (self._operation(cancel) as cancel, self._push_lock,
              self.cache.using("push") as store):
            shop = self.api.with_cancel(cancel).shop(self.shop.cipher)
            result = ListingStatusChanger(shop, self.shop.id, store, cancel).change(
                action, product_ids)
        self._note_send(result.problem)
        return result

    def statement_transactions(self, statement_id: str,
                               cancel: threading.Event | None = None) -> StatementTransactions:
        """A statement's orders and adjustments from TikTok Shop, every page (network only:
        the caller saves them on the cache's write lane, services/payouts.py)."""
        with self._operation(cancel) as cancel:
            shop = self.api.with_cancel(cancel).shop(self.shop.cipher)
            return fetch_statement_transactions(shop, statement_id, cancel)

    def answer_requests(self, answers: Sequence[Answer] = (),
                        cancel: threading.Event | None = None) -> AnswersResult:
        """Approve or reject buyers' requests through the outbox, each with its own
        idempotency key (services/request_answers.py); no answers: only finish those a crash or
        a lost reply left. It shares the push's lock: one send at a time."""
        with (self._operation(cancel) as cancel, self._push_lock,
              self.cache.using("push") as store):
            shop = self.api.with_cancel(cancel).shop(self.shop.cipher)
            result = RequestAnswerer(shop, self.shop.id, store, cancel).answer(answers)
        self._note_send(result.problem)
        return result

    def reject_reasons(self, request_ids: Sequence[str], cancel: threading.Event | None = None
                       ) -> dict[str, tuple[tuple[str, str], ...]]:
        """TikTok's reject reasons for each request, (code, words) (network only)."""
        with self._operation(cancel) as cancel:
            shop = self.api.with_cancel(cancel).shop(self.shop.cipher)
            return reject_reasons(shop, request_ids, cancel)

    def ship_options(self, tiktok_package: str | None,
                     delivery_option_ids: Sequence[str]) -> ShipOptions:
        return ship_options(self.api.shop(self.shop.cipher), tiktok_package, delivery_option_ids)

    def fetch_labels(self, package_ids: Sequence[str], document_type: str = "SHIPPING_LABEL",
                     size: str = "A6",
                     cancel: threading.Event | None = None) -> tuple[int, list[str]]:
        """Download (again) the documents of shipped packages, e.g. in another size."""
        with self._operation(cancel) as cancel, self.cache.using("push") as store:
            shop = self.api.with_cancel(cancel).shop(self.shop.cipher)
            return Shipper(shop, self.shop.id, store, self.store_path, cancel).fetch_labels(
                package_ids, document_type, size)

    def connection(self) -> ConnectionState:
        tokens = self.api.tokens
        with self._state_lock:
            return ConnectionState(
                online=self._online,
                access_expires_at=tokens.access_token_expires_at,
                authorization_expires_at=tokens.refresh_token_expires_at,
                problem=self._problem,
                needs_sign_in=self._needs_sign_in,
            )

    def note_failure(self, error: BaseException) -> None:
        """Remember a failed call so the status bar can say offline / sign in again."""
        with self._state_lock:
            self._online = not isinstance(error, NetworkError)
            self._problem = error.plain if isinstance(error, ApiError) else None
            self._needs_sign_in = self._needs_sign_in or isinstance(error, NEEDS_SIGN_IN)

    def close(self) -> None:
        """Leave the shop: cancel the work under way and give a push (then a sync) up to
        CLOSE_WAIT_S to stop, so nothing is cut off mid-write; then close the network client
        and the cache's connections, and stop the demo shop. Idempotent."""
        with self._state_lock:
            if self._closed:
                return
            self._closed = True
            running = list(self._running)
        for flag in running:
            flag.set()
        if not self._stopped(CLOSE_WAIT_S):
            log.warning("closing the shop while a push or sync still runs")
        self.api.close()
        self.cache.close()
        if self._on_close is not None:
            self._on_close()

    def rescue_cache(self) -> RescueReport:
        """Close the shop, and once its push and sync have let go, set its damaged cache aside
        and start a fresh one with the seller's open edits and stock history read from it
        (store/rescue.py). Open a new session afterwards: its first sync downloads the rest.
        Raises CacheInUse, touching nothing, if the work does not stop within RESCUE_WAIT_S."""
        self.close()
        if not self._stopped(RESCUE_WAIT_S):
            raise CacheInUse(f"{self.store_path.name} is still in use")
        report = rescue_cache(self.store_path)
        log.warning("the damaged cache was set aside as %s", report.damaged_copy)
        return report

    def _stopped(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for each of the push and the sync to let go (the sync's
        process has ended once its lock is free). True when both did."""
        for lock in (self._push_lock, self._sync_lock):
            if not lock.acquire(timeout=timeout_s):
                return False
            lock.release()
        return True

    def _note_result(self, result: SyncResult) -> None:
        with self._state_lock:
            if result.complete:
                self._online, self._problem, self._needs_sign_in = True, None, False
            elif result.errors:
                self._problem = result.errors[0]
                self._online = not any(NetworkError.plain in e for e in result.errors)
                self._needs_sign_in = self._needs_sign_in or result.needs_sign_in


def persist_tokens(vault: TokenVault, account: str) -> Callable[[TokenSet], None]:
    """The ApiClient's on_tokens_refreshed: keep each new pair, atomically, in the vault."""

    def save(tokens: TokenSet) -> None:
        vault.save(account, tokens.to_json())

    return save


def first_shop(api: ApiClient) -> ShopIdentity:
    """The first shop this authorization covers (a local seller has exactly one)."""
    shops = api.authorized_shops()
    if not shops:
        raise InvalidTokenError(
            NO_ANSWER, "no authorized shops", plain="This sign-in gives access to no shop."
        )
    shop = shops[0]
    return ShopIdentity(
        id=str(shop["id"]), name=str(shop.get("name") or "TikTok Shop"),
        cipher=str(shop["cipher"]), region=str(shop.get("region") or ""),
    )


def open_cache(path: Path, shop: ShopIdentity) -> RescueReport | None:
    """Open the shop's cache before its session starts, and note the shop in it. A damaged
    cache is rescued here (nothing else has it open yet); the report says what was kept."""
    rescued = None
    try:
        _note_shop(path, shop)
    except sqlite3.DatabaseError as error:
        if not is_damaged(error):
            raise
        log.warning("the cache %s is damaged (%s): rescuing it", path.name, error)
        rescued = rescue_cache(path)
        _note_shop(path, shop)
    return rescued


def _note_shop(path: Path, shop: ShopIdentity) -> None:
    with Store.open(path) as store:
        store.shops.upsert([{"id": shop.id, "name": shop.name, "region": shop.region,
                             "cipher": shop.cipher}])
