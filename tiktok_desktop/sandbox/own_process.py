"""The demo shop in a process of its own: how the app's demo mode runs it.

In the app's process, the shop's server threads (building order pages, JSON) would take
Python's lock from the window while they answer the sync, as TikTok's servers never do; measured
with a 5 ms heartbeat during the demo's first sync: gaps of 43-84 ms. In its own process the
shop behaves like the remote API it imitates.

    shop = DemoShopProcess(DemoShopConfig(seed=1, orders=600)).start()
    shop.base_url, shop.app_key, shop.app_secret, shop.service_id, shop.config
    shop.stop()

The child sends its address and credentials through a pipe (never the command line), then
serves until the app closes its end of the pipe: quitting, or dying, stops the shop.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing.connection import Connection

from .config import DemoShopConfig
from .server import DemoShop

START_TIMEOUT_S = 60.0  # a big world takes a while to build; the default one, a second
STOP_TIMEOUT_S = 5.0


class DemoShopProcess:
    def __init__(self, config: DemoShopConfig) -> None:
        self.config = config
        self.base_url = self.app_key = self.app_secret = self.service_id = ""
        self._pipe: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None

    def __repr__(self) -> str:
        return f"DemoShopProcess({self.base_url or 'stopped'}, app_secret='***')"

    def start(self) -> DemoShopProcess:
        context = multiprocessing.get_context("spawn")
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, self.config),
                                        daemon=True, name="tiktok-desktop-demo-shop")
        self._process.start()
        theirs.close()
        try:
            if not self._pipe.poll(START_TIMEOUT_S):
                raise RuntimeError("The demo shop did not start in time.")
            info = self._pipe.recv()
        except (EOFError, RuntimeError):
            self.stop()
            raise RuntimeError("The demo shop could not start.") from None
        self.base_url, self.app_key = info["base_url"], info["app_key"]
        self.app_secret, self.service_id = info["app_secret"], info["service_id"]
        return self

    def stop(self) -> None:
        """Stop the shop and wait for its process (a moment; killed if it does not end)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._process is not None:
            self._process.join(STOP_TIMEOUT_S)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None
        self.base_url = ""


def _serve(connection: Connection, config: DemoShopConfig) -> None:
    with DemoShop(config) as shop:
        connection.send(shop.info())
        with contextlib.suppress(EOFError, OSError):
            connection.recv()  # nothing is ever sent: this returns when the app's end closes
