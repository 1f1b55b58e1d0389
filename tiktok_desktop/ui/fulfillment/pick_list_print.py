"""The pick list on paper: a table to carry along the shelves, on A4, Letter or a 4x6 label.

Laid out by QTextDocument straight on the printer (its resolution, its page), so one code path
prints to a real printer and to a PDF. The table's header row repeats on every page, and a box
on each line is there to tick while picking.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Literal

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextDocument,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

from tiktok_desktop.services.pick_list import PickLine, package_count, total_units
from tiktok_desktop.ui.formatting import date_time_long

log = logging.getLogger(__name__)

PickPaper = Literal["A4", "Letter", "4x6"]
MARGINS_MM: dict[PickPaper, float] = {"A4": 10.0, "Letter": 10.0, "4x6": 3.0}
# A 4x6 label is a third as wide as A4: a smaller type keeps six columns readable on it.
FONT_PT: dict[PickPaper, float] = {"A4": 10.0, "Letter": 10.0, "4x6": 7.0}
ZEBRA = "#efefef"
HEADER_BACKGROUND = "#d6d6d6"
MUTED = "#555555"
CHECK_BOX = "☐"
# Sizes are relative (Qt maps them on the document's default font), so one HTML suits every paper.
STYLE = f"""
h2 {{ margin: 0; }}
p.summary {{ margin-top: 2px; margin-bottom: 0; color: {MUTED}; }}
th {{ text-align: left; background-color: {HEADER_BACKGROUND}; }}
th.qty {{ text-align: right; }}
td.check {{ font-size: large; }}
td.qty {{ font-weight: bold; text-align: right; }}
td.orders {{ font-size: small; }}
.muted {{ color: {MUTED}; }}
"""


class PrinterNotReady(RuntimeError):
    """The printer (or the PDF file) would not take the pick list; the message says so plainly."""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def pick_summary(lines: Sequence[PickLine]) -> str:
    """"12 units of 5 SKUs in 7 packages"."""
    return (f"{_plural(total_units(lines), 'unit', 'units')} of "
            f"{_plural(len(lines), 'SKU', 'SKUs')} in "
            f"{_plural(package_count(lines), 'package', 'packages')}")


def _row(line: PickLine, zebra: bool) -> str:
    background = f' bgcolor="{ZEBRA}"' if zebra else ""
    sku = escape(line.seller_sku) if line.seller_sku else '<span class="muted">—</span>'
    return (f"<tr{background}>"
            f'<td class="check">{CHECK_BOX}</td>'
            f"<td>{sku}</td>"
            f"<td>{escape(line.product_name)}</td>"
            f"<td>{escape(line.variant)}</td>"
            f'<td class="qty" align="right"><b>{line.quantity:,}</b></td>'
            f'<td class="orders">{escape(" ".join(line.order_ids))}</td>'
            "</tr>")


def pick_list_html(lines: Sequence[PickLine], title: str, made_at: datetime) -> str:
    """The printable pick list: heading, when it was made, totals, then one row per SKU.

    Everything from the shop (product names, variants, SKUs are typed by sellers) is escaped.
    Zebra rows are set row by row: Qt's rich text has no :nth-child.
    """
    when = date_time_long(int(made_at.timestamp()), made_at.tzinfo)
    rows = "".join(_row(line, zebra=i % 2 == 1) for i, line in enumerate(lines))
    if not rows:
        rows = '<tr><td></td><td colspan="5" class="muted">Nothing to pick.</td></tr>'
    return (f"<html><head><style>{STYLE}</style></head><body>"
            f"<h2>Pick list — {escape(title)}</h2>"
            f'<p class="summary">{escape(when)}<br>{escape(pick_summary(lines))}</p>'
            '<table width="100%" cellspacing="0" cellpadding="3" style="margin-top: 8px">'
            "<thead><tr>"
            '<th width="4%"></th><th width="14%">Seller SKU</th><th width="24%">Product</th>'
            '<th width="12%">Variant</th>'
            '<th width="6%" class="qty" align="right" nowrap>Qty</th>'
            '<th width="40%">Orders</th>'
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            "</body></html>")


def paper_size(paper: PickPaper) -> QPageSize:
    """The page for the paper, portrait; A4 and Letter by their ids so drivers know them."""
    if paper == "A4":
        return QPageSize(QPageSize.PageSizeId.A4)
    if paper == "Letter":
        return QPageSize(QPageSize.PageSizeId.Letter)
    # Label stock: exactly 4 x 6 in, named as thermal-printer drivers list it.
    return QPageSize(QSizeF(4.0, 6.0), QPageSize.Unit.Inch, "4x6 in",
                     QPageSize.SizeMatchPolicy.ExactMatch)


def _set_paper(printer: QPrinter, paper: PickPaper) -> None:
    """Ask the printer for the paper; a driver that refuses keeps its own and the list still fits,
    since it is laid out on whatever page the printer ends up with."""
    printer.setFullPage(False)  # a printer just used for labels is in full-page mode: no margins
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    if not printer.setPageSize(paper_size(paper)):
        log.warning("The printer refused the %s page size; printing on its own", paper)
    margin = MARGINS_MM[paper]
    if not printer.setPageMargins(QMarginsF(margin, margin, margin, margin),
                                  QPageLayout.Unit.Millimeter):
        log.warning("The printer refused %s mm margins; printing with its own", margin)


def _pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """Page numbers (from 1) in the range and order chosen in a print dialog; all by default."""
    ranges = printer.pageRanges()
    pages = [p for p in range(1, count + 1) if ranges.isEmpty() or ranges.contains(p)]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def print_pick_list(lines: Sequence[PickLine], title: str, printer: QPrinter,
                    paper: PickPaper = "A4", made_at: datetime | None = None) -> int:
    """Print the pick list on the paper given; returns how many pages were printed.

    Raises PrinterNotReady when the printer (or PDF file) can't be opened or fails mid-way.
    """
    _set_paper(printer, paper)
    document = QTextDocument()
    # Laid out at the printer's resolution, so type and rules come out at their real size.
    document.documentLayout().setPaintDevice(printer)
    font = QFont(document.defaultFont())
    font.setPointSizeF(FONT_PT[paper])
    document.setDefaultFont(font)
    document.setDocumentMargin(0)  # the page margins are the printer's
    # Break lines between words only: an order id cut in two can't be read back or searched.
    wrap = document.defaultTextOption()
    wrap.setWrapMode(QTextOption.WrapMode.WordWrap)
    document.setDefaultTextOption(wrap)
    document.setHtml(pick_list_html(lines, title, made_at or datetime.now().astimezone()))
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    document.setPageSize(page.size())  # paginates; a <thead> row then repeats on every page
    pages = _pages_to_print(printer, document.pageCount())
    if not pages:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterNotReady("The printer could not start printing the pick list.")
    try:
        for i, number in enumerate(pages):
            if i and not printer.newPage():
                printer.abort()  # a print queue drops the half-sent job
                raise PrinterNotReady("The printer stopped in the middle of the pick list.")
            top = (number - 1) * page.height()
            painter.save()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
    finally:
        painter.end()
    return len(pages)
