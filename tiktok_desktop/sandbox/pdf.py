"""A tiny PDF writer: pages of Helvetica text and filled rectangles — all a label needs.

Content streams are left uncompressed, so tests (and people) can read the text in the bytes.
"""

from __future__ import annotations

MM = 72 / 25.4
PAGE_SIZES = {"A6": (105 * MM, 148 * MM), "A5": (148 * MM, 210 * MM)}
# Helvetica advance widths (1/1000 em) for the characters labels use most; others ~ average.
_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, ",": 278, ".": 278, ":": 278,
           "-": 333, "#": 556, "/": 278, "(": 333, ")": 333, "I": 278, "i": 222, "l": 222,
           "M": 833, "W": 944, "m": 833, "w": 722}


def text_width(text: str, size: float, bold: bool = False) -> float:
    per_char = sum(_WIDTHS.get(c, 667 if c.isupper() else 556) for c in text)
    return per_char * size / 1000 * (1.05 if bold else 1.0)


def _escape(text: str) -> str:
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


class Page:
    """Drawing operations in points, origin at the bottom left."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self._ops: list[str] = []

    def text(self, x: float, y: float, text: str, size: float = 8, bold: bool = False) -> None:
        font = "F2" if bold else "F1"
        self._ops.append(f"BT /{font} {size:g} Tf {x:.2f} {y:.2f} Td ({_escape(text)}) Tj ET")

    def centered(self, y: float, text: str, size: float = 8, bold: bool = False) -> None:
        self.text((self.width - text_width(text, size, bold)) / 2, y, text, size, bold)

    def box(self, x: float, y: float, width: float, height: float) -> None:
        self._ops.append(f"{x:.3f} {y:.3f} {width:.3f} {height:.3f} re f")

    def rule(self, y: float, margin: float) -> None:
        self.box(margin, y, self.width - 2 * margin, 0.8)

    def content(self) -> bytes:
        return ("\n".join(["0 g", *self._ops]) + "\n").encode("latin-1")


def write_pdf(pages: list[Page], title: str) -> bytes:
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        f"<< /Title ({_escape(title)}) /Producer (TikTok Shop Desktop demo shop) >>".encode(
            "latin-1"),
    ]
    kids = []
    for page in pages:
        stream = page.content()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        kids.append(len(objects) + 1)
        objects.append(
            (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.width:.2f} {page.height:.2f}] "
             f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {len(objects)} 0 R >>"
             ).encode())
    objects[1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                  f"/Count {len(kids)} >>").encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)
