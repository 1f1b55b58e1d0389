"""The gateway's checks, in order: app_key, sign, timestamp, signature, token, scope, cipher."""

from __future__ import annotations

import time

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig

SHOPS = "/authorization/202309/shops"
SEARCH = "/order/202309/orders/search"


def test_a_signed_request_is_answered_in_the_envelope(client) -> None:
    answer = client.send("GET", SHOPS, cipher=False)
    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == 0 and body["message"] == "Success" and len(body["request_id"]) == 34
    assert body["data"]["shops"][0]["cipher"] == client.shop.world.shop.cipher


def test_a_wrong_signature_is_refused(client) -> None:
    status, answer = client.fails("GET", SHOPS, cipher=False, secret="not-the-secret")
    assert (status, answer["code"]) == (401, 106001)


def test_the_body_is_signed(client) -> None:
    status, answer = client.fails("POST", SEARCH, query={"page_size": "1"}, signed_body=b"{}",
                                  body={"order_status": "UNPAID"})
    assert (status, answer["code"]) == (401, 106001)
    assert client.send("POST", SEARCH, query={"page_size": "1"},
                       body={"order_status": "UNPAID"}).json()["code"] == 0


def test_a_page_token_with_plus_and_slash_works_when_percent_encoded(client) -> None:
    first = client.ok("POST", SEARCH, query={"page_size": "5"}, body={})
    token = first["next_page_token"]
    assert "+" in token and "/" in token
    second = client.ok("POST", SEARCH, query={"page_size": "5", "page_token": token}, body={})
    assert {o["id"] for o in second["orders"]}.isdisjoint(o["id"] for o in first["orders"])


def test_a_page_token_sent_raw_fails_the_signature(client, signer) -> None:
    """'+' in a query string reads as a space: the client must percent-encode tokens."""
    token = client.ok("POST", SEARCH, query={"page_size": "5"}, body={})["next_page_token"]
    params = {"app_key": client.shop.app_key, "timestamp": str(int(time.time())),
              "shop_cipher": client.shop.world.shop.cipher, "page_size": "5",
              "page_token": token}
    params["sign"] = signer(client.shop.app_secret, SEARCH, params, b"{}")
    raw_query = "&".join(f"{k}={v}" for k, v in params.items())  # not encoded
    answer = client.http.post(f"{SEARCH}?{raw_query}", content=b"{}", headers={
        "x-tts-access-token": client.access_token, "content-type": "application/json"})
    assert answer.json()["code"] == 106001


def test_unknown_app_key(client) -> None:
    answer = client.http.get(SHOPS, params={"app_key": "nope", "timestamp": "1", "sign": "x"})
    assert (answer.status_code, answer.json()["code"]) == (400, 36009004)
    assert "app_key" in answer.json()["message"]


def test_missing_sign(client) -> None:
    _, answer = client.fails("GET", SHOPS, cipher=False, drop=("sign",))
    assert answer["code"] == 36009004 and "signature" in answer["message"]


def test_timestamp_window(client) -> None:
    now = int(time.time())
    assert client.send("GET", SHOPS, cipher=False, timestamp=now - 240).json()["code"] == 0
    assert client.send("GET", SHOPS, cipher=False, timestamp=now + 20).json()["code"] == 0
    _, old = client.fails("GET", SHOPS, cipher=False, timestamp=now - 330)
    assert old["code"] == 36009004 and "5 minutes" in old["message"]
    _, ahead = client.fails("GET", SHOPS, cipher=False, timestamp=now + 90)
    assert ahead["code"] == 36009004 and "30 seconds" in ahead["message"]
    _, missing = client.fails("GET", SHOPS, cipher=False, drop=("timestamp",))
    assert missing["code"] == 36009004


def test_invalid_and_expired_access_tokens(client) -> None:
    status, answer = client.fails("GET", SHOPS, cipher=False, token="TTP_made_up")
    assert (status, answer["code"]) == (401, 36009004)
    assert "x-tts-access-token" in answer["message"]
    client.shop.world.advance_clock(7 * 86400 + 1)
    status, answer = client.fails("GET", SHOPS, cipher=False)
    assert (status, answer["code"]) == (401, 105002)


def test_a_missing_scope_is_refused(client) -> None:
    client.shop.world.revoke_scope("seller.finance.info")
    _, answer = client.fails("GET", "/finance/202309/statements",
                             query={"sort_field": "statement_time"})
    assert answer["code"] == 105005 and "apply auth pkg" in answer["message"]
    client.shop.world.grant_scope("seller.finance.info")
    client.ok("GET", "/finance/202309/statements", query={"sort_field": "statement_time"})


