"""Shipping labels and packing slips as real PDFs (A6 or A5): carrier, addresses, a Code 128
barcode of the tracking number, the order id and what is in the box."""

from __future__ import annotations

import time
from collections import Counter

import barcode

from .buyers import Buyer
from .catalog import DELIVERY_OPTIONS, WAREHOUSES
from .pdf import PAGE_SIZES, Page, write_pdf
from .records import Package
from .world import Document, World

MARGIN = 12.0
A6_WIDTH, A6_HEIGHT = PAGE_SIZES["A6"]


def code128_modules(text: str) -> str:
    """The bar pattern of `text` in Code 128: '1' = a dark module, '0' = a light one."""
    return barcode.get("code128", text).build()[0]


def draw_barcode(page: Page, text: str, y: float, height: float) -> None:
    modules = "0" * 10 + code128_modules(text) + "0" * 10  # quiet zones
    width = page.width - 2 * MARGIN
    module = width / len(modules)
    x, run_start = MARGIN, None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and run_start is None:
            run_start = i
        elif bit == "0" and run_start is not None:
            page.box(x + run_start * module, y, (i - run_start) * module, height)
            run_start = None


def _scaled(size: str) -> tuple[Page, float]:
    """A page of `size`; drawing is laid out for A6 and scaled up for A5."""
    width, height = PAGE_SIZES[size]
    return Page(width, height), width / A6_WIDTH


def _items(world: World, package: Package) -> list[tuple[str, str, int]]:
    order = world.order_of_package(package)
    counts = Counter(line.sku_id for line in order.lines if line.package_id == package.id)
    made = []
    for sku_id, quantity in counts.items():
        product, sku = world.skus[sku_id]
        made.append((product.title, f"{sku.seller_sku} ({sku.name})", quantity))
    return made


def label_page(world: World, package: Package, size: str) -> Page:
    order = world.order_of_package(package)
    buyer = Buyer(order.buyer)
    page, k = _scaled(size)
    top = page.height - MARGIN * k
    option = next(o for o in DELIVERY_OPTIONS if o[0] == package.delivery_option_id)
    page.text(MARGIN * k, top - 16 * k, package.provider or "Carrier", 16 * k, bold=True)
    page.text(MARGIN * k, top - 28 * k, option[1], 8 * k)
    page.text(page.width - MARGIN * k - 62 * k, top - 16 * k, "TikTok Shop", 10 * k, bold=True)
    page.rule(top - 36 * k, MARGIN * k)
    street, city, _state, code, postal, contact, _phone = next(
        w for w in WAREHOUSES if w[0] == order.warehouse_id)[4]
    y = top - 48 * k
    for i, line in enumerate(("FROM:", "Demo Shop", contact, street, f"{city}, {code} {postal}")):
        page.text(MARGIN * k, y - i * 9 * k, line, 7 * k, bold=i == 0)
    y -= 54 * k
    page.text(MARGIN * k, y, "SHIP TO:", 9 * k, bold=True)
    for i, line in enumerate(buyer.address_lines()):
        page.text(MARGIN * k, y - (i + 1) * 13 * k, line, 11 * k, bold=i == 0)
    y -= 72 * k
    page.rule(y, MARGIN * k)
    tracking = package.tracking_number or order.id
    draw_barcode(page, tracking, y - 80 * k, 68 * k)
    page.centered(y - 94 * k, ("TRACKING # " if package.tracking_number else "ORDER # ")
                  + tracking, 9 * k, bold=True)
    y -= 104 * k
    page.rule(y, MARGIN * k)
    page.text(MARGIN * k, y - 12 * k, f"Order ID: {order.id}", 8 * k, bold=True)
    page.text(MARGIN * k, y - 22 * k, f"Package ID: {package.id}", 7 * k)
    items = _items(world, package)
    page.text(MARGIN * k, y - 32 * k, f"Items: {sum(q for _, _, q in items)}", 7 * k)
    for i, (_title, sku, quantity) in enumerate(items[:4]):
        page.text(MARGIN * k, y - (42 + i * 9) * k, f"{quantity} x {sku}"[:60], 7 * k)
    return page


def packing_slip_page(world: World, package: Package, size: str) -> Page:
    order = world.order_of_package(package)
    page, k = _scaled(size)
    top = page.height - MARGIN * k
    page.text(MARGIN * k, top - 16 * k, "PACKING SLIP", 14 * k, bold=True)
    page.text(MARGIN * k, top - 30 * k, f"Order ID: {order.id}", 8 * k, bold=True)
    page.text(MARGIN * k, top - 40 * k, f"Package ID: {package.id}", 7 * k)
    placed = time.strftime("%Y-%m-%d", time.gmtime(order.create_time))
    page.text(MARGIN * k, top - 50 * k, f"Order date: {placed}", 7 * k)
    page.rule(top - 58 * k, MARGIN * k)
    y = top - 72 * k
    for title, sku, quantity in _items(world, package):
        page.text(MARGIN * k, y, f"{quantity} x {title}"[:48], 8 * k, bold=True)
        page.text(MARGIN * k + 12 * k, y - 10 * k, sku[:60], 7 * k)
        y -= 24 * k
        if y < 70 * k:
            break
    draw_barcode(page, order.id, 22 * k, 30 * k)
    page.centered(12 * k, order.id, 7 * k)
    return page


def document_pdf(world: World, document: Document) -> bytes:
    """The PDF behind a doc_url."""
    package = world.packages.rows[document.package_id]
    pages = []
    if document.document_type in ("SHIPPING_LABEL", "SHIPPING_LABEL_AND_PACKING_SLIP"):
        pages.append(label_page(world, package, document.size))
    if document.document_type in ("PACKING_SLIP", "SHIPPING_LABEL_AND_PACKING_SLIP"):
        pages.append(packing_slip_page(world, package, document.size))
    order = world.order_of_package(package)
    return write_pdf(pages, f"{document.document_type} {order.id}")
