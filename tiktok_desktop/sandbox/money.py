"""Money in integer cents inside the shop; decimal strings in major units on the wire."""

from __future__ import annotations

import re

from .buyers import Buyer
from .records import Order

CURRENCY = "USD"
DECIMALS = 2  # digits after the point in CURRENCY: cents
PRICE_RANGE = (1, 10_000_000)  # what a SKU may cost, in cents: 0.01 to 100000.00
_AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]+))?")  # ASCII digits only: str's \d takes any script
FEE_RATE = 0.06  # referral fee on what the seller earns
FEE_PER_ORDER = 30


def cents(value: int) -> str:
    if value < 0:
        return "-" + cents(-value)
    units, rest = divmod(value, 100)
    return f"{units}.{rest:02d}"


def parse_cents(text: object) -> int | None:
    """A decimal string in major units -> cents; None if it is not a plain amount."""
    try:
        return minor_units(text)
    except ValueError:
        return None


def minor_units(text: object, decimals: int = DECIMALS, currency: str = CURRENCY) -> int:
    """An amount as the wire carries it ("12.99") -> minor units (1299). ValueError, saying
    why, for anything else: a number, a sign, an exponent, spaces, or more decimals than
    `currency` has (a zero-decimal currency such as JPY takes "1500", not "1500.0")."""
    match = _AMOUNT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        example = "12.99" if decimals else "1500"
        raise ValueError(f'is not a positive decimal string such as "{example}"')
    whole, fraction = match.group(1).lstrip("0"), match.group(2) or ""
    if len(fraction) > decimals:
        raise ValueError(f"has more decimals than {currency} allows (at most {decimals})")
    if len(whole) > 30:  # no price is near; and int() refuses thousands of digits
        raise ValueError("is far too large")
    return int(whole + fraction.ljust(decimals, "0"))


def parse_price(text: object) -> int:
    """A SKU price as sent ("12.99") -> cents; ValueError saying why the shop refuses it."""
    return check_price(minor_units(text))


def check_price(amount: int) -> int:
    """`amount` (cents) if a SKU may cost that; else ValueError saying why not."""
    low, high = PRICE_RANGE
    if amount < low:
        raise ValueError("must be more than 0")
    if amount > high:
        raise ValueError(f"must be at most {cents(high)} {CURRENCY}")
    return amount


def line_tax(order: Order, sale: int) -> int:
    return round(sale * Buyer(order.buyer).tax_rate)


def order_payment(order: Order) -> dict[str, int]:
    """The order's `payment` in cents; satisfies the identities of reference §8.1."""
    buyer = Buyer(order.buyer)
    original = sum(line.original for line in order.lines)
    seller = sum(line.seller_discount for line in order.lines)
    platform = sum(line.platform_discount for line in order.lines)
    sub_total = original - seller - platform
    product_tax = sum(line_tax(order, line.sale) for line in order.lines)
    shipping_fee = order.shipping_fee
    shipping_tax = round(shipping_fee * buyer.tax_rate)
    tax = product_tax + shipping_tax
    retail_delivery_fee = buyer.retail_delivery_fee
    return {
        "sub_total": sub_total,
        "shipping_fee": shipping_fee,
        "seller_discount": seller,
        "platform_discount": platform,
        "total_amount": sub_total + shipping_fee + tax + retail_delivery_fee,
        "original_total_product_price": original,
        "original_shipping_fee": order.shipping_original,
        "shipping_fee_seller_discount": order.shipping_seller_discount,
        "shipping_fee_platform_discount": order.shipping_platform_discount,
        "shipping_fee_cofunded_discount": 0,
        "tax": tax,
        "product_tax": product_tax,
        "shipping_fee_tax": shipping_tax,
        "retail_delivery_fee": retail_delivery_fee,
        "small_order_fee": 0,
        "buyer_service_fee": 0,
        "handling_fee": 0,
        "shipping_insurance_fee": 0,
        "item_insurance_fee": 0,
        "item_insurance_tax": 0,
        "payment_platform_discount": 0,
        "payment_discount_service_fee": 0,
    }


def settlement_parts(order: Order) -> tuple[int, int, int]:
    """(revenue, fee, shipping cost) the seller is paid for one order; platform-funded
    discounts are paid to the seller, free shipping the seller offers is charged to them."""
    revenue = sum(line.original - line.seller_discount for line in order.lines)
    fee = -(round(revenue * FEE_RATE) + FEE_PER_ORDER)
    return revenue, fee, -order.shipping_seller_discount
