"""Benchmark: the main window over a big cache — cold start, search as you type, memory, and the
event loop while a full sync runs.

    python tests/bench/bench_ui.py --orders 100000

1. A cache with N orders of the seeded demo shop (built once, ~1 min for 100k; `--cache PATH`
   keeps it for the next run).
2. Cold start: a new process starts the app's main window on that cache (offscreen) until the
   Orders tab has painted its rows; the same for a bare PySide6 window. Median of `--starts`.
3. Search as you type, in the started window: words and the last six digits of an order id and
   a tracking number typed a letter at a time (each prefix a query, the worst case: the search
   box's pause would skip some), and an order id and a tracking number pasted at once.
   Latency = from asking to the table showing the answer.
4. A full sync with the Orders tab open, into a copy of that cache (`--first-sync`: into an
   empty one): the demo shop (same seed, N orders) runs in its own process; a 5 ms heartbeat
   timer on the GUI thread records the longest gap between beats.
Prints the figures, then ONE JSON line: cold_start_s, bare_window_s, search_ms_median,
max_stall_ms, peak_rss_mb (the larger of: the app with the cache open; the window plus the sync's
own process during the sync).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SHOP_NAME = "Bench shop"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--starts", type=int, default=3, help="cold starts to take the median of")
    parser.add_argument("--rate-limit", type=float, default=50.0)
    parser.add_argument("--cache", type=Path, help="keep the prepared cache here (reused)")
    parser.add_argument("--first-sync", action="store_true",
                        help="sync into an empty cache instead (a new seller's first sync: "
                             "the top of the list changes at every refresh)")
    parser.add_argument("--child", choices=("bare", "app", "sync"), help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--shop-info", help=argparse.SUPPRESS)
    return parser.parse_args()


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


# -- the cache ----------------------------------------------------------------------------------

def prepare_cache(path: Path, orders: int, seed: int) -> str:
    """N orders (and their packages) of the seeded demo shop, written as a sync writes them."""
    from tiktok_desktop.sandbox.config import DemoShopConfig
    from tiktok_desktop.sandbox.render_orders import order_object, package_summary
    from tiktok_desktop.sandbox.world import World
    from tiktok_desktop.store import OrderQuery, Store

    world = World(DemoShopConfig(seed=seed, orders=orders))
    if path.exists():
        with Store.open(path) as store:
            if store.orders.counts(OrderQuery(world.shop.id))["All"] >= orders:
                return world.shop.id
        path.unlink()
    started = time.perf_counter()
    links = world.image_links("http://127.0.0.1:9")  # never fetched here
    with Store.open(path) as store:
        store.shops.upsert([{"id": world.shop.id, "name": SHOP_NAME}])
        chunk = 2000
        order_rows = list(world.orders)
        for start in range(0, len(order_rows), chunk):
            store.save_page(world.shop.id, "orders",
                            [order_object(world, o, links)
                             for o in order_rows[start:start + chunk]], None)
        packages = list(world.packages)
        for start in range(0, len(packages), chunk):
            store.save_page(world.shop.id, "packages",
                            [package_summary(world, p, links)
                             for p in packages[start:start + chunk]], None)
    print(f"prepared a cache of {orders:,} orders in {time.perf_counter() - started:.0f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)", flush=True)
    return world.shop.id


# -- children: one process per start ----------------------------------------------------------

def child_bare() -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1400, 900)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("ready", flush=True)
                app.quit()
            return False

    painted = FirstPaint()
    window.installEventFilter(painted)
    window.show()
    app.exec()


class CachedShop:
    """A signed-in shop that only reads its cache: cold start needs no network."""

    is_demo = False
    shop_name = SHOP_NAME
    rescued = None  # the cache opened whole

    def __init__(self, shop_id: str, store_path: Path) -> None:
        from tiktok_desktop.services.cache_lanes import CacheLanes

        self.shop_id, self.store_path = shop_id, store_path
        self.cache = CacheLanes(store_path)

    def sync(self, progress: Any = None, cancel: Any = None) -> Any:
        from tiktok_desktop.store import Changes
        from tiktok_desktop.sync import SyncResult

        return SyncResult((), Changes(), (), 0, 0.0, False)

    def connection(self) -> Any:
        from tiktok_desktop.services import ConnectionState

        return ConnectionState(True, int(time.time()) + 86400, int(time.time()) + 86400 * 365)

    def note_failure(self, error: BaseException) -> None:
        pass

    def close(self) -> None:
        self.cache.close()


def main_window(session_factory: Any) -> tuple[Any, Any]:
    """The app's QApplication and main window, started as ui/app.py starts them."""
    from tiktok_desktop.logs import LogBuffer
    from tiktok_desktop.ui import messages
    from tiktok_desktop.ui.app import AppContext, StartupOptions, create_application
    from tiktok_desktop.ui.crash import CrashHandler
    from tiktok_desktop.ui.main_window import open_main_window
    from tiktok_desktop.ui.settings import Settings
    from tiktok_desktop.ui.tasks import TaskRunner

    data = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    app = create_application()
    messages.bus()
    tasks = TaskRunner(app)
    app.aboutToQuit.connect(tasks.shutdown)
    settings = Settings.open(data)
    settings.shop_choice = "demo"  # opens the shop at once, as a returning seller sees it
    context = AppContext(app, StartupOptions(data_dir=data), settings, tasks, LogBuffer(),
                         CrashHandler(data))
    window = open_main_window(context, session_factory)
    window.resize(1400, 900)
    window.show()
    return app, window


