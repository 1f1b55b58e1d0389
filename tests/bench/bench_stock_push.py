"""Benchmark: push thousands of stock edits to the demo shop, then do it again with faults and a
pusher killed halfway.

    python tests/bench/bench_stock_push.py --skus 5000 --products 1000 --latency-ms 150 \\
        --rate-limit 50

Run 1: `--skus` edits (SKU × warehouse cells) spread over `--products` products, pushed from the
outbox at the given latency and rate limit: seconds, requests, the bound (products ÷ rate limit:
one update call per product is the least the API allows) and ratio = seconds ÷ bound (goal ≤ 1.2).
Run 2: the same size on a fresh shop with `--fault-rate` of requests failing (500s, 429s,
timeouts and dropped connections, half of the last two after the update took effect); the
pushing process is killed with SIGKILL once half of the edits are settled, then started again
and left to finish. The shop's final stock is compared with the intended stock: lost (an edit
never written), duplicated (an edit written more than once: a blind resend), wrong (final ≠
intended); goal: all zero.

The demo shop runs in a process of its own (as TikTok Shop runs elsewhere): it outlives the
killed pusher and counts, per SKU and warehouse, the values inventory updates wrote. Prints the
figures, then ONE JSON line: seconds, requests, bound_seconds, ratio (run 1), lost, duplicated,
wrong (run 2).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tiktok_desktop.api import ApiClient, AuthClient, TokenSet  # noqa: E402
from tiktok_desktop.services.session import ShopSession, first_shop  # noqa: E402
from tiktok_desktop.services.stock_edits import Change, save_changes  # noqa: E402
from tiktok_desktop.store import Store  # noqa: E402
from tiktok_desktop.sync.stock_push import StockPusher  # noqa: E402

Cell = tuple[str, str, str, int, int]  # sku, warehouse, product, shop's value, intended value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=5000, help="stock edits (SKU × warehouse)")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--rate-limit", type=float, default=50.0)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--fault-timeout-s", type=float, default=10.0,
                        help="how long the demo shop holds a 'timeout' fault's answer")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shop-host", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pusher", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- the demo shop's process ---------------------------------------------------------------------

def shop_host(args: argparse.Namespace) -> None:
    """Serve the demo shop; answer the bench's commands (JSON lines on stdin / stdout)."""
    from tiktok_desktop.sandbox import DemoShop, DemoShopConfig

    writes: dict[tuple[str, str], list[int]] = {}

    class CountingStock(dict):
        def __init__(self, sku_id: str, stock: dict[str, int]) -> None:
            super().__init__(stock)
            self.sku_id = sku_id

        def update(self, given: dict[str, int]) -> None:  # type: ignore[override]
            for warehouse, quantity in given.items():
                writes.setdefault((self.sku_id, warehouse), []).append(quantity)
            super().update(given)

    config = DemoShopConfig(seed=args.seed, orders=0, products=args.products,
                            rate_limit=args.rate_limit)
    with DemoShop(config) as shop:
        with shop.world.lock:
            for _product, sku in shop.world.skus.values():
                sku.available = CountingStock(sku.id, sku.available)
        print(json.dumps(shop.info()), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            what = command.pop("cmd")
            if what == "configure":
                shop.configure(**command)
                answer: object = "ok"
            elif what == "stock":
                with shop.world.lock:
                    answer = [[shop.world.skus[s][1].available[w],
                               writes.get((s, w), []).count(n)] for s, w, n in command["cells"]]
            else:
                answer = shop.stats
            print(json.dumps(answer), flush=True)


class Shop:
    """The bench's handle on the shop process."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--shop-host", "--seed", str(args.seed),
             "--products", str(args.products), "--rate-limit", str(args.rate_limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        self.info = json.loads(self._line())

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline()

    def ask(self, cmd: str, **fields: object) -> object:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **fields}) + "\n")
        self.process.stdin.flush()
        return json.loads(self._line())

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


# -- the app's side ------------------------------------------------------------------------------

def sign_in(info: dict) -> TokenSet:
    query = urlencode({"service_id": info["service_id"], "state": "bench", "approve": "1"})
    answer = httpx.get(f"{info['base_url']}/open/authorize?{query}")
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    with AuthClient(info["app_key"], info["app_secret"], base_url=info["base_url"]) as auth:
        return auth.exchange_code(code)


def client(info: dict, tokens: TokenSet, rate_limit: float) -> ApiClient:
    return ApiClient(info["app_key"], info["app_secret"], tokens, base_url=info["base_url"],
                     auth_base_url=info["base_url"], rate_limit=rate_limit)


def prepare(args: argparse.Namespace, shop: Shop, folder: Path) -> tuple[ShopSession, list[Cell]]:
    """Sign in, sync the shop into a new cache, and queue the edits in its outbox."""
    tokens = sign_in(shop.info)
    api = client(shop.info, tokens, args.rate_limit)
    identity = first_shop(api)
    session = ShopSession(api, identity, folder / "cache.sqlite3")
    with Store.open(session.store_path) as store:
        store.shops.upsert([{"id": identity.id, "name": identity.name,
                             "cipher": identity.cipher}])
    synced = session.sync()
    assert synced.complete, synced.errors
    rng = random.Random(args.seed)
    with Store.open(session.store_path) as store:
        rows = store.catalog.stock_rows(identity.id)
        by_product: dict[str, list] = {}
        for row in rows:
            by_product.setdefault(row.product_id or "", []).append(row)
        products = sorted(by_product)[:args.products]
        picked: list = []
        depth = 0
        while len(picked) < args.skus and depth < max(map(len, by_product.values())):
            picked += [by_product[p][depth] for p in products if depth < len(by_product[p])]
            depth += 1
        picked = picked[:args.skus]
        cells = []
        for row in picked:
            new = (row.available + rng.randint(1, 500)) % 100_000
            cells.append((row.sku_id, row.warehouse_id, row.product_id, row.available, new))
        save_changes(store, identity.id, [Change(s, w, p, n, old) for s, w, p, old, n in cells])
    (folder / "tokens.json").write_text(api.tokens.to_json())
    return session, cells


def pusher_process(config_path: Path) -> None:
    """The pusher the bench kills: push until nothing is left, printing progress."""
    config = json.loads(config_path.read_text())
    api = client(config["info"], TokenSet.from_json(config["tokens"]), config["rate_limit"])
    pusher = StockPusher(api, config["cipher"], config["shop_id"],
                         rate_limit=config["rate_limit"])
    resume = bool(config.get("resume"))
    with Store.open(config["store"]) as store:
        for _ in range(20):
            result = pusher.push(store, resume=resume, progress=lambda p: print(
                f"settled {p.settled} of {p.total}", flush=True))
            resume = True  # what is left belongs to this push: finish it
            print(json.dumps({"done": result.done, "failed": result.failed,
                              "conflicts": result.conflicts, "left": result.left,
                              "problem": result.problem, "updates": result.update_calls,
                              "checks": result.check_calls}), flush=True)
            if result.left == 0:
                break


def outbox_states(path: Path, shop_id: str) -> dict[str, int]:
    with Store.open(path) as store:
        return dict(store.conn.execute(
            "SELECT state, count(*) FROM outbox WHERE shop_id = ? GROUP BY state", (shop_id,)))


def confirmed_in_doubt(path: Path, shop_id: str) -> int:
    """Rows the restart found already applied (sent before the kill, answer lost): not resent."""
    with Store.open(path) as store:
        return store.conn.execute(
            "SELECT count(*) FROM audit_log WHERE shop_id = ? AND message LIKE 'Confirmed%'",
            (shop_id,)).fetchone()[0]


def compare(shop: Shop, cells: list[Cell]) -> dict[str, int]:
    answers = shop.ask("stock", cells=[[s, w, n] for s, w, _p, _o, n in cells])
    assert isinstance(answers, list)
    lost = sum(1 for _final, writes in answers if writes == 0)
    duplicated = sum(1 for _final, writes in answers if writes > 1)
    wrong = sum(1 for (final, _w), cell in zip(answers, cells, strict=True) if final != cell[4])
    return {"lost": lost, "duplicated": duplicated, "wrong": wrong}


def run_clean(args: argparse.Namespace, folder: Path) -> dict:
    shop = Shop(args)
    try:
        session, cells = prepare(args, shop, folder)
        products = len({c[2] for c in cells})
        shop.ask("configure", latency_ms=args.latency_ms)
        before = session.api.stats.requests
        started = time.perf_counter()
        result = session.push_stock()
        seconds = time.perf_counter() - started
        requests = session.api.stats.requests - before
        checked = compare(shop, cells)
        session.close()
    finally:
        shop.close()
    bound = products / args.rate_limit
    print(f"run 1: {len(cells):,} edits in {products:,} products, latency {args.latency_ms:g} ms, "
          f"limit {args.rate_limit:g}/s")
    print(f"  pushed in {seconds:.1f} s with {requests:,} requests ({result.update_calls:,} "
          f"updates, {result.check_calls:,} checks); bound {bound:.1f} s; "
          f"ratio {seconds / bound:.2f}")
    print(f"  done {result.done:,}, failed {result.failed}, conflicts {result.conflicts}, "
          f"left {result.left}; shop: lost {checked['lost']}, duplicated "
          f"{checked['duplicated']}, wrong {checked['wrong']}")
    return {"seconds": round(seconds, 2), "requests": requests,
            "bound_seconds": round(bound, 2), "ratio": round(seconds / bound, 3)}


def start_pusher(config_path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--pusher", str(config_path)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def run_killed(args: argparse.Namespace, folder: Path) -> dict:
    shop = Shop(args)
    try:
        session, cells = prepare(args, shop, folder)
        config = folder / "pusher.json"
        config.write_text(json.dumps({
            "info": shop.info, "tokens": (folder / "tokens.json").read_text(),
            "rate_limit": args.rate_limit, "cipher": session.shop.cipher,
            "shop_id": session.shop_id, "store": str(session.store_path)}))
        os.chmod(config, 0o600)
        session.close()
        shop.ask("configure", latency_ms=args.latency_ms, fault_rate=args.fault_rate,
                 fault_timeout_s=args.fault_timeout_s)
        started = time.perf_counter()
        first = start_pusher(config)
        assert first.stdout is not None
        settled = 0
        for line in first.stdout:
            if line.startswith("settled "):
                settled = int(line.split()[1])
                if settled >= len(cells) // 2:
                    break
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed_at = time.perf_counter() - started
        states = outbox_states(session.store_path, session.shop_id)
        # The app's next start: finish the interrupted push.
        config.write_text(json.dumps({**json.loads(config.read_text()), "resume": True}))
        second = start_pusher(config)
        out, _ = second.communicate(timeout=1800)
        seconds = time.perf_counter() - started
        rounds = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        checked = compare(shop, cells)
        stats = shop.ask("stats")
        final_states = outbox_states(session.store_path, session.shop_id)
        confirmed = confirmed_in_doubt(session.store_path, session.shop_id)
    finally:
        shop.close()
    assert isinstance(stats, dict)
    print(f"run 2: fault rate {args.fault_rate:.0%} (timeouts held {args.fault_timeout_s:g} s); "
          f"pusher killed (SIGKILL) at {killed_at:.1f} s with {settled:,} of {len(cells):,} "
          f"settled; outbox then {states}")
    print(f"  restarted (resume); finished after {seconds:.1f} s in all, {len(rounds)} "
          f"push(es): {rounds}; {confirmed} edits found already applied (answer lost or pusher "
          f"killed) and not sent again")
    print(f"  shop saw {stats['requests']:,} requests, {stats['faults']} faults "
          f"{stats['fault_kinds']}, {stats['throttled']} throttled; outbox now {final_states}")
    print(f"  lost {checked['lost']}, duplicated {checked['duplicated']}, wrong "
          f"{checked['wrong']} (of {len(cells):,})")
    return checked


def main() -> None:
    args = parse_args()
    # The client's retry notes (one per fault) would bury the figures.
    logging.getLogger("tiktok_desktop.api").setLevel(logging.ERROR)
    if args.shop_host:
        shop_host(args)
        return
    if args.pusher:
        pusher_process(args.pusher)
        return
    with tempfile.TemporaryDirectory(prefix="bench-stock-") as tmp:
        figures = run_clean(args, Path(tmp) / "clean")
        figures |= run_killed(args, Path(tmp) / "killed")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
