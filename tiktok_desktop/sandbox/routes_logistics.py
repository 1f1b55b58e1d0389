"""Logistics (warehouses, delivery options, carriers) and webhook settings."""

from __future__ import annotations

from .catalog import DELIVERY_OPTIONS, SHIPPING_PROVIDERS, WAREHOUSES, WEBHOOK_EVENT_TYPES
from .endpoints import Call, Endpoint, body_text
from .errors import invalid_param


def warehouses(call: Call) -> dict:
    made = []
    for wid, name, kind, default, address in WAREHOUSES:
        street, city, state, code, postal, contact, phone = address
        made.append({
            "id": wid, "name": name, "effect_status": "ENABLED", "type": kind,
            "sub_type": "DOMESTIC_WAREHOUSE", "is_default": default, "entity_id": "",
            "address": {
                "region": "United States", "region_code": "US", "state": state, "city": city,
                "distict": "", "town": "", "postal_code": postal, "address_line1": street,
                "address_line2": "", "address_line3": "", "address_line4": "",
                "full_address": f"{street}, {city}, {code} {postal}, United States",
                "contact_person": contact, "phone_number": phone,
                "geolocation": {"latitude": "", "longitude": ""},
            },
        })
    return {"warehouses": made}


def delivery_options(call: Call) -> dict:
    if call.params["warehouse_id"] not in {w[0] for w in WAREHOUSES}:
        raise invalid_param("warehouse_id does not exist")
    return {"delivery_options": [
        {"id": oid, "name": name, "type": kind, "description": text, "platform": ["TIKTOK_SHOP"],
         "weight_limit": {"min_weight": 1, "max_weight": 30000, "unit": "GRAM"},
         "dimension_limit": {"max_length": 100, "max_width": 100, "max_height": 100,
                             "unit": "CM"}}
        for oid, name, kind, text, _ in DELIVERY_OPTIONS]}


def shipping_providers(call: Call) -> dict:
    option = next((o for o in DELIVERY_OPTIONS if o[0] == call.params["delivery_option_id"]),
                  None)
    if option is None:
        raise invalid_param("delivery_option_id does not exist")
    return {"shipping_providers": [{"id": SHIPPING_PROVIDERS[n], "name": n} for n in option[4]]}


def get_webhooks(call: Call) -> dict:
    hooks = [{"event_type": kind, **hook} for kind, hook in call.world.webhooks.items()]
    return {"webhooks": hooks, "total_count": len(hooks)}


def update_webhook(call: Call) -> dict:
    kind = body_text(call, "event_type", WEBHOOK_EVENT_TYPES, required=True)
    address = body_text(call, "address", required=True) or ""
    if len(address) > 255 or not address.startswith(("https://", "http://")):
        raise invalid_param("address must be an http(s) URL of at most 255 characters")
    now = call.world.now()
    previous = call.world.webhooks.get(kind or "")
    call.world.webhooks[kind or ""] = {
        "address": address, "create_time": previous["create_time"] if previous else now,
        "update_time": now}
    return {}


def delete_webhook(call: Call) -> dict:
    kind = body_text(call, "event_type", WEBHOOK_EVENT_TYPES, required=True)
    call.world.webhooks.pop(kind or "", None)  # succeeds even when none is set
    return {}


ENDPOINTS = [
    Endpoint("GET", "/logistics/202309/warehouses", warehouses),
    Endpoint("GET", "/logistics/202309/warehouses/<warehouse_id>/delivery_options",
             delivery_options),
    Endpoint("GET", "/logistics/202309/delivery_options/<delivery_option_id>/shipping_providers",
             shipping_providers),
    Endpoint("GET", "/event/202309/webhooks", get_webhooks),
    Endpoint("PUT", "/event/202309/webhooks", update_webhook),
    Endpoint("DELETE", "/event/202309/webhooks", delete_webhook),
]
