"""The demo shop's state behind one lock, with its clock and the changes the outside world makes
(buyers order and cancel, the warehouse counts stock, carriers collect and deliver).

Handlers hold `world.lock` while they read or change anything. Every change stamps
`update_time` with the shop's clock, which `advance_clock` can move forward.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from . import history
from .adjustments import adjust
from .auth import SCOPES, AuthBook
from .config import DemoShopConfig
from .generate import SHIP_BY, ShopFactory, pick_promotions
from .index import Table
from .money import check_price, parse_price
from .product_images import ImageLinks
from .records import Cancellation, Order, Package, Product, Sku

CANCELLABLE = {"UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING",
               "AWAITING_COLLECTION"}
WAITING_TO_SHIP = {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"}
NEXT_STATUS = {"UNPAID": "ON_HOLD", "ON_HOLD": "AWAITING_SHIPMENT",
               "AWAITING_COLLECTION": "IN_TRANSIT", "IN_TRANSIT": "DELIVERED",
               "DELIVERED": "COMPLETED"}


@dataclass(frozen=True)
class ShopIdentity:
    id: str
    name: str
    region: str
    seller_type: str
    cipher: str
    code: str


@dataclass(frozen=True)
class Document:
    package_id: str
    document_type: str
    size: str
    issued: int


def _times(*fields: str) -> dict:
    return {f: attrgetter(f) for f in fields}


class World:
    """A generated shop, or (`saved`, from `World.snapshot()`) the one a previous run left."""

    def __init__(self, config: DemoShopConfig, saved: dict[str, Any] | None = None) -> None:
        self.config = config
        self.lock = threading.RLock()
        self._offset = 0
        digest = hashlib.sha256(f"demo-shop:{config.seed}".encode()).digest()
        self.shop = ShopIdentity(
            id="7495" + str(int.from_bytes(digest[:8], "big")).zfill(20)[:15],
            name="Demo Shop", region="US", seller_type="LOCAL",
            cipher="ROW_" + "".join(c for c in base64.b64encode(digest[8:32]).decode()
                                    if c.isalnum())[:28],
            code="USLC" + digest[:4].hex().upper(),
        )
        self.image_key = hashlib.sha256(f"demo-pictures:{config.seed}".encode()).digest()
        self.brands: Table = Table(_times("position"))
        self.products: Table[Product] = Table(_times("create_time", "update_time"),
                                              partition=attrgetter("status"))
        self.orders: Table[Order] = Table(_times("create_time", "update_time"),
                                          partition=attrgetter("status"))
        self.packages: Table[Package] = Table(
            {**_times("create_time", "update_time"), "order_pay_time": attrgetter("pay_time")},
            partition=attrgetter("status"))
        self.cancellations: Table[Cancellation] = Table(_times("create_time", "update_time"))
        self.returns: Table = Table(_times("create_time", "update_time"))
        self.statements: Table = Table(_times("statement_time"))
        self.auth = AuthBook(self.now)
        self.granted_scopes: set[str] = set(SCOPES.values())
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, Document] = {}
        self.factory: ShopFactory
        if saved is None:
            self._generate(config)
        else:
            self._restore(saved)
        self.skus: dict[str, tuple[Product, Sku]] = {
            sku.id: (p, sku) for p in self.products for sku in p.skus}
        if saved is None:
            self._count_committed()

    def _generate(self, config: DemoShopConfig) -> None:
        now = self.now()
        self.factory = factory = ShopFactory(config.seed)
        self.brands.load(factory.brands())
        self.products.load(factory.products(config.products, now, list(self.brands)))
        pick_promotions(config.seed, self.products)
        orders, packages = factory.orders(config.orders, now)
        self.cancellations.load(history.cancellations(factory, orders, now))
        self.returns.load(history.returns(factory, orders, now))
        self.statements.load(adjust(history.statements(factory, orders, now)))
        cancellations, returns = history.every_state(factory, orders, list(self.returns), now)
        self.cancellations.load(cancellations)
        self.returns.load(returns)
        self.orders.load(orders)
        self.packages.load(packages)

    # -- keeping the world between runs (state.py writes and reads it) ----------------------
    def snapshot(self) -> dict[str, Any]:
        """Everything a later run needs to carry on; pickle it under `lock`, in one go (the
        factory's sellable SKUs are the products' own objects, and stay so)."""
        return {
            "clock": self.now(), "offset": self._offset, "factory": self.factory,
            "brands": list(self.brands), "products": list(self.products),
            "orders": list(self.orders), "packages": list(self.packages),
            "cancellations": list(self.cancellations), "returns": list(self.returns),
            "statements": list(self.statements), "granted_scopes": self.granted_scopes,
            "webhooks": self.webhooks, "documents": self.documents,
            "open_id": self.auth.open_id,
        }

    def _restore(self, saved: dict[str, Any]) -> None:
        # The clock never goes back, even if the computer's did: orders stamped by the last
        # run must not lie in this run's future.
        self._offset = max(int(saved["offset"]), int(saved["clock"]) - int(time.time()))
        self.factory = saved["factory"]
        for name in ("brands", "products", "orders", "packages", "cancellations", "returns",
                     "statements"):
            getattr(self, name).load(saved[name])
        self.granted_scopes = set(saved["granted_scopes"])
        self.webhooks = dict(saved["webhooks"])
        self.documents = dict(saved["documents"])
        self.auth.open_id = saved["open_id"]
        self._give_promotions_to_an_older_world()

    def _give_promotions_to_an_older_world(self) -> None:
        """A world saved before SKUs had promotions loads with the field unset (a pickled slot
        that did not exist is not filled in): it gets them now, picked as a new world's are."""
        skus = [sku for product in self.products for sku in product.skus]
        if all(hasattr(sku, "in_promotion") for sku in skus):
            return
        for sku in skus:
            sku.in_promotion = False
        pick_promotions(self.config.seed, self.products)

    # -- clock ------------------------------------------------------------------------------
    def now(self) -> int:
        return int(time.time()) + self._offset

    def advance_clock(self, seconds: float) -> None:
        """Move the shop's clock forward (expiry of codes, tokens, label links; update_time)."""
        with self.lock:
            self._offset += int(seconds)

    # -- lookups ----------------------------------------------------------------------------
    def image_links(self, base_url: str) -> ImageLinks:
        """Signs the picture links of one answer, for a client that reached us at `base_url`."""
        return ImageLinks(base_url, self.image_key, self.now())

    def order_of_package(self, package: Package) -> Order:
        return self.orders.rows[package.order_id]

    def sku(self, sku_id: str) -> tuple[Product, Sku] | None:
        return self.skus.get(sku_id)

    # -- changes ----------------------------------------------------------------------------
    @contextmanager
    def changing(self, table: Table, row: Any) -> Iterator[Any]:
        """Change a row of `table`; its update_time becomes now and its indexes follow."""
        with self.lock, table.changing(row):
            yield row
            row.update_time = self.now()

    def add_order(self, status: str = "AWAITING_SHIPMENT") -> str:
        """A buyer places (and, unless UNPAID, pays) an order now; returns its id."""
        if status not in ("UNPAID", "ON_HOLD", "AWAITING_SHIPMENT"):
            raise ValueError("a new order is UNPAID, ON_HOLD or AWAITING_SHIPMENT")
        with self.lock:
            now = self.now()
            self.factory.sellable = [
                (p, s) for p in self.products.rows.values() if p.status == "ACTIVATE"
                for s in p.skus if sum(s.available.values()) > 0
            ] or self.factory.sellable
            order, packages = self.factory.order(status, now, now)
            self.orders.add(order)
            for package in packages:
                self.packages.add(package)
            if status == "AWAITING_SHIPMENT":
                self._commit(order)
            return order.id

    def cancel_order(
        self, order_id: str, by: str = "BUYER", reason: str = "No longer needed"
    ) -> None:
        """Cancel an order that has not been collected yet; its unshipped units go back to stock."""
        with self.lock:
            order = self.orders.rows[order_id]
            if order.status not in CANCELLABLE:
                raise ValueError(f"an order in {order.status} cannot be cancelled")
            self._release(order)
            with self.changing(self.orders, order):
                order.status, order.cancel_time = "CANCELLED", self.now()
                order.cancellation_initiator, order.cancel_reason = by, reason
                order.request_cancel_time = 0
            for package_id in order.packages:
                with self.changing(self.packages, self.packages.rows[package_id]) as package:
                    package.status = "CANCELLED"
            for request in list(self.cancellations):
                if request.order_id == order_id and request.status.endswith("PENDING"):
                    with self.changing(self.cancellations, request):
                        request.status, request.deadline = "CANCELLATION_REQUEST_COMPLETE", 0

    def request_cancellation(self, order_id: str) -> str:
        """The buyer asks to cancel an order waiting to ship; returns the cancellation id."""
        with self.lock:
            order = self.orders.rows[order_id]
            if order.status not in WAITING_TO_SHIP or order.buyer_requested_cancel:
                raise ValueError(f"an order in {order.status} takes no cancellation request")
            with self.orders.changing(order):
                request = history.request_cancellation(self.factory, order, self.now())
            self.cancellations.add(request)
            return request.id

    def set_stock(self, sku_id: str, warehouse_id: str, quantity: int) -> None:
        """Stock counted in the warehouse (what Seller Center or another tool would set)."""
        with self.lock:
            product, sku = self.skus[sku_id]
            if warehouse_id not in sku.available:
                raise KeyError(warehouse_id)
            with self.changing(self.products, product):
                sku.available[warehouse_id] = quantity

    def set_price(self, sku_id: str, price: int | str) -> None:
        """A price changed elsewhere (Seller Center), in cents (1299) or as sent ("12.99").
        Any SKU, in a promotion or not: the bench decides. ValueError for a price the shop
        never takes (see money.parse_price)."""
        if isinstance(price, bool) or not isinstance(price, int | str):
            raise TypeError("a price is cents (int) or a decimal string")
        amount = parse_price(price) if isinstance(price, str) else check_price(price)
        with self.lock:
            product, sku = self.skus[sku_id]
            if sku.price != amount:  # the same price again is no change to the listing
                with self.changing(self.products, product):
                    sku.price = amount

    def set_promotion(self, sku_id: str, running: bool) -> None:
        """A seller promotion (flash sale, discount) starts or ends for the SKU; while it runs,
        Update Price refuses the SKU (12019045). Get Product does not show promotions, so the
        listing's update_time stays."""
        with self.lock:
            self.skus[sku_id][1].in_promotion = running

    def skus_in_promotion(self) -> list[str]:
        """Ids of the SKUs whose price a running promotion locks."""
        with self.lock:
            return [sku_id for sku_id, (_, sku) in self.skus.items() if sku.in_promotion]

    def advance_order(self, order_id: str) -> str:
        """Move an order one step on its own: the buyer pays, the on-hold hour ends, the
        carrier collects, delivers, and the return window closes. Returns the new status."""
        with self.lock:
            order = self.orders.rows[order_id]
            status = NEXT_STATUS.get(order.status)
            if status is None:
                raise ValueError(f"an order in {order.status} does not move on by itself")
            with self.changing(self.orders, order):
                order.status = status
                if status == "ON_HOLD":
                    order.paid_time = self.now()
                    order.rts_sla_time = order.paid_time + SHIP_BY
                elif status == "AWAITING_SHIPMENT":
                    self.packages.add(self.factory.package(order, order.lines, self.now()))
                    self._commit(order)
                elif status == "IN_TRANSIT":
                    order.collection_time = self.now()
                elif status == "DELIVERED":
                    order.delivery_time = self.now()
            package_status = {"IN_TRANSIT": "FULFILLING", "DELIVERED": "COMPLETED"}.get(status)
            for package_id in order.packages if package_status else ():
                with self.changing(self.packages, self.packages.rows[package_id]) as package:
                    package.status = package_status
            return status

    def ship(self, package: Package, *, provider: str = "", tracking: str = "",
             handover: str = "", slot: tuple[int, int] | None = None) -> None:
        """The seller hands `package` over: it gets a carrier and a tracking number, its units
        leave the committed stock, and the order moves on once every package has shipped."""
        with self.lock:
            order = self.order_of_package(package)
            now = self.now()
            with self.packages.changing(package):
                self.factory.ship(order, package, now, provider, tracking, handover, slot)
            for line in order.lines:
                if line.package_id == package.id:
                    _, sku = self.skus[line.sku_id]
                    sku.committed[order.warehouse_id] -= 1
            shipped = all(self.packages.rows[p].shipped_time for p in order.packages)
            seller = order.shipping_type == "SELLER"
            with self.changing(self.orders, order):
                order.status = ("IN_TRANSIT" if seller else "AWAITING_COLLECTION") if shipped \
                    else "PARTIALLY_SHIPPING"
                order.rts_time = order.rts_time or now
                if shipped and seller:
                    order.collection_time = now
            if shipped and seller:
                for package_id in order.packages:
                    with self.changing(self.packages, self.packages.rows[package_id]) as p:
                        p.status = "FULFILLING"

    def split_package(self, package: Package, line_ids: list[str]) -> Package:
        """Move `line_ids` out of `package` into a new package of the same order."""
        with self.lock:
            order = self.order_of_package(package)
            lines = [line for line in order.lines if line.id in set(line_ids)]
            with self.changing(self.packages, package):
                package.line_ids = [i for i in package.line_ids if i not in set(line_ids)]
            created = self.factory.package(order, lines, self.now())
            self.packages.add(created)
            return created

    # -- scopes -----------------------------------------------------------------------------
    def revoke_scope(self, scope: str) -> None:
        """Take an API package away from the app (calls needing it get 105005)."""
        with self.lock:
            self.granted_scopes.discard(scope)

    def grant_scope(self, scope: str) -> None:
        with self.lock:
            self.granted_scopes.add(scope)

    # -- stock bookkeeping ------------------------------------------------------------------
    def _count_committed(self) -> None:
        for package in self.packages.rows.values():
            if package.status != "PROCESSING" or package.shipped_time:
                continue
            order = self.orders.rows[package.order_id]
            for line in order.lines:
                if line.package_id == package.id:
                    self.skus[line.sku_id][1].committed[order.warehouse_id] += 1

    def _commit(self, order: Order) -> None:
        """A paid order's units move from available to committed (from another warehouse when
        the order's own one has run out)."""
        for line in order.lines:
            sku = self.skus[line.sku_id][1]
            take = order.warehouse_id
            if sku.available[take] <= 0:
                take = max(sku.available, key=sku.available.__getitem__)
            # A sale moves stock, not the listing: the product's update_time stays.
            sku.available[take] = max(0, sku.available[take] - 1)
            sku.committed[order.warehouse_id] += 1

    def _release(self, order: Order) -> None:
        """Units of `order` not shipped yet go from committed back to available."""
        if order.status in ("UNPAID", "ON_HOLD"):
            return
        for line in order.lines:
            package = self.packages.rows.get(line.package_id)
            if package is not None and not package.shipped_time:
                sku = self.skus[line.sku_id][1]
                warehouse = order.warehouse_id
                sku.committed[warehouse] = max(0, sku.committed[warehouse] - 1)
                sku.available[warehouse] += 1

