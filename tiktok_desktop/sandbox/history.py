"""What follows from the generated orders: cancellations, returns and daily statements."""

from __future__ import annotations

import random
from collections import defaultdict

from .catalog import CANCEL_REASON_CODES, CANCEL_REASONS, RETURN_REASONS
from .generate import DAY, HOUR, ShopFactory
from .money import line_tax, settlement_parts
from .records import Cancellation, Order, Return, Statement

ANSWER_WITHIN = 2 * DAY  # the seller's deadline to respond to a request
SETTLE_AFTER = 3 * DAY  # an order is paid out this long after delivery
SENT_BACK = {"BUYER_SHIPPED_ITEM", "RETURN_OR_REFUND_REQUEST_COMPLETE"}
RETURN_PROVIDER = "USPS"  # the carrier buyers send returns with


def refund_of(order: Order, line_ids: set[str]) -> int:
    lines = [line for line in order.lines if line.id in line_ids]
    return sum(line.sale + line_tax(order, line.sale) for line in lines)


def cancellations(factory: ShopFactory, orders: list[Order], now: int) -> list[Cancellation]:
    """A completed request for each order a buyer cancelled, and pending requests on some
    orders still waiting to ship (at least one, so the seller always has one to answer)."""
    rng = factory.rng
    made = []
    waiting = [o for o in orders if o.status == "AWAITING_SHIPMENT"]
    asking = [o for o in waiting if rng.random() < 0.06] or waiting[:1]
    for order in orders:
        if order.status == "CANCELLED" and order.cancellation_initiator in ("BUYER", "SELLER"):
            buyer = order.cancellation_initiator == "BUYER"
            asked = max(order.paid_time, order.cancel_time - rng.randrange(60, 6 * HOUR))
            made.append(Cancellation(
                id=factory.cancel_id(), order_id=order.id,
                cancel_type="BUYER_CANCEL" if buyer else "CANCEL",
                role=order.cancellation_initiator, status="CANCELLATION_REQUEST_COMPLETE",
                reason=(CANCEL_REASON_CODES[order.cancel_reason], order.cancel_reason),
                line_ids=[line.id for line in order.lines],
                refund=refund_of(order, {line.id for line in order.lines}) + order.shipping_fee,
                create_time=asked, update_time=order.cancel_time,
            ))
    for order in asking:
        made.append(request_cancellation(factory, order, max(order.paid_time, now - rng.randrange(
            60, min(40 * HOUR, max(now - order.paid_time, 61))))))
    return made


def request_cancellation(factory: ShopFactory, order: Order, at: int) -> Cancellation:
    """A buyer asks to cancel an order that waits to ship; the seller must answer."""
    order.request_cancel_time = at
    order.update_time = max(order.update_time, at)
    return Cancellation(
        id=factory.cancel_id(), order_id=order.id, cancel_type="BUYER_CANCEL", role="BUYER",
        status="CANCELLATION_REQUEST_PENDING", reason=factory.rng.choice(CANCEL_REASONS),
        line_ids=[line.id for line in order.lines],
        refund=refund_of(order, {line.id for line in order.lines}) + order.shipping_fee,
        create_time=at, update_time=at, deadline=at + ANSWER_WITHIN,
    )


