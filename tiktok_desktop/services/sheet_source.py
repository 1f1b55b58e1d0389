"""Where a spreadsheet's bytes come from, and what reading it may say: the file the seller
picked (never read past a size limit, as file_reading.py does), or bytes already in memory;
which kind of file it is by its first bytes (a workbook, an old .xls, a web page, text); the
refusal a seller reads; progress and cancel, checked every few thousand rows.
"""

from __future__ import annotations

import io
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tiktok_desktop.services.file_reading import cannot_open, read_at_most

CHECK_EVERY = 2_000  # rows between two progress reports
# Rows an import's preview lists (a seller reads a few hundred; its counts are the whole file's).
SHOWN_AT_MOST = 2_000
# Rows between two looks at the cancel flag: an .xlsx is written ~1,500 rows a second, and a
# cancel should take effect well within a second.
CANCEL_EVERY = 100
XLSX, XLS, HTML, TEXT = "xlsx", "xls", "html", "text"


class SheetRefused(ValueError):
    """A file that can't be used, refused whole. `str()` is the message for the seller: the row
    and column when there are some, and the reason."""

    def __init__(self, reason: str, *, row: int | None = None, column: str | None = None) -> None:
        self.reason, self.row, self.column = reason, row, column
        where = ", ".join(part for part in (
            f"Row {row:,}" if row is not None else "",
            f"column {column}" if column else "") if part)
        super().__init__(f"{where}: {reason}" if where else reason)


class FileTooLarge(SheetRefused):
    """Over the size limit the caller set (`limit`, in bytes); nothing of it was used."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"This file is too large (over {megabytes(limit)}).")
        self.limit = limit


class SheetCancelled(Exception):
    """The seller cancelled the reading (or writing); nothing of the file was used."""


def megabytes(limit: int) -> str:
    return f"{limit / 1024 / 1024:,.0f} MB"


@dataclass(frozen=True)
class SheetProgress:
    """How far reading (or writing) has come: rows so far and, when the size is known, the
    part done (0 to 1)."""

    rows: int
    fraction: float | None = None


Progress = Callable[[SheetProgress], None]


class Watch:
    """Progress reports every CHECK_EVERY rows; the cancel flag looked at every CANCEL_EVERY."""

    def __init__(self, progress: Progress | None, cancel: threading.Event | None) -> None:
        self.progress, self.cancel = progress, cancel
        self.rows = 0

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise SheetCancelled

    def row(self, fraction: Callable[[], float | None]) -> None:
        """One more row: now and then, look at the cancel flag and report."""
        self.rows += 1
        if self.rows % CANCEL_EVERY == 0:
            self.check()
            if self.progress is not None and self.rows % CHECK_EVERY == 0:
                self.progress(SheetProgress(self.rows, fraction()))

    def done(self) -> None:
        self.check()
        if self.progress is not None:
            self.progress(SheetProgress(self.rows, 1.0))


class Counted(io.RawIOBase):
    """A binary stream that counts what was read from it and refuses to go past `limit` (a file
    that grows while it is read, a device that tells no size)."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        super().__init__()
        self.raw, self.limit, self.count = raw, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        if self.count > self.limit:
            raise FileTooLarge(self.limit)
        return n


@dataclass
class Source:
    """An open file (or bytes) to read: its stream (seekable), size and kind."""

    stream: BinaryIO
    size: int
    kind: str
    name: str  # the file's name, for messages; "" for bytes
    limit: int  # the most bytes the caller lets be read

    def close(self) -> None:
        self.stream.close()


def kind_of(head: bytes) -> str:
    """What a file is, by its first bytes (whatever its name says)."""
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return XLS
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return HTML
    return TEXT


def open_source(source: Path | bytes, limit: int) -> Source:
    """The file (or bytes) opened for reading; SheetRefused when it can't be opened,
    FileTooLarge when it has more than `limit` bytes. A file that tells no size (a device, a
    pipe) is read into memory, never past the limit."""
    if isinstance(source, bytes | bytearray):
        if len(source) > limit:
            raise FileTooLarge(limit)
        stream: BinaryIO = io.BytesIO(source)
        return Source(stream, len(source), kind_of(bytes(source[:64])), "", limit)
    try:
        file = source.open("rb")
    except OSError as error:
        raise SheetRefused(cannot_open(error)) from None
    try:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            file.close()
            data = read_at_most(source, limit)
            if data is None:
                raise FileTooLarge(limit)
            return Source(io.BytesIO(data), len(data), kind_of(data[:64]), source.name, limit)
        if info.st_size > limit:
            raise FileTooLarge(limit)
        head = file.read(64)
        file.seek(0)
    except OSError as error:
        file.close()
        raise SheetRefused(cannot_open(error)) from None
    except BaseException:
        file.close()
        raise
    return Source(file, info.st_size, kind_of(head), source.name, limit)
