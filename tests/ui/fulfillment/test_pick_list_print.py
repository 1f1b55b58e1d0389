"""The printed pick list, checked in the PDF it makes (there are no real printers here)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageRanges, QPainter, QTextDocument
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from tiktok_desktop.services.pick_list import PickLine, PickUnit, pick_list
from tiktok_desktop.ui.fulfillment.pick_list_print import (
    PickPaper,
    PrinterNotReady,
    pick_list_html,
    pick_summary,
    print_pick_list,
)

MADE_AT = datetime(2026, 6, 2, 9, 30, tzinfo=timezone(timedelta(hours=2)))
POINTS_PER_INCH = 72
POINTS_PER_MM = 72 / 25.4
PAGE_POINTS = {
    "A4": QSizeF(210 * POINTS_PER_MM, 297 * POINTS_PER_MM),
    "Letter": QSizeF(8.5 * POINTS_PER_INCH, 11 * POINTS_PER_INCH),
    "4x6": QSizeF(4 * POINTS_PER_INCH, 6 * POINTS_PER_INCH),
}


def unit(package: str, order: str, sku_id: str, seller_sku: str, product: str,
         variant: str = "") -> PickUnit:
    return PickUnit(package_id=package, order_id=order, sku_id=sku_id, seller_sku=seller_sku,
                    product_name=product, variant=variant)


@pytest.fixture
def day() -> list[PickLine]:
    """A small day: a multi-unit order, a SKU in two orders, a name that looks like HTML."""
    return pick_list([
        *[unit("P1", "576001", "S1", "TEE-2", "Cotton tee", "Black, M")] * 3,
        unit("P2", "576002", "S1", "TEE-2", "Cotton tee", "Black, M"),
        unit("P2", "576002", "S2", "TEE-10", "<b>Tee & Co</b>", "Red"),
        unit("P3", "576003", "S3", "", "Camiseta algodón"),
    ])


def many_skus(count: int) -> list[PickLine]:
    return pick_list(unit(f"P{i % 40}", f"5760{i % 90:04d}", f"S{i}", f"SKU-{i}",
                          f"Product number {i} with a fairly long name", "Size M")
                     for i in range(count))


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def read_pdf(path: Path) -> QPdfDocument:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return document


def page_text(document: QPdfDocument, page: int) -> str:
    return document.getAllText(page).text()


def test_the_html_escapes_what_sellers_typed(qapp):
    lines = [PickLine(seller_sku="<i>X&1", product_name="<b>Tee & Co</b>",
                      variant='"Red" <script>', sku_id="S1", quantity=2,
                      order_ids=("<o1>",), package_ids=("P1",))]
    html = pick_list_html(lines, "June <2nd> & co", MADE_AT)
    assert "&lt;b&gt;Tee &amp; Co&lt;/b&gt;" in html
    assert "<b>Tee" not in html and "<script>" not in html and "<i>X" not in html
    text = QTextDocument()
    text.setHtml(html)
    plain = text.toPlainText()
    assert "Pick list — June <2nd> & co" in plain
    assert "<b>Tee & Co</b>" in plain
    assert "<i>X&1" in plain
    assert '"Red" <script>' in plain
    assert "<o1>" in plain


def test_the_heading_says_when_and_how_much(qapp, day):
    text = QTextDocument()
    text.setHtml(pick_list_html(day, "Tuesday", MADE_AT))
    plain = text.toPlainText()
    assert plain.startswith("Pick list — Tuesday\n")
    assert "2 Jun 2026, 09:30" in plain
    assert "6 units of 3 SKUs in 3 packages" in plain
    # One row per SKU, with a box to tick, the quantity, each order once.
    assert "☐\nTEE-2\nCotton tee\nBlack, M\n4\n576001 576002" in plain
    assert "☐\nTEE-10\n<b>Tee & Co</b>\nRed\n1\n576002" in plain
    assert "☐\n—\nCamiseta algodón\n\n1\n576003" in plain  # no seller SKU: last, a dash


def test_the_summary_reads_in_the_singular_too():
    one = [PickLine("A", "Mug", "", "S1", 1, ("O1",), ("P1",))]
    assert pick_summary(one) == "1 unit of 1 SKU in 1 package"
    assert pick_summary([]) == "0 units of 0 SKUs in 0 packages"


def test_zebra_rows_and_a_repeating_header_row(day):
    html = pick_list_html(day, "Tuesday", MADE_AT)
    assert html.count('bgcolor="#efefef"') == 1  # the second of three rows
    assert "<thead><tr>" in html


@pytest.mark.parametrize("paper", ["A4", "Letter", "4x6"])
def test_the_page_is_the_paper_asked_for(qapp, tmp_path, day, paper: PickPaper):
    path = tmp_path / f"pick-{paper}.pdf"
    printer = pdf_printer(path)
    assert print_pick_list(day, "Tuesday", printer, paper, MADE_AT) == 1
    document = read_pdf(path)
    assert document.pageCount() == 1
    size, expected = document.pagePointSize(0), PAGE_POINTS[paper]
    assert abs(size.width() - expected.width()) <= 0.5
    assert abs(size.height() - expected.height()) <= 0.5
    margins = printer.pageLayout().margins(QPageLayout.Unit.Millimeter)
    expected_mm = 3.0 if paper == "4x6" else 10.0
    assert margins.left() == pytest.approx(expected_mm)
    assert margins.top() == pytest.approx(expected_mm)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Portrait
    text = page_text(document, 0)
    assert "Pick list — Tuesday" in text
    # Printed literally, not as bold markup (a 4x6 label wraps it, hence no spaces compared).
    assert "<b>Tee&Co</b>" in "".join(text.split())


def test_margins_come_back_after_labels_printed_full_page(qapp, tmp_path, day):
    path = tmp_path / "after-labels.pdf"
    printer = pdf_printer(path)
    printer.setFullPage(True)  # as label printing leaves it
    print_pick_list(day, "Tuesday", printer, "4x6", MADE_AT)
    assert not printer.fullPage()
    assert printer.pageRect(QPrinter.Unit.Millimeter).left() == pytest.approx(3.0)


def test_a_long_list_runs_over_pages_with_the_header_on_each(qapp, tmp_path):
    path = tmp_path / "long.pdf"
    lines = many_skus(300)
    pages = print_pick_list(lines, "Busy day", pdf_printer(path), "A4", MADE_AT)
    document = read_pdf(path)
    assert pages == document.pageCount()
    assert pages >= 4
    for page in range(pages):
        assert "Seller SKU" in page_text(document, page)
    assert "SKU-1\n" not in page_text(document, pages - 1)
    assert "SKU-299" in page_text(document, pages - 1)  # natural order: the last one last


def test_a_label_printer_gets_more_pages_than_a4(qapp, tmp_path):
    lines = many_skus(60)
    a4 = print_pick_list(lines, "Day", pdf_printer(tmp_path / "a4.pdf"), "A4", MADE_AT)
    label_path = tmp_path / "4x6.pdf"
    labels = print_pick_list(lines, "Day", pdf_printer(label_path), "4x6", MADE_AT)
    assert labels > a4
    assert labels == read_pdf(label_path).pageCount()


def test_only_the_pages_chosen_in_the_print_dialog(qapp, tmp_path):
    path = tmp_path / "some.pdf"
    printer = pdf_printer(path)
    chosen = QPageRanges()
    chosen.addRange(2, 3)
    printer.setPageRanges(chosen)
    assert print_pick_list(many_skus(300), "Day", printer, "A4", MADE_AT) == 2
    document = read_pdf(path)
    assert document.pageCount() == 2
    assert "Pick list" not in page_text(document, 0)  # the heading is on page 1


def test_nothing_to_pick_is_one_page_saying_so(qapp, tmp_path):
    path = tmp_path / "empty.pdf"
    assert print_pick_list([], "Quiet day", pdf_printer(path), "Letter", MADE_AT) == 1
    text = page_text(read_pdf(path), 0)
    assert "0 units of 0 SKUs in 0 packages" in text
    assert "Nothing to pick." in text


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_will_not_start_is_reported(qapp, tmp_path, day):
    printer = pdf_printer(tmp_path / "no such folder" / "pick.pdf")
    with pytest.raises(PrinterNotReady, match="could not start"):
        print_pick_list(day, "Tuesday", printer)


def test_the_printed_page_is_ink_on_white(qapp, tmp_path, day):
    # QtPdf renders with a transparent background; a preview paints it on white first.
    path = tmp_path / "pick.pdf"
    print_pick_list(day, "Tuesday", pdf_printer(path), "A4", MADE_AT)
    document = read_pdf(path)
    size = QSize(595, 842)
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    painter = QPainter(page)
    painter.drawImage(0, 0, document.render(0, size))
    painter.end()
    assert page.pixelColor(2, 2) == QColor("white")  # inside the margin
    dark = sum(page.pixelColor(x, y).lightness() < 100
               for x in range(0, 595, 3) for y in range(20, 200, 3))
    assert dark > 50  # the heading and the first rows are printed
