"""Product pictures: a small PNG per product (and per colour of a SKU), drawn from the product's
id, so every listing has its own recognisable picture and the same one every time.

Images are named by a `uri` (`tos-demo/<product id>` or `tos-demo/<product id>/<value id>` for
a SKU's colour) and served by the demo shop at `/wsos/product_img/<uri>.png`, the way TikTok Shop
hands out CDN links next to an image's uri. Like those, a link is signed and expires: the shop
hands out a new link every few hours while the uri stays, so a client must tell pictures apart
by uri, never by link (DECISIONS.md, "Picture links").
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlencode

from .png import encode_rgb
from .records import Product

FULL_SIZE = 240  # what main_images[].urls[] serve (and their width/height say)
THUMB_SIZE = 64  # what thumb_urls[] serve
MIN_SIZE, MAX_SIZE = 16, 480
URI_PREFIX = "tos-demo/"
# The sales attributes whose values are colours a picture can show (TikTok Shop takes SKU
# images on the first sales attribute only).
PICTURED_ATTRIBUTES = ("Color", "Shade")

RGB = tuple[int, int, int]
COLOURS: dict[str, RGB] = {
    "Black": (40, 40, 46), "White": (236, 236, 232), "Sage": (148, 170, 132),
    "Pink": (236, 150, 176), "Grey": (140, 144, 150), "Navy": (36, 56, 104),
    "Cream": (238, 226, 196), "Clear": (200, 226, 236), "Bamboo": (196, 164, 104),
    "Lilac": (190, 160, 220), "Tortoise": (120, 72, 36), "Pastel": (176, 216, 200),
    "Ruby": (176, 20, 52), "Nude": (214, 160, 136), "Berry": (128, 36, 84),
    "Coral": (244, 118, 96), "Mauve": (176, 120, 150),
}
PALETTE: tuple[RGB, ...] = (
    (230, 90, 70), (240, 160, 40), (70, 150, 90), (40, 130, 190), (120, 90, 190),
    (220, 80, 140), (30, 150, 150), (90, 110, 130), (200, 120, 60), (60, 90, 170),
)
SHAPES = ("circle", "square", "diamond")
PATTERNS = ("stripes", "bands", "checks", "dots")


LINK_RENEWED = 6 * 3600  # a new link for the same picture this often
LINK_LIFETIME = 12 * 3600  # how long a link works after it was first handed out


def image_uri(product_id: str, value_id: str = "") -> str:
    return URI_PREFIX + product_id + (f"/{value_id}" if value_id else "")


def _signature(key: bytes, uri: str, size: int, expires: int) -> str:
    return hmac.new(key, f"{uri}|{size}|{expires}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class ImageLinks:
    """Hands out signed picture links for one answer: `base_url` is the shop as the client
    reached it, `now` the shop's clock."""

    base_url: str
    key: bytes
    now: int

    def link(self, uri: str, size: int = FULL_SIZE) -> str:
        expires = self.now - self.now % LINK_RENEWED + LINK_LIFETIME
        query = {"size": size} if size != FULL_SIZE else {}
        query.update({"x-expires": expires, "x-signature": _signature(self.key, uri, size,
                                                                       expires)})
        return f"{self.base_url}/wsos/product_img/{quote(uri)}.png?{urlencode(query)}"

    def image(self, uri: str) -> dict:
        """An image as Get Product describes one: uri, full-size and thumbnail links, size."""
        return {"uri": uri, "urls": [self.link(uri)],
                "thumb_urls": [self.link(uri, THUMB_SIZE)],
                "width": FULL_SIZE, "height": FULL_SIZE}

    def picture(self, uri: str) -> dict:
        """An image as returns and cancellations describe one: url, width, height."""
        return {"url": self.link(uri), "width": FULL_SIZE, "height": FULL_SIZE}


def link_refusal(key: bytes, uri: str, size: int, expires: str, signature: str,
                 now: int) -> str | None:
    """Why a picture link is refused (a CDN's 403), or None when it is good."""
    if not expires.isdigit():
        return "unsigned link"
    if not hmac.compare_digest(signature.encode(), _signature(key, uri, size,
                                                              int(expires)).encode()):
        return "signature does not match"
    if int(expires) < now:
        return "link expired"
    return None


def sku_image_uri(product: Product, sku_id: str) -> str:
    """The picture a SKU is shown with: its colour's, else the product's main picture."""
    for sku in product.skus:
        if sku.id == sku_id and sku.attributes and pictured(sku.attributes[0]):
            return image_uri(product.id, sku.attributes[0][2])
    return image_uri(product.id)


def pictured(attribute: tuple[str, str, str, str]) -> bool:
    """Whether a SKU's first sales attribute is a colour a picture can show."""
    return attribute[1] in PICTURED_ATTRIBUTES and attribute[3] in COLOURS


def find_image(products: dict[str, Product], uri: str) -> tuple[str, str] | None:
    """(product id, colour name or "") for a uri this shop handed out; None otherwise."""
    if not uri.startswith(URI_PREFIX):
        return None
    product_id, _, value_id = uri[len(URI_PREFIX):].partition("/")
    product = products.get(product_id)
    if product is None:
        return None
    if not value_id:
        return product_id, ""
    for sku in product.skus:
        first = sku.attributes[0] if sku.attributes else None
        if first is not None and first[2] == value_id and pictured(first):
            return product_id, first[3]
    return None


def _blend(a: RGB, b: RGB, share_of_b: float) -> RGB:
    r, g, bl = (round(x + (y - x) * share_of_b) for x, y in zip(a, b, strict=True))
    return r, g, bl


def _inside(shape: str, u: float, v: float) -> bool:
    if shape == "circle":
        return u * u + v * v <= 0.52
    if shape == "square":
        return max(abs(u), abs(v)) <= 0.64
    return abs(u) + abs(v) <= 0.86


def _marked(pattern: str, x: int, y: int, period: int) -> bool:
    if pattern == "stripes":
        return (x + y) // period % 2 == 0
    if pattern == "bands":
        return y // period % 2 == 0
    if pattern == "checks":
        return (x // period + y // period) % 2 == 0
    dx, dy = x % period - period / 2, y % period - period / 2
    return dx * dx + dy * dy <= (period / 3.2) ** 2


@lru_cache(maxsize=256)
def product_png(product_id: str, colour: str = "", size: int = FULL_SIZE) -> bytes:
    """The picture of a product (in `colour`, a COLOURS name, for a SKU's image): a shape
    filled with a pattern on a light background, all chosen by the product id."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be {MIN_SIZE}–{MAX_SIZE} pixels")
    rng = random.Random(f"product-picture:{product_id}")
    main = COLOURS.get(colour) or rng.choice(PALETTE)
    accent = _blend(main, (255, 255, 255) if sum(main) < 450 else (30, 30, 30), 0.55)
    background = _blend(main, (250, 248, 244), 0.85)
    shape, pattern = rng.choice(SHAPES), rng.choice(PATTERNS)
    period = max(2, size // rng.choice((6, 8, 10)))
    colours = [bytes(c) for c in (background, main, accent)]
    rows = []
    for y in range(size):
        v = (2 * y + 1) / size - 1
        row = bytearray()
        for x in range(size):
            u = (2 * x + 1) / size - 1
            which = 0 if not _inside(shape, u, v) else 2 if _marked(pattern, x, y, period) else 1
            row += colours[which]
        rows.append(bytes(row))
    return encode_rgb(size, rows)
