"""Shipping labels on paper: TikTok's label PDFs printed one label per page on a thermal printer.

Each label page is rendered once, at the printer's own resolution and at exactly the size it
will take on the paper, then made pure black and white (no grey, no dithering) and placed on the
page pixel for pixel: the printer gets nothing to resample, so barcodes stay sharp. The same
pages go to a real printer or into one PDF. Thermal printer drivers often ignore the page size
Qt asks for: `setup_printer` reads it back and says so, and `queue_command` is the way round it
(the OS print queue, which lets the printer's own settings decide).

No widgets here: the Fulfillment tab runs `print_labels` in a background task, with progress and
cancel, and shows `PrintFailed.plain` to the seller.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

import barcode
from PySide6.QtCore import QLineF, QMarginsF, QPoint, QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPen, QTransform
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)

LabelSize = Literal["4x6", "A6", "A5"]
LABEL_SIZES: tuple[LabelSize, ...] = ("4x6", "A6", "A5")
SIZE_NAMES: dict[LabelSize, str] = {"4x6": "4x6 in", "A6": "A6", "A5": "A5"}
PDF_DPI = 300  # a saved PDF: sharp on a 203 or 300 dpi head, and small (1 bit per pixel)
SIZE_TOLERANCE_MM = 1.0  # a driver's A6 may differ from ours by a rounding, not by a paper
BLACK = 0xFF000000
WHITE = 0xFFFFFFFF
MM_PER_INCH = 25.4
Flag = QPdfDocumentRenderOptions.RenderFlag
# Aliased: an edge is black or white, never grey, so the threshold can't widen or thin a bar.
# Annotations: print what a PDF viewer shows.
RENDER_FLAGS = Flag.ImageAliased | Flag.TextAliased | Flag.PathAliased | Flag.Annotations


class PrintFailed(Exception):
    """Printing could not go on; `plain` says why in the seller's words."""

    def __init__(self, plain: str) -> None:
        super().__init__(plain)
        self.plain = plain


@dataclass(frozen=True)
class Calibration:
    """A printer's own correction, remembered per printer by the caller: the content is scaled
    about the page's centre, then moved right (x) and down (y)."""

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale: float = 1.0


@dataclass(frozen=True)
class PrintJob:
    documents: list[Path]  # label PDFs; every page of each, in this order
    size: LabelSize = "4x6"
    calibration: Calibration = Calibration()
    dpi: int | None = None  # None: the printer's resolution
    landscape: bool = False  # the printer feeds labels sideways: pages are turned to fit


