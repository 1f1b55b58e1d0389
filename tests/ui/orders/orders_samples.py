"""Orders in the cache for the Orders tab tests: a few made by hand (exact assertions) and a
seeded demo shop's worth (every status, multi-unit orders, packages)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox.config import DemoShopConfig
from tiktok_desktop.sandbox.render_orders import order_object, package_summary
from tiktok_desktop.sandbox.world import World
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.store import Store
from tiktok_desktop.ui.orders import OrdersTab
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

SHOP = "7000000000000000001"
NOW = 1_800_000_000
HOUR = 3600
DAY = 24 * HOUR


def line(n: int, *, sku: str, product: str, variant: str, seller_sku: str,
         price: str) -> dict[str, Any]:
    return {"id": f"{577000000000000000 + n}", "sku_id": sku, "product_id": "1729000000000000001",
            "product_name": product, "sku_name": variant, "seller_sku": seller_sku,
            "sale_price": price, "currency": "USD", "display_status": "AWAITING_SHIPMENT"}


def tee(n: int) -> dict[str, Any]:
    return line(n, sku="1729500000000000001", product="Cotton tee", variant="Black, M",
                seller_sku="TEE-BLK-M", price="12.50")


def socks(n: int) -> dict[str, Any]:
    return line(n, sku="1729500000000000002", product="Wool socks", variant="Grey",
                seller_sku="SOCK-GRY", price="6.00")


def order(n: int, *, status: str = "AWAITING_SHIPMENT", created: int = NOW - DAY,
          buyer: str = "maria_k", items: list[dict[str, Any]] | None = None,
          total: str = "31.00", ship_by: int | None = NOW + DAY + 4 * HOUR,
          **extra: Any) -> dict[str, Any]:
    """An order as Get Order List returns it (the fields the tab shows, and a few more)."""
    data = {
        "id": f"{576000000000000000 + n}",
        "status": status,
        "is_on_hold_order": status == "ON_HOLD",
        "create_time": created,
        "update_time": created + 60,
        "paid_time": created + 30,
        "buyer_nickname": buyer,
        "buyer_message": "",
        "recipient_address": {"name": "M*** K***", "phone_number": "(+1)213-***-1234",
                              "full_address": "1*** Main St, Los Angeles, California, 90001"},
        "line_items": items if items is not None else [tee(n * 10 + 1), tee(n * 10 + 2),
                                                       socks(n * 10 + 3)],
        "payment": {"currency": "USD", "total_amount": total, "sub_total": "31.00",
                    "original_total_product_price": "33.00", "seller_discount": "2.00",
                    "original_shipping_fee": "0.00", "shipping_fee": "0.00", "tax": "0.00"},
        "delivery_option_name": "Standard Shipping",
        "shipping_type": "TIKTOK",
        "payment_method_name": "Visa",
        **extra,
    }
    if ship_by is not None:
        data["rts_sla_time"] = ship_by
    return data


def package(n: int, order_id: str, *, tracking: str, status: str = "PROCESSING") -> dict[str, Any]:
    return {"id": f"{1150000000000000000 + n}", "status": status, "tracking_number": tracking,
            "shipping_provider_id": "6617675021119438849", "shipping_provider_name": "USPS",
            "order_line_item_ids": [], "orders": [{"id": order_id}],
            "create_time": NOW - HOUR, "update_time": NOW - HOUR}


# Hand-made orders: ids 576000000000000001.. in this order, newest first by create time.
HAND_MADE = [
    order(1, buyer="maria_k", created=NOW - 1 * HOUR,
          buyer_message="Please <b>gift</b> wrap"),
    order(2, buyer="bob_builder", created=NOW - 2 * HOUR, total="6.00",
          items=[socks(21)]),
    order(3, status="ON_HOLD", buyer="carla", created=NOW - 3 * HOUR, total="12.50",
          items=[tee(31)]),
    order(4, status="UNPAID", buyer="dmitri", created=NOW - 4 * HOUR, ship_by=None,
          total="99.00"),
    order(5, status="IN_TRANSIT", buyer="eve", created=NOW - 10 * DAY, total="25.00",
          tracking_number="9400111899223344556677", shipping_provider="USPS",
          items=[tee(51), tee(52)]),
    order(6, status="CANCELLED", buyer="frank", created=NOW - 20 * DAY, total="12.50",
          cancel_reason="Buyer changed their mind", cancellation_initiator="BUYER",
          items=[tee(61)]),
    order(7, buyer="gina", created=NOW - 30 * HOUR, ship_by=NOW - 3 * HOUR, total="6.00",
          items=[socks(71)]),
]
PACKAGES = [package(5, HAND_MADE[4]["id"], tracking="9400111899223344556677",
                    status="FULFILLING")]


def order_id(n: int) -> str:
    return f"{576000000000000000 + n}"


def fill_by_hand(path: Path) -> None:
    with Store.open(path) as store:
        store.shops.upsert([{"id": SHOP, "name": "Test shop"}])
        store.save_page(SHOP, "orders", HAND_MADE, None)
        store.save_page(SHOP, "packages", PACKAGES, None)


def fill_from_demo_shop(path: Path, orders: int, seed: int = 3) -> str:
    """A seeded demo shop's orders and packages, written as a sync would; returns its shop id."""
    world = World(DemoShopConfig(seed=seed, orders=orders))
    links = world.image_links("http://127.0.0.1:9")  # never fetched here
    with Store.open(path) as store:
        store.shops.upsert([{"id": world.shop.id, "name": world.shop.name}])
        store.save_page(world.shop.id, "orders",
                        [order_object(world, o, links) for o in world.orders], None)
        store.save_page(world.shop.id, "packages",
                        [package_summary(world, p, links) for p in world.packages], None)
    return world.shop.id


@dataclass
class CachedShop:
    """What the Orders tab needs of a session: a shop id and its cache file."""

    shop_id: str
    store_path: Path

    @functools.cached_property
    def cache(self) -> CacheLanes:
        return CacheLanes(self.store_path)


def make_tab(qtbot: QtBot, shop: CachedShop, tasks: ImmediateTaskRunner,
             settings: Settings) -> OrdersTab:
    tab = OrdersTab(shop, tasks, settings, clock=lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    return tab