def orders_painted(window: Any, then: Any) -> None:
    """Call `then()` once the Orders tab has listed its orders and painted them."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from tiktok_desktop.ui.orders import OrdersTab

    class RowsPainted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            tab = window.tab(OrdersTab)
            if (event.type() == QEvent.Type.Paint and tab is not None
                    and tab.model.rowCount() and watched is tab.table.viewport()):
                watched.removeEventFilter(self)
                QTimer.singleShot(0, then)  # after this paint, not inside it
            return False

    def watch() -> None:
        tab = window.tab(OrdersTab)
        if tab is not None:  # None while the window closes
            tab.table.viewport().installEventFilter(painted)

    painted = RowsPainted(window)
    if window.tab(OrdersTab) is not None:
        watch()
    else:  # the shop opens in the background: watch once its tabs exist
        window.tabs.currentChanged.connect(lambda index: watch())


def search_terms(window: Any) -> list[tuple[str, bool]]:
    """(text, typed): words and the last digits of numbers typed a letter at a time; an order id
    and a tracking number pasted."""
    from tiktok_desktop.ui.orders import OrdersTab

    tab = window.tab(OrdersTab)
    row = tab.store.orders.rows([tab.model.order_id(len(tab.model.order_ids) // 3)])[0]
    tracked = tab.store.conn.execute(
        "SELECT id, tracking_number FROM orders WHERE tracking_number IS NOT NULL LIMIT 1 "
        "OFFSET 777").fetchone()
    detail = tab.store.orders.detail(row.id)
    words = [row.buyer or "maria", (detail.items[0].product_name or "hoodie").split()[-1],
             detail.items[0].seller_sku or "TS-1"]
    # The last digits of an order id and a tracking number, typed: found by any part.
    tails = [row.id[-6:], tracked[1][-6:]]
    return ([(word, True) for word in [*words, *tails]]
            + [(row.id, False), (tracked[1], False)])


def measure_search(app: Any, window: Any) -> list[float]:
    from PySide6.QtCore import QEventLoop

    from tiktok_desktop.ui.orders import OrdersTab

    tab = window.tab(OrdersTab)
    latencies = []
    for term, typed in search_terms(window):
        for text in ([term[:n] for n in range(1, len(term) + 1)] if typed else [term]):
            loop = QEventLoop()
            tab.listed.connect(loop.quit)
            started = time.perf_counter()
            tab.filters.search.setText(text)
            tab.ask()
            loop.exec()
            latencies.append((time.perf_counter() - started) * 1000)
            tab.listed.disconnect(loop.quit)
        tab.filters.search.clear()
    return latencies


def child_app(store: Path, shop_id: str) -> None:
    app, window = main_window(lambda data_dir: CachedShop(shop_id, store))
    result: dict[str, Any] = {}

    def ready() -> None:
        print("ready", flush=True)
        latencies = measure_search(app, window)
        result.update(search_ms=latencies, rss_mb=peak_rss_mb())
        app.quit()

    orders_painted(window, ready)
    app.exec()
    window.close_session()
    print(json.dumps(result), flush=True)


def child_sync(store: Path, shop_info: dict) -> None:
    from PySide6.QtCore import Qt, QTimer

    from tiktok_desktop.services.session import ShopSession, first_shop

    api = sign_in(shop_info)
    identity = first_shop(api)
    session = ShopSession(api, identity, store)
    app, window = main_window(lambda data_dir: session)
    beats: list[float] = []
    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(5)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))
    outcome: dict[str, Any] = {}

    def sync_started() -> None:
        beats.clear()
        outcome["started"] = time.perf_counter()
        heart.start()

    def sync_finished(result: Any) -> None:
        heart.stop()
        outcome["seconds"] = time.perf_counter() - outcome["started"]
        outcome["complete"] = bool(result.result and result.result.complete)
        outcome["items"] = result.result.items if result.result else 0
        app.quit()

    def watch_sync() -> None:
        if window.sync is None:  # the shop is still opening
            QTimer.singleShot(10, watch_sync)
            return
        window.sync.started.connect(sync_started)
        window.sync.finished.connect(sync_finished)
        if window.sync.running:  # it started with the window: count from now
            sync_started()

    QTimer.singleShot(0, watch_sync)
    app.exec()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(beats)]
    window.close_session()
    print(json.dumps({"max_stall_ms": max(gaps, default=0.0), "beats": len(beats),
                      "sync_s": outcome.get("seconds"), "complete": outcome.get("complete"),
                      "items": outcome.get("items"), "rss_mb": peak_rss_mb(),
                      "sync_rss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN)}), flush=True)


def sign_in(info: dict) -> Any:
    from urllib.parse import parse_qs, urlencode, urlsplit

    import httpx

    from tiktok_desktop.api import ApiClient, AuthClient

    query = urlencode({"service_id": info["service_id"], "state": "bench", "approve": "1"})
    answer = httpx.get(f"{info['base_url']}/open/authorize?{query}")
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    tokens = AuthClient(info["app_key"], info["app_secret"],
                        base_url=info["base_url"]).exchange_code(code)
    return ApiClient(info["app_key"], info["app_secret"], tokens, base_url=info["base_url"],
                     auth_base_url=info["base_url"], rate_limit=info["rate_limit"])


# -- the parent ---------------------------------------------------------------------------------

def run_child(*args: str) -> tuple[float, list[str]]:
    """Start a child; seconds until it printed "ready", and everything it printed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    assert child.stdout is not None
    ready_at = None
    lines = []
    for line in child.stdout:
        if line.strip() == "ready" and ready_at is None:
            ready_at = time.perf_counter() - started
        lines.append(line.strip())
    child.wait()
    if child.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed with {child.returncode}: {lines[-3:]}")
    return ready_at or float("nan"), lines