def page_size(size: LabelSize) -> QPageSize:
    """The label's page, portrait. A6 and A5 by their ids, so a driver knows them by name."""
    if size == "4x6":
        return QPageSize(QSizeF(4, 6), QPageSize.Unit.Inch, SIZE_NAMES["4x6"],
                         QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageSize(QPageSize.PageSizeId.A6 if size == "A6" else QPageSize.PageSizeId.A5)


def setup_printer(printer: QPrinter, size: LabelSize, landscape: bool = False) -> str | None:
    """Ask for the whole label with no margins (turned for a printer that feeds labels
    sideways); a sentence for the seller if the printer's driver put another paper in its
    place, else None."""
    wanted = page_size(size)
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    layout = QPageLayout(wanted, orientation, QMarginsF(0, 0, 0, 0),
                         QPageLayout.Unit.Millimeter)
    layout.setMode(QPageLayout.Mode.FullPageMode)
    printer.setFullPage(True)
    printer.setPageLayout(layout)
    got = printer.pageLayout()  # what the driver accepted, not what we asked
    got_mm = got.fullRect(QPageLayout.Unit.Millimeter).size()
    want_mm = wanted.size(QPageSize.Unit.Millimeter)
    if landscape:
        want_mm = want_mm.transposed()
    if (abs(got_mm.width() - want_mm.width()) <= SIZE_TOLERANCE_MM
            and abs(got_mm.height() - want_mm.height()) <= SIZE_TOLERANCE_MM):
        return None
    name = printer.printerName() or "PDF"
    paper = got.pageSize().name().split(" / ")[0]  # "Letter / ANSI A": the name a seller knows
    return (f'The printer "{name}" does not take {SIZE_NAMES[size]} labels: it would print on '
            f"{paper}. Choose the label size in the printer's own settings, "
            "or send the PDF to the print queue.")


def fit(source: QSizeF, target: QSizeF) -> tuple[float, bool]:
    """How much to scale `source` (and whether to turn it a quarter) to fit `target` whole,
    undistorted: a landscape page turns to go on a portrait label."""
    def landscape(size: QSizeF) -> bool | None:  # None: square, fits either way
        return None if size.width() == size.height() else size.width() > size.height()

    turned, wanted = landscape(source), landscape(target)
    rotate = turned is not None and wanted is not None and turned != wanted
    width, height = (source.height(), source.width()) if rotate else (
        source.width(), source.height())
    return min(target.width() / width, target.height() / height), rotate


@cache
def _threshold_table(threshold: int) -> list[int]:
    return [BLACK if value < threshold else WHITE for value in range(256)]


def black_and_white(gray: QImage, threshold: int = 160) -> QImage:
    """`gray` (Format_Grayscale8) as 1-bit black and white: below `threshold` is black.

    Black must be colour 0: only then does Qt's PDF engine keep the image as a 1-bit, lossless
    bitmap; otherwise it stores 24-bit JPEG, blurred and 40 times the size (checked, Qt 6.12).
    """
    indexed = QImage(gray)
    # Grayscale8 and Indexed8 share a layout: a colour table turns each grey into black or white,
    # and the conversion to 1 bit is then exact (Qt's own threshold is fixed at 128).
    indexed.reinterpretAsFormat(QImage.Format.Format_Indexed8)
    indexed.setColorTable(_threshold_table(threshold))
    mono = indexed.convertToFormat(QImage.Format.Format_Mono,
                                   Qt.ImageConversionFlag.ThresholdDither)
    if mono.colorCount() == 2 and mono.color(0) == WHITE:
        mono.invertPixels()
        mono.setColorTable([BLACK, WHITE])
    return mono


def render_page(doc: QPdfDocument, index: int, target_px: QSize, threshold: int = 160, *,
                rotate: bool = False) -> QImage:
    """Page `index` of `doc` drawn at `target_px` (its size on the paper, in printer pixels;
    already turned if `rotate`, which turns it a quarter clockwise), black and white.
    A null image if the page cannot be drawn."""
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(RENDER_FLAGS)
    if rotate:
        options.setRotation(QPdfDocumentRenderOptions.Rotation.Clockwise90)
    rendered = doc.render(index, target_px, options)
    if rendered.isNull():
        return rendered
    gray = QImage(rendered.size(), QImage.Format.Format_Grayscale8)
    gray.fill(255)  # QtPdf leaves the paper transparent
    painter = QPainter(gray)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return black_and_white(gray, threshold)


def _unreadable(path: Path) -> PrintFailed:
    return PrintFailed(f"The label for {path.stem} could not be read: download it again.")


def _open(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    if not path.is_file() or doc.load(str(path)) != QPdfDocument.Error.None_ or (
            doc.pageCount() < 1):
        doc.close()
        raise _unreadable(path)
    return doc


def _placement(source_pt: QSizeF, page_px: QSize, dpi: int,
               calibration: Calibration) -> tuple[QRect, bool]:
    """Where a label page goes on the printer's page, in whole printer pixels: fitted, centred,
    then the printer's calibration (scale, then offset)."""
    page_pt = QSizeF(page_px.width() * 72 / dpi, page_px.height() * 72 / dpi)
    factor, rotate = fit(source_pt, page_pt)
    drawn = source_pt.transposed() if rotate else source_pt
    pixels_per_point = factor * calibration.scale * dpi / 72
    size = QSize(max(1, round(drawn.width() * pixels_per_point)),
                 max(1, round(drawn.height() * pixels_per_point)))
    per_mm = dpi / MM_PER_INCH
    left = round((page_px.width() - size.width()) / 2 + calibration.offset_x_mm * per_mm)
    top = round((page_px.height() - size.height()) / 2 + calibration.offset_y_mm * per_mm)
    return QRect(QPoint(left, top), size), rotate


@contextlib.contextmanager
def _painting(printer: QPrinter) -> Iterator[QPainter]:
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("The printer could not start printing (is it switched on and "
                          "connected?).")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        # Else Qt's PDF engine may store a page as JPEG.
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering, True)
        yield painter
    except BaseException:
        printer.abort()  # a real print queue drops the job; a PDF keeps what was drawn
        raise
    finally:
        painter.end()


def print_labels(job: PrintJob, printer: QPrinter,
                 progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None) -> int:
    """Print every page of the job's label PDFs as one print job, one label per page; the
    number of pages printed. `progress(done, total)` follows each page; a set `cancel` stops
    before the next page (the job is aborted where the driver can; the count so far returns).
    Every PDF is opened before printing starts, so an unreadable one stops nothing half-way."""
    warning = setup_printer(printer, job.size, job.landscape)
    if warning:
        log.warning("%s", warning)
    if job.dpi:
        printer.setResolution(job.dpi)
    dpi = printer.resolution()
    if not printer.docName():
        printer.setDocName("Shipping labels")
    documents: list[tuple[Path, QPdfDocument]] = []
    try:
        for path in job.documents:
            documents.append((path, _open(path)))
        total = sum(doc.pageCount() for _, doc in documents)
        if total == 0 or (cancel is not None and cancel.is_set()):
            return 0  # before the printer (or the PDF file) is touched
        page_px = printer.pageLayout().fullRectPixels(dpi).size()
        done = 0
        with _painting(printer) as painter:
            for path, doc in documents:
                for index in range(doc.pageCount()):
                    if cancel is not None and cancel.is_set():
                        log.info("Label printing cancelled after %d of %d pages", done, total)
                        printer.abort()
                        return done
                    if done and not printer.newPage():
                        raise PrintFailed("The printer stopped taking pages (is it still "
                                          "switched on and connected?).")
                    place, rotate = _placement(doc.pagePointSize(index), page_px, dpi,
                                               job.calibration)
                    image = render_page(doc, index, place.size(), rotate=rotate)
                    if image.isNull():
                        raise _unreadable(path)
                    painter.drawImage(place.topLeft(), image)  # pixel for pixel: no resampling
                    done += 1
                    if progress is not None:
                        progress(done, total)
                doc.close()  # its pages are done: keep memory flat on a long run
        log.info("Printed %d label pages at %d dpi", done, dpi)
        return done
    finally:
        for _, doc in documents:
            doc.close()


def pdf_printer(path: Path, dpi: int) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def save_as_one_pdf(job: PrintJob, path: Path) -> int:
    """The job's pages, in order, as one PDF at `path` (300 dpi unless the job says); pages.
    Written beside `path` first, so a failure never leaves half a file under its name."""
    partial = path.with_name(path.name + ".part")
    try:
        partial.open("wb").close()
    except OSError as exc:
        raise PrintFailed(f'The PDF could not be saved in "{path.parent}": choose another '
                          "folder.") from exc
    try:
        job = replace(job, dpi=job.dpi or PDF_DPI)
        pages = print_labels(job, pdf_printer(partial, job.dpi or PDF_DPI))
        if pages:  # no labels, no file
            os.replace(partial, path)
        return pages
    finally:
        partial.unlink(missing_ok=True)


def queue_command(pdf: Path, printer_name: str | None) -> list[str] | None:
    """The command that sends `pdf` to the OS print queue (CUPS's `lp`), which prints with the
    printer's own paper settings; None where there is no `lp` (Windows, or CUPS missing)."""
    if sys.platform == "win32" or shutil.which("lp") is None:
        return None
    target = ["-d", printer_name] if printer_name else []
    return ["lp", *target, "-o", "fit-to-page", str(pdf)]


# --- the calibration page ---------------------------------------------------------------------

TEST_CODE = "TEST 4X6 LABEL"


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont("Sans Serif")
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def calibration_page(printer: QPrinter, size: LabelSize, calibration: Calibration) -> None:
    """One test label: mm rulers on the top and left edges, a border 2 mm inside the edges, the
    size in the middle, a Code 128 barcode and bars 1, 2 and 3 printer dots wide. Rulers that
    start at the paper's edge and an even border mean the calibration is right."""
    warning = setup_printer(printer, size)
    if warning:
        log.warning("%s", warning)
    dpi = printer.resolution()
    page_mm = printer.pageLayout().fullRect(QPageLayout.Unit.Millimeter).size()
    page_px = printer.pageLayout().fullRectPixels(dpi).size()
    per_mm = dpi / MM_PER_INCH
    # Millimetres on the label -> printer pixels, with the calibration applied as for labels.
    to_px = QTransform()
    to_px.translate(page_px.width() / 2 + calibration.offset_x_mm * per_mm,
                    page_px.height() / 2 + calibration.offset_y_mm * per_mm)
    to_px.scale(per_mm * calibration.scale, per_mm * calibration.scale)
    to_px.translate(-page_mm.width() / 2, -page_mm.height() / 2)
    with _painting(printer) as painter:
        painter.setPen(QPen(QColor(Qt.GlobalColor.black), 0))  # cosmetic: one printer dot
        text_px = 3 * per_mm * calibration.scale
        _draw_rulers(painter, to_px, page_mm, _font(text_px * 0.7))
        painter.drawRect(to_px.mapRect(QRectF(2, 2, page_mm.width() - 4, page_mm.height() - 4)))
        for i, (line, bold) in enumerate((
                (f"{SIZE_NAMES[size]} label  ·  {page_mm.width():.1f} x "
                 f"{page_mm.height():.1f} mm", True),
                (f"{dpi} dpi  ·  scale {calibration.scale:.0%}  ·  moved right "
                 f"{calibration.offset_x_mm:+.1f}, down {calibration.offset_y_mm:+.1f} mm", False),
                ("The rulers should start at the paper's edges and the border sit 2 mm "
                 "inside every edge.", False))):
            box = to_px.mapRect(QRectF(8, page_mm.height() * 0.3 + i * 9, page_mm.width() - 16,
                                       9))
            painter.setFont(_font(text_px * (1.2 if bold else 0.85), bold))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, line)
        module = max(1, round(0.25 * per_mm))  # a TikTok label's bar width, in whole dots
        corner = to_px.map(QPointF(10, page_mm.height() * 0.6))
        _draw_barcode(painter, QPoint(round(corner.x()), round(corner.y())), module,
                      round(15 * per_mm))
        corner = to_px.map(QPointF(10, page_mm.height() * 0.6 + 22))
        _draw_dot_bars(painter, QPoint(round(corner.x()), round(corner.y())), round(8 * per_mm),
                       _font(text_px))


