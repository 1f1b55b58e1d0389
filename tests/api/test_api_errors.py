"""Each envelope maps to its typed error, decided by `code` (and message), not HTTP status."""

from __future__ import annotations

import httpx
import pytest
from api_fakes import answer

from tiktok_desktop.api import RetryPolicy
from tiktok_desktop.api.errors import (
    ApiError,
    InvalidParameterError,
    InvalidTokenError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ScopeMissingError,
    ServerError,
    ShopCipherError,
    SignatureError,
    TokenExpiredError,
    error_for,
)

CASES = [
    (401, 105002, "access token is expired, please refresh it", TokenExpiredError),
    (401, 36009004, "Invalid credentials. The `x-tts-access-token` header is invalid.",
     InvalidTokenError),
    (401, 101000, "Invalid query or header. The `x-tts-access-token` header is invalid.",
     InvalidTokenError),
    (403, 105005, "you should apply auth pkg for this api", ScopeMissingError),
    (401, 106001, "Invalid credentials. The `sign` query parameter is invalid.", SignatureError),
    (400, 36009004, "Invalid credentials. Invalid 'app_key' query parameter. For more details",
     SignatureError),
    (400, 36009004, "Invalid credentials. Invalid 'app_secret' query parameter.",
     SignatureError),
    (400, 36009004, "Missing credentials. The request does not include a required signature "
     "in the query.", SignatureError),
    (400, 106013, "Missing identifier. The `shop_cipher` query parameter is required to "
     "identify the target shop.", ShopCipherError),
    (400, 36009004, "Unexpected identifier. The `shop_cipher` query parameter is not required "
     "for this request.", ShopCipherError),
    (429, 36009002, "Too many requests.", RateLimitedError),
    (404, 36009009, "Invalid path.", NotFoundError),
    (200, 12019150, "product id does not exist", NotFoundError),
    (200, 21008111, "The order or package does not belong to the current seller.",
     NotFoundError),
    (400, 36009004, "invalid param error", InvalidParameterError),
    (400, 36009004, "Invalid timestamp. The value of the `timestamp` query parameter must not "
     "be earlier than 5 minutes before the current time.", InvalidParameterError),
    (400, 98001004, "Parameter page_size is invalid.", InvalidParameterError),
    (200, 12019024, "stock count is invalid", InvalidParameterError),
    (200, 12019113, "product status is invalid", InvalidParameterError),
    (500, 36009003, "Internal error. Please try again.", ServerError),
    (504, 36009007, "Request timeout.", ServerError),
    (502, 77777777, "something new", ServerError),
    (400, 77777777, "something new", ApiError),
]


@pytest.mark.parametrize(("status", "code", "message", "expected"), CASES)
def test_envelope_maps_to_typed_error(make_client, status, code, message, expected) -> None:
    client, _ = make_client(
        lambda r: answer(code=code, message=message, status=status),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(ApiError) as caught:
        client.request("POST", "/product/202309/products/1/prices/update", body={"skus": []},
                       shop_cipher="c")
    error = caught.value
    assert type(error) is expected
    assert (error.code, error.message, error.request_id) == (code, message, "REQ123")
    assert error.http_status == status
    assert error.plain.endswith(".") and len(error.plain) < 160


def test_success_is_decided_by_code_not_http_status(make_client) -> None:
    client, _ = make_client(lambda r: answer({"x": 1}, status=500))
    assert client.request("GET", "/seller/202309/shops") == {"x": 1}


def test_http_200_with_an_error_code_raises(make_client) -> None:
    client, _ = make_client(lambda r: answer(code=105005, message="you should apply auth pkg"))
    with pytest.raises(ScopeMissingError):
        client.request("GET", "/seller/202309/shops")


def test_missing_or_null_data_is_an_empty_dict(make_client) -> None:
    client, _ = make_client(lambda r: httpx.Response(200, json={"code": 0, "message": "ok"}))
    assert client.request("GET", "/seller/202309/shops") == {}


def test_rate_limited_carries_retry_after(make_client) -> None:
    client, _ = make_client(
        lambda r: answer(code=36009002, message="Too many", status=429,
                         headers={"Retry-After": "3"}),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(RateLimitedError) as caught:
        client.request("GET", "/seller/202309/shops")
    assert caught.value.retry_after == 3.0


@pytest.mark.parametrize(
    ("status", "expected"),
    [(429, RateLimitedError), (503, ServerError), (404, NotFoundError), (200, ServerError)],
)
def test_answers_without_an_envelope(make_client, status, expected) -> None:
    client, _ = make_client(
        lambda r: httpx.Response(status, text="<html>busy</html>"),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(expected) as caught:
        client.request("GET", "/seller/202309/shops")
    assert caught.value.http_status == status


@pytest.mark.parametrize(
    ("failure", "timed_out"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), False),
        (httpx.ReadError("connection reset"), False),
        (httpx.ReadTimeout("timed out"), True),
        (httpx.ConnectTimeout("timed out"), True),
    ],
)
def test_transport_failures_are_network_errors(make_client, failure, timed_out) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    client, _ = make_client(handler, retry=RetryPolicy(max_attempts=1))
    with pytest.raises(NetworkError) as caught:
        client.request("GET", "/seller/202309/shops")
    assert caught.value.timed_out is timed_out
    assert caught.value.__context__ is None


def test_error_for_keeps_an_unknown_code_generic() -> None:
    error = error_for(12345, "odd", "R1", 418)
    assert type(error) is ApiError and "12345" in str(error) and "R1" in str(error)


@pytest.mark.parametrize("error", [
    error_for(105002, "access token is expired", "req-1", 401),
    error_for(36009003, "too many requests", "req-2", 429, retry_after=1.5),
    error_for(36009004, "shop_cipher is invalid", "req-3", 200),
    NetworkError("timed out", timed_out=True),
])
def test_an_error_pickles_as_itself(error) -> None:
    """The sync's own process sends its errors back pickled: class, plain words and fields."""
    import pickle

    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert back.__dict__ == error.__dict__ and back.args == error.args
    assert back.plain == error.plain and str(back) == str(error)
