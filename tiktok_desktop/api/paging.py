"""Cursor pages (reference §6) and per-item errors of batch endpoints (reference §5.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tiktok_desktop.api.errors import NO_ANSWER, ServerError, error_for

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, the token of the next page ("" on the last) and the total.

    `data` is the whole `data` object of the answer, for fields beside the list (e.g. the
    totals of a statement's transactions).
    """

    items: list[T]
    next_page_token: str = ""
    total_count: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_last(self) -> bool:
        return not self.next_page_token

    @classmethod
    def from_data(cls, data: Mapping[str, Any], key: str) -> Page[Any]:
        total = data.get("total_count")
        return cls(
            items=list(data.get(key) or []),
            next_page_token=str(data.get("next_page_token") or ""),
            total_count=int(total) if total is not None else None,
            data=data,
        )


def iter_pages(
    fetch_page: Callable[[str | None], Page[T]], page_token: str | None = None
) -> Iterator[Page[T]]:
    """Every page from `page_token` (None: the first) to the last, fetched one at a time."""
    seen: set[str] = set()
    while True:
        page = fetch_page(page_token)
        yield page
        if page.is_last:
            return
        if page.next_page_token in seen:
            # A server that hands out a token twice would otherwise keep us paging forever.
            raise ServerError(NO_ANSWER, "TikTok Shop returned the same page token twice.")
        seen.add(page.next_page_token)
        page_token = page.next_page_token


@dataclass(frozen=True)
class ItemError:
    """One failed item of a batch call that as a whole succeeded (`code: 0`)."""

    code: int
    message: str
    item_id: str  # the product, SKU or package the error is about
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def extra_errors(self) -> list[Mapping[str, Any]]:
        """Finer errors, e.g. per warehouse of a SKU: `{code, message, warehouse_id}`."""
        return list(self.detail.get("extra_errors") or [])

    @property
    def plain(self) -> str:
        """The error in the seller's words."""
        return error_for(self.code, self.message).plain


_ID_FIELDS = ("product_id", "sku_id", "package_id", "order_id", "id")


class ItemErrors(list[ItemError]):
    """The per-item errors of a batch call, with its answer's `request_id`. A list, so that
    `errors == []` still reads "every item was accepted"."""

    def __init__(self, errors: Iterable[ItemError] = (), request_id: str = "") -> None:
        super().__init__(errors)
        self.request_id = request_id


def item_errors(data: Mapping[str, Any]) -> list[ItemError]:
    """The `errors[]` of a batch answer as ItemErrors."""
    result = []
    for raw in data.get("errors") or []:
        detail = raw.get("detail") or {}
        item_id = next((str(detail[k]) for k in _ID_FIELDS if detail.get(k) is not None), "")
        result.append(
            ItemError(int(raw.get("code") or 0), str(raw.get("message") or ""), item_id, detail)
        )
    return result
