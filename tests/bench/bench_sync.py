"""Benchmark: the first full sync of the demo shop into an empty cache, then a re-sync.

    python tests/bench/bench_sync.py --orders 20000 --latency-ms 150 --rate-limit 50

The demo shop runs in its own process (as the real API runs elsewhere), so its work does not
compete with the app's for this process. Prints the figures, then ONE JSON line:
seconds, requests, bound_seconds (= requests ÷ rate limit), ratio (= seconds ÷ bound; goal
≤ 1.2), incremental_requests (goal ≤ 2 per resource), resources (how many were synced).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tiktok_desktop.api import ApiClient, AuthClient
from tiktok_desktop.store import OrderQuery, Store
from tiktok_desktop.sync import RESOURCES, SyncEngine, SyncResult


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--rate-limit", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def start_shop(args: argparse.Namespace) -> tuple[subprocess.Popen, dict]:
    shop = subprocess.Popen(
        [sys.executable, "-m", "tiktok_desktop.sandbox", "--port", "0", "--seed", str(args.seed),
         "--orders", str(args.orders), "--products", str(args.products),
         "--latency-ms", str(args.latency_ms), "--rate-limit", str(args.rate_limit)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    assert shop.stdout is not None
    return shop, json.loads(shop.stdout.readline())


def sign_in(info: dict, rate_limit: float) -> ApiClient:
    """Approve the app on the demo shop's consent page and exchange the code, as a seller would."""
    query = urlencode({"service_id": info["service_id"], "state": "bench", "approve": "1"})
    answer = httpx.get(f"{info['base_url']}/open/authorize?{query}")
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    auth = AuthClient(info["app_key"], info["app_secret"], base_url=info["base_url"])
    tokens = auth.exchange_code(code)
    return ApiClient(info["app_key"], info["app_secret"], tokens, base_url=info["base_url"],
                     auth_base_url=info["base_url"], rate_limit=rate_limit)


def timed_run(engine: SyncEngine, store: Store, api: ApiClient) -> tuple[SyncResult, float, int]:
    before = api.stats.requests
    started = time.perf_counter()
    result = engine.run(store)
    return result, time.perf_counter() - started, api.stats.requests - before


def main() -> int:
    args = parse_args()
    shop, info = start_shop(args)
    try:
        api = sign_in(info, args.rate_limit)
        [authorized] = api.authorized_shops()
        engine = SyncEngine(api.shop(authorized["cipher"]), authorized["id"],
                            rate_limit=args.rate_limit)
        with tempfile.TemporaryDirectory() as folder, \
                Store.open(Path(folder) / "cache.sqlite3") as store:
            full, seconds, requests = timed_run(engine, store, api)
            again, _, incremental = timed_run(engine, store, api)
            cached = store.orders.counts(OrderQuery(authorized["id"]))["All"]
            size_mb = os.path.getsize(Path(folder) / "cache.sqlite3") / 1e6
    finally:
        shop.terminate()
        shop.wait(10)
    bound = requests / args.rate_limit
    print(f"demo shop: {args.orders} orders, {args.products} products, "
          f"{args.latency_ms:g} ms latency, {args.rate_limit:g} req/s per endpoint")
    print(f"first full sync: {seconds:.2f} s, {requests} requests "
          f"(retries {api.stats.retries}, throttled {api.stats.throttled}), "
          f"{full.items} items, {cached} orders cached, cache {size_mb:.0f} MB")
    print(f"bound (requests ÷ rate limit): {bound:.2f} s; ratio: {seconds / bound:.2f} "
          "(goal ≤ 1.2)")
    for part in full.resources:
        print(f"  {part.resource:14} {part.requests:5} requests {part.items:7} items"
              f"{'' if part.error is None else '  ERROR ' + part.error}")
    print(f"incremental re-sync, nothing changed: {incremental} requests for "
          f"{len(again.resources)} resources (goal ≤ 2 each): "
          + ", ".join(f"{r.resource} {r.requests}" for r in again.resources))
    print(json.dumps({
        "seconds": round(seconds, 3), "requests": requests, "bound_seconds": round(bound, 3),
        "ratio": round(seconds / bound, 3), "incremental_requests": incremental,
        "resources": len(RESOURCES), "complete": full.complete and again.complete,
        "per_resource": {r.resource: r.requests for r in full.resources},
    }))
    return 0 if full.complete and again.complete else 1


if __name__ == "__main__":
    sys.exit(main())
