"""Product details: what Search Products leaves out — each SKU's sales attributes (the variant,
"Cream, M") and the product's pictures — from Get Product, one product per request.

Asked for only for products that are new or changed (update_time) since their details were
fetched, and the picture downloaded only when it is another picture (another uri: its links are
signed and change while the picture stays). The cache itself says what is
missing (Catalog.details_wanted), so a run that stops half way is finished by the next one and a
run with nothing changed asks nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from tiktok_desktop.api import ShopApi
from tiktok_desktop.api.errors import ApiError, NotFoundError
from tiktok_desktop.store import DetailsWanted
from tiktok_desktop.store.records import Picture, thumbnail
from tiktok_desktop.sync.resources import Answer, Job, Task
from tiktok_desktop.sync.windows import Raw

log = logging.getLogger(__name__)


def download(shop: ShopApi, url: str) -> bytes:
    """A picture's bytes: ApiClient.download (a plain GET of a file host's link, no signature),
    reached through the one resource group that exposes it."""
    return shop.fulfillment.download_document(url)


def _details(shop: ShopApi, entry: Raw) -> Picture | None:
    """Get Product into `entry`; the picture it names now."""
    try:
        product: Raw | None = dict(shop.products.get(entry["product_id"]))
    except NotFoundError:
        product = None  # frozen or deleted: the shop gives no details
    entry["details"] = product
    return thumbnail(product) if product else None


def fetch(shop: ShopApi, wanted: DetailsWanted) -> Answer:
    """Get Product if wanted, then the picture if it is not the one held: one entry of a
    "product_details" page (see store/details.py)."""
    entry: Raw = {"product_id": wanted.product_id, "product_update_time": wanted.update_time}
    requests, picture = 0, wanted.thumbnail
    if wanted.details:
        requests += 1
        picture = _details(shop, entry)
    if picture and picture.uri != wanted.image_uri:
        requests += 1
        try:
            try:
                data: bytes | None = download(shop, picture.url)
            except NotFoundError:
                if "details" in entry:
                    raise
                # The link came from details fetched earlier and may have expired: ask for a
                # fresh one once before calling the picture gone.
                requests += 2
                picture = _details(shop, entry)
                data = download(shop, picture.url) if picture else None
        except NotFoundError:
            data = None  # gone: not asked again for this picture
        except ApiError as error:
            # The details are kept; the picture is asked for again at the next sync.
            log.warning("product picture not downloaded (%s)", type(error).__name__)
            return Answer([entry], requests=requests)
        if picture:
            entry["image"] = {"url": picture.url, "uri": picture.uri, "data": data}
    return Answer([entry], requests=requests)


class DetailsJob(Job):
    """Get Product (and the picture) for each product wanted, as many at once as the
    scheduler allows; a failed product is handed out again."""

    resource = "product_details"

    def __init__(self, wanted: Sequence[DetailsWanted]) -> None:
        self._todo = list(wanted)
        self._by_id = {w.product_id: w for w in wanted}
        self._waiting = len(self._todo)
        self.done = not self._todo

    def tasks(self, capacity: int, now: int, seen: int | None) -> list[Task]:
        handed, self._todo = self._todo[:max(0, capacity)], self._todo[max(0, capacity):]
        return [Task(self, self._caller(w), product_ids=[w.product_id]) for w in handed]

    @staticmethod
    def _caller(wanted: DetailsWanted) -> Callable[[ShopApi], Answer]:
        return lambda shop: fetch(shop, wanted)

    def answered(self, task: Task, answer: Answer) -> Raw | None:
        self._waiting -= 1
        self.done = self._waiting == 0
        return None

    def failed(self, task: Task, refused_token: bool) -> None:
        assert task.product_ids is not None
        self._todo.append(self._by_id[task.product_ids[0]])

    def remaining_requests(self) -> int:
        return self._waiting
