"""A seeded, believable shop: listings with SKUs in two warehouses, ~90 days of orders in every
status, their packages, returns, cancellations and daily statements.

Everything comes from one `random.Random(seed)`; the same seed and the same "now" give the same
shop. Orders are built in one pass with a handful of draws each, so 100k orders take seconds.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from itertools import product as combinations
from typing import TypeVar

from .catalog import (
    ADJECTIVES,
    BRANDS,
    BUYER_MESSAGES,
    CANCEL_REASONS,
    DELIVERY_OPTIONS,
    LEAF_CATEGORIES,
    PAYMENT_METHODS,
    PRODUCT_KINDS,
    PRODUCT_PROPERTIES,
    SALES_WAREHOUSE_IDS,
    SELLER_CANCEL_REASON,
)
from .records import Brand, IdMaker, Line, Order, Package, Product, Sku

T = TypeVar("T")

DAY = 86400
HOUR = 3600

STATUS_MIX = (
    ("UNPAID", 3), ("ON_HOLD", 4), ("AWAITING_SHIPMENT", 18), ("PARTIALLY_SHIPPING", 2),
    ("AWAITING_COLLECTION", 8), ("IN_TRANSIT", 10), ("DELIVERED", 12), ("COMPLETED", 37),
    ("CANCELLED", 6),
)
# How long ago an order in each status was placed (seconds).
AGES = {
    "UNPAID": (60, 2 * HOUR), "ON_HOLD": (60, HOUR), "AWAITING_SHIPMENT": (HOUR, 60 * HOUR),
    "PARTIALLY_SHIPPING": (8 * HOUR, 60 * HOUR), "AWAITING_COLLECTION": (6 * HOUR, 4 * DAY),
    "IN_TRANSIT": (DAY, 7 * DAY), "DELIVERED": (4 * DAY, 20 * DAY),
    "COMPLETED": (15 * DAY, 90 * DAY), "CANCELLED": (HOUR, 90 * DAY),
}
COLLECTED = {"IN_TRANSIT", "DELIVERED", "COMPLETED"}
DELIVERED = {"DELIVERED", "COMPLETED"}
PRODUCT_STATUS_MIX = (
    ("ACTIVATE", 80), ("SELLER_DEACTIVATED", 8), ("PENDING", 4), ("DRAFT", 3), ("FAILED", 2),
    ("PLATFORM_DEACTIVATED", 3),
)
# A shop of fifty listings or more (the demo shop has 60) has one in every state a seller meets
# (the mix above never freezes or deletes one) and two live ones sold out, for the Listings tab.
# Smaller test shops keep the listings they had: Get Product answers for each of them.
EVERY_STATE = {40: "PENDING", 41: "FAILED", 42: "SELLER_DEACTIVATED", 43: "PLATFORM_DEACTIVATED",
               44: "FREEZE", 45: "DRAFT", 46: "DELETED", 47: "FAILED"}
SOLD_OUT = (48, 49)
SHIP_BY = 3 * DAY  # rts_sla_time = paid_time + SHIP_BY
JOURNEY = 7 * DAY  # a completed order's longest time from payment to delivery
PROMOTION_SHARE = 0.04  # of live listings' SKUs, in a running flash sale or discount
TIKTOK_OPTIONS = [o for o in DELIVERY_OPTIONS if o[2] != "SEND_BY_SELLER"]
SELLER_OPTION = next(o for o in DELIVERY_OPTIONS if o[2] == "SEND_BY_SELLER")
OPTIONS_BY_ID = {o[0]: o for o in DELIVERY_OPTIONS}


def pick_promotions(seed: int, products: Iterable[Product]) -> None:
    """Put about 4% of the live listings' SKUs (at least one) in a running seller promotion.
    They are drawn by hashing the seed with each SKU id, not from the factory's random stream:
    the rest of the world stays as it was, and a world saved before promotions existed gets
    its own the same way when loaded."""
    live = [sku for p in products if p.status == "ACTIVATE" for sku in p.skus]
    if not live:
        return

    def draw(sku: Sku) -> bytes:
        return hashlib.sha256(f"demo-promotions:{seed}:{sku.id}".encode()).digest()

    for sku in sorted(live, key=draw)[:max(1, round(len(live) * PROMOTION_SHARE))]:
        sku.in_promotion = True


class ShopFactory:
    """Makes the shop's records. Kept by the world to make new orders while the shop runs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.order_id = IdMaker(rng, "576", 18)
        self.line_id = IdMaker(rng, "577", 18, stride=13)
        self.package_id = IdMaker(rng, "1152", 19)
        self.product_id = IdMaker(rng, "1729", 19, stride=10007)
        self.sku_id = IdMaker(rng, "1729", 19, stride=11)
        self.return_id = IdMaker(rng, "4035", 19)
        self.cancel_id = IdMaker(rng, "4036", 19)
        self.statement_id = IdMaker(rng, "7330", 19)
        self.payment_id = IdMaker(rng, "7331", 19)
        self.sellable: list[tuple[Product, Sku]] = []

    # -- listings ---------------------------------------------------------------------------
    def brands(self) -> list[Brand]:
        return [
            Brand(str(7082427311584347905 + i * 4099), name, i, self.rng.random() < 0.3)
            for i, name in enumerate(sorted(BRANDS))
        ]

    def products(self, count: int, now: int, brands: list[Brand]) -> list[Product]:
        rng = self.rng
        made = []
        statuses, weights = zip(*PRODUCT_STATUS_MIX, strict=True)
        for n in range(count):
            category = LEAF_CATEGORIES[n % len(LEAF_CATEGORIES)]
            nouns, attributes, (low, high) = PRODUCT_KINDS[category]
            noun = rng.choice(nouns)
            drawn = "ACTIVATE" if n == 0 else rng.choices(statuses, weights)[0]
            status = EVERY_STATE.get(n, "ACTIVATE" if n in SOLD_OUT else drawn)
            created = now - rng.randrange(30 * DAY, 400 * DAY)
            base = rng.randrange(low // 100, high // 100 + 1) * 100 + 99
            product = Product(
                id=self.product_id(), title=f"{rng.choice(ADJECTIVES)} {noun}", status=status,
                create_time=created, update_time=rng.randrange(created, now - HOUR),
                category_id=category, brand_id=rng.choice(brands).id if rng.random() < 0.7 else "",
                skus=[], material=rng.choice(PRODUCT_PROPERTIES[0][2]),
                pattern=rng.choice(PRODUCT_PROPERTIES[1][2]),
            )
            product.skus = self._skus(n, noun, attributes, base)
            for sku in product.skus if n in SOLD_OUT else ():
                sku.available = dict.fromkeys(sku.available, 0)
            made.append(product)
            # Past orders may name a listing that left the shop since (the same orders as
            # before the states above were added: the rest of the world does not move).
            if drawn == "ACTIVATE":
                self.sellable.extend((product, sku) for sku in product.skus)
        return made

    def _skus(self, n: int, noun: str, attributes: tuple, base: int) -> list[Sku]:
        rng = self.rng
        chosen = []
        for a, (name, values) in enumerate(attributes):
            picked = rng.sample(values, rng.randint(min(2, len(values)), min(4, len(values))))
            chosen.append([(f"10{a + 1}{values.index(v):03d}", name, v) for v in picked])
        code = "".join(w[0] for w in noun.split()).upper()
        skus = []
        for combo in combinations(*chosen):
            price = base + (200 if any(v in ("XL", "XXL", "10ft") for _, _, v in combo) else 0)
            attrs = tuple((f"100{a + 1}", name, f"7{vid}", value)
                          for a, (vid, name, value) in enumerate(combo))
            suffix = "-".join(v.replace(" ", "")[:4].upper() for _, _, v in combo)
            available = {w: 0 for w in SALES_WAREHOUSE_IDS}
            if rng.random() > 0.06:
                available[SALES_WAREHOUSE_IDS[0]] = rng.randrange(0, 250)
                available[SALES_WAREHOUSE_IDS[1]] = rng.randrange(0, 80)
            skus.append(Sku(
                id=self.sku_id(), seller_sku=f"{code}-{n + 1:03d}-{suffix}", price=price,
                list_price=price + rng.choice((0, 500, 1000)), attributes=attrs,
                available=available, committed={w: 0 for w in SALES_WAREHOUSE_IDS},
            ))
        return skus

    # -- orders -----------------------------------------------------------------------------
    def orders(self, count: int, now: int) -> tuple[list[Order], list[Package]]:
        """`count` orders; the first nine cover every status so even a tiny shop has them all."""
        rng = self.rng
        statuses, weights = zip(*STATUS_MIX, strict=True)
        picked = list(statuses[:count]) + rng.choices(statuses, weights, k=max(0, count - 9))
        orders: list[Order] = []
        packages: list[Package] = []
        for status in picked:
            low, high = AGES[status]
            order, made = self.order(status, now - self._between(low, high), now)
            orders.append(order)
            packages.extend(made)
        return orders, packages

    def order(self, status: str, created: int, now: int) -> tuple[Order, list[Package]]:
        """One order placed at `created` that has reached `status` by `now`."""
        rng = self.rng
        lines = self._lines(at_least=2 if status == "PARTIALLY_SHIPPING" else 1)
        seller_shipped = rng.random() < 0.1
        option = SELLER_OPTION if seller_shipped else self._pick(TIKTOK_OPTIONS)
        subtotal = sum(line.sale for line in lines)
        shipping = 0 if subtotal >= 3500 else (1299 if option[2] == "EXPRESS" else 599)
        free = shipping and rng.random() < 0.25
        order = Order(
            id=self.order_id(), status=status, create_time=created, update_time=created,
            buyer=rng.getrandbits(32), shipping_type="SELLER" if seller_shipped else "TIKTOK",
            delivery_option_id=option[0],
            warehouse_id=SALES_WAREHOUSE_IDS[0 if rng.random() < 0.75 else 1],
            lines=lines, shipping_original=shipping,
            shipping_seller_discount=shipping // 2 if not free and rng.random() < 0.1 else 0,
            shipping_platform_discount=shipping if free else 0,
            payment_method=self._pick(PAYMENT_METHODS), buyer_message=self._pick(BUYER_MESSAGES),
        )
        if status == "CANCELLED":
            return order, self._cancelled(order, now)
        if status == "UNPAID":
            return order, []
        order.paid_time = min(created + self._between(5, 300), now)
        order.rts_sla_time = order.paid_time + SHIP_BY
        order.update_time = order.paid_time
        if status == "ON_HOLD":
            return order, []
        return order, self._fulfil(order, now)

    def _lines(self, at_least: int) -> list[Line]:
        rng = self.rng
        r = rng.random()
        kinds = max(at_least, 1 if r < 0.75 else 2 if r < 0.95 else 3)
        lines: list[Line] = []
        seen = set()
        for _ in range(kinds):
            product, sku = self._pick(self.sellable)
            if sku.id in seen:
                continue
            seen.add(sku.id)
            r = rng.random()
            units = 1 if r < 0.8 else 2 if r < 0.95 else 3
            seller = sku.price // 10 if rng.random() < 0.2 else 0
            platform = sku.price // 20 if rng.random() < 0.1 else 0
            for _ in range(units):
                lines.append(Line(self.line_id(), sku.id, product.id, sku.price, seller,
                                  platform))
        if len(lines) < at_least:
            lines.append(Line(self.line_id(), lines[0].sku_id, lines[0].product_id,
                              lines[0].original, lines[0].seller_discount,
                              lines[0].platform_discount))
        return lines

    def _fulfil(self, order: Order, now: int) -> list[Package]:
        """Packages for a paid order, shipped / collected / delivered as far as its status says."""
        rng = self.rng
        status, paid = order.status, order.paid_time
        # A completed order was delivered more than 7 days ago (its return window has closed):
        # its journey fits in the time before that, so completions spread over the past.
        span = max(now - paid - (8 * DAY if status == "COMPLETED" else 0), 60)
        if status == "COMPLETED":  # a journey of days, not of the weeks since it was paid:
            span = min(span, JOURNEY)  # so statements reach as far back as the orders
        made_at = max(paid, min(paid + HOUR, now - 30))
        if status == "PARTIALLY_SHIPPING":
            cut = self._between(1, len(order.lines))
            groups = [order.lines[:cut], order.lines[cut:]]
        else:
            groups = [order.lines]
        packages = [self.package(order, group, made_at) for group in groups]
        order.update_time = max(order.update_time, made_at)
        if status == "AWAITING_SHIPMENT":
            return packages
        order.rts_time = paid + int(span * rng.uniform(0.1, 0.35))
        for package in packages[:1] if status == "PARTIALLY_SHIPPING" else packages:
            self.ship(order, package, order.rts_time)
        order.update_time = order.rts_time
        if status in COLLECTED:
            order.collection_time = order.rts_time + int(span * rng.uniform(0.05, 0.2))
            order.update_time = order.collection_time
        if status in DELIVERED:
            order.delivery_time = order.collection_time + int(span * rng.uniform(0.2, 0.4))
            order.update_time = order.delivery_time
        if status == "COMPLETED":
            order.update_time = min(order.delivery_time + 7 * DAY, now - 60)
        package_status = {"IN_TRANSIT": "FULFILLING", "DELIVERED": "COMPLETED",
                          "COMPLETED": "COMPLETED"}.get(status)
        for package in packages:
            if package_status:
                package.status = package_status
            package.update_time = max(package.update_time, order.update_time)
        return packages

    def package(self, order: Order, lines: list[Line], at: int) -> Package:
        package = Package(
            id=self.package_id(), order_id=order.id, line_ids=[line.id for line in lines],
            status="PROCESSING", shipping_type=order.shipping_type,
            delivery_option_id=order.delivery_option_id, create_time=at, update_time=at,
            pay_time=order.paid_time,
        )
        for line in lines:
            line.package_id = package.id
        order.packages.append(package.id)
        return package

    def ship(self, order: Order, package: Package, at: int, provider: str = "",
             tracking: str = "", handover: str = "", slot: tuple[int, int] | None = None) -> None:
        """Mark `package` handed to a carrier at `at` (status stays PROCESSING until pickup)."""
        if not provider:
            provider = self._pick(OPTIONS_BY_ID[order.delivery_option_id][4])
        package.provider = provider
        package.tracking_number = tracking or self.tracking_number(provider)
        if order.shipping_type == "TIKTOK":
            package.handover_method = handover or self._pick(("PICKUP", "DROP_OFF"))
            if package.handover_method == "PICKUP":
                package.pickup_slot = slot or (at - at % HOUR + 2 * HOUR, at - at % HOUR + 6 * HOUR)
        package.shipped_time = at
        package.update_time = at

    def _pick(self, choices: Sequence[T]) -> T:
        return choices[int(self.rng.random() * len(choices))]

    def _between(self, low: int, high: int) -> int:
        """Like randrange(low, high), several times faster (this runs ~20 times per order)."""
        return low + int(self.rng.random() * (high - low))

    def tracking_number(self, provider: str) -> str:
        rng = self.rng
        if provider == "UPS":
            letters = "".join(self._pick("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6))
            return f"1Z{letters}{rng.getrandbits(40) % 10**10:010d}"
        if provider == "FedEx":
            return str(10**11 + rng.getrandbits(40) % (9 * 10**11))
        if provider == "DHL eCommerce":
            return f"GM{rng.getrandbits(60) % 10**16:016d}"
        return f"9400{rng.getrandbits(64) % 10**18:018d}"

    def _cancelled(self, order: Order, now: int) -> list[Package]:
        rng = self.rng
        span = max(now - order.create_time, 120)
        if rng.random() < 0.3:  # never paid: the system cancels it
            order.cancel_time = order.create_time + min(span - 60, 2 * DAY)
            order.cancellation_initiator, order.cancel_reason = "SYSTEM", "Payment not completed"
            order.update_time = order.cancel_time
            return []
        order.paid_time = order.create_time + self._between(5, 60)
        order.rts_sla_time = order.paid_time + SHIP_BY
        order.cancel_time = order.paid_time + int(min(span, SHIP_BY) * rng.uniform(0.05, 0.9))
        order.cancel_time = min(order.cancel_time, now - 30)
        buyer = rng.random() < 0.7
        order.cancellation_initiator = "BUYER" if buyer else "SELLER"
        order.cancel_reason = (self._pick(CANCEL_REASONS) if buyer else SELLER_CANCEL_REASON)[1]
        package = self.package(order, order.lines, min(order.paid_time + 60, order.cancel_time))
        package.status, package.update_time = "CANCELLED", order.cancel_time
        order.update_time = order.cancel_time
        return [package]
