"""The demo shop's state and the cache's, side by side, in the same terms."""

from __future__ import annotations

from typing import Any

from tiktok_desktop.sandbox import DemoShop
from tiktok_desktop.store import Store


def shop_state(shop: DemoShop) -> dict[str, dict[Any, Any]]:
    world = shop.world
    with world.lock:
        return {
            "orders": {o.id: (o.status, o.update_time) for o in world.orders},
            "line_items": {line.id: o.id for o in world.orders for line in o.lines},
            "packages": {p.id: (p.status, p.update_time) for p in world.packages},
            "products": {p.id: (p.status, p.update_time) for p in world.products},
            "returns": {r.id: (r.status, r.update_time) for r in world.returns},
            "cancellations": {c.id: (c.status, c.update_time) for c in world.cancellations},
            "statements": {s.id: s.payment_status for s in world.statements},
            "stock": {(sku.id, w): (sku.available[w], sku.committed.get(w, 0))
                      for p in world.products for sku in p.skus for w in sku.available},
            "warehouses": {w for p in world.products for s in p.skus for w in s.available},
            "variants": {sku.id: sku.name for p in world.products for sku in p.skus},
        }


def cache_state(store: Store) -> dict[str, dict[Any, Any]]:
    def pairs(sql: str) -> dict[Any, Any]:
        return {row[0]: tuple(row[1:]) if len(row) > 2 else row[1]
                for row in store.conn.execute(sql)}

    return {
        "orders": pairs("SELECT id, status, update_time FROM orders"),
        "line_items": pairs("SELECT id, order_id FROM order_line_items"),
        "packages": pairs("SELECT id, status, update_time FROM packages"),
        "products": pairs("SELECT id, status, update_time FROM products"),
        "returns": pairs("SELECT id, status, update_time FROM returns"),
        "cancellations": pairs("SELECT id, status, update_time FROM cancellations"),
        "statements": pairs("SELECT id, payment_status FROM statements"),
        "stock": {(r[0], r[1]): (r[2], r[3]) for r in store.conn.execute(
            "SELECT sku_id, warehouse_id, available, committed FROM stock")},
        "warehouses": {r[0] for r in store.conn.execute("SELECT id FROM warehouses")},
        "variants": pairs("SELECT id, variant FROM skus"),
    }


def differences(shop: DemoShop, store: Store) -> dict[str, Any]:
    """What differs, per resource (empty when the cache equals the shop)."""
    want, have = shop_state(shop), cache_state(store)
    found = {}
    for name, expected in want.items():
        got = have[name]
        if name == "warehouses":
            if not expected <= got:
                found[name] = expected - got
            continue
        missing = {k: v for k, v in expected.items() if k not in got}
        extra = {k: v for k, v in got.items() if k not in expected}
        wrong = {k: (v, got[k]) for k, v in expected.items() if k in got and got[k] != v}
        if missing or extra or wrong:
            found[name] = {"missing": len(missing), "extra": len(extra), "wrong": wrong,
                           "example": next(iter(missing.items()), None)}
    return found
