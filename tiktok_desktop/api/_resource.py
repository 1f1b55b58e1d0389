"""What every resource group shares: the client it calls through and small request helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeVar

from tiktok_desktop.api.paging import Page
from tiktok_desktop.api.transport import Answer

T = TypeVar("T")


class Requester(Protocol):
    """The part of ApiClient the resource groups use (kept apart to avoid an import cycle)."""

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        shop_cipher: str | None = None,
        retry_safe: bool | None = None,
    ) -> dict[str, Any]: ...

    def request_with_meta(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        shop_cipher: str | None = None,
        retry_safe: bool | None = None,
    ) -> Answer: ...

    def download(self, url: str) -> bytes: ...


class ShopResource:
    """A resource group bound to one shop: every call carries the shop's cipher."""

    def __init__(self, api: Requester, shop_cipher: str) -> None:
        self._api = api
        self.shop_cipher = shop_cipher

    def _call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        retry_safe: bool | None = None,
    ) -> dict[str, Any]:
        return self._api.request(
            method, path, query=query, body=body, shop_cipher=self.shop_cipher,
            retry_safe=retry_safe,
        )

    def _search_page(
        self, path: str, items_key: str, filters: object, **query: object
    ) -> Page[Any]:
        """One page of a POST …/search: paging and sorting in the query, filters in the body.
        A search only reads, so it is always safe to send again."""
        data = self._call("POST", path, query=present(**query), body=filters, retry_safe=True)
        return Page.from_data(data, items_key)

    def _call_with_meta(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object = None,
        retry_safe: bool | None = None,
    ) -> Answer:
        return self._api.request_with_meta(
            method, path, query=query, body=body, shop_cipher=self.shop_cipher,
            retry_safe=retry_safe,
        )


def present(**fields: object) -> dict[str, object]:
    """The fields that were given (None means "not given"; "" and 0 are values)."""
    return {key: value for key, value in fields.items() if value is not None}


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
