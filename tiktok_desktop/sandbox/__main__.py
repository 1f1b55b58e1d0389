"""Run the demo shop from the command line; prints one JSON line with the base URL and the app
credentials, then serves until SIGINT or SIGTERM.

    python -m tiktok_desktop.sandbox --port 0 --seed 1 --orders 500 --latency-ms 0 \\
        --rate-limit 50 --fault-rate 0 [--business-errors-as-200] [--state world.pickle]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from .config import DEFAULT_REDIRECT_URL, DemoShopConfig
from .server import DemoShop


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tiktok_desktop.sandbox",
                                     description="Serve the TikTok Shop demo shop on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-limit", type=float, default=50.0,
                        help="requests per second per endpoint (0: no limit)")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--fault-timeout-s", type=float, default=10.0)
    parser.add_argument("--redirect-url", default=DEFAULT_REDIRECT_URL)
    parser.add_argument("--new-order-every-s", type=float, default=0.0)
    parser.add_argument("--business-errors-as-200", action="store_true",
                        help="answer an endpoint's own refusals (not found, already shipped, "
                        "bad page_size) with HTTP 200 and their non-zero code")
    parser.add_argument("--state", type=Path, metavar="FILE",
                        help="carry on the world saved in FILE, and keep it there")
    return parser.parse_args(argv)


def config_of(args: argparse.Namespace) -> DemoShopConfig:
    return DemoShopConfig(
        seed=args.seed, orders=args.orders, products=args.products, latency_ms=args.latency_ms,
        rate_limit=args.rate_limit, fault_rate=args.fault_rate,
        fault_timeout_s=args.fault_timeout_s, redirect_url=args.redirect_url, port=args.port,
        new_order_every_s=args.new_order_every_s,
        business_errors_as_200=args.business_errors_as_200)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with DemoShop(config_of(args), args.state) as shop:
        print(json.dumps(shop.info()), flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
