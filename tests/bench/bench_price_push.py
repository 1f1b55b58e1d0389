"""Benchmark: push thousands of price edits to the demo shop, then do it again with faults and a
pusher killed halfway.

    python tests/bench/bench_price_push.py --skus 5000 --products 1000 --latency-ms 150 \\
        --rate-limit 50

Run 1: `--skus` price edits (one per SKU) spread over `--products` live listings (ACTIVATE),
pushed from the outbox at the given latency and rate limit: seconds, requests (per endpoint),
the bound (products ÷ rate limit: one Update Price call per product is the least the API
allows; the Get Product reads that check each product first run on their own endpoint's limit,
side by side) and ratio = seconds ÷ bound (goal ≤ 1.2).
Run 2: the same size on a fresh shop with `--fault-rate` of requests failing (500s, 429s,
timeouts and dropped connections, half of the last two after the update took effect); the
pushing process is killed with SIGKILL once half of the edits are settled, then started again
and left to finish. The shop's final prices are compared with the intended prices: lost (an
edit never written), duplicated (a SKU's price written by more than one Update Price call: a
blind resend), wrong (final ≠ intended); goal: all zero.

The demo shop runs in a process of its own (as TikTok Shop runs elsewhere): it outlives the
killed pusher and counts, per SKU, the prices Update Price calls wrote (the same price again
counts too: the call took effect). It has `--shop-products` listings (default: twice
`--products`, as few SKUs per listing leave too few SKUs otherwise); the `--products` live ones
with the most SKUs are edited. No edited SKU is in a promotion: the shop ends them all first (a
promotion locks a price, which would be a refusal, not a figure of this bench). Prints the
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
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tiktok_desktop.api import ApiClient, AuthClient, TokenSet  # noqa: E402
from tiktok_desktop.services.price_edits import (  # noqa: E402
    PriceChange,
    load_cells,
    save_changes,
)
from tiktok_desktop.services.session import ShopSession, first_shop  # noqa: E402
from tiktok_desktop.store import Store  # noqa: E402
from tiktok_desktop.sync.price_push import PricePusher  # noqa: E402

LIVE = "ACTIVATE"
Cell = tuple[str, str, int, int]  # sku, product, shop's price, intended price (both in cents)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=5000, help="price edits (one per SKU)")
    parser.add_argument("--products", type=int, default=1000, help="live listings edited")
    parser.add_argument("--shop-products", type=int, default=0,
                        help="listings in the demo shop (default: twice --products)")
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--rate-limit", type=float, default=50.0)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--fault-timeout-s", type=float, default=10.0,
                        help="how long the demo shop holds a 'timeout' fault's answer")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shop-host", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pusher", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.shop_products = args.shop_products or 2 * args.products
    return args


def cents(price: Decimal) -> int:
    return int(price * 100)


def price_of(cents_: int) -> Decimal:
    return Decimal(cents_).scaleb(-2)


# -- the demo shop's process ---------------------------------------------------------------------

def shop_host(args: argparse.Namespace) -> None:
    """Serve the demo shop; answer the bench's commands (JSON lines on stdin / stdout)."""
    from tiktok_desktop.sandbox import DemoShop, DemoShopConfig, routes_products
    from tiktok_desktop.sandbox import app as shop_app
    from tiktok_desktop.sandbox.money import parse_price

    writes: dict[str, list[int]] = {}  # SKU id -> the prices (cents) Update Price calls wrote
    run = shop_app.ShopApp._run

    def counting_run(self, call, endpoint):  # type: ignore[no-untyped-def]
        """Update Price as the shop runs it, noting the prices of each call that took effect
        (a refused one changes nothing). The routes hold the handler inside a frozen, hashed
        Endpoint built at import: it is wrapped here, where it is called."""
        response = run(self, call, endpoint)
        if (endpoint.handler is routes_products.update_price
                and json.loads(response.get_data())["code"] == 0):
            with self.world.lock:
                for entry in call.body["skus"]:
                    writes.setdefault(entry["id"], []).append(
                        parse_price(entry["price"]["amount"]))
        return response

    shop_app.ShopApp._run = counting_run  # type: ignore[method-assign]

    config = DemoShopConfig(seed=args.seed, orders=0, products=args.shop_products,
                            rate_limit=args.rate_limit)
    with DemoShop(config) as shop:
        world = shop.world
        with world.lock:
            # Enough live listings to edit: the first ones not live are made live if needed.
            short = args.products - sum(1 for p in world.products if p.status == LIVE)
            for product in [p for p in world.products if p.status != LIVE][:max(0, short)]:
                with world.changing(world.products, product):
                    product.status = LIVE
            # A promotion locks a SKU's price: none runs during the bench.
            for sku_id in world.skus_in_promotion():
                world.set_promotion(sku_id, False)
        print(json.dumps(shop.info()), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            what = command.pop("cmd")
            if what == "configure":
                shop.configure(**command)
                answer: object = "ok"
            elif what == "prices":
                with world.lock:
                    answer = [[world.skus[s][1].price, writes.get(s, []).count(n),
                               len(writes.get(s, []))] for s, n in command["cells"]]
            else:
                answer = shop.stats
            print(json.dumps(answer), flush=True)


class Shop:
    """The bench's handle on the shop process."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--shop-host", "--seed", str(args.seed),
             "--products", str(args.products), "--shop-products", str(args.shop_products),
             "--rate-limit", str(args.rate_limit)],
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
        rows, _edits = load_cells(store, identity.id)
        by_product: dict[str, list] = {}
        for row in rows:
            if row.status == LIVE and row.available is not None:
                by_product.setdefault(row.product_id, []).append(row)
        # The live listings with the most SKUs, so that --products of them hold --skus SKUs.
        products = sorted(by_product, key=lambda p: (-len(by_product[p]), p))[:args.products]
        assert len(products) == args.products, f"only {len(products)} live listings"
        picked: list = []
        depth = 0
        while len(picked) < args.skus and depth < max(map(len, by_product.values())):
            picked += [by_product[p][depth] for p in products if depth < len(by_product[p])]
            depth += 1
        picked = picked[:args.skus]
        cells = []
        changes = []
        for row in picked:
            old = cents(row.available)
            new = max(1, old + rng.choice((-1, 1)) * rng.randint(1, 500))
            new = new if new != old else old + 1
            cells.append((row.sku_id, row.product_id, old, new))
            changes.append(PriceChange(row.sku_id, row.product_id, price_of(new), row.available,
                                       row.currency))
        save_changes(store, identity.id, changes)
    (folder / "tokens.json").write_text(api.tokens.to_json())
    return session, cells


def pusher_process(config_path: Path) -> None:
    """The pusher the bench kills: push until nothing is left, printing progress."""
    config = json.loads(config_path.read_text())
    api = client(config["info"], TokenSet.from_json(config["tokens"]), config["rate_limit"])
    pusher = PricePusher(api, config["cipher"], config["shop_id"],
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
    answers = shop.ask("prices", cells=[[s, n] for s, _p, _o, n in cells])
    assert isinstance(answers, list)
    lost = sum(1 for _final, intended, _all in answers if intended == 0)
    duplicated = sum(1 for _final, _intended, writes in answers if writes > 1)
    wrong = sum(1 for (final, _i, _a), cell in zip(answers, cells, strict=True)
                if final != cell[3])
    return {"lost": lost, "duplicated": duplicated, "wrong": wrong}


def endpoint_requests(before: dict, after: dict) -> dict[str, int]:
    """Requests the shop served per endpoint between two `stats` answers (short names)."""
    short = {"GET /product/202309/products/{id}": "get_product",
             "POST /product/202309/products/{id}/prices/update": "update_price"}
    counts = {}
    for key, now in after["endpoints"].items():
        served = now["requests"] - before["endpoints"].get(key, {}).get("requests", 0)
        if served:
            counts[short.get(key, key)] = served
    return counts


def run_clean(args: argparse.Namespace, folder: Path) -> dict:
    shop = Shop(args)
    try:
        session, cells = prepare(args, shop, folder)
        products = len({c[1] for c in cells})
        shop.ask("configure", latency_ms=args.latency_ms)
        shop_before = shop.ask("stats")
        before = session.api.stats
        started = time.perf_counter()
        result = session.push_prices()
        seconds = time.perf_counter() - started
        after = session.api.stats
        requests = after.requests - before.requests
        by_endpoint = endpoint_requests(shop_before, shop.ask("stats"))  # type: ignore[arg-type]
        checked = compare(shop, cells)
        session.close()
    finally:
        shop.close()
    bound = products / args.rate_limit
    print(f"run 1: {len(cells):,} price edits in {products:,} live products (shop of "
          f"{args.shop_products:,}), latency {args.latency_ms:g} ms, limit {args.rate_limit:g}/s "
          f"per endpoint")
    print(f"  pushed in {seconds:.1f} s with {requests:,} requests ({result.update_calls:,} "
          f"updates, {result.check_calls:,} checks; {after.retries - before.retries} retries, "
          f"{after.throttled - before.throttled} throttled; the shop served {by_endpoint}); "
          f"bound {bound:.1f} s; ratio {seconds / bound:.2f}")
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
        synced = shop.ask("stats")
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
    pushing = endpoint_requests(synced, stats)  # type: ignore[arg-type]
    print(f"run 2: fault rate {args.fault_rate:.0%} (timeouts held {args.fault_timeout_s:g} s); "
          f"pusher killed (SIGKILL) at {killed_at:.1f} s with {settled:,} of {len(cells):,} "
          f"settled; outbox then {states}")
    print(f"  restarted (resume); finished after {seconds:.1f} s in all, {len(rounds)} "
          f"push(es): {rounds}; {confirmed} edits found already applied (answer lost or pusher "
          f"killed) and not sent again")
    print(f"  shop saw {stats['requests']:,} requests ({sum(pushing.values()):,} for the "
          f"pushes: {pushing}), {stats['faults']} faults {stats['fault_kinds']}, "
          f"{stats['throttled']} throttled; outbox now {final_states}")
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
    with tempfile.TemporaryDirectory(prefix="bench-price-") as tmp:
        figures = run_clean(args, Path(tmp) / "clean")
        figures |= run_killed(args, Path(tmp) / "killed")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