def returns(factory: ShopFactory, orders: list[Order], now: int) -> list[Return]:
    """Returns on ~6% of delivered orders: recent ones wait for the seller, older ones are done."""
    rng = factory.rng
    made = []
    for order in orders:
        if order.status not in ("DELIVERED", "COMPLETED") or rng.random() > 0.06:
            continue
        sku = rng.choice(order.lines).sku_id
        line_ids = [line.id for line in order.lines if line.sku_id == sku]
        kind = "REFUND" if rng.random() < 0.4 else "RETURN_AND_REFUND"
        if order.status == "DELIVERED":
            created = max(order.delivery_time + 60, now - rng.randrange(10 * 60, 40 * HOUR))
            created = min(created, now - 60)
            status, action = _open_return(kind, rng.random())
        else:
            created = order.delivery_time + rng.randrange(DAY, 6 * DAY)
            status = rng.choices(
                ("RETURN_OR_REFUND_REQUEST_COMPLETE", "REFUND_OR_RETURN_REQUEST_REJECT",
                 "RETURN_OR_REFUND_REQUEST_CANCEL", "RETURN_OR_REFUND_REQUEST_SUCCESS"),
                (60, 15, 10, 15))[0]
            action = ""
        ret = Return(
            id=factory.return_id(), order_id=order.id, return_type=kind, status=status,
            reason=rng.choice(RETURN_REASONS), line_ids=line_ids,
            refund=refund_of(order, set(line_ids)), create_time=created,
            update_time=created if action else min(created + rng.randrange(HOUR, 3 * DAY), now),
            next_action=action, deadline=created + ANSWER_WITHIN if action else 0,
        )
        if kind == "RETURN_AND_REFUND" and status in SENT_BACK:
            ret.tracking_number = factory.tracking_number(RETURN_PROVIDER)
        ret.arbitration = _arbitration(ret)
        made.append(ret)
    return made


def _arbitration(ret: Return) -> str:
    """Some buyers take a rejected return to TikTok, and some completed returns were decided
    there for the buyer. Chosen by the id, so the rest of the shop's history stays as it was."""
    pick = int(ret.id) % 7
    if ret.status in ("REFUND_OR_RETURN_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE"):
        return ("SUPPORT_SELLER", "CLOSED", "IN_PROGRESS")[pick] if pick < 3 else ""
    if ret.status == "RETURN_OR_REFUND_REQUEST_COMPLETE" and pick == 0:
        return "SUPPORT_BUYER"
    return ""


def _open_return(kind: str, r: float) -> tuple[str, str]:
    if kind == "REFUND":
        return "RETURN_OR_REFUND_REQUEST_PENDING", "SELLER_RESPOND_REFUND"
    if r < 0.6:
        return "RETURN_OR_REFUND_REQUEST_PENDING", "SELLER_RESPOND_RETURN"
    if r < 0.8:
        return "BUYER_SHIPPED_ITEM", "SELLER_RESPOND_RECEIVE_PACKAGE"
    return "AWAITING_BUYER_SHIP", ""


SHIPPED = ("IN_TRANSIT", "DELIVERED", "COMPLETED")
# A return in each state a seller meets: (type, status, the seller's next action, still open).
EVERY_RETURN = (
    ("REFUND", "RETURN_OR_REFUND_REQUEST_PENDING", "SELLER_RESPOND_REFUND", True),
    ("RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_PENDING", "SELLER_RESPOND_RETURN", True),
    ("RETURN_AND_REFUND", "BUYER_SHIPPED_ITEM", "SELLER_RESPOND_RECEIVE_PACKAGE", True),
    ("RETURN_AND_REFUND", "AWAITING_BUYER_SHIP", "", True),
    ("REFUND", "AWAITING_BUYER_RESPONSE", "", True),  # a partial refund offered
    ("RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_COMPLETE", "", False),
    ("RETURN_AND_REFUND", "REFUND_OR_RETURN_REQUEST_REJECT", "", False),
    ("RETURN_AND_REFUND", "REJECT_RECEIVE_PACKAGE", "", False),
    ("REFUND", "RETURN_OR_REFUND_REQUEST_CANCEL", "", False),  # withdrawn by the buyer
    ("REFUND", "RETURN_OR_REFUND_REQUEST_SUCCESS", "", False),
)


def every_state(factory: ShopFactory, orders: list[Order], returns: list[Return],
                now: int) -> tuple[list[Cancellation], list[Return]]:
    """Requests in the states the generated history leaves out or leaves to chance, so every
    shop shows one of each (as far as its orders allow): cancellations the seller rejected (the
    order shipped anyway), and a return in each state of EVERY_RETURN that none has. Run after
    the rest of the history, with a generator of its own: the shop's is left as it was, so
    what was made before and what comes later (a new order) are the same as without it.
    Returns the cancellations and returns made."""
    shared, state = factory.rng, factory.rng.getstate()
    factory.rng = random.Random(shared.getrandbits(64))
    try:
        return _every_state(factory, orders, returns, now)
    finally:
        # The ids' jitter came from the shop's generator: undone, while their counters moved
        # on (ids stay unique).
        factory.rng = shared
        shared.setstate(state)


