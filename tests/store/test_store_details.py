"""Get Product answers in the cache: variants on the SKUs, the raw answer, product pictures, and
which products still want their details or picture."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from store_samples import SHOP, product, sku

from tiktok_desktop.store import Store
from tiktok_desktop.store.details import MAX_IMAGE_BYTES
from tiktok_desktop.store.migrations import LATEST, migrate

PNG = b"\x89PNG\r\n\x1a\n" + b"picture"
THUMB = "https://img.example/tos/abc~tplv-100.png?x-expires=1700043200&x-signature=9f1c"
URI = "tos/abc"


def listed(update_time: int = 1_700_000_000) -> dict[str, Any]:
    """A product as Search Products lists it: SKUs without sales attributes."""
    made = product(1, "Cotton tee", [
        sku(1, seller_sku="TEE-BLK-M", colour="Black", stock={"W1": 5}),
        sku(2, seller_sku="TEE-CRM-M", colour="Cream", stock={"W1": 2}),
    ], update_time=update_time)
    for item in made["skus"]:
        del item["sales_attributes"]
    return made


def details(update_time: int = 1_700_000_000, thumb: str | None = THUMB,
            uri: str = URI) -> dict[str, Any]:
    """The same product as Get Product answers."""
    made = product(1, "Cotton tee", [
        sku(1, seller_sku="TEE-BLK-M", colour="Black", stock={"W1": 5}),
        sku(2, seller_sku="TEE-CRM-M", colour="Cream", stock={"W1": 2}),
    ], update_time=update_time)
    for item in made["skus"]:
        item["sales_attributes"].append({"id": "100001", "name": "Size", "value_id": "2",
                                         "value_name": "M"})
    made["main_images"] = [] if thumb is None else [
        {"uri": uri, "urls": ["https://img.example/tos/abc.png"], "thumb_urls": [thumb],
         "width": 800, "height": 800}]
    return made


def entry(answer: dict | None, *, seen: int = 1_700_000_000, image: bytes | None = None,
          url: str = THUMB, uri: str = URI, asked: bool = True,
          downloaded: bool = True) -> dict[str, Any]:
    made: dict[str, Any] = {"product_id": listed()["id"], "product_update_time": seen}
    if asked:
        made["details"] = answer
    if downloaded:
        made["image"] = {"url": url, "uri": uri, "data": image}
    return made


def variants(store: Store) -> list[str]:
    return [r.variant for r in store.catalog.stock_rows(SHOP)]


def wanted(store: Store) -> list[tuple[bool, str | None, str | None]]:
    return [(w.details, w.thumbnail.url if w.thumbnail else None, w.image_uri)
            for w in store.catalog.details_wanted(SHOP)]


def test_details_give_the_variants_and_the_picture_and_keep_the_raw_answer(store: Store) -> None:
    store.save_page(SHOP, "products", [listed()], None)
    assert variants(store) == ["", ""]  # Search Products names no variants
    assert wanted(store) == [(True, None, None)]
    changes = store.save_page(SHOP, "product_details", [entry(details(), image=PNG)], None)
    assert changes.count("product_details") == 1 and changes.count("product_images") == 1
    assert changes.count("skus") == 2
    assert variants(store) == ["Black, M", "Cream, M"]
    assert store.catalog.thumbnail_urls(SHOP) == {listed()["id"]: THUMB}
    assert store.catalog.thumbnails([listed()["id"]]) == {listed()["id"]: PNG}
    row = store.db["product_details"].get(listed()["id"])
    assert json.loads(row["raw"]) == details() and row["thumbnail_url"] == THUMB
    assert wanted(store) == []
    # The variants stay when the list is read again (it has no sales attributes).
    store.save_page(SHOP, "products", [listed()], None)
    assert variants(store) == ["Black, M", "Cream, M"]
    assert store.save_page(SHOP, "product_details", [entry(details(), image=PNG)],
                           None).count("skus") == 0  # nothing changed


def test_a_changed_product_wants_its_details_again_and_a_new_picture_its_download(
    store: Store,
) -> None:
    store.save_page(SHOP, "products", [listed()], None)
    store.save_page(SHOP, "product_details", [entry(details(), image=PNG)], None)
    store.save_page(SHOP, "products", [listed(update_time=1_700_000_900)], None)
    assert wanted(store) == [(True, THUMB, URI)]
    # A freshly signed link to the same picture (same uri) is not a new picture.
    resigned = THUMB.replace("1700043200", "1700064800")
    store.save_page(SHOP, "product_details", [
        entry(details(1_700_000_900, thumb=resigned), seen=1_700_000_900, downloaded=False)],
        None)
    assert wanted(store) == []
    store.save_page(SHOP, "products", [listed(update_time=1_700_001_800)], None)
    new_thumb = THUMB.replace("abc", "def")
    store.save_page(SHOP, "product_details", [
        entry(details(1_700_001_800, thumb=new_thumb, uri="tos/def"), seen=1_700_001_800,
              downloaded=False)], None)
    assert wanted(store) == [(False, new_thumb, URI)]  # only the picture is missing now
    assert store.catalog.thumbnail_urls(SHOP) == {listed()["id"]: THUMB}  # the old one meanwhile
    store.save_page(SHOP, "product_details", [
        entry(None, asked=False, url=new_thumb, uri="tos/def", image=PNG + b"2")], None)
    assert wanted(store) == []
    assert store.catalog.thumbnails([listed()["id"]]) == {listed()["id"]: PNG + b"2"}


def test_a_picture_without_a_uri_is_told_apart_by_its_link(store: Store) -> None:
    answer = details()
    del answer["main_images"][0]["uri"]
    store.save_page(SHOP, "products", [listed()], None)
    store.save_page(SHOP, "product_details", [entry(answer, downloaded=False)], None)
    assert wanted(store) == [(False, THUMB, None)]
    store.save_page(SHOP, "product_details", [
        entry(None, asked=False, uri="", image=PNG)], None)
    assert wanted(store) == []


def test_a_picture_that_cannot_be_had_is_not_asked_for_again(store: Store) -> None:
    store.save_page(SHOP, "products", [listed()], None)
    store.save_page(SHOP, "product_details", [entry(details(), image=None)], None)  # gone
    assert wanted(store) == [] and store.catalog.thumbnail_urls(SHOP) == {}
    huge = b"x" * (MAX_IMAGE_BYTES + 1)
    store.save_page(SHOP, "product_details", [entry(details(), image=huge)], None)
    assert wanted(store) == [] and store.catalog.thumbnails([listed()["id"]]) == {}


def test_a_listing_without_pictures_shows_none_and_a_missing_one_keeps_its_own(
    store: Store,
) -> None:
    store.save_page(SHOP, "products", [listed()], None)
    store.save_page(SHOP, "product_details", [entry(details(), image=PNG)], None)
    store.save_page(SHOP, "product_details", [entry(None, downloaded=False)], None)  # frozen
    assert store.db["product_details"].get(listed()["id"])["raw"] is None
    assert store.catalog.thumbnail_urls(SHOP) == {listed()["id"]: THUMB}
    assert variants(store) == ["Black, M", "Cream, M"]
    store.save_page(SHOP, "product_details", [entry(details(thumb=None), downloaded=False)], None)
    assert store.catalog.thumbnail_urls(SHOP) == {} and wanted(store) == []


def test_older_details_never_overwrite_newer_ones(store: Store) -> None:
    store.save_page(SHOP, "products", [listed(update_time=1_700_000_900)], None)
    store.save_page(SHOP, "product_details", [
        entry(details(1_700_000_900), seen=1_700_000_900, downloaded=False)], None)
    store.save_page(SHOP, "product_details", [entry(details(), downloaded=False)], None)
    assert store.db["product_details"].get(listed()["id"])["product_update_time"] == 1_700_000_900


def test_a_version_2_cache_gains_the_details_tables(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    assert migrate(db, target=2) == 2
    db.close()
    with Store.open(path) as store:
        assert store.schema_version == LATEST
        store.save_page(SHOP, "products", [listed()], None)
        assert wanted(store) == [(True, None, None)]
