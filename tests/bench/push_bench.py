"""What the push benches share (bench_stock_push.py, bench_price_push.py): the demo shop in a
process of its own, signing in, the cache and its outbox, the pusher's process the bench kills,
and the two runs with their figures.

A bench is a PushBench subclass in its own file, which runs it (`StockBench().main()`); that file
is started again as the shop's process (`--shop-host`) and as the pusher's (`--pusher CONFIG`).
The subclass says what it edits (`queue_edits`), how the shop counts the writes and reads the
values back (`watch_shop`), which push it measures (`pusher`, `push`) and what its lines say
besides the shared figures (`clean_heading`, `clean_detail`, `killed_detail`).

A cell (one edit) is a tuple that ends with (product id, the shop's value, the intended value);
what comes before names the value (SKU, or SKU and warehouse). The shop's process answers a list
of cells with, per cell, [final value, writes of the intended value, writes that count as a
resend when more than one].
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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tiktok_desktop.api import ApiClient, AuthClient, TokenSet  # noqa: E402
from tiktok_desktop.api.client import ClientStats  # noqa: E402
from tiktok_desktop.services.session import ShopSession, first_shop  # noqa: E402
from tiktok_desktop.store import Store  # noqa: E402
from tiktok_desktop.sync.edit_push import EditPusher, PushResult  # noqa: E402

if TYPE_CHECKING:
    from tiktok_desktop.sandbox.world import World

Cell = tuple[Any, ...]  # ..., product id, shop's value, intended value
ReadBack = Callable[[list[list[Any]]], list[list[Any]]]  # cells -> [final, intended, writes]


# -- the demo shop's process ---------------------------------------------------------------------

class Shop:
    """The bench's handle on the shop process."""

    def __init__(self, script: str, options: list[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, script, "--shop-host", *options],
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


def by_product(rows: Iterable[Any]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row.product_id or "", []).append(row)
    return grouped


def spread(grouped: dict[str, list], products: list[str], count: int) -> list:
    """Up to `count` rows of these products, taken in turn: each one's first, then each one's
    second, and so on."""
    picked: list = []
    depth = 0
    while len(picked) < count and depth < max(map(len, grouped.values())):
        picked += [grouped[p][depth] for p in products if depth < len(grouped[p])]
        depth += 1
    return picked[:count]


def pusher_process(kind: type[EditPusher], config_path: Path) -> None:
    """The pusher the bench kills: push until nothing is left, printing progress."""
    config = json.loads(config_path.read_text())
    api = client(config["info"], TokenSet.from_json(config["tokens"]), config["rate_limit"])
    pusher = kind(api, config["cipher"], config["shop_id"], rate_limit=config["rate_limit"])
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
    answers = shop.ask("values", cells=cells)
    assert isinstance(answers, list)
    lost = sum(1 for _final, intended, _writes in answers if intended == 0)
    duplicated = sum(1 for _final, _intended, writes in answers if writes > 1)
    wrong = sum(1 for (final, _i, _w), cell in zip(answers, cells, strict=True)
                if final != cell[-1])
    return {"lost": lost, "duplicated": duplicated, "wrong": wrong}


# -- one bench -----------------------------------------------------------------------------------

class PushBench:
    """The two runs of a push bench; a subclass fills in what its kind of edit needs."""

    kind = ""  # names the temporary folder: bench-<kind>-…
    pusher: type[EditPusher]
    skus_help = ""
    products_help: str | None = None

    # -- the subclass's part

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        """Options of this bench only (after --skus and --products)."""

    def host_options(self, args: argparse.Namespace) -> list[str]:
        """The options the shop's process reads."""
        return ["--seed", str(args.seed), "--products", str(args.products),
                "--rate-limit", str(args.rate_limit)]

    def shop_products(self, args: argparse.Namespace) -> int:
        """Products in the demo shop."""
        return args.products

    def watch_shop(self, args: argparse.Namespace, world: World) -> ReadBack:
        """In the shop's process, under the world's lock before the first request: make the shop
        ready and count the writes; return how to read cells back (see the module's doc)."""
        raise NotImplementedError

    def queue_edits(self, args: argparse.Namespace, store: Store, shop_id: str,
                    rng: random.Random) -> list[Cell]:
        """Pick the edits in the synced cache and save them in its outbox."""
        raise NotImplementedError

    def push(self, session: ShopSession) -> PushResult:
        raise NotImplementedError

    def clean_heading(self, args: argparse.Namespace, edits: int, products: int) -> str:
        """Run 1's first line."""
        raise NotImplementedError

    def clean_detail(self, client_before: ClientStats, client_after: ClientStats,
                     shop_before: dict, shop_after: dict) -> str:
        """More about run 1's requests, after its updates and checks."""
        return ""

    def killed_detail(self, shop_before: dict, shop_after: dict) -> str:
        """More about the requests the shop saw in run 2."""
        return ""

    # -- shared

    def parse_args(self, argv: list[str] | None = None) -> argparse.Namespace:
        doc = sys.modules[type(self).__module__].__doc__ or ""
        parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
        parser.add_argument("--skus", type=int, default=5000, help=self.skus_help)
        parser.add_argument("--products", type=int, default=1000, help=self.products_help)
        self.add_options(parser)
        parser.add_argument("--latency-ms", type=float, default=150.0)
        parser.add_argument("--rate-limit", type=float, default=50.0)
        parser.add_argument("--fault-rate", type=float, default=0.10)
        parser.add_argument("--fault-timeout-s", type=float, default=10.0,
                            help="how long the demo shop holds a 'timeout' fault's answer")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--shop-host", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--pusher", type=Path, help=argparse.SUPPRESS)
        return parser.parse_args(argv)

    def serve_shop(self, args: argparse.Namespace) -> None:
        """Serve the demo shop; answer the bench's commands (JSON lines on stdin / stdout)."""
        from tiktok_desktop.sandbox import DemoShop, DemoShopConfig

        config = DemoShopConfig(seed=args.seed, orders=0, products=self.shop_products(args),
                                rate_limit=args.rate_limit)
        with DemoShop(config) as shop:
            with shop.world.lock:
                read_back = self.watch_shop(args, shop.world)
            print(json.dumps(shop.info()), flush=True)
            for line in sys.stdin:
                command = json.loads(line)
                what = command.pop("cmd")
                if what == "configure":
                    shop.configure(**command)
                    answer: object = "ok"
                elif what == "values":
                    with shop.world.lock:
                        answer = read_back(command["cells"])
                else:
                    answer = shop.stats
                print(json.dumps(answer), flush=True)

    def start_shop(self, args: argparse.Namespace) -> Shop:
        return Shop(self.script, self.host_options(args))

    @property
    def script(self) -> str:
        """The bench's file: started again as the shop's process and as the pusher's."""
        path = sys.modules[type(self).__module__].__file__
        assert path is not None
        return path

    def prepare(self, args: argparse.Namespace, shop: Shop,
                folder: Path) -> tuple[ShopSession, list[Cell]]:
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
            cells = self.queue_edits(args, store, identity.id, rng)
        (folder / "tokens.json").write_text(api.tokens.to_json())
        return session, cells

    def run_clean(self, args: argparse.Namespace, folder: Path) -> dict:
        shop = self.start_shop(args)
        try:
            session, cells = self.prepare(args, shop, folder)
            products = len({c[-3] for c in cells})
            shop.ask("configure", latency_ms=args.latency_ms)
            shop_before = shop.ask("stats")
            before = session.api.stats
            started = time.perf_counter()
            result = self.push(session)
            seconds = time.perf_counter() - started
            after = session.api.stats
            requests = after.requests - before.requests
            shop_after = shop.ask("stats")
            checked = compare(shop, cells)
            session.close()
        finally:
            shop.close()
        assert isinstance(shop_before, dict) and isinstance(shop_after, dict)
        bound = products / args.rate_limit
        detail = self.clean_detail(before, after, shop_before, shop_after)
        print(self.clean_heading(args, len(cells), products))
        print(f"  pushed in {seconds:.1f} s with {requests:,} requests ({result.update_calls:,} "
              f"updates, {result.check_calls:,} checks{detail}); bound {bound:.1f} s; "
              f"ratio {seconds / bound:.2f}")
        print(f"  done {result.done:,}, failed {result.failed}, conflicts {result.conflicts}, "
              f"left {result.left}; shop: lost {checked['lost']}, duplicated "
              f"{checked['duplicated']}, wrong {checked['wrong']}")
        return {"seconds": round(seconds, 2), "requests": requests,
                "bound_seconds": round(bound, 2), "ratio": round(seconds / bound, 3)}

    def start_pusher(self, config_path: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, self.script, "--pusher", str(config_path)],
                                stdout=subprocess.PIPE, text=True, cwd=ROOT)

    def run_killed(self, args: argparse.Namespace, folder: Path) -> dict:
        shop = self.start_shop(args)
        try:
            session, cells = self.prepare(args, shop, folder)
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
            first = self.start_pusher(config)
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
            second = self.start_pusher(config)
            out, _ = second.communicate(timeout=1800)
            seconds = time.perf_counter() - started
            rounds = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
            checked = compare(shop, cells)
            stats = shop.ask("stats")
            final_states = outbox_states(session.store_path, session.shop_id)
            confirmed = confirmed_in_doubt(session.store_path, session.shop_id)
        finally:
            shop.close()
        assert isinstance(synced, dict) and isinstance(stats, dict)
        detail = self.killed_detail(synced, stats)
        print(f"run 2: fault rate {args.fault_rate:.0%} (timeouts held "
              f"{args.fault_timeout_s:g} s); pusher killed (SIGKILL) at {killed_at:.1f} s with "
              f"{settled:,} of {len(cells):,} settled; outbox then {states}")
        print(f"  restarted (resume); finished after {seconds:.1f} s in all, {len(rounds)} "
              f"push(es): {rounds}; {confirmed} edits found already applied (answer lost or "
              f"pusher killed) and not sent again")
        print(f"  shop saw {stats['requests']:,} requests{detail}, {stats['faults']} faults "
              f"{stats['fault_kinds']}, {stats['throttled']} throttled; outbox now {final_states}")
        print(f"  lost {checked['lost']}, duplicated {checked['duplicated']}, wrong "
              f"{checked['wrong']} (of {len(cells):,})")
        return checked

    def main(self) -> None:
        args = self.parse_args()
        # The client's retry notes (one per fault) would bury the figures.
        logging.getLogger("tiktok_desktop.api").setLevel(logging.ERROR)
        if args.shop_host:
            self.serve_shop(args)
            return
        if args.pusher:
            pusher_process(self.pusher, args.pusher)
            return
        with tempfile.TemporaryDirectory(prefix=f"bench-{self.kind}-") as tmp:
            figures = self.run_clean(args, Path(tmp) / "clean")
            figures |= self.run_killed(args, Path(tmp) / "killed")
        print(json.dumps(figures))
