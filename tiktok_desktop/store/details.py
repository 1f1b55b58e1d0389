"""Writing what Get Product adds to a cached product: its SKUs' variants, its picture's link
(kept with the raw answer in product_details) and the picture itself (product_images).

A page of the "product_details" resource holds one entry per product:

    {"product_id": "1729…", "product_update_time": 1700000000,  # the cached product's
     "details": {…Get Product's data…} | None,   # present when asked; None: the shop had none
     "image": {"url": "https://…", "uri": "tos-…", "data": b"…" | None}}
     # "image" is present when downloaded (data None: gone); "uri" names the picture, "url" is
     # the link it came from (links change, the uri stays; without a uri the link stands in)
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any, NamedTuple

from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.records import Raw, thumbnail, variant_name
from tiktok_desktop.store.sql import dumps, upsert

MAX_IMAGE_BYTES = 512 * 1024  # a thumbnail; anything bigger is not kept


class Prepared(NamedTuple):
    product_id: str
    details: Raw | None  # the product_details row (None: not asked this time)
    variants: list[tuple[str, str]]  # (variant, sku id)
    image: Raw | None  # the product_images row (None: not downloaded this time)


def prepare(shop_id: str, item: Raw) -> Prepared:
    now = int(time.time())
    product_id = item["product_id"]
    details_row, variants, image_row = None, [], None
    if "details" in item:
        product = item["details"]
        picture = thumbnail(product) if product else None
        details_row = {
            "product_id": product_id, "shop_id": shop_id,
            "product_update_time": item["product_update_time"],
            "thumbnail_url": picture.url if picture else None,
            "thumbnail_uri": picture.uri if picture else None,
            "fetched_at": now, "raw": dumps(product) if product is not None else None,
        }
        variants = [(variant_name(sku), sku["id"]) for sku in (product or {}).get("skus") or []
                    if "sales_attributes" in sku and sku.get("id")]
    if "image" in item:
        data = item["image"]["data"]
        image = item["image"]
        image_row = {"product_id": product_id, "shop_id": shop_id, "url": image["url"],
                     "uri": image.get("uri") or image["url"],
                     "image": data if data and len(data) <= MAX_IMAGE_BYTES else None,
                     "fetched_at": now}
    return Prepared(product_id, details_row, variants, image_row)


_SAVE_DETAILS = """
    INSERT INTO product_details (product_id, shop_id, product_update_time, thumbnail_url,
        thumbnail_uri, fetched_at, raw)
    VALUES (:product_id, :shop_id, :product_update_time, :thumbnail_url, :thumbnail_uri,
        :fetched_at, :raw)
    ON CONFLICT (product_id) DO UPDATE SET shop_id = excluded.shop_id,
        product_update_time = excluded.product_update_time,
        thumbnail_url = excluded.thumbnail_url, thumbnail_uri = excluded.thumbnail_uri,
        fetched_at = excluded.fetched_at, raw = excluded.raw
    WHERE excluded.product_update_time >= product_details.product_update_time
"""


def write(conn: sqlite3.Connection, shop_id: str, entries: Sequence[Any]) -> Changes:
    details = [e.details for e in entries if e.details is not None]
    conn.executemany(_SAVE_DETAILS, details)
    variants = 0
    for entry in entries:
        variants += conn.executemany(
            "UPDATE skus SET variant = ? WHERE id = ? AND product_id = ? AND variant IS NOT ?",
            [(variant, sku_id, entry.product_id, variant) for variant, sku_id in entry.variants],
        ).rowcount
    images = [e.image for e in entries if e.image is not None]
    upsert(conn, "product_images", images, ["product_id"])
    # A listing whose pictures were all removed shows none.
    gone = [(d["product_id"],) for d in details if d["raw"] is not None and not d["thumbnail_url"]]
    dropped = conn.executemany("DELETE FROM product_images WHERE product_id = ?", gone).rowcount
    return Changes.of(shop_id, product_details=len(details), skus=variants,
                      product_images=len(images) + max(dropped, 0))
