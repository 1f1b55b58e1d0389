"""What the sync pulls for each resource, and how each API list is asked for one page.

Each resource becomes a job: it hands out requests (one page each) and turns the answers into
what to save. Jobs run no threads and touch no database; the engine does both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tiktok_desktop.api import Page, ShopApi
from tiktok_desktop.sync.windows import Pull, Raw, Request, Window

INVENTORY_PRODUCTS_PER_CALL = 100


@dataclass(frozen=True)
class Answer:
    """One page as the engine needs it."""

    items: list[Raw]
    next_token: str = ""
    total: int | None = None
    requests: int = 1  # HTTP requests it took (a product's details and its picture: 2)

    @classmethod
    def of(cls, page: Page[Any]) -> Answer:
        return cls(list(page.items), page.next_page_token, page.total_count)


Fetch = Callable[[ShopApi, Request, int], Answer]


def _window_filters(field: str, request: Request, *, inclusive_hi: bool = False) -> dict:
    filters: dict[str, int] = {}
    if request.lo > 0:
        filters[f"{field}_ge"] = request.lo
    if request.hi is not None:
        # Products take an inclusive upper bound (…_le); the other lists an exclusive one.
        filters[f"{field}_le" if inclusive_hi else f"{field}_lt"] = (
            request.hi - 1 if inclusive_hi else request.hi
        )
    return filters


def _orders(shop: ShopApi, request: Request, size: int) -> Answer:
    return Answer.of(shop.orders.search_page(
        _window_filters("update_time", request), page_size=size, page_token=request.token,
        sort_field="update_time", sort_order="ASC"))


def _packages(shop: ShopApi, request: Request, size: int) -> Answer:
    return Answer.of(shop.fulfillment.search_packages_page(
        _window_filters("update_time", request), page_size=size, page_token=request.token,
        sort_field="update_time", sort_order="ASC"))


def _returns(shop: ShopApi, request: Request, size: int) -> Answer:
    return Answer.of(shop.returns.search_returns_page(
        _window_filters("update_time", request), page_size=size, page_token=request.token,
        sort_field="update_time", sort_order="ASC"))


def _cancellations(shop: ShopApi, request: Request, size: int) -> Answer:
    return Answer.of(shop.returns.search_cancellations_page(
        _window_filters("update_time", request), page_size=size, page_token=request.token,
        sort_field="update_time", sort_order="ASC"))


def _products(shop: ShopApi, request: Request, size: int) -> Answer:
    return Answer.of(shop.products.search_page(
        _window_filters("update_time", request, inclusive_hi=True), page_size=size,
        page_token=request.token))


def _statements(shop: ShopApi, request: Request, size: int) -> Answer:
    return Answer.of(shop.finance.statements_page(
        page_size=size, page_token=request.token, sort_order="ASC",
        statement_time_ge=request.lo or None, statement_time_lt=request.hi))


@dataclass(frozen=True)
class ListSpec:
    """A paged list: its page size, its time field, and whether the API sorts by it."""

    resource: str
    fetch: Fetch
    page_size: int
    time_field: str = "update_time"
    sortable: bool = True
    overlap_s: int | None = None  # None: the engine's default


DAY = 86_400
LISTS: dict[str, ListSpec] = {spec.resource: spec for spec in (
    ListSpec("orders", _orders, 100),
    ListSpec("packages", _packages, 50),
    # The API documents no sort for products: their windows follow page tokens.
    ListSpec("products", _products, 100, sortable=False),
    ListSpec("returns", _returns, 50),
    ListSpec("cancellations", _cancellations, 50),
    # Statements never get an update_time; re-read a week to catch payment status changes.
    ListSpec("statements", _statements, 100, time_field="statement_time", overlap_s=7 * DAY),
)}


@dataclass(eq=False)
class Task:
    """One request to make on a worker thread."""

    job: Job
    call: Callable[[ShopApi], Answer]
    window: Window | None = None
    request: Request | None = None
    product_ids: list[str] | None = None


class Job(ABC):
    """One resource's part of a sync run."""

    resource: str
    done: bool = False
    newest_update: int | None = None  # the newest update_time in its last answer

    @abstractmethod
    def tasks(self, capacity: int, now: int, seen: int | None) -> list[Task]:
        """Up to `capacity` requests to make now (`now`: this computer's clock; `seen`: the
        newest update_time seen in the shop so far)."""

    @abstractmethod
    def answered(self, task: Task, answer: Answer) -> Raw | None:
        """Take in an answer; returns the state to save with its items (None: leave it)."""

    @abstractmethod
    def failed(self, task: Task, refused_token: bool) -> None:
        """A request failed; it is handed out again by a later tasks() call."""

    @abstractmethod
    def remaining_requests(self) -> int:
        """A guess of the requests still to make."""


