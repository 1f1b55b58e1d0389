"""The detail pane beside the Listings table: one product's SKUs with their variant, seller SKU,
price and stock in each warehouse, why it failed review (TikTok's reasons and suggestions, in
full), and "Open in Seller Center".

Seller Center has a host per market (seller-us.tiktok.com, seller-uk.tiktok.com, …) and a
product's page at /product/edit/<product id>. TikTok's API reference does not document these
pages; the shape is the one Seller Center itself uses. A shop whose market is not known opens the
global Seller Center's product list.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from tiktok_desktop.store import ListingDetail
from tiktok_desktop.store.listings import SkuLine
from tiktok_desktop.ui.formatting import date_time_long, money
from tiktok_desktop.ui.listings.model import price_range

GLOBAL_SELLER_CENTER = "https://seller.tiktokglobalshop.com"
# A shop's region code → its Seller Center's market in the host name (UK is GB in the API).
MARKET_OF_REGION = {"GB": "uk"}
RED = "#c62828"
MUTED = "#6b6b6b"
STYLE = f"""
h2 {{ margin: 0; }}
h3 {{ margin-top: 14px; margin-bottom: 4px; }}
.muted {{ color: {MUTED}; }}
.failed {{ color: {RED}; font-weight: bold; }}
td {{ padding: 1px 8px 1px 0; }}
td.number {{ text-align: right; white-space: nowrap; }}
"""


def seller_center_url(region: str | None, product_id: str) -> str:
    """The product's page in the Seller Center of the shop's market."""
    if not region:
        return f"{GLOBAL_SELLER_CENTER}/product/manage"
    market = MARKET_OF_REGION.get(region.upper(), region.lower())
    return f"https://seller-{quote(market)}.tiktok.com/product/edit/{quote(product_id)}"


def _sku_rows(skus: tuple[SkuLine, ...]) -> str:
    warehouses = list(dict.fromkeys(w.warehouse for sku in skus for w in sku.stock))
    head = "".join(f"<th>{escape(name)}</th>" for name in warehouses)
    lines = [f"<tr><th align='left'>Variant</th><th align='left'>Seller SKU</th>"
             f"<th>Price</th>{head}</tr>"]
    for sku in skus:
        stock = {w.warehouse: w.available for w in sku.stock}
        cells = "".join(
            f"<td class='number'>{'' if stock.get(w) is None else f'{stock[w]:,}'}</td>"
            for w in warehouses)
        lines.append(f"<tr><td>{escape(sku.variant or '—')}</td>"
                     f"<td>{escape(sku.seller_sku or '—')}</td>"
                     f"<td class='number'>{escape(money(sku.price, sku.currency))}</td>"
                     f"{cells}</tr>")
    return f"<table cellspacing='0' cellpadding='3'>{''.join(lines)}</table>"


def detail_html(detail: ListingDetail) -> str:
    row = detail.row
    stock = "not known yet" if row.total_stock is None else f"{row.total_stock:,} in stock"
    parts = [f"<style>{STYLE}</style>", f"<h2>{escape(row.title)}</h2>",
             f"<p><span class='{'failed' if row.status == 'FAILED' else ''}'>"
             f"{escape(row.status_name)}</span> · {escape(price_range(row))} · {stock}<br>"
             f"<span class='muted'>Product {escape(row.product_id)}"
             f"{' · updated ' + escape(date_time_long(row.updated)) if row.updated else ''}"
             "</span></p>"]
    if detail.review_failures:
        parts.append("<h3 class='failed'>Why it failed review</h3>")
        for failure in detail.review_failures:
            parts.append(f"<p><b>{escape(failure.position or 'The listing')}</b></p><ul>")
            parts.extend(f"<li>{escape(reason)}</li>" for reason in failure.reasons)
            parts.append("</ul>")
            if failure.suggestions:
                parts.append("<p class='muted'>TikTok suggests:</p><ul>")
                parts.extend(f"<li>{escape(tip)}</li>" for tip in failure.suggestions)
                parts.append("</ul>")
    elif row.status == "FAILED":
        parts.append("<p class='muted'>TikTok gave no reason this app could read. Seller "
                     "Center shows it.</p>")
    count = len(detail.skus)
    parts.append(f"<h3>{count} SKU{'' if count == 1 else 's'}</h3>")
    parts.append(_sku_rows(detail.skus) if detail.skus else
                 "<p class='muted'>No SKUs cached for this product.</p>")
    return "".join(parts)


class ListingDetailPane(QWidget):
    opened = Signal(str)  # the Seller Center page opened (tests wait on it)

    def __init__(self, region: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.region = region
        self.product_id: str | None = None
        self.text = QTextBrowser(self)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.setOpenLinks(False)
        self.open_button = QPushButton("Open in Seller Center", self)
        self.open_button.setToolTip("This product's page in TikTok Shop Seller Center, in your "
                                    "browser")
        self.open_button.clicked.connect(self.open_in_seller_center)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        self.show_listing(None)

    def show_listing(self, detail: ListingDetail | None) -> None:
        self.product_id = detail.row.product_id if detail else None
        self.open_button.setEnabled(detail is not None)
        self.text.setHtml(detail_html(detail) if detail else
                          f"<p style='color: {MUTED}'>Choose a product to see its SKUs.</p>")

    @Slot()
    def open_in_seller_center(self) -> None:
        if self.product_id is None:
            return
        url = seller_center_url(self.region, self.product_id)
        QDesktopServices.openUrl(QUrl(url))
        self.opened.emit(url)
