"""The Listings tab on a small cached shop: status tabs with counts, the listing health and its
clicks, search, sort, quick filters, the detail pane (SKUs, review failures, Seller Center), a
scan, copying, and the status tab remembered for the next start."""

from __future__ import annotations

from listing_samples import REVIEW_FAILURES, SHOP, product_id
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from pytestqt.qtbot import QtBot

from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.listings import Show
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.listings.detail import seller_center_url
from tiktok_desktop.ui.listings.model import PRICE, STOCK


def titles(tab: ListingsTab) -> list[str]:
    return [tab.model.row(r).title for r in range(tab.model.rowCount())]


def tab_texts(tab: ListingsTab) -> list[str]:
    bar = tab.filters.status_tabs
    return [bar.tabText(i) for i in range(bar.count())]


def select(tab: ListingsTab, title: str) -> None:
    tab.select_row(titles(tab).index(title))


def test_status_tabs_count_every_state_in_plain_words(tab: ListingsTab, qtmodeltester) -> None:
    assert tab_texts(tab) == [
        "All (8)", "Live (2)", "In review (1)", "Failed review (1)", "Deactivated by you (1)",
        "Deactivated by TikTok (1)", "Frozen (1)", "Draft (1)", "Deleted (1)"]
    assert "Trucker cap" not in titles(tab) and len(titles(tab)) == 8
    tab.filters.set_status("Deleted")
    assert titles(tab) == ["Trucker cap"]
    tee = tab.model.row_of(product_id(0))
    assert tee is None  # listed in the All tab, not here
    qtmodeltester.check(tab.model)


def test_rows_read_as_a_seller_reads_them(tab: ListingsTab) -> None:
    row = titles(tab).index("Cotton tee")
    assert [tab.model.text(row, c) for c in range(6)][:5] == [
        "Cotton tee", "Live", "2", "£12.50 – £14.00", "48"]


def test_the_health_counts_are_clicks_that_filter(tab: ListingsTab) -> None:
    buttons = tab.filters.health_buttons
    assert [b.text() for b in buttons.values()] == [
        "2 live", "1 in review", "1 failing review", "1 live but out of stock"]
    buttons["out_of_stock"].click()
    assert tab.filters.status == "Live" and tab.filters.quick_filter is Show.OUT_OF_STOCK
    assert titles(tab) == ["Hoodie"]
    buttons["failing_review"].click()
    assert tab.filters.status == "Failed review"
    assert titles(tab) == ["Glitter phone case"]


def test_search_finds_title_seller_sku_and_part_of_a_product_id(qtbot: QtBot,
                                                               tab: ListingsTab) -> None:
    qtbot.keyClicks(tab.filters.search, "scarf")
    qtbot.waitUntil(lambda: titles(tab) == ["Wool scarf"])
    assert tab_texts(tab)[0] == "All (1)" and tab.filters.summary.text() == "1 listing"
    tab.filters.search.clear()
    qtbot.keyClicks(tab.filters.search, product_id(6)[-7:])
    qtbot.waitUntil(lambda: titles(tab) == ["Enamel mug"])
    tab.filters.search.clear()
    assert len(titles(tab)) == 8


def test_sorting_by_a_column_asks_the_cache_in_that_order(tab: ListingsTab) -> None:
    tab.table.sortByColumn(STOCK, Qt.SortOrder.DescendingOrder)
    stock = [tab.model.row(r).total_stock for r in range(tab.model.rowCount())]
    assert stock == sorted(stock, reverse=True) and stock[0] == 48
    tab.table.sortByColumn(PRICE, Qt.SortOrder.AscendingOrder)
    assert titles(tab)[0] == "Ankle socks"  # £6.00


def test_no_sales_in_30_days(tab: ListingsTab) -> None:
    tab.filters.set_quick_filter(Show.NO_SALES)
    assert "Cotton tee" not in titles(tab) and "Beanie" in titles(tab)
    assert len(titles(tab)) == 7