def test_shop_cipher_rules(client) -> None:
    _, missing = client.fails("POST", SEARCH, query={"page_size": "1"}, body={}, cipher=False)
    assert missing["code"] == 106013
    _, unexpected = client.fails("GET", SHOPS, query={"shop_cipher": "ROW_x"}, cipher=False)
    assert unexpected["code"] == 36009004 and "Unexpected identifier" in unexpected["message"]
    _, other = client.fails("POST", SEARCH, cipher=False,
                            query={"page_size": "1", "shop_cipher": "ROW_someone_else"}, body={})
    assert other["code"] == 101000


def test_unknown_path_and_wrong_method(client) -> None:
    status, answer = client.fails("GET", "/order/202309/nothing_here")
    assert (status, answer["code"]) == (404, 36009009)
    status, answer = client.fails("GET", SEARCH)
    assert (status, answer["code"]) == (405, 36009010)


def test_a_body_that_is_not_json(client) -> None:
    _, answer = client.fails("POST", SEARCH, query={"page_size": "1"}, raw_body=b"{nope")
    assert answer["code"] == 36009022


def test_page_size_ranges(client) -> None:
    for size in ("0", "101", "x"):
        _, answer = client.fails("POST", SEARCH, query={"page_size": size}, body={})
        assert answer["code"] == 36009004 and "page_size" in answer["message"]
    _, answer = client.fails("POST", SEARCH, body={})
    assert "page_size is required" in answer["message"]
    _, answer = client.fails("POST", "/fulfillment/202309/packages/search",
                             query={"page_size": "51"}, body={})
    assert "between 1 and 50" in answer["message"]


def test_errors_carry_no_secret(client) -> None:
    answer = client.http.get("/api/v2/token/get", params={
        "app_key": client.shop.app_key, "app_secret": client.shop.app_secret,
        "auth_code": "TTP_wrong", "grant_type": "authorized_code"})
    assert answer.json()["code"] == 36004004
    assert client.shop.app_secret not in answer.text
    assert client.shop.app_secret not in repr(client.shop)


def test_a_repeated_query_key_is_refused_not_read_as_its_first_value(client) -> None:
    """`ids=a&ids=b` signed over `ids=a` (a client that signs the first value) is refused with
    the reason; lists go comma-joined in one value, which is read whole."""
    found = client.ok("POST", SEARCH, query={"page_size": "2"}, body={})["orders"]
    ids = [o["id"] for o in found]
    first = client.send("GET", "/order/202309/orders", query={"ids": ids[0]})
    request = first.request
    repeated = client.http.request("GET", str(request.url) + f"&ids={ids[1]}",
                                   headers=dict(request.headers))
    answer = repeated.json()
    assert repeated.status_code == 400 and answer["code"] == 36009004
    assert "`ids`" in answer["message"] and "comma" in answer["message"]
    joined = client.ok("GET", "/order/202309/orders", query={"ids": ",".join(ids)})
    assert sorted(o["id"] for o in joined["orders"]) == sorted(ids)


def test_business_errors_as_200_keeps_the_code_and_the_gateways_statuses(new_client) -> None:
    with DemoShop(DemoShopConfig(seed=7, orders=20, products=4, rate_limit=0,
                                 business_errors_as_200=True)) as shop:
        client = new_client(shop)
        # The endpoint's own refusals: HTTP 200, the same code and message as the 4xx style.
        status, answer = client.fails("GET", "/product/202309/products/1729000000000000001")
        assert (status, answer["code"]) == (200, 12019150)
        status, answer = client.fails("GET", "/order/202309/orders",
                                      query={"ids": ",".join(["576460000000000001"] * 51)})
        assert (status, answer["code"]) == (200, 36009004)
        status, answer = client.fails("POST", "/order/202309/orders/search",
                                      query={"page_size": "101"}, body={})
        assert (status, answer["code"]) == (200, 36009004)
        # The gateway's refusals keep their statuses: a client sees those before any endpoint.
        status, answer = client.fails("GET", "/product/202309/products/1", secret="wrong")
        assert (status, answer["code"]) == (401, 106001)
        status, answer = client.fails("GET", "/product/202309/nothing/here")
        assert (status, answer["code"]) == (404, 36009009)


def test_an_empty_object_body_may_be_left_out_of_the_signature(client) -> None:
    # As TikTok's Node.js SDK signs a search with no filter: "{}" is sent, not signed.
    ok = client.send("POST", SEARCH, query={"page_size": "5"}, raw_body=b"{}", signed_body=b"")
    assert ok.json()["code"] == 0
    assert client.send("POST", SEARCH, query={"page_size": "5"}, body={}).json()["code"] == 0
    spoiled = client.send("POST", SEARCH, query={"page_size": "5"},
                          raw_body=b'{"order_status":"UNPAID"}', signed_body=b"")
    assert spoiled.json()["code"] == 106001
