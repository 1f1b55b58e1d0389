"""Benchmark: arrange shipment for N packages on the demo shop, download their labels, and
render the print job, by SKU, at 4x6 in and 203 dpi into a PDF printer writing FILE.

    python tests/bench/bench_labels.py --packages 200 --latency-ms 150 --rate-limit 50 \\
        --out /tmp/labels.pdf

The demo shop runs in a process of its own (as TikTok Shop runs elsewhere). Figures:
- `seconds`: arranging shipment (batches of 50) and downloading every label, as the app does it
  (`ShopSession.arrange_shipment`);
- `requests`: Open API calls for it (ship batches + one shipping-document call per label; the
  label files themselves come from a file host with no rate limit);
- `bound` = requests ÷ rate limit; `ratio` = seconds ÷ bound (goal ≤ 1.3);
- `render_s`: the N-label print job rendered into the PDF printer (goal ≤ 10 s here).
Prints the figures, then ONE JSON line with those keys and `out`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QGuiApplication  # noqa: E402

from tiktok_desktop.api import ApiClient, AuthClient  # noqa: E402
from tiktok_desktop.sandbox import DemoShopConfig  # noqa: E402
from tiktok_desktop.sandbox.own_process import DemoShopProcess  # noqa: E402
from tiktok_desktop.services.session import ShopSession, first_shop, open_cache  # noqa: E402
from tiktok_desktop.services.shipping import BATCH, ShipChoice  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--rate-limit", type=float, default=50.0)
    parser.add_argument("--dpi", type=int, default=203)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "labels.pdf")
    parser.add_argument("--seed", type=int, default=21)
    return parser.parse_args(argv)


def sign_in(shop: DemoShopProcess) -> ApiClient:
    with httpx.Client(timeout=10) as http:
        answer = http.get(f"{shop.base_url}/open/authorize",
                          params={"service_id": shop.service_id, "state": "bench",
                                  "approve": "1"})
    code = httpx.URL(answer.headers["location"]).params["code"]
    with AuthClient(shop.app_key, shop.app_secret, shop.base_url) as auth:
        tokens = auth.exchange_code(code)
    return ApiClient(shop.app_key, shop.app_secret, tokens, base_url=shop.base_url,
                     auth_base_url=shop.base_url, rate_limit=shop.config.rate_limit)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(["bench_labels", "-platform",
                                                          "offscreen"])
    from tiktok_desktop.ui.fulfillment.label_print import PrintJob, pdf_printer, print_labels
    from tiktok_desktop.ui.fulfillment.printing import in_pick_order

    # About one order in six waits to ship with TikTok shipping in a generated shop.
    config = DemoShopConfig(seed=args.seed, orders=max(600, args.packages * 8), products=80,
                            latency_ms=args.latency_ms, rate_limit=args.rate_limit)
    work = Path(tempfile.mkdtemp(prefix="bench-labels-"))
    shop = DemoShopProcess(config, work / "world").start()
    try:
        api = sign_in(shop)
        identity = first_shop(api)
        path = work / "shop.sqlite3"
        open_cache(path, identity)
        session = ShopSession(api, identity, path)
        print(f"syncing a {config.orders}-order demo shop first …", flush=True)
        assert session.sync().complete
        with session.cache.using("serial") as store:
            waiting = [p for p in store.shipping.queue(identity.id)
                       if not p.arranged and not p.on_hold and p.shipping_type == "TIKTOK"]
        if len(waiting) < args.packages:
            print(f"only {len(waiting)} packages wait to ship; use a larger shop")
            return 1
        chosen = waiting[:args.packages]
        before = api.stats.requests
        started = time.perf_counter()
        result = session.arrange_shipment([ShipChoice(p.id, "DROP_OFF") for p in chosen])
        seconds = time.perf_counter() - started
        calls = api.stats.requests - before
        requests = math.ceil(len(chosen) / BATCH) + len(chosen)  # ship batches + label links
        print(f"arranged {result.count('done')} packages, {result.labels} labels in "
              f"{seconds:.1f} s ({calls} HTTP requests, label files included)")
        bound = requests / args.rate_limit
        with session.cache.using("serial") as store:
            queued = [p for p in store.shipping.queue(identity.id) if p.id in
                      {c.id for c in chosen}]
            labels = store.shipping.labels([p.id for p in queued], "SHIPPING_LABEL", "A6")
        ordered = in_pick_order(queued, "sku")
        job = PrintJob([Path(labels[p.id].path) for p in ordered], "4x6")
        printer = pdf_printer(args.out, args.dpi)
        render_started = time.perf_counter()
        pages = print_labels(job, printer)
        render_s = time.perf_counter() - render_started
        session.close()
    finally:
        shop.stop()
    figures = {"seconds": round(seconds, 2), "requests": requests, "bound": round(bound, 2),
               "ratio": round(seconds / bound, 2), "render_s": round(render_s, 2),
               "pages": pages, "out": str(args.out)}
    print(f"requests {requests} · bound {bound:.1f} s · ratio {figures['ratio']} (goal ≤ 1.3)")
    print(f"rendered {pages} labels at 4x6 in, {args.dpi} dpi in {render_s:.1f} s "
          f"(goal ≤ 10 s) → {args.out}")
    print(json.dumps(figures))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
