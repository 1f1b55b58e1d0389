"""DemoShop: the demo shop as a real HTTP server on 127.0.0.1, started from code.

    with DemoShop(DemoShopConfig(seed=1, orders=500)) as shop:
        shop.base_url, shop.app_key, shop.app_secret, shop.service_id, shop.redirect_url
        code = shop.authorize(state="s")

With `state_path`, the shop carries on the world a previous run saved there (`shop.restored`),
saves it a moment after each change (at most every SAVE_EVERY_S) and when it stops.
"""

from __future__ import annotations

import logging
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from . import state
from .app import ShopApp
from .config import DEFAULT_REDIRECT_URL, DemoShopConfig, credentials_for
from .faults import FaultPlan
from .limits import RateLimiter
from .world import World

log = logging.getLogger(__name__)
SAVE_EVERY_S = 2.0
# A save holds the world's lock while it pickles (10 ms for the app's demo, seconds for 100k
# orders): the pause between saves grows with their cost, so requests wait <= ~5% of the time.
SAVE_PAUSE_FACTOR = 20


class _Handler(WSGIRequestHandler):
    # Without this, Nagle's algorithm and delayed ACKs cost ~40 ms per request.
    disable_nagle_algorithm = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Not logged: token-host URLs carry the app secret and auth codes in their query."""


class DemoShop:
    def __init__(self, config: DemoShopConfig | None = None,
                 state_path: Path | None = None) -> None:
        self.config = config = config or DemoShopConfig()
        credentials = credentials_for(config.seed)
        self.app_key = credentials.app_key
        self.app_secret = credentials.app_secret
        self.service_id = credentials.service_id
        self.redirect_url = config.redirect_url or DEFAULT_REDIRECT_URL
        self.state_path = state_path
        saved = state.load(state_path, config) if state_path is not None else None
        self.restored = saved is not None
        self.world = saved[0] if saved is not None else World(config)
        self._stopping = threading.Event()
        self._changed = threading.Event()
        self._app = ShopApp(
            self.world, credentials, self.redirect_url,
            FaultPlan(config.seed, config.fault_rate, config.fault_kinds, config.fault_timeout_s),
            RateLimiter(config.rate_limit), self._stopping, config.latency_ms,
            on_change=self._changed.set, business_errors_as_200=config.business_errors_as_200)
        if saved is not None:
            self._app.restore_answers(saved[1].get("answers", {}))
        self._server: BaseWSGIServer | None = None
        self._threads: list[threading.Thread] = []

    def __repr__(self) -> str:
        where = self.base_url if self._server else "stopped"
        return f"DemoShop({where}, app_key={self.app_key!r}, app_secret='***')"

    # -- life -------------------------------------------------------------------------------
    def start(self) -> DemoShop:
        self._server = make_server("127.0.0.1", self.config.port, self._app, threaded=True,
                                   request_handler=_Handler)
        server = self._server
        # A short poll interval lets stop() return at once instead of after up to 0.5 s.
        self._spawn(lambda: server.serve_forever(poll_interval=0.05), "demo-shop-http")
        if self.config.new_order_every_s > 0:
            self._spawn(self._new_orders, "demo-shop-buyers")
        if self.state_path is not None:
            if not self.restored:
                self.save()  # a new world is on disk at once: the next run carries it on
            self._spawn(self._keep_saving, "demo-shop-saver")
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        if self.state_path is not None:
            self.save()  # last: nothing changes the world any more

    def save(self) -> None:
        """Write the world to `state_path` now."""
        if self.state_path is not None:
            state.save(self.state_path, self.world, {"answers": self._app.answers()})

    def __enter__(self) -> DemoShop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _new_orders(self) -> None:
        while not self._stopping.wait(self.config.new_order_every_s):
            self.world.add_order()
            self._changed.set()

    def _keep_saving(self) -> None:
        pause = SAVE_EVERY_S
        while not self._stopping.wait(pause):
            if not self._changed.is_set():
                continue
            self._changed.clear()
            began = time.perf_counter()
            try:
                self.save()
            except Exception:  # a full disk: try again later, keep serving
                log.warning("The demo shop could not save its world.", exc_info=True)
                self._changed.set()
            pause = max(SAVE_EVERY_S, SAVE_PAUSE_FACTOR * (time.perf_counter() - began))

    # -- what callers use -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo shop is not running: use `with DemoShop(...)`")
        return f"http://127.0.0.1:{self._server.port}"

    def info(self) -> dict[str, str]:
        return {"base_url": self.base_url, "app_key": self.app_key,
                "app_secret": self.app_secret, "service_id": self.service_id,
                "redirect_url": self.redirect_url}

    def authorize(self, state: str = "") -> str:
        """Approve the app on the consent page, as a seller would; returns the auth code."""
        query = urlencode({"service_id": self.service_id, "state": state, "approve": "1"})
        connection = HTTPConnection("127.0.0.1", self._server.port if self._server else 0)
        try:
            connection.request("GET", f"/open/authorize?{query}")
            answer = connection.getresponse()
            answer.read()
        finally:
            connection.close()
        if answer.status != 302:
            raise RuntimeError(f"the consent page answered HTTP {answer.status}")
        return parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]

    def configure(self, *, latency_ms: float | None = None, rate_limit: float | None = None,
                  fault_rate: float | None = None, fault_timeout_s: float | None = None,
                  fault_kinds: tuple[str, ...] | None = None) -> None:
        """Change the knobs while the shop runs."""
        if latency_ms is not None:
            self._app.latency_ms = latency_ms
        if rate_limit is not None:
            self._app.limiter.configure(rate_limit)
        self._app.faults.configure(fault_rate, fault_kinds, fault_timeout_s)

    @property
    def stats(self) -> dict:
        """Requests served, throttled (429) and faults injected, in total and per endpoint."""
        return self._app.stats.snapshot()
