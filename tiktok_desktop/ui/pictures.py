"""Product pictures for the Inventory and Listings tables, read from the cache and decoded off
the GUI thread.

Only pictures the table does not hold yet (or holds for another link) are read and decoded, each
scaled once to the thumbnail size; the model's Thumbnails turn them into pixmaps on the GUI
thread. QImage (unlike QPixmap) may be used on any thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap

from tiktok_desktop.store import Store

THUMBNAIL_PX = 32  # logical pixels; decoded at the screen's pixel ratio


@dataclass(frozen=True)
class Pictures:
    """New pictures (product id → (link, image; a null image when undecodable)) and products
    whose picture is gone."""

    images: dict[str, tuple[str, QImage]] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.images or self.dropped)


class Thumbnails:
    """A table's pictures (GUI thread only): one pixmap per product, made once, and the link
    each was read for (what the next read need not decode again)."""

    def __init__(self) -> None:
        self._pixmaps: dict[str, QPixmap] = {}
        self._links: dict[str, str] = {}

    def links(self) -> dict[str, str]:
        return dict(self._links)

    def get(self, product_id: str) -> QPixmap | None:
        return self._pixmaps.get(product_id)

    def take(self, pictures: Pictures) -> bool:
        """Take in newly decoded pictures; whether anything changed."""
        if not pictures:
            return False
        for product_id in pictures.dropped:
            self._pixmaps.pop(product_id, None)
            self._links.pop(product_id, None)
        for product_id, (link, image) in pictures.images.items():
            self._links[product_id] = link
            if image.isNull():
                self._pixmaps.pop(product_id, None)
            else:
                self._pixmaps[product_id] = QPixmap.fromImage(image)
        return True


def thumbnail(data: bytes, pixel_ratio: float) -> QImage:
    """The picture scaled to fit THUMBNAIL_PX, sharp at `pixel_ratio`."""
    image = QImage.fromData(data)
    if image.isNull():
        return image
    side = round(THUMBNAIL_PX * pixel_ratio)
    image = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    image.setDevicePixelRatio(pixel_ratio)
    return image


def read_pictures(store: Store, shop_id: str, product_ids: Iterable[str],
                  held: Mapping[str, str], pixel_ratio: float) -> Pictures:
    """The pictures of these products that differ from `held` (product id → link)."""
    wanted = set(product_ids)
    links = {p: url for p, url in store.catalog.thumbnail_urls(shop_id).items() if p in wanted}
    changed = [p for p, url in links.items() if held.get(p) != url]
    images = store.catalog.thumbnails(changed) if changed else {}
    return Pictures(
        {p: (links[p], thumbnail(data, pixel_ratio)) for p, data in images.items()},
        tuple(sorted(p for p in wanted if p in held and p not in links)),
    )