def test_the_detail_shows_skus_stock_per_warehouse_and_why_review_failed(
        tab: ListingsTab) -> None:
    select(tab, "Cotton tee")
    text = tab.detail.text.toPlainText()
    assert "TEE-BLK-M" in text and "Main warehouse" in text and "East Coast" in text
    assert "£12.50" in text and "2 SKUs" in text and "failed review" not in text
    select(tab, "Glitter phone case")
    assert tab.detail.product_id == product_id(3)
    text = tab.detail.text.toPlainText()
    assert "Why it failed review" in text
    for failure in REVIEW_FAILURES:
        assert failure["position"] in text
        for line in failure["reasons"] + failure["suggestions"]:
            assert line in text


def test_open_in_seller_center_opens_the_product_s_page(tab: ListingsTab, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened.append(QUrl(url).toString()) or True)
    assert not tab.detail.open_button.isEnabled()  # nothing chosen yet
    select(tab, "Beanie")
    tab.detail.open_button.click()
    assert opened == [f"https://seller-uk.tiktok.com/product/edit/{product_id(2)}"]


def test_seller_center_has_a_host_per_market() -> None:
    assert seller_center_url("US", "17") == "https://seller-us.tiktok.com/product/edit/17"
    assert seller_center_url("MY", "17") == "https://seller-my.tiktok.com/product/edit/17"
    assert seller_center_url(None, "17").endswith("/product/manage")


def test_a_scanned_sku_selects_its_product_whatever_the_filters(tab: ListingsTab) -> None:
    tab.filters.set_status("Live")
    tab.filters.set_quick_filter(Show.OUT_OF_STOCK)
    assert tab.take_scan("CANDLE-SAGE")
    assert tab.filters.status == "All" and tab.filters.quick_filter is Show.EVERYTHING
    assert tab.detail.product_id == product_id(5)
    assert tab.filters.search.text() == "CANDLE-SAGE"
    assert tab.take_scan("CAP-BLK")  # a deleted listing: in its own tab
    assert tab.filters.status == "Deleted" and tab.detail.product_id == product_id(8)
    assert not tab.take_scan("576000000000000001")  # an order number is not for this tab


def test_enter_in_the_search_box_selects_the_exact_code_or_the_first_match(
        qtbot: QtBot, tab: ListingsTab) -> None:
    tab.filters.search.setText(product_id(1))
    tab.filters.search.returnPressed.emit()
    assert tab.detail.product_id == product_id(1)
    tab.filters.search.setText("candle")
    tab.filters.search.returnPressed.emit()
    assert tab.detail.product_id == product_id(5)


def test_copy_gives_the_selected_listings_with_column_titles(tab: ListingsTab) -> None:
    tab.filters.set_status("Frozen")
    tab.edit_actions()["select_all"].trigger()
    tab.edit_actions()["copy"].trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["Product", "Status", "SKUs"]
    assert lines[1].split("\t")[:5] == ["Enamel mug", "Frozen", "1", "£7.50", "4"]


def test_a_sync_that_changes_listings_is_shown(tab: ListingsTab, session) -> None:
    with Store.open(session.store_path) as store:
        changes = store.save_page(SHOP, "products", [{
            "id": product_id(1), "title": "Hoodie", "status": "FREEZE",
            "update_time": 1_900_000_000, "skus": []}], None)
    tab.refresh(changes)
    assert tab_texts(tab)[1] == "Live (1)" and tab_texts(tab)[6] == "Frozen (2)"


def test_the_status_tab_and_filter_are_remembered(qtbot: QtBot, tab: ListingsTab, session,
                                                  tasks, settings) -> None:
    tab.filters.set_status("Deactivated by you")
    tab.filters.set_quick_filter(Show.OUT_OF_STOCK)
    tab.save_state()
    tab.shop_closing()
    again = ListingsTab(session, tasks, settings)
    qtbot.addWidget(again)
    assert again.filters.status == "Deactivated by you"
    assert again.filters.quick_filter is Show.OUT_OF_STOCK
    assert titles(again) == ["Wool scarf"]
    again.shop_closing()


def test_new_orders_are_read_only_while_no_sales_is_shown(qtbot: QtBot, tab: ListingsTab) -> None:
    with qtbot.assertNotEmitted(tab.listed):
        tab.refresh(Changes.of(SHOP, orders=3))
    tab.filters.set_quick_filter(Show.NO_SALES)
    with qtbot.waitSignal(tab.listed, timeout=1000):
        tab.refresh(Changes.of(SHOP, orders=3))
