"""Product details in a sync: Get Product only for new or changed products, each SKU's variant
and the product's picture in the cache, the picture downloaded again only for a new link."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tiktok_desktop.api.errors import NetworkError
from tiktok_desktop.sandbox import DemoShop
from tiktok_desktop.sandbox.product_images import LINK_LIFETIME, LINK_RENEWED
from tiktok_desktop.store import Store
from tiktok_desktop.sync import ResourceProgress, SyncEngine, SyncProgress, SyncResult
from tiktok_desktop.sync import product_details as details_module

GET_PRODUCT = "GET /product/202309/products/{id}"
PICTURE = "GET /wsos/product_img/{uri}.png"


def served(shop: DemoShop, endpoint: str) -> int:
    return shop.stats["endpoints"].get(endpoint, {}).get("requests", 0)


def offline(shop_api: object, url: str) -> bytes:
    raise NetworkError("The connection to TikTok Shop failed (ConnectError).")


def details_part(result: SyncResult) -> ResourceProgress:
    return next(r for r in result.resources if r.resource == "product_details")


def test_a_first_sync_fetches_every_product_s_details_and_picture(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    seen: list[SyncProgress] = []
    result = make_engine().run(store, progress=seen.append)
    products = len(shop.world.products)
    assert result.complete
    assert served(shop, GET_PRODUCT) == served(shop, PICTURE) == products
    part = details_part(result)
    assert (part.items, part.requests, part.done) == (products, 2 * products, True)
    assert any(p.resource == "product_details" for p in seen)
    assert result.changes.touches("product_details", "product_images")
    shop_id = shop.world.shop.id
    rows = store.catalog.stock_rows(shop_id)
    names = {sku.id: sku.name for p in shop.world.products for sku in p.skus}
    assert rows and all(r.variant == names[r.sku_id] != "" for r in rows)
    pictures = store.catalog.thumbnails(store.catalog.product_ids(shop_id))
    assert len(pictures) == products
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pictures.values())
    assert all(url.startswith(shop.base_url) and "size=64" in url
               for url in store.catalog.thumbnail_urls(shop_id).values())
    raw = store.db["product_details"].get(rows[0].product_id)["raw"]
    assert '"sales_attributes"' in raw and '"main_images"' in raw


def test_only_new_or_changed_products_are_asked_again(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine()
    engine.run(store)
    asked, downloaded = served(shop, GET_PRODUCT), served(shop, PICTURE)
    again = engine.run(store)
    assert details_part(again).requests == 0 and again.complete
    assert (served(shop, GET_PRODUCT), served(shop, PICTURE)) == (asked, downloaded)
    product = next(p for p in shop.world.products if p.status == "ACTIVATE")
    sku = product.skus[0]
    links_before = store.db["product_details"].get(product.id)["thumbnail_url"]
    shop.world.advance_clock(LINK_RENEWED)  # the shop signs its picture links anew
    shop.world.set_stock(sku.id, next(iter(sku.available)), 77)  # its update_time moves on
    changed = engine.run(store)
    assert changed.complete and details_part(changed).requests == 1
    assert served(shop, GET_PRODUCT) == asked + 1
    assert store.db["product_details"].get(product.id)["thumbnail_url"] != links_before
    assert served(shop, PICTURE) == downloaded  # a new link, the same picture (uri)


def test_a_picture_held_for_another_uri_is_downloaded_again_alone(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    engine = make_engine()
    engine.run(store)
    product_id = next(iter(shop.world.products)).id
    store.conn.execute("UPDATE product_images SET url = 'https://old.example/a.png', "
                       "uri = 'tos-old/a', image = x'00' WHERE product_id = ?", (product_id,))
    asked, downloaded = served(shop, GET_PRODUCT), served(shop, PICTURE)
    result = engine.run(store)
    assert details_part(result).requests == 1
    assert (served(shop, GET_PRODUCT), served(shop, PICTURE)) == (asked, downloaded + 1)
    assert store.catalog.thumbnails([product_id])[product_id].startswith(b"\x89PNG")


def test_a_picture_that_fails_to_download_comes_at_the_next_sync(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = details_module.download
    monkeypatch.setattr(details_module, "download", offline)
    engine = make_engine(resources=("products", "product_details"))
    first = engine.run(store)
    assert first.complete  # the details are in; the pictures wait
    shop_id = shop.world.shop.id
    assert store.catalog.thumbnail_urls(shop_id) == {}
    assert all(r.variant for r in store.catalog.stock_rows(shop_id))
    monkeypatch.setattr(details_module, "download", real)
    asked = served(shop, GET_PRODUCT)
    engine.run(store)
    assert served(shop, GET_PRODUCT) == asked  # only the pictures were asked for
    assert len(store.catalog.thumbnail_urls(shop_id)) == len(shop.world.products)


def test_a_picture_whose_held_link_expired_is_fetched_with_a_fresh_link(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = details_module.download
    monkeypatch.setattr(details_module, "download", offline)
    engine = make_engine(resources=("products", "product_details"))
    assert engine.run(store).complete
    monkeypatch.setattr(details_module, "download", real)
    shop.world.advance_clock(LINK_LIFETIME + 60)  # the links the details named have expired
    asked, products = served(shop, GET_PRODUCT), len(shop.world.products)
    result = engine.run(store)
    shop_id = shop.world.shop.id
    assert served(shop, GET_PRODUCT) == asked + products  # a fresh link for each
    assert len(store.catalog.thumbnails(store.catalog.product_ids(shop_id))) == products
    assert details_part(result).requests == 3 * products  # expired try, details, picture


def test_a_listing_without_details_is_not_asked_again(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    world = shop.world
    frozen = next(p for p in world.products if p.status == "ACTIVATE")
    with world.changing(world.products, frozen):
        frozen.status = "FREEZE"  # the platform froze it: Get Product answers "not found"
    engine = make_engine(resources=("products", "product_details"))
    assert engine.run(store).complete
    assert store.db["product_details"].get(frozen.id)["raw"] is None
    assert details_part(engine.run(store)).requests == 0


class Crash(Exception):
    pass


def test_a_crash_half_way_is_finished_by_the_next_run(
    shop: DemoShop, store: Store, make_engine: Callable[..., SyncEngine]
) -> None:
    def crash(progress: SyncProgress) -> None:
        if progress.resource == "product_details" and progress.items >= 10:
            raise Crash("the app died here")

    engine = make_engine(resources=("products", "product_details"), max_per_resource=2)
    with pytest.raises(Crash):
        engine.run(store, progress=crash)
    shop_id = shop.world.shop.id
    left = len(store.catalog.details_wanted(shop_id))
    assert 0 < left < len(shop.world.products)
    result = make_engine(resources=("products", "product_details")).run(store)
    assert result.complete and details_part(result).items == left
    assert store.catalog.details_wanted(shop_id) == []
