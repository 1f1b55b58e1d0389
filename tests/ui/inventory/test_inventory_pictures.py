"""Variants and product pictures in the Inventory table: the Variant column when there are
variants, a thumbnail beside each product's name, decoded once per product."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from inventory_samples import SHOP, OfflineSession, product_id, sku_id
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QImage, QPixmap
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox.png import encode_rgb
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui import pictures
from tiktok_desktop.ui.inventory import InventoryTab
from tiktok_desktop.ui.inventory.table_model import PRODUCT, VARIANT
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

TEE, HOODIE, BEANIE = product_id(0), product_id(1), product_id(2)


def png(red: int) -> bytes:
    return encode_rgb(4, [bytes([red, 90, 40] * 4)] * 4)


def save_picture(session: OfflineSession, product: str, link: str, data: bytes) -> None:
    with Store.open(session.store_path) as store:
        store.save_page(SHOP, "product_details", [{
            "product_id": product, "product_update_time": 1_700_000_000,
            "details": {"id": product, "main_images": [{"uri": "u", "thumb_urls": [link]}]},
            "image": {"url": link, "data": data}}], None)


def picture(tab: InventoryTab, product: str) -> QPixmap | None:
    model = tab.model
    rows = [r for r in range(model.rowCount()) if model.cell(r).product_id == product]
    found = [model.index(r, PRODUCT).data(Qt.ItemDataRole.DecorationRole) for r in rows]
    keys = {None if p is None else p.cacheKey() for p in found}
    assert len(keys) == 1  # one pixmap shared by the product's rows
    return found[0]


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    real = pictures.thumbnail

    def counting(data: bytes, pixel_ratio: float) -> QImage:
        seen.append(data)
        return real(data, pixel_ratio)

    monkeypatch.setattr(pictures, "thumbnail", counting)
    return seen


@pytest.fixture
def open_tab(qtbot: QtBot, session: OfflineSession, tasks: ImmediateTaskRunner,
             settings: Settings) -> Iterator[Callable[[], InventoryTab]]:
    opened: list[InventoryTab] = []

    def make() -> InventoryTab:
        tab = InventoryTab(session, tasks, settings)
        qtbot.addWidget(tab)
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        tab.shop_closing()


def test_each_product_shows_its_picture_decoded_once(
    open_tab, session: OfflineSession, decoded: list[bytes], qtmodeltester: ModelTester
) -> None:
    save_picture(session, TEE, "https://img.example/tee.png", png(200))
    tab = open_tab()
    qtmodeltester.check(tab.model)
    tee = picture(tab, TEE)
    assert isinstance(tee, QPixmap) and not tee.isNull()
    assert tee.deviceIndependentSize() == QSizeF(pictures.THUMBNAIL_PX, pictures.THUMBNAIL_PX)
    assert picture(tab, HOODIE) is None
    assert tab.table.iconSize().width() == pictures.THUMBNAIL_PX
    tab.reload()
    tab.refresh(Changes.of(SHOP, stock=3))
    # Read and decoded once: the same pixmap as before.
    assert decoded == [png(200)] and picture(tab, TEE).cacheKey() == tee.cacheKey()
    # A sync brings the hoodie's picture and a new one for the tee.
    save_picture(session, HOODIE, "https://img.example/hoodie.png", png(20))
    save_picture(session, TEE, "https://img.example/tee-2.png", png(120))
    tab.refresh(Changes.of(SHOP, product_images=2))
    assert sorted(decoded) == sorted([png(200), png(20), png(120)])
    assert picture(tab, HOODIE) is not None
    assert picture(tab, TEE).cacheKey() != tee.cacheKey()


def test_an_unreadable_picture_shows_none_and_is_not_decoded_again(
    open_tab, session: OfflineSession, decoded: list[bytes]
) -> None:
    save_picture(session, BEANIE, "https://img.example/beanie.png", b"not a picture")
    tab = open_tab()
    tab.reload()
    assert picture(tab, BEANIE) is None and decoded == [b"not a picture"]


def test_the_variant_column_shows_once_the_variants_are_known(
    open_tab, session: OfflineSession
) -> None:
    with Store.open(session.store_path) as store:  # as Search Products leaves them
        store.conn.execute("UPDATE skus SET variant = NULL")
    tab = open_tab()
    assert tab.table.isColumnHidden(VARIANT)
    with Store.open(session.store_path) as store:
        store.save_page(SHOP, "product_details", [{
            "product_id": HOODIE, "product_update_time": 1_700_000_000,
            "details": {"id": HOODIE, "skus": [{"id": sku_id(1, 0), "sales_attributes": [
                {"name": "Colour", "value_name": "Grey"}, {"name": "Size", "value_name": "M"}]}]},
        }], None)
    tab.refresh(Changes.of(SHOP, skus=1))
    assert not tab.table.isColumnHidden(VARIANT)
    variants = {tab.model.index(r, VARIANT).data() for r in range(tab.model.rowCount())}
    assert "Grey, M" in variants