def _every_state(factory: ShopFactory, orders: list[Order], returns: list[Return],
                 now: int) -> tuple[list[Cancellation], list[Return]]:
    rng = factory.rng
    shipped = [o for o in orders if o.status in SHIPPED and o.rts_time]
    cancellations = []
    for order in [o for o in shipped if int(o.id) % 47 == 0] or shipped[:1]:
        asked = order.paid_time + rng.randrange(10 * 60, max(order.rts_time - order.paid_time,
                                                               10 * 60 + 1))
        cancellations.append(Cancellation(
            id=factory.cancel_id(), order_id=order.id, cancel_type="BUYER_CANCEL",
            role="BUYER", status="CANCELLATION_REQUEST_CANCELLED",
            reason=rng.choice(CANCEL_REASONS), line_ids=[line.id for line in order.lines],
            refund=refund_of(order, {line.id for line in order.lines}) + order.shipping_fee,
            create_time=asked, update_time=min(max(asked + 60, order.rts_time), now),
        ))
    have = {(r.return_type, r.status, r.next_action) for r in returns}
    taken = {r.order_id for r in returns}
    free = {status: [o for o in orders if o.status == status and o.id not in taken]
            for status in ("DELIVERED", "COMPLETED")}
    made = []
    for kind, status, action, still_open in EVERY_RETURN:
        pool = free["DELIVERED" if still_open else "COMPLETED"]
        if (kind, status, action) in have or not pool:
            continue
        order = pool.pop()
        line_ids = [line.id for line in order.lines if line.sku_id == order.lines[0].sku_id]
        if still_open:
            created = min(max(order.delivery_time + 60, now - rng.randrange(2 * HOUR, 30 * HOUR)),
                          now - 60)
            changed = created if action else min(created + rng.randrange(HOUR, 6 * HOUR), now)
        else:
            created = order.delivery_time + rng.randrange(DAY, 6 * DAY)
            changed = min(created + rng.randrange(HOUR, 3 * DAY), now)
        ret = Return(
            id=factory.return_id(), order_id=order.id, return_type=kind, status=status,
            reason=rng.choice(RETURN_REASONS), line_ids=line_ids,
            refund=refund_of(order, set(line_ids)), create_time=created, update_time=changed,
            next_action=action, deadline=created + ANSWER_WITHIN if action else 0,
        )
        if status in (*SENT_BACK, "REJECT_RECEIVE_PACKAGE"):
            ret.tracking_number = factory.tracking_number(RETURN_PROVIDER)
        if status == "AWAITING_BUYER_RESPONSE":
            ret.refund = max(1, ret.refund // 2)
        ret.arbitration = _arbitration(ret)
        made.append(ret)
    return cancellations, made


def statements(factory: ShopFactory, orders: list[Order], now: int) -> list[Statement]:
    """One statement per day (00:00 UTC) for the orders settled the day before; each is paid
    out a day later, so the latest ones are still PROCESSING."""
    by_day: dict[int, list[Order]] = defaultdict(list)
    for order in orders:
        if order.delivery_time and order.delivery_time + SETTLE_AFTER <= now:
            settled = order.delivery_time + SETTLE_AFTER
            day = settled - settled % DAY + DAY
            if day <= now:
                by_day[day].append(order)
    made = []
    for day in sorted(by_day):
        settled_orders = sorted(by_day[day], key=lambda o: (o.create_time, o.id))
        parts = [settlement_parts(o) for o in settled_orders]
        paid = day + DAY <= now
        made.append(Statement(
            id=factory.statement_id(), statement_time=day,
            order_ids=[o.id for o in settled_orders], revenue=sum(p[0] for p in parts),
            fee=sum(p[1] for p in parts), shipping_cost=sum(p[2] for p in parts), adjustment=0,
            payment_id=factory.payment_id(), payment_status="PAID" if paid else "PROCESSING",
            payment_time=day + DAY if paid else 0,
        ))
    return made
