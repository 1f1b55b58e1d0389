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
import random
from typing import TYPE_CHECKING

import push_bench
from push_bench import Cell, ReadBack

from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.services.stock_edits import Change, save_changes
from tiktok_desktop.store import Store
from tiktok_desktop.sync.edit_push import PushResult
from tiktok_desktop.sync.stock_push import StockPusher

if TYPE_CHECKING:
    from tiktok_desktop.sandbox.world import World


class StockBench(push_bench.PushBench):
    kind = "stock"
    pusher = StockPusher
    skus_help = "stock edits (SKU × warehouse)"

    def watch_shop(self, args: argparse.Namespace, world: World) -> ReadBack:
        """Count, per SKU and warehouse, the values inventory updates write."""
        writes: dict[tuple[str, str], list[int]] = {}

        class CountingStock(dict):
            def __init__(self, sku_id: str, stock: dict[str, int]) -> None:
                super().__init__(stock)
                self.sku_id = sku_id

            def update(self, given: dict[str, int]) -> None:  # type: ignore[override]
                for warehouse, quantity in given.items():
                    writes.setdefault((self.sku_id, warehouse), []).append(quantity)
                super().update(given)

        for _product, sku in world.skus.values():
            sku.available = CountingStock(sku.id, sku.available)

        def read_back(cells: list[list]) -> list[list]:
            """A resend writes the intended value again: its writes are the ones counted."""
            answers = []
            for s, w, _p, _old, new in cells:
                written = writes.get((s, w), []).count(new)
                answers.append([world.skus[s][1].available[w], written, written])
            return answers

        return read_back

    def queue_edits(self, args: argparse.Namespace, store: Store, shop_id: str,
                    rng: random.Random) -> list[Cell]:
        """Cells: sku, warehouse, product, shop's value, intended value."""
        grouped = push_bench.by_product(store.catalog.stock_rows(shop_id))
        # A frozen or deleted listing's stock can't be changed (the shop says it has no such
        # product): the bench edits the others, as a seller would.
        unchangeable = {product_id for (product_id,) in store.conn.execute(
            "SELECT id FROM products WHERE shop_id = ? AND status IN ('FREEZE', 'DELETED')",
            (shop_id,))}
        chosen = sorted(set(grouped) - unchangeable)[:args.products]
        cells = []
        for row in push_bench.spread(grouped, chosen, args.skus):
            new = (row.available + rng.randint(1, 500)) % 100_000
            cells.append((row.sku_id, row.warehouse_id, row.product_id, row.available, new))
        save_changes(store, shop_id, [Change(s, w, p, n, old) for s, w, p, old, n in cells])
        return cells

    def push(self, session: ShopSession) -> PushResult:
        return session.push_stock()

    def clean_heading(self, args: argparse.Namespace, edits: int, products: int) -> str:
        return (f"run 1: {edits:,} edits in {products:,} products, latency "
                f"{args.latency_ms:g} ms, limit {args.rate_limit:g}/s")


if __name__ == "__main__":
    StockBench().main()