def start_shop(args: argparse.Namespace) -> tuple[subprocess.Popen, dict]:
    shop = subprocess.Popen(
        [sys.executable, "-m", "tiktok_desktop.sandbox", "--port", "0", "--seed", str(args.seed),
         "--orders", str(args.orders), "--rate-limit", str(args.rate_limit)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert shop.stdout is not None
    return shop, {**json.loads(shop.stdout.readline()), "rate_limit": args.rate_limit}


def main() -> int:
    args = parse_args()
    if args.child:
        {"bare": lambda: child_bare(),
         "app": lambda: child_app(args.store, args.shop_info),
         "sync": lambda: child_sync(args.store, json.loads(args.shop_info))}[args.child]()
        # Skip Python's finalization: PySide6 6.12 on Python 3.11 under-counts references to
        # None and True, which can abort the process while it tears down (figures are printed).
        os._exit(0)

    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    try:
        cache = args.cache or folder / "cache.sqlite3"
        shop_id = prepare_cache(cache, args.orders, args.seed)
        bare = statistics.median(run_child("--child", "bare")[0] for _ in range(args.starts))
        starts, searches, rss = [], [], []
        for _ in range(args.starts):
            seconds, lines = run_child("--child", "app", "--store", str(cache),
                                       "--shop-info", shop_id)
            starts.append(seconds)
            found = json.loads(lines[-1])
            searches.extend(found["search_ms"])
            rss.append(found["rss_mb"])
        cold = statistics.median(starts)
        synced_cache = folder / "sync.sqlite3"
        if not args.first_sync:
            shutil.copyfile(cache, synced_cache)  # the sync rewrites it: keep the prepared one
        shop, info = start_shop(args)
        try:
            _, lines = run_child("--child", "sync", "--store", str(synced_cache),
                                 "--shop-info", json.dumps(info))
        finally:
            shop.terminate()
            shop.wait(10)
        sync = json.loads(lines[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    search_median = statistics.median(searches)
    # The sync runs in a process of its own: the app's memory is the window's plus that one's.
    peak = max([*rss, sync["rss_mb"] + sync["sync_rss_mb"]])
    print(f"{args.orders:,} cached orders")
    print(f"cold start to the Orders tab painted: {cold:.2f} s (median of {args.starts}; "
          f"goal ≤ 1.5 s); bare PySide6 window: {bare:.2f} s; ratio {cold / bare:.2f}")
    print(f"search as you type: median {search_median:.1f} ms (goal ≤ 50), "
          f"90th percentile {statistics.quantiles(searches, n=10)[-1]:.1f} ms, "
          f"max {max(searches):.1f} ms over {len(searches)} queries")
    print(f"full sync with the tab open: {sync['sync_s']:.1f} s, {sync['items']:,} items, "
          f"complete: {sync['complete']}; longest event-loop stall {sync['max_stall_ms']:.1f} ms "
          f"(goal ≤ 50) over {sync['beats']:,} heartbeats")
    print(f"peak RSS: {peak:.0f} MB (app with the cache open: {max(rss):.0f} MB; "
          f"during the sync: window {sync['rss_mb']:.0f} MB + the sync's own process "
          f"{sync['sync_rss_mb']:.0f} MB)")
    print(json.dumps({"cold_start_s": round(cold, 3), "bare_window_s": round(bare, 3),
                      "search_ms_median": round(search_median, 1),
                      "max_stall_ms": round(sync["max_stall_ms"], 1),
                      "peak_rss_mb": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
