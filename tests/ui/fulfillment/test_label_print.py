"""Shipping labels printed into PDFs and read back: one page per label page, in order, whole,
centred, turned when landscape, pure black and white, at the label size and calibration asked."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

from tiktok_desktop.ui.fulfillment import label_print
from tiktok_desktop.ui.fulfillment.label_print import (
    Calibration,
    PrintFailed,
    PrintJob,
    calibration_page,
    fit,
    page_size,
    print_labels,
    queue_command,
    render_page,
    save_as_one_pdf,
    setup_printer,
)

DPI = 203  # a common thermal head; output pages are read back at the same resolution
PX_PER_MM = DPI / 25.4
INPUT_DPI = 720
Portrait, Landscape = QPageLayout.Orientation.Portrait, QPageLayout.Orientation.Landscape
A6, A5 = QPageSize.PageSizeId.A6, QPageSize.PageSizeId.A5
Draw = Callable[[QPainter, QRectF, float], None]  # painter, page in pixels, pixels per mm


@pytest.fixture(autouse=True)
def app(qapp):  # QPdfDocument needs a (Gui)application
    return qapp


# --- label PDFs made here, in the manner of TikTok's ----------------------------------------

def border(painter: QPainter, page: QRectF, mm: float) -> None:
    """A 2 mm black frame right at the page's edges: any cut shows."""
    w, h, t = page.width(), page.height(), 2 * mm
    for rect in (QRectF(0, 0, w, t), QRectF(0, h - t, w, t), QRectF(0, 0, t, h),
                 QRectF(w - t, 0, t, h)):
        painter.fillRect(rect, Qt.GlobalColor.black)


def bar_y_mm(n: int) -> float:
    return 20.0 + 10.0 * n  # label n's bar: its own height, to tell the pages apart


def label(n: int) -> Draw:
    def draw(painter: QPainter, page: QRectF, mm: float) -> None:
        border(painter, page, mm)
        # Across the middle of an A6 (52 mm) and of an A5 (74 mm) page.
        painter.fillRect(QRectF(35 * mm, bar_y_mm(n) * mm, 55 * mm, 4 * mm), Qt.GlobalColor.black)
        font = QFont("Sans Serif")
        font.setPointSize(10)
        painter.setFont(font)
        painter.drawText(QRectF(6 * mm, bar_y_mm(n) * mm, 26 * mm, 5 * mm), f"LABEL {n}")
        # Greys either side of the threshold (160): darker turns black, lighter turns white.
        painter.fillRect(QRectF(8 * mm, 100 * mm, 20 * mm, 10 * mm), QColor(150, 150, 150))
        painter.fillRect(QRectF(8 * mm, 115 * mm, 20 * mm, 10 * mm), QColor(200, 200, 200))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawLine(int(8 * mm), int(128 * mm), int(28 * mm), int(140 * mm))
    return draw


def corner_square(painter: QPainter, page: QRectF, mm: float) -> None:
    border(painter, page, mm)
    painter.fillRect(QRectF(5 * mm, 5 * mm, 10 * mm, 10 * mm), Qt.GlobalColor.black)


def write_pdf(path: Path, pages: list[tuple[QPageSize.PageSizeId, QPageLayout.Orientation, Draw]]
              ) -> Path:
    writer = QPdfWriter(str(path))
    writer.setResolution(INPUT_DPI)
    painter = QPainter()
    for i, (size, orientation, draw) in enumerate(pages):
        layout = QPageLayout(QPageSize(size), orientation, QMarginsF(0, 0, 0, 0))
        writer.setPageLayout(layout)
        if i == 0:
            assert painter.begin(writer)
        else:
            writer.newPage()
        draw(painter, QRectF(layout.fullRectPixels(INPUT_DPI)), INPUT_DPI / 25.4)
    painter.end()
    return path