def _draw_rulers(painter: QPainter, to_px: QTransform, page_mm: QSizeF, font: QFont) -> None:
    """Ticks every mm from the top-left corner, longer every 5 and 10 mm, numbered every 10."""
    painter.setFont(font)
    for length, vertical in ((page_mm.width(), False), (page_mm.height(), True)):
        for mm in range(int(length) + 1):
            tick = 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
            line = QLineF(0, mm, tick, mm) if vertical else QLineF(mm, 0, mm, tick)
            painter.drawLine(to_px.map(line))
            if mm % 10 == 0 and 0 < mm < length - 3:
                where = QRectF(4.5, mm - 2, 10, 4) if vertical else QRectF(mm - 5, 4.2, 10, 4)
                align = Qt.AlignmentFlag.AlignLeft if vertical else Qt.AlignmentFlag.AlignHCenter
                painter.drawText(to_px.mapRect(where), align | Qt.AlignmentFlag.AlignVCenter,
                                 str(mm))


def _draw_barcode(painter: QPainter, corner: QPoint, module: int, height: int) -> None:
    """A scannable Code 128 of TEST_CODE, each bar a whole number of printer dots."""
    modules = barcode.get("code128", TEST_CODE).build()[0]
    x = corner.x()
    for bit in modules:
        if bit == "1":
            painter.fillRect(QRect(x, corner.y(), module, height), Qt.GlobalColor.black)
        x += module


def _draw_dot_bars(painter: QPainter, corner: QPoint, height: int, font: QFont) -> None:
    """Groups of bars 1, 2 and 3 dots wide with gaps as wide: all should print crisp and even."""
    painter.setFont(font)
    x = corner.x()
    for dots in (1, 2, 3):
        painter.drawText(QPoint(x, corner.y() - 4), f"{dots} dot" + ("s" if dots > 1 else ""))
        for _ in range(12):
            painter.fillRect(QRect(x, corner.y(), dots, height), Qt.GlobalColor.black)
            x += 2 * dots
        x += max(40, height)
