"""Get Product describes variants and pictures; the pictures are real PNGs served by the shop."""

from __future__ import annotations

import struct
import zlib

import httpx
import pytest

from tiktok_desktop.sandbox.png import encode_rgb
from tiktok_desktop.sandbox.product_images import LINK_LIFETIME, image_uri

PRODUCTS = "/product/202309/products"


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, RGB rows) of an 8-bit RGB PNG, every chunk's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, interlace) == (8, 2, 0)
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    assert len(pixels) == height * stride
    rows = [pixels[y * stride:(y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # unfiltered
    return width, height, [row[1:] for row in rows]


def test_the_encoder_writes_the_pixels_it_was_given() -> None:
    rows = [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 10, 20, 30])]
    assert read_png(encode_rgb(2, rows)) == (2, 2, rows)
    with pytest.raises(ValueError):
        encode_rgb(2, [b"\x00" * 5])


def test_get_product_names_each_variant_and_links_its_pictures(client) -> None:
    world = client.shop.world
    product = next(p for p in world.products if len(p.skus) > 1
                   and p.skus[0].attributes[0][1] == "Color")
    full = client.ok("GET", f"{PRODUCTS}/{product.id}")
    for sku, made in zip(product.skus, full["skus"], strict=True):
        assert [(a["name"], a["value_name"]) for a in made["sales_attributes"]] == [
            (name, value) for _, name, _, value in sku.attributes]
        first, *others = made["sales_attributes"]
        assert first["sku_img"]["urls"][0].startswith(client.shop.base_url + "/wsos/product_img/")
        assert all("sku_img" not in a for a in others)  # the first attribute only
    [image] = full["main_images"]
    assert set(image) == {"uri", "urls", "thumb_urls", "width", "height"}
    assert image["urls"][0].startswith(
        f"{client.shop.base_url}/wsos/product_img/{image['uri']}.png?x-expires=")
    with httpx.Client() as http:
        big, thumb = http.get(image["urls"][0]), http.get(image["thumb_urls"][0])
        sku_img = http.get(full["skus"][0]["sales_attributes"][0]["sku_img"]["urls"][0])
    for answer in (big, thumb, sku_img):
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    width, height, rows = read_png(big.content)
    assert (width, height) == (image["width"], image["height"])
    assert len(set(rows)) > 2  # a pattern, not a plain square
    assert read_png(thumb.content)[:2] == (64, 64) and len(thumb.content) < 4000
    assert sku_img.content != big.content  # the SKU's own colour


def test_each_product_has_its_own_picture_the_same_every_time(client) -> None:
    first, second = list(client.shop.world.products)[:2]
    links = client.shop.world.image_links(client.shop.base_url)
    with httpx.Client() as http:
        one = http.get(links.link(image_uri(first.id))).content
        again = http.get(links.link(image_uri(first.id))).content
        other = http.get(links.link(image_uri(second.id))).content
        missing = http.get(links.link(image_uri("123")))
        odd_size = http.get(links.link(image_uri(first.id), 5000))
    assert one == again != other
    assert missing.status_code == odd_size.status_code == 404
    assert client.shop.stats["endpoints"]["GET /wsos/product_img/{uri}.png"]["requests"] == 5


def test_picture_links_are_signed_expire_and_change_while_the_uri_stays(client) -> None:
    world = client.shop.world
    product = next(iter(world.products))
    before = client.ok("GET", f"{PRODUCTS}/{product.id}")["main_images"][0]
    link = before["urls"][0]
    base = link.split("?")[0]
    with httpx.Client() as http:
        assert http.get(link).status_code == 200
        assert http.get(base).status_code == 403  # unsigned
        assert http.get(link.replace("x-signature=", "x-signature=0")).status_code == 403
        # The thumbnail's signature covers its size: it does not open the full picture.
        thumb_query = before["thumb_urls"][0].split("?")[1].replace("size=64&", "")
        assert http.get(f"{base}?{thumb_query}").status_code == 403
        world.advance_clock(LINK_LIFETIME + 60)
        assert http.get(link).status_code == 403  # expired
        after = client.ok("GET", f"{PRODUCTS}/{product.id}")["main_images"][0]
        assert after["uri"] == before["uri"] and after["urls"][0] != link
        assert http.get(after["urls"][0]).content == http.get(after["urls"][0]).content
        assert http.get(after["urls"][0]).status_code == 200


def test_search_products_carries_no_variants_or_pictures(client) -> None:
    data = client.ok("POST", f"{PRODUCTS}/search", query={"page_size": "5"}, body={})
    for product in data["products"]:
        assert "main_images" not in product
        assert all("sales_attributes" not in s for s in product["skus"])
