"""The shop's state, kept compact (slotted records, money in cents) and turned into API objects
only when asked for: a 100k-order shop must fit in memory and be generated in seconds."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


class IdMaker:
    """Digit-string ids of one fixed length, unique without remembering them: each id is
    `prefix + (start + n * stride + jitter)`, with jitter < stride."""

    def __init__(self, rng: random.Random, prefix: str, length: int, stride: int = 97) -> None:
        self._rng = rng
        self._prefix = prefix
        self._width = length - len(prefix)
        self._stride = stride
        self._next = rng.randrange(10 ** (self._width - 2), 10 ** (self._width - 1))

    def __call__(self) -> str:
        number = self._next + int(self._rng.random() * self._stride)
        self._next += self._stride
        return f"{self._prefix}{number:0{self._width}d}"


@dataclass(slots=True, eq=False)
class Line:
    """One unit of one SKU: buying 3 of a SKU gives 3 lines with the same sku_id."""

    id: str
    sku_id: str
    product_id: str
    original: int
    seller_discount: int
    platform_discount: int
    package_id: str = ""

    @property
    def sale(self) -> int:
        return self.original - self.seller_discount - self.platform_discount


@dataclass(slots=True, eq=False)
class Order:
    id: str
    status: str
    create_time: int
    update_time: int
    buyer: int  # seed for the buyer's name, address, phone and ids
    shipping_type: str  # TIKTOK | SELLER
    delivery_option_id: str
    warehouse_id: str
    lines: list[Line]
    shipping_original: int
    shipping_seller_discount: int
    shipping_platform_discount: int
    payment_method: str
    buyer_message: str = ""
    paid_time: int = 0
    rts_sla_time: int = 0
    rts_time: int = 0
    collection_time: int = 0
    delivery_time: int = 0
    cancel_time: int = 0
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    request_cancel_time: int = 0  # when the buyer asked to cancel; 0: no request waiting
    packages: list[str] = field(default_factory=list)

    @property
    def buyer_requested_cancel(self) -> bool:
        return self.request_cancel_time > 0

    @property
    def shipping_fee(self) -> int:
        discounts = self.shipping_seller_discount + self.shipping_platform_discount
        return self.shipping_original - discounts


@dataclass(slots=True, eq=False)
class Package:
    id: str
    order_id: str
    line_ids: list[str]
    # PROCESSING (to ship, or shipped and awaiting pickup) | FULFILLING | COMPLETED | CANCELLED
    status: str
    shipping_type: str
    delivery_option_id: str
    create_time: int
    update_time: int
    pay_time: int
    provider: str = ""  # shipping provider name, set when shipped
    tracking_number: str = ""
    handover_method: str = ""
    pickup_slot: tuple[int, int] | None = None
    shipped_time: int = 0


@dataclass(slots=True, eq=False)
class Sku:
    id: str
    seller_sku: str
    price: int
    list_price: int
    attributes: tuple[tuple[str, str, str, str], ...]  # (attribute id, name, value id, value name)
    available: dict[str, int]  # warehouse id -> quantity the seller can still sell
    committed: dict[str, int]  # warehouse id -> units in paid orders not yet shipped
    # In a running seller promotion (flash sale, discount): its price can't be updated. Last,
    # with a default: a world saved before it existed is given it on load (World._restore).
    in_promotion: bool = False

    @property
    def name(self) -> str:
        return ", ".join(a[3] for a in self.attributes)


@dataclass(slots=True, eq=False)
class Product:
    id: str
    title: str
    status: str
    create_time: int
    update_time: int
    category_id: str
    brand_id: str
    skus: list[Sku]
    material: str
    pattern: str


@dataclass(slots=True, eq=False)
class Return:
    id: str
    order_id: str
    return_type: str  # REFUND | RETURN_AND_REFUND
    status: str
    reason: tuple[str, str]  # (reason code, text)
    line_ids: list[str]
    refund: int
    create_time: int
    update_time: int
    next_action: str = ""  # what the seller must do, "" when nothing
    deadline: int = 0
    tracking_number: str = ""
    arbitration: str = ""  # IN_PROGRESS | SUPPORT_BUYER | SUPPORT_SELLER | CLOSED; "": none


@dataclass(slots=True, eq=False)
class Cancellation:
    id: str
    order_id: str
    cancel_type: str  # CANCEL (seller) | BUYER_CANCEL
    role: str  # BUYER | SELLER | SYSTEM
    status: str
    reason: tuple[str, str]  # (reason code, text)
    line_ids: list[str]
    refund: int
    create_time: int
    update_time: int
    deadline: int = 0  # answer-by time while the seller must respond


@dataclass(slots=True, eq=False)
class Statement:
    id: str
    statement_time: int
    order_ids: list[str]
    revenue: int
    fee: int
    shipping_cost: int
    adjustment: int
    payment_id: str
    payment_status: str
    payment_time: int

    @property
    def settlement(self) -> int:
        return self.revenue + self.fee + self.shipping_cost + self.adjustment


@dataclass(slots=True, eq=False)
class Brand:
    id: str
    name: str
    position: int
    authorized: bool
