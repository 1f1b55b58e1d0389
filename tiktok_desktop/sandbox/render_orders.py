"""Orders and packages as the Open API returns them (reference §8.1, §8.3)."""

from __future__ import annotations

from .buyers import Buyer
from .catalog import DELIVERY_OPTIONS, SHIPPING_PROVIDERS, WAREHOUSES
from .money import CURRENCY, cents, line_tax, order_payment
from .product_images import ImageLinks, sku_image_uri
from .records import Line, Order, Package
from .world import World

DAY = 86400
OPTION_NAMES = {o[0]: o[1] for o in DELIVERY_OPTIONS}
UNPAID_LIKE = {"UNPAID", "ON_HOLD"}


def line_status(order: Order, package: Package | None) -> str:
    """A line's display_status: the order's, except while an order ships in parts."""
    if order.status == "PARTIALLY_SHIPPING":
        shipped = package is not None and package.shipped_time
        return "AWAITING_COLLECTION" if shipped else "AWAITING_SHIPMENT"
    return "AWAITING_SHIPMENT" if order.status == "ON_HOLD" else order.status


def line_object(world: World, order: Order, line: Line, links: ImageLinks) -> dict:
    product, sku = world.skus[line.sku_id]
    package = world.packages.get(line.package_id) if line.package_id else None
    tax = line_tax(order, line.sale)
    item = {
        "id": line.id,
        "sku_id": line.sku_id,
        "product_id": line.product_id,
        "product_name": product.title,
        "sku_name": sku.name,
        "sku_image": links.link(sku_image_uri(product, sku.id)),
        "seller_sku": sku.seller_sku,
        "sale_price": cents(line.sale),
        "original_price": cents(line.original),
        "seller_discount": cents(line.seller_discount),
        "platform_discount": cents(line.platform_discount),
        "currency": CURRENCY,
        "display_status": line_status(order, package),
        "is_gift": False,
        "is_dangerous_good": False,
        "needs_prescription": False,
        "item_tax": [{"tax_type": "SALES_TAX", "tax_amount": cents(tax),
                      "tax_rate": f"{Buyer(order.buyer).tax_rate:.4f}"}],
        "retail_delivery_fee": "0.00",
        "small_order_fee": "0.00",
        "buyer_service_fee": "0.00",
    }
    # US local sellers see the package on a line only once it has shipped, so TO_FULFILL
    # never shows here (DECISIONS.md, "Line items and their package").
    if package is not None and (package.shipped_time or package.status == "CANCELLED"):
        item.update(package_id=package.id, package_status=package.status)
        if package.tracking_number:
            item.update(tracking_number=package.tracking_number,
                        shipping_provider_id=SHIPPING_PROVIDERS[package.provider],
                        shipping_provider_name=package.provider, rts_time=package.shipped_time)
    if order.status == "CANCELLED":
        item.update(cancel_reason=order.cancel_reason, cancel_user=order.cancellation_initiator)
    return item


def order_object(world: World, order: Order, links: ImageLinks) -> dict:
    buyer = Buyer(order.buyer)
    payment = {k: cents(v) for k, v in order_payment(order).items()}
    shipped = [world.packages.rows[p] for p in order.packages]
    shipped = [p for p in shipped if p.tracking_number]
    data: dict = {
        "id": order.id,
        "status": order.status,
        "user_id": buyer.user_id,
        "order_type": "NORMAL",
        "is_on_hold_order": order.status == "ON_HOLD",
        "is_sample_order": False,
        "is_replacement_order": False,
        "is_exchange_order": False,
        "is_buyer_request_cancel": order.buyer_requested_cancel,
        "commerce_platform": "TIKTOK_SHOP",
        "create_time": order.create_time,
        "update_time": order.update_time,
        "buyer_message": order.buyer_message,
        "buyer_email": buyer.email,
        "buyer_nickname": buyer.nickname,
        "seller_note": "",
        "fulfillment_type": "FULFILLMENT_BY_SELLER",
        "shipping_type": order.shipping_type,
        "delivery_type": "HOME_DELIVERY",
        "delivery_option_id": order.delivery_option_id,
        "delivery_option_name": OPTION_NAMES[order.delivery_option_id],
        "warehouse_id": order.warehouse_id,
        "packages": [{"id": p} for p in order.packages],
        "has_updated_recipient_address": False,
        "is_cod": False,
        "payment_method_name": order.payment_method,
        "payment": {"currency": CURRENCY, **payment},
        "recipient_address": buyer.address(
            masked=order.shipping_type == "TIKTOK",
            with_districts=order.status not in UNPAID_LIKE),
        "line_items": [line_object(world, order, line, links) for line in order.lines],
    }
    if order.paid_time:
        sla = order.rts_sla_time
        data.update(paid_time=order.paid_time, rts_sla_time=sla, shipping_due_time=sla,
                    tts_sla_time=sla + DAY, collection_due_time=sla + DAY,
                    delivery_due_time=order.paid_time + 10 * DAY,
                    delivery_sla_time=order.paid_time + 10 * DAY)
    if shipped:
        data.update(tracking_number=shipped[0].tracking_number,
                    shipping_provider=shipped[0].provider,
                    shipping_provider_id=SHIPPING_PROVIDERS[shipped[0].provider])
    for name in ("rts_time", "collection_time", "delivery_time", "cancel_time"):
        if getattr(order, name):
            data[name] = getattr(order, name)
    if order.request_cancel_time:
        data["request_cancel_time"] = order.request_cancel_time
    if order.status == "CANCELLED":
        data.update(cancel_reason=order.cancel_reason,
                    cancellation_initiator=order.cancellation_initiator)
    return data


