"""Money in integer cents inside the shop; decimal strings in major units on the wire."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .buyers import Buyer
from .records import Order

CURRENCY = "USD"
FEE_RATE = 0.06  # referral fee on what the seller earns
FEE_PER_ORDER = 30


def cents(value: int) -> str:
    if value < 0:
        return "-" + cents(-value)
    units, rest = divmod(value, 100)
    return f"{units}.{rest:02d}"


def parse_cents(text: object) -> int | None:
    """A decimal string in major units -> cents; None if it is not a plain amount."""
    if not isinstance(text, str):
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return int(amount * 100)


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