class ListJob(Job):
    """Pull a paged list by time windows, several at once (see windows.py)."""

    def __init__(self, spec: ListSpec, state: Raw | None, overlap_s: int) -> None:
        self.spec = spec
        self.resource = spec.resource
        self.watermark = (state or {}).get("watermark")
        self.incremental = self.watermark is not None
        self.pull = Pull.start(state, sortable=spec.sortable, page_size=spec.page_size,
                               overlap_s=spec.overlap_s if spec.overlap_s is not None
                               else overlap_s)

    @property
    def done(self) -> bool:  # type: ignore[override]
        return self.pull.done

    def tasks(self, capacity: int, now: int, seen: int | None) -> list[Task]:
        tasks: list[Task] = []
        while len(tasks) < capacity:
            idle = self.pull.idle()
            window = idle[0] if idle else self.pull.split(now)
            if window is None:
                break
            request = self.pull.request(window, seen)
            tasks.append(Task(self, self._caller(request), window, request))
        return tasks

    def _caller(self, request: Request) -> Callable[[ShopApi], Answer]:
        fetch, size = self.spec.fetch, self.spec.page_size
        return lambda shop: fetch(shop, request, size)

    def answered(self, task: Task, answer: Answer) -> Raw:
        assert task.window is not None and task.request is not None
        field = self.spec.time_field
        times = [t for t in (item.get(field) for item in answer.items) if isinstance(t, int)]
        self.newest_update = max(times) if times and field == "update_time" else None
        self.pull.advance(task.window, task.request, len(answer.items), answer.next_token,
                          answer.total, times)
        return self.pull.state(self.watermark)

    def failed(self, task: Task, refused_token: bool) -> None:
        assert task.window is not None
        if refused_token:
            self.pull.restart(task.window)
        else:
            self.pull.failed(task.window)

    def remaining_requests(self) -> int:
        return self.pull.remaining_pages()


class WarehousesJob(Job):
    """The shop's warehouses: one unpaged call, every run."""

    resource = "warehouses"

    def __init__(self) -> None:
        self._asked = False

    def tasks(self, capacity: int, now: int, seen: int | None) -> list[Task]:
        if self._asked or capacity < 1:
            return []
        self._asked = True
        return [Task(self, lambda shop: Answer(list(shop.logistics.warehouses())))]

    def answered(self, task: Task, answer: Answer) -> Raw | None:
        self.done = True
        return None

    def failed(self, task: Task, refused_token: bool) -> None:
        self._asked = False

    def remaining_requests(self) -> int:
        return 0 if self.done else 1


class InventoryJob(Job):
    """Available and committed stock per warehouse, from inventory search.

    No list of stock changes exists, and orders change committed stock without touching the
    product. So: every product's stock now and then (`full`), and in between only the products
    that changed or were ordered in this run.
    """

    resource = "inventory"

    def __init__(self, product_ids: Sequence[str], *, full: bool, started: int) -> None:
        self.full = full
        self.started = started
        self._chunks = [list(product_ids[i:i + INVENTORY_PRODUCTS_PER_CALL])
                        for i in range(0, len(product_ids), INVENTORY_PRODUCTS_PER_CALL)]
        self._waiting = len(self._chunks)
        self.done = not self._chunks

    def tasks(self, capacity: int, now: int, seen: int | None) -> list[Task]:
        handed, self._chunks = self._chunks[:max(0, capacity)], self._chunks[max(0, capacity):]
        return [Task(self, self._caller(chunk), product_ids=chunk) for chunk in handed]

    @staticmethod
    def _caller(chunk: list[str]) -> Callable[[ShopApi], Answer]:
        return lambda shop: Answer(list(shop.products.inventory_search(product_ids=chunk)))

    def answered(self, task: Task, answer: Answer) -> Raw | None:
        self._waiting -= 1
        self.done = self._waiting == 0
        return None

    def failed(self, task: Task, refused_token: bool) -> None:
        assert task.product_ids is not None
        self._chunks.append(task.product_ids)

    def remaining_requests(self) -> int:
        return self._waiting