def price_detail(order: Order) -> dict:
    """Get Price Detail (202407): the same money, named the way that endpoint names it."""
    pay = order_payment(order)
    rate = f"{Buyer(order.buyer).tax_rate:.4f}"

    def block(original: int, seller: int, platform: int, tax: int, shipping: tuple) -> dict:
        ship_original, ship_seller, ship_platform = shipping
        sub = original - seller - platform
        ship = ship_original - ship_seller - ship_platform
        return {
            "currency": CURRENCY, "total": cents(sub + ship + tax),
            "sku_list_price": cents(original), "sku_sale_price": cents(sub),
            "subtotal": cents(sub), "subtotal_deduction_seller": cents(seller),
            "subtotal_deduction_platform": cents(platform), "subtotal_tax_amount": cents(tax),
            "shipping_list_price": cents(ship_original), "shipping_sale_price": cents(ship),
            "shipping_fee_deduction_seller": cents(ship_seller),
            "shipping_fee_deduction_platform": cents(ship_platform),
            "shipping_fee_deduction_platform_voucher": "0.00", "tax_amount": cents(tax),
            "tax_rate": rate, "payment": cents(sub + ship + tax),
            "net_price_amount": cents(sub), "voucher_deduction_seller": "0.00",
            "voucher_deduction_platform": "0.00", "sku_gift_original_price": "0.00",
            "sku_gift_net_price": "0.00", "cod_fee": "0.00", "cod_fee_net_amount": "0.00",
        }

    data = block(pay["original_total_product_price"], pay["seller_discount"],
                 pay["platform_discount"], pay["tax"],
                 (order.shipping_original, order.shipping_seller_discount,
                  order.shipping_platform_discount))
    data["total"] = data["payment"] = cents(pay["total_amount"])
    data["line_items"] = [
        {"id": line.id, **block(line.original, line.seller_discount, line.platform_discount,
                                line_tax(order, line.sale), (0, 0, 0))}
        for line in order.lines
    ]
    return data


def package_summary(world: World, package: Package, links: ImageLinks) -> dict:
    """A package as Search Packages lists it."""
    order = world.orders.rows[package.order_id]
    counts: dict[str, int] = {}
    for line in order.lines:
        if line.package_id == package.id:
            counts[line.sku_id] = counts.get(line.sku_id, 0) + 1
    skus = []
    for sku_id, quantity in counts.items():
        product, sku = world.skus[sku_id]
        skus.append({"id": sku_id, "name": sku.name,
                     "image_url": links.link(sku_image_uri(product, sku_id)),
                     "quantity": quantity})
    data = {
        "id": package.id,
        "status": package.status,
        "order_line_item_ids": list(package.line_ids),
        "orders": [{"id": order.id, "skus": skus}],
        "create_time": package.create_time,
        "update_time": package.update_time,
    }
    if package.tracking_number:
        data.update(tracking_number=package.tracking_number,
                    shipping_provider_id=SHIPPING_PROVIDERS[package.provider],
                    shipping_provider_name=package.provider)
    return data


def package_detail(world: World, package: Package, links: ImageLinks) -> dict:
    """Get Package Detail."""
    order = world.orders.rows[package.order_id]
    summary = package_summary(world, package, links)
    warehouse = next(w for w in WAREHOUSES if w[0] == order.warehouse_id)
    street, city, state, code, postal, contact, phone = warehouse[4]
    # The addresses' shape: DECISIONS.md, "Package detail".
    data = {
        "package_id": package.id,
        "package_status": package.status,
        "order_line_item_ids": summary["order_line_item_ids"],
        "orders": summary["orders"],
        "tracking_number": package.tracking_number,
        "shipping_type": package.shipping_type,
        "delivery_option_id": package.delivery_option_id,
        "delivery_option_name": OPTION_NAMES[package.delivery_option_id],
        "split_and_combine_tag": "SPLIT" if len(order.packages) > 1 else "DEFAULT",
        "has_multi_skus": len(summary["orders"][0]["skus"]) > 1,
        "note_tag": "BUYER_NOTED" if order.buyer_message else "BUYER_UNNOTED",
        "weight": {"value": str(200 * len(package.line_ids)), "unit": "GRAM"},
        "dimension": {"length": "30", "width": "20", "height": "10", "unit": "CM"},
        "recipient_address": Buyer(order.buyer).address(
            masked=order.shipping_type == "TIKTOK", with_districts=True),
        "sender_address": {
            "name": contact, "phone_number": phone, "address_detail": street,
            "address_line1": street, "address_line2": "", "address_line3": "",
            "address_line4": "",
            "full_address": f"{street}, {city}, {state}, {postal}, United States",
            "postal_code": postal, "region_code": "US",
            "district_info": [{"address_level": "L1", "address_level_name": "State",
                               "address_name": state, "iso_code": f"US-{code}"},
                              {"address_level": "L3", "address_level_name": "City",
                               "address_name": city}],
        },
        "create_time": package.create_time,
        "update_time": package.update_time,
    }
    if package.tracking_number:
        data.update(shipping_provider_id=SHIPPING_PROVIDERS[package.provider],
                    shipping_provider_name=package.provider)
    if package.handover_method:
        data["handover_method"] = package.handover_method
    if package.pickup_slot:
        data["pickup_slot"] = {"start_time": package.pickup_slot[0],
                               "end_time": package.pickup_slot[1]}
    return data
