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
import random
from decimal import Decimal
from typing import TYPE_CHECKING

import push_bench
from push_bench import Cell, ReadBack

from tiktok_desktop.api.client import ClientStats
from tiktok_desktop.services.price_edits import PriceChange, load_cells, save_changes
from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.store import Store
from tiktok_desktop.sync.edit_push import PushResult
from tiktok_desktop.sync.price_push import PricePusher

if TYPE_CHECKING:
    from tiktok_desktop.sandbox.world import World

LIVE = "ACTIVATE"


def cents(price: Decimal) -> int:
    return int(price * 100)


def price_of(cents_: int) -> Decimal:
    return Decimal(cents_).scaleb(-2)


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


class PriceBench(push_bench.PushBench):
    kind = "price"
    pusher = PricePusher
    skus_help = "price edits (one per SKU)"
    products_help = "live listings edited"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--shop-products", type=int, default=0,
                            help="listings in the demo shop (default: twice --products)")

    def parse_args(self, argv: list[str] | None = None) -> argparse.Namespace:
        args = super().parse_args(argv)
        args.shop_products = args.shop_products or 2 * args.products
        return args

    def host_options(self, args: argparse.Namespace) -> list[str]:
        return [*super().host_options(args), "--shop-products", str(args.shop_products)]

    def shop_products(self, args: argparse.Namespace) -> int:
        return args.shop_products

    def watch_shop(self, args: argparse.Namespace, world: World) -> ReadBack:
        """Enough live listings, no promotion, and per SKU the prices (cents) Update Price calls
        wrote."""
        from tiktok_desktop.sandbox import app as shop_app
        from tiktok_desktop.sandbox import routes_products
        from tiktok_desktop.sandbox.money import parse_price

        writes: dict[str, list[int]] = {}
        run = shop_app.ShopApp._run

        def counting_run(app, call, endpoint):  # type: ignore[no-untyped-def]
            """Update Price as the shop runs it, noting the prices of each call that took effect
            (a refused one changes nothing). The routes hold the handler inside a frozen, hashed
            Endpoint built at import: it is wrapped here, where it is called."""
            response = run(app, call, endpoint)
            if (endpoint.handler is routes_products.update_price
                    and json.loads(response.get_data())["code"] == 0):
                with app.world.lock:
                    for entry in call.body["skus"]:
                        writes.setdefault(entry["id"], []).append(
                            parse_price(entry["price"]["amount"]))
            return response

        shop_app.ShopApp._run = counting_run  # type: ignore[method-assign]

        # Enough live listings to edit: the first ones not live are made live if needed.
        short = args.products - sum(1 for p in world.products if p.status == LIVE)
        for product in [p for p in world.products if p.status != LIVE][:max(0, short)]:
            with world.changing(world.products, product):
                product.status = LIVE
        # A promotion locks a SKU's price: none runs during the bench.
        for sku_id in world.skus_in_promotion():
            world.set_promotion(sku_id, False)

        def read_back(cells: list[list]) -> list[list]:
            """Any second Update Price write of a SKU is a resend, whatever its price."""
            return [[world.skus[s][1].price, writes.get(s, []).count(new),
                     len(writes.get(s, []))] for s, _p, _old, new in cells]

        return read_back

    def queue_edits(self, args: argparse.Namespace, store: Store, shop_id: str,
                    rng: random.Random) -> list[Cell]:
        """Cells: sku, product, shop's price, intended price (both in cents)."""
        rows, _edits = load_cells(store, shop_id)
        live = push_bench.by_product(
            row for row in rows if row.status == LIVE and row.available is not None)
        # The live listings with the most SKUs, so that --products of them hold --skus SKUs.
        products = sorted(live, key=lambda p: (-len(live[p]), p))[:args.products]
        assert len(products) == args.products, f"only {len(products)} live listings"
        cells = []
        changes = []
        for row in push_bench.spread(live, products, args.skus):
            old = cents(row.available)
            new = max(1, old + rng.choice((-1, 1)) * rng.randint(1, 500))
            new = new if new != old else old + 1
            cells.append((row.sku_id, row.product_id, old, new))
            changes.append(PriceChange(row.sku_id, row.product_id, price_of(new), row.available,
                                       row.currency))
        save_changes(store, shop_id, changes)
        return cells

    def push(self, session: ShopSession) -> PushResult:
        return session.push_prices()

    def clean_heading(self, args: argparse.Namespace, edits: int, products: int) -> str:
        return (f"run 1: {edits:,} price edits in {products:,} live products (shop of "
                f"{args.shop_products:,}), latency {args.latency_ms:g} ms, limit "
                f"{args.rate_limit:g}/s per endpoint")

    def clean_detail(self, client_before: ClientStats, client_after: ClientStats,
                     shop_before: dict, shop_after: dict) -> str:
        return (f"; {client_after.retries - client_before.retries} retries, "
                f"{client_after.throttled - client_before.throttled} throttled; the shop served "
                f"{endpoint_requests(shop_before, shop_after)}")

    def killed_detail(self, shop_before: dict, shop_after: dict) -> str:
        pushing = endpoint_requests(shop_before, shop_after)
        return f" ({sum(pushing.values()):,} for the pushes: {pushing})"


if __name__ == "__main__":
    PriceBench().main()