@pytest.fixture
def labels(tmp_path: Path) -> dict[str, Path]:
    return {
        "three": write_pdf(tmp_path / "three.pdf", [(A6, Portrait, label(n)) for n in (1, 2, 3)]),
        "four": write_pdf(tmp_path / "four.pdf", [(A6, Portrait, label(4))]),
        "landscape": write_pdf(tmp_path / "landscape.pdf", [(A6, Landscape, corner_square)]),
        "a5": write_pdf(tmp_path / "a5.pdf", [(A5, Portrait, label(5))]),
    }


# --- reading the output back ------------------------------------------------------------------

DARK = bytes(1 if v < 128 else 0 for v in range(256))


@dataclass
class Picture:
    """An output page rendered at the print resolution, as rows of grey bytes."""

    rows: list[bytes]

    @property
    def width(self) -> int:
        return len(self.rows[0])

    @property
    def height(self) -> int:
        return len(self.rows)

    def values(self) -> set[int]:
        return set().union(*(set(row) for row in self.rows))

    def dark(self, x: int, y: int) -> bool:
        return self.rows[y][x] < 128

    def bbox(self) -> tuple[int, int, int, int]:
        """left, top, right, bottom of the dark pixels (inclusive)."""
        marked = [row.translate(DARK) for row in self.rows]
        ys = [y for y, row in enumerate(marked) if 1 in row]
        return (min(row.find(1) for row in marked if 1 in row), ys[0],
                max(row.rfind(1) for row in marked), ys[-1])

    def runs(self, line: bytes) -> list[tuple[int, int]]:
        """(start, length) of each dark run along `line`."""
        found, start = [], None
        for i, value in enumerate([*line, 255]):
            if value < 128 and start is None:
                start = i
            elif value >= 128 and start is not None:
                found.append((start, i - start))
                start = None
        return found

    def column(self, x: int) -> bytes:
        return bytes(row[x] for row in self.rows)


def read_pages(pdf: Path, dpi: int = DPI) -> tuple[list[QSizeF], list[Picture]]:
    doc = QPdfDocument()
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_
    options = QPdfDocumentRenderOptions()
    flag = QPdfDocumentRenderOptions.RenderFlag
    options.setRenderFlags(flag.ImageAliased | flag.TextAliased | flag.PathAliased)
    sizes, pictures = [], []
    for index in range(doc.pageCount()):
        points = doc.pagePointSize(index)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        gray = QImage(size, QImage.Format.Format_Grayscale8)
        gray.fill(255)
        painter = QPainter(gray)
        painter.drawImage(0, 0, doc.render(index, size, options))
        painter.end()
        sizes.append(points)
        pictures.append(Picture([bytes(gray.constScanLine(y))[:size.width()]
                                 for y in range(size.height())]))
    doc.close()
    return sizes, pictures


def input_size(pdf: Path) -> QSizeF:
    doc = QPdfDocument()
    doc.load(str(pdf))
    size = doc.pagePointSize(0)
    doc.close()
    return size


def fitted_height_px(source: QSizeF, page: Picture) -> float:
    """A portrait label fitted to the page's width: its height in output pixels."""
    return source.height() * page.width / source.width()


