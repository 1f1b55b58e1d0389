"""Product pictures for the Inventory table, read from the cache and decoded off the GUI thread.

Only pictures the table does not hold yet (or holds for another link) are read and decoded, each
scaled once to the thumbnail size; the model turns them into pixmaps on the GUI thread.
QImage (unlike QPixmap) may be used on any thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

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
