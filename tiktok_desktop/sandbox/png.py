"""A tiny PNG encoder (stdlib only): 8-bit RGB, no interlace, every row unfiltered."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode_rgb(width: int, rows: Sequence[bytes]) -> bytes:
    """A PNG of `rows`, each `width` pixels of 3 bytes (red, green, blue)."""
    if width < 1 or not rows or any(len(row) != 3 * width for row in rows):
        raise ValueError("every row must hold width × 3 bytes, and there must be a row")
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) per row
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(pixels, 6))
            + _chunk(b"IEND", b""))
