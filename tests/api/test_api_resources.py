"""Every resource call hits its path with the right method, cipher rule, query and body."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from api_fakes import answer, body_of, query_of, signature_is_valid

from tiktok_desktop.api import ItemError, Page, ShopApi, iter_pages
from tiktok_desktop.api.errors import NotFoundError, ServerError

CIPHER = "ROW_shop-cipher"
COMMON = {"app_key", "timestamp", "sign", "shop_cipher"}


@dataclass
class Call:
    name: str
    run: Callable[[ShopApi], Any]
    method: str
    path: str
    query: dict[str, str]
    body: object
    data: dict[str, Any]
    check: Callable[[Any], bool]


ERRORS = {"errors": [{"code": 12019024, "message": "stock count is invalid",
                      "detail": {"sku_id": "77", "extra_errors": [{"warehouse_id": "9"}]}}]}

CALLS = [
    Call("orders.search_page",
         lambda s: s.orders.search_page({"update_time_ge": 5}, page_size=100, page_token="a+b/c",
                                        sort_field="update_time", sort_order="ASC"),
         "POST", "/order/202309/orders/search",
         {"page_size": "100", "page_token": "a+b/c", "sort_field": "update_time",
          "sort_order": "ASC"},
         {"update_time_ge": 5},
         {"orders": [{"id": "1"}], "next_page_token": "n", "total_count": 7},
         lambda p: p.items == [{"id": "1"}] and p.next_page_token == "n" and p.total_count == 7),
    Call("orders.price_detail", lambda s: s.orders.price_detail("576"),
         "GET", "/order/202407/orders/576/price_detail", {}, None,
         {"currency": "USD", "total": "10.00"}, lambda r: r["total"] == "10.00"),
    Call("products.search_page", lambda s: s.products.search_page({"status": "ACTIVATE"}),
         "POST", "/product/202309/products/search", {"page_size": "100"}, {"status": "ACTIVATE"},
         {"products": [{"id": "p"}], "next_page_token": "", "total_count": 1},
         lambda p: p.is_last and p.items[0]["id"] == "p"),
    Call("products.get", lambda s: s.products.get("1729"),
         "GET", "/product/202309/products/1729", {}, None, {"id": "1729", "title": "Mug"},
         lambda r: r["title"] == "Mug"),
    Call("products.update_price",
         lambda s: s.products.update_price(
             "1729", [{"id": "8", "price": {"amount": "9.99", "currency": "USD"}}]),
         "POST", "/product/202309/products/1729/prices/update", {},
         {"skus": [{"id": "8", "price": {"amount": "9.99", "currency": "USD"}}]}, {},
         lambda r: r == [] and r.request_id is not None),
    Call("products.activate", lambda s: s.products.activate(["1", "2"]),
         "POST", "/product/202309/products/activate", {}, {"product_ids": ["1", "2"]},
         {"errors": []}, lambda r: r == []),
    Call("products.deactivate", lambda s: s.products.deactivate(["1"]),
         "POST", "/product/202309/products/deactivate", {}, {"product_ids": ["1"]},
         {"errors": [{"code": 1, "message": "no", "detail": {"product_id": "1"}}]},
         lambda r: r == [ItemError(1, "no", "1", {"product_id": "1"})]),
    Call("products.update_inventory",
         lambda s: s.products.update_inventory(
             "1729", [{"id": "77", "inventory": [{"warehouse_id": "9", "quantity": 0}]}]),
         "POST", "/product/202309/products/1729/inventory/update", {},
         {"skus": [{"id": "77", "inventory": [{"warehouse_id": "9", "quantity": 0}]}]}, ERRORS,
         lambda r: r[0].item_id == "77" and r[0].extra_errors == [{"warehouse_id": "9"}]
         and "stock" in r[0].message and r[0].plain),
    Call("products.inventory_search", lambda s: s.products.inventory_search(sku_ids=["77"]),
         "POST", "/product/202309/inventory/search", {}, {"sku_ids": ["77"]},
         {"inventory": [{"product_id": "1", "skus": []}]}, lambda r: r[0]["product_id"] == "1"),
    Call("products.categories", lambda s: s.products.categories(keyword="mug"),
         "GET", "/product/202309/categories", {"keyword": "mug"}, None,
         {"categories": [{"id": "5", "is_leaf": True}]}, lambda r: r[0]["id"] == "5"),
    Call("products.brands_page",
         lambda s: s.products.brands_page(page_size=20, category_id="", is_authorized=True),
         "GET", "/product/202309/brands",
         {"page_size": "20", "category_id": "", "is_authorized": "1"}, None,
         {"brands": [{"id": "b"}], "next_page_token": "", "total_count": 1},
         lambda p: p.items == [{"id": "b"}]),
    Call("products.attributes", lambda s: s.products.attributes("600001"),
         "GET", "/product/202309/categories/600001/attributes", {}, None,
         {"attributes": [{"id": "a"}]}, lambda r: r == [{"id": "a"}]),
    Call("fulfillment.search_packages_page",
         lambda s: s.fulfillment.search_packages_page({"package_status": "PROCESSING"}),
         "POST", "/fulfillment/202309/packages/search", {"page_size": "50"},
         {"package_status": "PROCESSING"},
         {"packages": [{"id": "k"}], "next_page_token": "", "total_count": 1},
         lambda p: p.items == [{"id": "k"}]),
    Call("fulfillment.package", lambda s: s.fulfillment.package("115"),
         "GET", "/fulfillment/202309/packages/115", {}, None, {"package_id": "115"},
         lambda r: r["package_id"] == "115"),
    Call("fulfillment.handover_time_slots", lambda s: s.fulfillment.handover_time_slots("115"),
         "GET", "/fulfillment/202309/packages/115/handover_time_slots", {}, None,
         {"can_pickup": True, "pickup_slots": []}, lambda r: r["can_pickup"]),
    Call("fulfillment.ship_package",
         lambda s: s.fulfillment.ship_package(
             "115", pickup_slot={"start_time": 1, "end_time": 2}),
         "POST", "/fulfillment/202309/packages/115/ship", {},
         {"handover_method": "PICKUP", "pickup_slot": {"start_time": 1, "end_time": 2}}, {},
         lambda r: r is None),
    Call("fulfillment.ship_packages",
         lambda s: s.fulfillment.ship_packages([{"id": "115", "handover_method": "DROP_OFF"}]),
         "POST", "/fulfillment/202309/packages/ship", {},
         {"packages": [{"id": "115", "handover_method": "DROP_OFF"}]},
         {"errors": [{"code": 2, "message": "x", "detail": {"package_id": "115"}}]},
         lambda r: r[0].item_id == "115"),
    Call("fulfillment.shipping_document", lambda s: s.fulfillment.shipping_document("115"),
         "GET", "/fulfillment/202309/packages/115/shipping_documents",
         {"document_type": "SHIPPING_LABEL", "document_size": "A6"}, None,
         {"doc_url": "https://files.test/l.pdf", "tracking_number": "T1"},
         lambda r: r["tracking_number"] == "T1"),
    Call("fulfillment.update_shipping_info",
         lambda s: s.fulfillment.update_shipping_info(
             "115", tracking_number="T2", shipping_provider_id="6"),
         "POST", "/fulfillment/202309/packages/115/shipping_info/update", {},
         {"tracking_number": "T2", "shipping_provider_id": "6"}, {}, lambda r: r is None),
    Call("fulfillment.mark_package_shipped",
         lambda s: s.fulfillment.mark_package_shipped(
             "576", order_line_item_ids=["1"], tracking_number="T3", shipping_provider_id="6"),
         "POST", "/fulfillment/202309/orders/576/packages", {},
         {"order_line_item_ids": ["1"], "tracking_number": "T3", "shipping_provider_id": "6"},
         {"package_id": "999"}, lambda r: r["package_id"] == "999"),
    Call("logistics.warehouses", lambda s: s.logistics.warehouses(),
         "GET", "/logistics/202309/warehouses", {}, None, {"warehouses": [{"id": "9"}]},
         lambda r: r == [{"id": "9"}]),
    Call("logistics.delivery_options", lambda s: s.logistics.delivery_options("9"),
         "GET", "/logistics/202309/warehouses/9/delivery_options", {}, None,
         {"delivery_options": [{"id": "d"}]}, lambda r: r == [{"id": "d"}]),
    Call("logistics.shipping_providers", lambda s: s.logistics.shipping_providers("4"),
         "GET", "/logistics/202309/delivery_options/4/shipping_providers", {}, None,
         {"shipping_providers": [{"id": "6"}]}, lambda r: r == [{"id": "6"}]),
    Call("returns.search_returns_page",
         lambda s: s.returns.search_returns_page({"order_ids": ["576"]}, sort_field="update_time"),
         "POST", "/return_refund/202309/returns/search",
         {"page_size": "50", "sort_field": "update_time"}, {"order_ids": ["576"]},
         {"return_orders": [{"return_id": "r"}], "next_page_token": "", "total_count": 1},
         lambda p: p.items == [{"return_id": "r"}]),
    Call("returns.search_cancellations_page", lambda s: s.returns.search_cancellations_page(),
         "POST", "/return_refund/202309/cancellations/search", {"page_size": "50"}, None,
         {"cancellations": [{"cancel_id": "c"}], "next_page_token": ""},
         lambda p: p.items == [{"cancel_id": "c"}] and p.total_count is None),
    Call("returns.approve_return",
         lambda s: s.returns.approve_return("403", decision="APPROVE_REFUND",
                                            idempotency_key="k1"),
         "POST", "/return_refund/202309/returns/403/approve", {"idempotency_key": "k1"},
         {"decision": "APPROVE_REFUND"}, {}, lambda r: r is None),
    Call("returns.reject_return",
         lambda s: s.returns.reject_return("403", decision="REJECT_REFUND",
                                           reject_reason="reverse_reject_request_reason_1",
                                           idempotency_key="k2"),
         "POST", "/return_refund/202309/returns/403/reject", {"idempotency_key": "k2"},
         {"decision": "REJECT_REFUND", "reject_reason": "reverse_reject_request_reason_1"}, {},
         lambda r: r is None),
    Call("returns.approve_cancellation",
         lambda s: s.returns.approve_cancellation("403", idempotency_key="k3"),
         "POST", "/return_refund/202309/cancellations/403/approve", {"idempotency_key": "k3"},
         None, {}, lambda r: r is None),
    Call("returns.reject_cancellation",
         lambda s: s.returns.reject_cancellation("403", reject_reason="r", comment="sent",
                                                 idempotency_key="k4"),
         "POST", "/return_refund/202309/cancellations/403/reject", {"idempotency_key": "k4"},
         {"reject_reason": "r", "comment": "sent"}, {}, lambda r: r is None),
    Call("returns.reject_reasons", lambda s: s.returns.reject_reasons("403"),
         "GET", "/return_refund/202309/reject_reasons", {"return_or_cancel_id": "403"}, None,
         {"reasons": [{"name": "r", "text": "Reason"}]}, lambda r: r[0]["name"] == "r"),
    Call("finance.statements_page",
         lambda s: s.finance.statements_page(statement_time_ge=100, payment_status="PAID"),
         "GET", "/finance/202309/statements",
         {"sort_field": "statement_time", "page_size": "100", "statement_time_ge": "100",
          "payment_status": "PAID"}, None,
         {"statements": [{"id": "s"}], "next_page_token": "n"},
         lambda p: p.items == [{"id": "s"}] and p.next_page_token == "n"),
    Call("finance.payments_page", lambda s: s.finance.payments_page(create_time_lt=5),
         "GET", "/finance/202309/payments",
         {"sort_field": "create_time", "page_size": "100", "create_time_lt": "5"}, None,
         {"payments": [{"id": "y"}]}, lambda p: p.items == [{"id": "y"}]),
    Call("finance.statement_transactions_page",
         lambda s: s.finance.statement_transactions_page("88"),
         "GET", "/finance/202309/statements/88/statement_transactions",
         {"sort_field": "order_create_time", "page_size": "100"}, None,
         {"statement_transactions": [{"id": "t"}], "total_count": 1, "revenue_amount": "5"},
         lambda p: p.items == [{"id": "t"}] and p.data["revenue_amount"] == "5"),
    Call("webhooks.list", lambda s: s.webhooks.list(),
         "GET", "/event/202309/webhooks", {}, None,
         {"webhooks": [{"event_type": "ORDER_STATUS_CHANGE"}], "total_count": 1},
         lambda r: r[0]["event_type"] == "ORDER_STATUS_CHANGE"),
    Call("webhooks.update", lambda s: s.webhooks.update("PACKAGE_UPDATE", "https://h.test/w"),
         "PUT", "/event/202309/webhooks", {},
         {"event_type": "PACKAGE_UPDATE", "address": "https://h.test/w"}, {}, lambda r: r is None),
    Call("webhooks.delete", lambda s: s.webhooks.delete("PACKAGE_UPDATE"),
         "DELETE", "/event/202309/webhooks", {}, {"event_type": "PACKAGE_UPDATE"}, {},
         lambda r: r is None),
]


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_shop_call(make_client, call: Call) -> None:
    client, fake = make_client(lambda r: answer(call.data))
    result = call.run(client.shop(CIPHER))
    request = fake.requests[0]
    query = query_of(request)
    assert (request.method, request.url.path) == (call.method, call.path)
    assert query["shop_cipher"] == CIPHER
    assert {k: v for k, v in query.items() if k not in COMMON} == call.query
    assert body_of(request) == call.body
    assert signature_is_valid(request)
    assert call.check(result)


@pytest.mark.parametrize(
    ("run", "path", "data", "expected"),
    [
        (lambda api: api.authorized_shops(), "/authorization/202309/shops",
         {"shops": [{"cipher": "GCP_x", "id": "1"}]}, [{"cipher": "GCP_x", "id": "1"}]),
        (lambda api: api.seller.active_shops(), "/seller/202309/shops",
         {"shops": [{"id": "1", "region": "US"}]}, [{"id": "1", "region": "US"}]),
        (lambda api: api.seller.permissions(), "/seller/202309/permissions",
         {"permissions": []}, []),
    ],
)
def test_app_level_calls_never_send_a_shop_cipher(make_client, run, path, data, expected):
    client, fake = make_client(lambda r: answer(data))
    assert run(client) == expected
    assert fake.requests[0].url.path == path
    assert "shop_cipher" not in query_of(fake.requests[0])


def test_order_detail_asks_for_at_most_50_ids_per_call(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        ids = query_of(request)["ids"].split(",")
        return answer({"orders": [{"id": i} for i in ids]})

    client, fake = make_client(handler)
    ids = [str(10**17 + n) for n in range(120)]
    orders = client.shop(CIPHER).orders.get(ids + ids[:3])  # duplicates are asked for once
    assert [o["id"] for o in orders] == ids
    assert [len(query_of(r)["ids"].split(",")) for r in fake.requests] == [50, 50, 20]
    assert all(r.method == "GET" and r.url.path == "/order/202309/orders" for r in fake.requests)


def test_status_changes_go_20_products_per_call_and_collect_errors(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        first = body_of(request)["product_ids"][0]
        return answer({"errors": [{"code": 5, "message": "m", "detail": {"product_id": first}}]})

    client, fake = make_client(handler)
    errors = client.shop(CIPHER).products.activate([str(n) for n in range(45)])
    assert [len(body_of(r)["product_ids"]) for r in fake.requests] == [20, 20, 5]
    assert [e.item_id for e in errors] == ["0", "20", "40"]


def test_update_inventory_gives_the_request_id_and_retries_only_when_safe(make_client) -> None:
    stock = [{"id": "77", "inventory": [{"warehouse_id": "9", "quantity": 3}]}]
    client, _ = make_client(lambda r: answer(ERRORS))
    errors = client.shop(CIPHER).products.update_inventory("1729", stock)
    assert [e.item_id for e in errors] == ["77"] and errors.request_id == "REQ123"
    client, _ = make_client(lambda r: answer({}))
    errors = client.shop(CIPHER).products.update_inventory("1729", stock)
    assert errors == [] and errors.request_id == "REQ123"

    def failing_once() -> Callable[[httpx.Request], httpx.Response]:
        answers = iter([answer(code=36009003, message="Internal error.", status=500)])
        return lambda r: next(answers, answer({}))

    client, fake = make_client(failing_once())
    assert client.shop(CIPHER).products.update_inventory("1729", stock) == []
    assert len(fake.requests) == 2  # absolute numbers: safe to send again by default
    client, fake = make_client(failing_once())
    with pytest.raises(ServerError):
        client.shop(CIPHER).products.update_inventory("1729", stock, retry_safe=False)
    assert len(fake.requests) == 1


def test_inventory_search_takes_product_ids_or_sku_ids() -> None:
    shop = ShopApi(None, CIPHER)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        shop.products.inventory_search()
    with pytest.raises(ValueError):
        shop.products.inventory_search(product_ids=["1"], sku_ids=["2"])


def test_order_pages_follow_the_tokens_to_the_last_page(make_client) -> None:
    tokens = {None: "p2/+", "p2/+": "p3", "p3": ""}

    def handler(request: httpx.Request) -> httpx.Response:
        token = query_of(request).get("page_token")
        return answer({"orders": [{"id": str(token)}], "next_page_token": tokens[token],
                       "total_count": 3})

    client, _ = make_client(handler)
    pages = list(client.shop(CIPHER).orders.iter_pages({"update_time_ge": 1}))
    assert [p.items[0]["id"] for p in pages] == ["None", "p2/+", "p3"]
    assert pages[-1].is_last


def test_iter_pages_stops_on_a_repeated_token() -> None:
    def fetch(token: str | None) -> Page[int]:
        return Page([1], next_page_token="same")

    with pytest.raises(Exception, match="same page token"):
        list(iter_pages(fetch))


def test_download_document_is_a_plain_get_without_token_or_signature(make_client) -> None:
    pdf = b"%PDF-1.4 label"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=pdf, headers={"content-type": "application/pdf"})

    client, fake = make_client(handler)
    url = "https://files.test/label/115.pdf?expires=99&token=abc"
    assert client.shop(CIPHER).fulfillment.download_document(url) == pdf
    request = fake.requests[0]
    assert str(request.url) == url
    assert "x-tts-access-token" not in request.headers and "sign" not in query_of(request)


def test_download_of_an_expired_link_says_so(make_client) -> None:
    client, _ = make_client(lambda r: httpx.Response(404, text="gone"))
    with pytest.raises(NotFoundError) as caught:
        client.download("https://files.test/label/115.pdf")
    assert "expired" in caught.value.plain
