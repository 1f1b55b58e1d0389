"""Rate limiting per endpoint, injected faults, idempotent retries and the request counters."""

from __future__ import annotations

import httpx
import pytest

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.sandbox.limits import endpoint_key

SHOPS = "/seller/202309/shops"


@pytest.fixture
def limited_shop():
    with DemoShop(DemoShopConfig(orders=50, products=5, rate_limit=5)) as running:
        yield running


def test_a_burst_is_throttled_with_429(limited_shop, new_client) -> None:
    client = new_client(limited_shop)
    answers = [client.send("GET", SHOPS, cipher=False) for _ in range(20)]
    throttled = [a for a in answers if a.status_code == 429]
    assert throttled and len(throttled) < 20
    assert all(a.json()["code"] == 36009002 and a.json()["data"] is None for a in throttled)
    assert throttled[0].headers["retry-after"] == "1"
    # Another endpoint has its own bucket.
    assert client.send("GET", "/seller/202309/permissions", cipher=False).status_code == 200
    stats = limited_shop.stats
    assert stats["throttled"] == len(throttled)
    assert stats["endpoints"]["GET /seller/202309/shops"]["throttled"] == len(throttled)


def test_ids_in_a_path_share_one_bucket() -> None:
    assert endpoint_key("POST", "/product/202309/products/123/inventory/update") == \
        endpoint_key("POST", "/product/202309/products/456/inventory/update")
    assert endpoint_key("GET", "/order/202309/orders") == "GET /order/202309/orders"


def test_limits_can_change_while_running(limited_shop, new_client) -> None:
    client = new_client(limited_shop)
    limited_shop.configure(rate_limit=0)  # no limit
    assert all(client.send("GET", SHOPS, cipher=False).status_code == 200 for _ in range(20))


def test_error_and_throttle_faults_strike_before_the_request_acts(client) -> None:
    shop, world = client.shop, client.shop.world
    package = next(p for p in world.packages if p.status == "PROCESSING" and not p.shipped_time
                   and p.shipping_type == "TIKTOK")
    shop.configure(fault_rate=1.0, fault_kinds=("error",))
    status, answer = client.fails("POST", f"/fulfillment/202309/packages/{package.id}/ship",
                                  body={"handover_method": "DROP_OFF"})
    assert (status, answer["code"]) == (500, 36009003)
    shop.configure(fault_kinds=("throttle",))
    status, answer = client.fails("POST", f"/fulfillment/202309/packages/{package.id}/ship",
                                  body={"handover_method": "DROP_OFF"})
    assert (status, answer["code"]) == (429, 36009002)
    assert not package.shipped_time
    assert shop.stats["fault_kinds"] == {"error": 1, "throttle": 1}


def test_a_timeout_holds_the_answer_back(client) -> None:
    client.shop.configure(fault_rate=1.0, fault_kinds=("timeout",), fault_timeout_s=0.1)
    with pytest.raises(httpx.ReadTimeout):
        client.send("GET", SHOPS, cipher=False, timeout=0.05)
    # A patient client gets the late answer: the real one, or 504 + 36009007 when the
    # request timed out before it acted.
    statuses = {client.send("GET", SHOPS, cipher=False).status_code for _ in range(6)}
    assert statuses == {200, 504}


def test_dropped_connections_lose_the_answer_sometimes_after_the_change(client) -> None:
    world = client.shop.world
    packages = [p for p in world.packages if p.status == "PROCESSING" and not p.shipped_time
                and p.shipping_type == "TIKTOK"
                and world.orders.rows[p.order_id].status == "AWAITING_SHIPMENT"][:12]
    client.shop.configure(fault_rate=1.0, fault_kinds=("drop",))
    for package in packages:
        with pytest.raises(httpx.TransportError):
            client.send("POST", f"/fulfillment/202309/packages/{package.id}/ship",
                        body={"handover_method": "DROP_OFF"})
    shipped = [p for p in packages if p.shipped_time]
    assert 0 < len(shipped) < len(packages)  # about half took effect before the drop
    assert client.shop.stats["fault_kinds"] == {"drop": len(packages)}


def test_a_repeated_idempotency_key_gets_the_first_answer(client) -> None:
    world = client.shop.world
    request = next(c for c in world.cancellations if c.status == "CANCELLATION_REQUEST_PENDING")
    path = f"/return_refund/202309/cancellations/{request.id}/approve"
    client.shop.configure(fault_rate=1.0, fault_kinds=("drop",))
    tries = 0
    while request.status == "CANCELLATION_REQUEST_PENDING":
        tries += 1
        with pytest.raises(httpx.TransportError):
            client.send("POST", path, query={"idempotency_key": f"k{tries}"})
    # The answer to try `tries` was lost after the order was cancelled; the retry with the
    # same key succeeds instead of failing as "already cancelled".
    client.shop.configure(fault_rate=0.0)
    assert client.send("POST", path, query={"idempotency_key": f"k{tries}"}).json()["code"] == 0
    assert client.send("POST", path, query={"idempotency_key": "fresh"}).json()["code"] != 0


def test_latency_can_be_set_while_running(client) -> None:
    client.shop.configure(latency_ms=1)
    assert client.ok("GET", SHOPS, cipher=False)["shops"]