def label_number(page: Picture, source: QSizeF) -> int:
    """Which LABEL n this page shows, by the height of its bar down the page's middle."""
    top = page.bbox()[1]
    runs = page.runs(page.column(page.width // 2))
    inner = runs[1:-1]  # the first and last are the frame
    assert len(inner) == 1, runs
    start, length = inner[0]
    px_per_mm = page.width / (source.width() * 25.4 / 72)
    return round(((start + length / 2 - top) / px_per_mm - 2 - bar_y_mm(0)) / 10)


def save(job: PrintJob, tmp_path: Path, name: str = "out.pdf") -> tuple[Path, int]:
    path = tmp_path / name
    return path, save_as_one_pdf(job, path)


def pdf_printer(path: Path, dpi: int = DPI) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


# --- fit and page sizes -----------------------------------------------------------------------

def test_fit_scales_evenly_and_turns_a_landscape_page():
    four_by_six = QSizeF(101.6, 152.4)
    factor, rotate = fit(QSizeF(105, 148), four_by_six)  # A6: its width decides
    assert factor == pytest.approx(101.6 / 105) and factor == pytest.approx(0.968, abs=1e-3)
    assert not rotate
    assert fit(QSizeF(148, 105), four_by_six) == (pytest.approx(101.6 / 105), True)
    assert fit(QSizeF(148, 210), four_by_six) == (pytest.approx(101.6 / 148), False)
    assert fit(QSizeF(288, 432), QSizeF(288, 432)) == (pytest.approx(1.0), False)
    assert fit(QSizeF(100, 300), four_by_six) == (pytest.approx(152.4 / 300), False)
    assert fit(QSizeF(100, 100), four_by_six)[1] is False  # a square never turns


def test_page_sizes_are_exact_and_portrait():
    assert page_size("4x6").size(QPageSize.Unit.Millimeter) == QSizeF(101.6, 152.4)
    assert page_size("4x6").size(QPageSize.Unit.Point) == QSizeF(288, 432)
    assert page_size("A6").size(QPageSize.Unit.Millimeter) == QSizeF(105, 148)
    assert page_size("A5").size(QPageSize.Unit.Millimeter) == QSizeF(148, 210)


@pytest.mark.parametrize("size", ["4x6", "A6", "A5"])
def test_setup_printer_takes_the_size_whole_page(size, tmp_path):
    printer = pdf_printer(tmp_path / "x.pdf")
    assert setup_printer(printer, size) is None
    layout = printer.pageLayout()
    assert layout.mode() == QPageLayout.Mode.FullPageMode
    assert layout.orientation() == Portrait
    assert layout.margins(QPageLayout.Unit.Millimeter) == QMarginsF(0, 0, 0, 0)
    got = layout.fullRect(QPageLayout.Unit.Millimeter).size()
    wanted = page_size(size).size(QPageSize.Unit.Millimeter)
    assert got.width() == pytest.approx(wanted.width(), abs=0.1)
    assert got.height() == pytest.approx(wanted.height(), abs=0.1)


class LetterOnlyPrinter(QPrinter):
    """A driver that ignores the page size it is given (as thermal drivers often do)."""

    def pageLayout(self) -> QPageLayout:
        return QPageLayout(QPageSize(QPageSize.PageSizeId.Letter), Portrait, QMarginsF())

    def printerName(self) -> str:
        return "Zebra ZD420"


def test_setup_printer_says_when_the_driver_swaps_the_paper():
    warning = setup_printer(LetterOnlyPrinter(), "4x6")
    assert warning == ('The printer "Zebra ZD420" does not take 4x6 in labels: it would print '
                       "on Letter. Choose the label size in the printer's own settings, or send "
                       "the PDF to the print queue.")


# --- rendering one page -----------------------------------------------------------------------

def test_render_page_is_one_bit_black_and_white_with_a_threshold(labels):
    doc = QPdfDocument()
    doc.load(str(labels["four"]))
    size = QSize(812, 1148)
    image = render_page(doc, 0, size)
    assert image.size() == size
    assert image.format() == QImage.Format.Format_Mono
    assert image.color(0) == 0xFF000000 and image.colorCount() == 2  # black first: see module
    per_mm = 812 / 105  # the A6 page drawn full width

    def black(x_mm: float, y_mm: float) -> bool:
        return image.pixelColor(round(x_mm * per_mm), round(y_mm * per_mm)) == QColor("black")

    assert black(18, 105)  # grey 150, darker than the threshold
    assert not black(18, 120)  # grey 200, lighter
    assert black(50, bar_y_mm(4) + 2) and not black(50, bar_y_mm(4) + 8)
    lighter = render_page(doc, 0, size, threshold=100)
    assert lighter.pixelColor(round(18 * per_mm), round(105 * per_mm)) == QColor("white")
    doc.close()


def test_render_page_turns_a_quarter_clockwise(labels):
    doc = QPdfDocument()
    doc.load(str(labels["landscape"]))
    image = render_page(doc, 0, QSize(420, 594), rotate=True)
    assert image.size() == QSize(420, 594)
    per_mm = 420 / 105
    # The landscape page's top-left square lands at the top right.
    assert image.pixelColor(round((105 - 10) * per_mm), round(10 * per_mm)) == QColor("black")
    assert image.pixelColor(round(10 * per_mm), round(10 * per_mm)) == QColor("white")
    doc.close()


# --- whole jobs -------------------------------------------------------------------------------

def test_every_page_in_order_on_its_own_4x6_page(labels, tmp_path):
    job = PrintJob([labels["three"], labels["four"], labels["landscape"], labels["a5"]],
                   dpi=DPI)
    out, pages = save(job, tmp_path)
    sizes, pictures = read_pages(out)
    assert pages == len(sizes) == 6
    for size in sizes:
        assert size.width() == pytest.approx(288, abs=0.5)
        assert size.height() == pytest.approx(432, abs=0.5)
    a6, a5 = input_size(labels["four"]), input_size(labels["a5"])
    shown = [label_number(p, a6) for p in pictures[:4]] + [label_number(pictures[5], a5)]
    assert shown == [1, 2, 3, 4, 5]
    landscape = pictures[4]
    left, top, right, _bottom = landscape.bbox()
    per_mm = landscape.width / 105
    assert landscape.dark(right - round(10 * per_mm), top + round(10 * per_mm))
    assert not landscape.dark(left + round(10 * per_mm), top + round(10 * per_mm))


def test_an_a6_label_is_whole_fitted_to_the_width_and_centred(labels, tmp_path):
    out, _ = save(PrintJob([labels["four"]], dpi=DPI), tmp_path)
    _, [page] = read_pages(out)
    source = input_size(labels["four"])
    assert (page.width, page.height) == (812, 1218)
    left, top, right, bottom = page.bbox()
    height = fitted_height_px(source, page)
    assert height / (1218 * source.height() / 432) == pytest.approx(288 / source.width())
    # The frame at the label's edges is all there: the fitted area's four sides are dark...
    assert left <= 1 and right >= page.width - 2
    assert bottom - top + 1 == pytest.approx(height, abs=2)
    assert page.dark(page.width // 2, top) and page.dark(page.width // 2, bottom)
    assert page.dark(left, page.height // 2) and page.dark(right, page.height // 2)
    # ...and nothing lies beyond it; the blank bands above and below match.
    assert abs(top - (page.height - 1 - bottom)) <= 2
    assert top == pytest.approx((page.height - height) / 2, abs=2)


def test_a_landscape_page_comes_out_turned_and_whole(labels, tmp_path):
    out, _ = save(PrintJob([labels["landscape"]], dpi=DPI), tmp_path)
    [size], [page] = read_pages(out)
    assert size.height() > size.width()
    left, top, right, bottom = page.bbox()
    source = input_size(labels["landscape"])  # 420 x 297 pt: turned, its short side across
    assert source.width() > source.height()
    assert left <= 1 and right >= page.width - 2
    assert bottom - top + 1 == pytest.approx(source.width() * page.width / source.height(), abs=2)
    assert abs(top - (page.height - 1 - bottom)) <= 2


def test_an_a5_label_shrinks_to_fit_whole(labels, tmp_path):
    out, _ = save(PrintJob([labels["a5"]], dpi=DPI), tmp_path)
    _, [page] = read_pages(out)
    left, top, right, bottom = page.bbox()
    source = input_size(labels["a5"])
    assert left <= 1 and right >= page.width - 2
    assert bottom - top + 1 == pytest.approx(fitted_height_px(source, page), abs=2)
    assert abs(top - (page.height - 1 - bottom)) <= 2


@pytest.mark.parametrize("size", ["A6", "A5"])
def test_other_label_sizes_keep_their_page(size, labels, tmp_path):
    out, _ = save(PrintJob([labels["three"]], size=size, dpi=DPI), tmp_path)
    sizes, pictures = read_pages(out)
    wanted = page_size(size).size(QPageSize.Unit.Point)
    assert len(sizes) == 3
    for got in sizes:
        assert got.width() == pytest.approx(wanted.width(), abs=0.5)
        assert got.height() == pytest.approx(wanted.height(), abs=0.5)
    page = pictures[0]
    left, top, right, bottom = page.bbox()  # an A6 label fills A6; on A5 it grows to the width
    assert left <= 1 and right >= page.width - 2
    assert abs(top - (page.height - 1 - bottom)) <= 2


def test_the_output_is_pure_black_and_white_one_bit_and_lossless(labels, tmp_path):
    out, _ = save(PrintJob([labels["three"], labels["landscape"]], dpi=DPI), tmp_path)
    _, pictures = read_pages(out)
    for page in pictures:
        assert page.values() == {0, 255}
    data = out.read_bytes()
    # Qt's PDF engine keeps 1-bit images as such; anything else it may store as JPEG.
    assert b"/BitsPerComponent 1" in data and b"/DCTDecode" not in data


def test_calibration_moves_and_scales_the_label(labels, tmp_path):
    plain, _ = save(PrintJob([labels["four"]], dpi=DPI), tmp_path, "plain.pdf")
    moved, _ = save(PrintJob([labels["four"]], dpi=DPI,
                             calibration=Calibration(offset_x_mm=3.0, offset_y_mm=-2.0)),
                    tmp_path, "moved.pdf")
    smaller, _ = save(PrintJob([labels["four"]], dpi=DPI, calibration=Calibration(scale=0.5)),
                      tmp_path, "smaller.pdf")
    (_, [before]), (_, [after]), (_, [half]) = map(read_pages, (plain, moved, smaller))
    left, top, right, bottom = before.bbox()
    moved_left, moved_top, _, _ = after.bbox()
    assert (moved_left - left) / PX_PER_MM == pytest.approx(3.0, abs=0.5)
    assert (moved_top - top) / PX_PER_MM == pytest.approx(-2.0, abs=0.5)
    half_left, half_top, half_right, half_bottom = half.bbox()
    assert half_right - half_left + 1 == pytest.approx((right - left + 1) / 2, abs=2)
    assert half_bottom - half_top + 1 == pytest.approx((bottom - top + 1) / 2, abs=2)
    assert (half_left + half_right) / 2 == pytest.approx((left + right) / 2, abs=2)


def test_print_labels_reports_progress_as_one_job(labels, tmp_path):
    out = tmp_path / "printed.pdf"
    seen: list[tuple[int, int]] = []
    pages = print_labels(PrintJob([labels["three"], labels["four"]]), pdf_printer(out),
                         progress=lambda done, total: seen.append((done, total)))
    assert pages == 4
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    sizes, _ = read_pages(out)
    assert len(sizes) == 4
    assert print_labels(PrintJob([]), pdf_printer(tmp_path / "empty.pdf")) == 0
    assert not (tmp_path / "empty.pdf").exists()  # no blank page for nothing
    assert save_as_one_pdf(PrintJob([]), tmp_path / "none.pdf") == 0
    assert list(tmp_path.glob("none.pdf*")) == []


def test_print_labels_stops_when_cancelled(labels, tmp_path):
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 2:
            cancel.set()

    pages = print_labels(PrintJob([labels["three"], labels["four"]]),
                         pdf_printer(tmp_path / "cancelled.pdf"), progress, cancel)
    assert pages == 2 and seen == [1, 2]
    assert print_labels(PrintJob([labels["four"]]), pdf_printer(tmp_path / "none.pdf"),
                        cancel=cancel) == 0
    assert not (tmp_path / "none.pdf").exists()


def test_a_broken_label_stops_the_job_before_it_starts(labels, tmp_path):
    broken = tmp_path / "576123.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not a label")
    out = tmp_path / "out.pdf"
    for bad in (broken, tmp_path / "missing.pdf"):
        with pytest.raises(PrintFailed) as failed:
            save_as_one_pdf(PrintJob([labels["four"], bad]), out)
        assert failed.value.plain == (f"The label for {bad.stem} could not be read: "
                                      "download it again.")
        assert str(failed.value) == failed.value.plain
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_will_not_start_is_said_plainly(labels, tmp_path):
    printer = pdf_printer(tmp_path / "no such folder" / "out.pdf")
    with pytest.raises(PrintFailed) as failed:
        print_labels(PrintJob([labels["four"]]), printer)
    assert failed.value.plain == ("The printer could not start printing (is it switched on and "
                                  "connected?).")


def test_saving_into_a_folder_that_is_not_there_is_said_plainly(labels, tmp_path):
    with pytest.raises(PrintFailed) as failed:
        save_as_one_pdf(PrintJob([labels["four"]]), tmp_path / "gone" / "labels.pdf")
    assert "choose another folder" in failed.value.plain


# --- the calibration page ---------------------------------------------------------------------

@pytest.mark.parametrize("size", ["4x6", "A6"])
def test_calibration_page_is_one_page_of_the_label_size(size, tmp_path):
    out = tmp_path / "calibration.pdf"
    calibration_page(pdf_printer(out), size, Calibration())
    [got], [page] = read_pages(out)
    wanted = page_size(size).size(QPageSize.Unit.Point)
    assert got.width() == pytest.approx(wanted.width(), abs=0.5)
    assert got.height() == pytest.approx(wanted.height(), abs=0.5)
    assert page.values() == {0, 255}
    # Rulers: a tick on the top edge at every millimetre.
    ticks = page.runs(page.rows[2])
    assert len(ticks) >= int(wanted.width() * 25.4 / 72) - 1
    assert all(length <= 2 for _, length in ticks)


@pytest.mark.parametrize("offset", [0.0, 1.5])
def test_calibration_page_border_sits_2_mm_inside_and_moves(offset, tmp_path):
    out = tmp_path / "calibration.pdf"
    calibration_page(pdf_printer(out), "4x6", Calibration(offset_x_mm=offset))
    _, [page] = read_pages(out)
    row = page.rows[round(75.5 * PX_PER_MM)]  # between two ruler ticks, clear of any text
    dark = [x for x, value in enumerate(row) if value < 128]
    assert dark[0] / PX_PER_MM == pytest.approx(2 + offset, abs=0.3)
    assert dark[-1] / PX_PER_MM == pytest.approx(101.6 - 2 + offset, abs=0.3)


def test_calibration_barcode_bars_are_whole_printer_dots(tmp_path):
    out = tmp_path / "calibration.pdf"
    calibration_page(pdf_printer(out), "4x6", Calibration())
    _, [page] = read_pages(out)
    y = round((152.4 * 0.6 + 7.5) * PX_PER_MM)  # through the middle of the test barcode
    module = round(0.25 * PX_PER_MM)
    bars = [length for start, length in page.runs(page.rows[y])
            if 9 * PX_PER_MM < start < 90 * PX_PER_MM]  # not the rulers' numbers nor the border
    assert len(bars) > 20
    assert {length % module for length in bars} == {0}
    assert {length // module for length in bars} <= {1, 2, 3, 4}


# --- the OS print queue -----------------------------------------------------------------------

def test_queue_command(monkeypatch, tmp_path):
    pdf = tmp_path / "labels.pdf"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/lp" if name == "lp" else None)
    assert queue_command(pdf, "Zebra") == ["lp", "-d", "Zebra", "-o", "fit-to-page", str(pdf)]
    assert queue_command(pdf, None) == ["lp", "-o", "fit-to-page", str(pdf)]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert queue_command(pdf, "Zebra") is None
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(sys, "platform", "win32")
    assert queue_command(pdf, "Zebra") is None
    assert label_print.sys is sys  # the module reads the platform when asked, not at import


def test_a_printer_feeding_labels_sideways_gets_turned_pages(labels, tmp_path):
    out, pages = save(PrintJob([labels["three"]], dpi=DPI, landscape=True), tmp_path)
    sizes, pictures = read_pages(out)
    assert pages == len(sizes) == 3
    for size in sizes:  # the 4x6 page lies on its side: 6 in across, 4 in down
        assert size.width() == pytest.approx(432, abs=0.5)
        assert size.height() == pytest.approx(288, abs=0.5)
    left, top, right, bottom = pictures[0].bbox()
    assert bottom - top < right - left  # the upright A6 label was turned to fit, whole
    assert top <= 2 and bottom >= pictures[0].height - 3
