"""Decode the ESC/POS bytes the kiosk emits back into pictures, QR payloads and cuts.

No package decodes ESC/POS, and without one printed output is untestable. This
reads the commands we (and python-escpos) send — ``ESC @``, ``ESC a``, ``ESC d``,
``GS v 0`` raster bands, ``GS ( k`` native QR, ``GS ( L`` graphics, ``GS V`` cut,
``DLE EOT`` status — and turns each job (up to a cut) into a :class:`Page`.
Plain text bytes are collected too. Unknown ``ESC``/``GS`` commands raise, so a
change in what we emit is noticed rather than silently mis-decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ESC, GS, DLE = 0x1B, 0x1D, 0x10


class DecodeError(ValueError):
    """The bytes are not the ESC/POS this decoder knows."""


@dataclass
class Page:
    """One printed slip: its raster bands stacked, native QR payloads, text, and whether it was cut."""

    bands: list[Any] = field(default_factory=list)  # PIL "1" images, top to bottom
    qr_payloads: list[str] = field(default_factory=list)
    text: str = ""
    cut: bool = False
    align: list[int] = field(default_factory=list)

    def image(self) -> Any:
        """The bands as one picture (white where bands are narrower than the widest)."""
        from PIL import Image

        if not self.bands:
            return Image.new("1", (1, 1), 255)
        width = max(b.width for b in self.bands)
        height = sum(b.height for b in self.bands)
        out = Image.new("1", (width, height), 255)
        y = 0
        for b in self.bands:
            out.paste(b, (0, y))
            y += b.height
        return out


@dataclass
class Decoded:
    pages: list[Page]
    status_requests: list[int]
    inits: int

    @property
    def cuts(self) -> int:
        return sum(1 for p in self.pages if p.cut)


def _raster(width_bytes: int, height: int, data: bytes) -> Any:
    from PIL import Image

    # ESC/POS: 1 = dot (black); PIL mode "1" raw: 1 = white → invert.
    inverted = bytes(b ^ 0xFF for b in data)
    return Image.frombytes("1", (width_bytes * 8, height), inverted)


def decode(data: bytes) -> Decoded:
    """Split ``data`` into pages; raise :class:`DecodeError` on a truncated or unknown command."""
    pages: list[Page] = []
    page = Page()
    status: list[int] = []
    inits = 0
    text = bytearray()
    qr_store: bytes | None = None
    i, n = 0, len(data)

    def need(k: int) -> bytes:
        if i + k > n:
            raise DecodeError(f"truncated command at byte {i} (need {k}, have {n - i})")
        return data[i:i + k]

    def flush_text() -> None:
        nonlocal text
        if text:
            page.text += text.decode("utf-8", errors="replace")
            text = bytearray()

    while i < n:
        b = data[i]
        if b == ESC:
            cmd = need(2)[1]
            if cmd == 0x40:  # ESC @ init
                inits += 1
                i += 2
            elif cmd == 0x61:  # ESC a n justification
                v = need(3)[2]
                page.align.append(v - 48 if v >= 48 else v)
                i += 3
            elif cmd in (0x64, 0x4A, 0x21, 0x45, 0x2D, 0x4D, 0x74, 0x47, 0x33, 0x7B):  # one-byte arg commands
                if cmd == 0x64:
                    text += b"\n" * need(3)[2]
                i += 3
            elif cmd == 0x32:  # ESC 2 default line spacing
                i += 2
            else:
                raise DecodeError(f"unknown ESC 0x{cmd:02x} at byte {i}")
        elif b == GS:
            cmd = need(2)[1]
            if cmd == 0x76:  # GS v 0 m xL xH yL yH d…
                head = need(8)
                if head[2] not in (0x30, 0x00):
                    raise DecodeError(f"GS v {head[2]} not supported")
                wb = int.from_bytes(head[4:6], "little")
                h = int.from_bytes(head[6:8], "little")
                i += 8
                body = need(wb * h)
                flush_text()
                page.bands.append(_raster(wb, h, body))
                i += wb * h
            elif cmd == 0x28:  # GS ( k / GS ( L: pL pH cn fn …
                head = need(5)
                kind = head[2]
                length = int.from_bytes(head[3:5], "little")
                i += 5
                body = need(length)
                i += length
                if kind == 0x6B and length >= 2 and body[0] == 0x31:  # QR (cn = '1')
                    fn = body[1]
                    if fn == 0x50:  # store: cn fn m d…
                        qr_store = body[3:]
                    elif fn == 0x51 and qr_store is not None:  # print
                        page.qr_payloads.append(qr_store.decode("utf-8"))
                elif kind == 0x4C and length >= 2 and body[1] == 0x70:  # GS ( L graphics store: m fn a bx by c xL xH yL yH d…
                    w = int.from_bytes(body[6:8], "little")
                    h = int.from_bytes(body[8:10], "little")
                    page.bands.append(_raster((w + 7) // 8, h, body[10:]))
                elif kind not in (0x6B, 0x4C):
                    raise DecodeError(f"unknown GS ( 0x{kind:02x} at byte {i}")
            elif cmd == 0x56:  # GS V m [n]
                m = need(3)[2]
                i += 4 if m in (65, 66, 97, 98, 103, 104) else 3
                if i > n:
                    raise DecodeError("truncated cut command")
                flush_text()
                page.cut = True
                pages.append(page)
                page = Page()
            elif cmd in (0x21, 0x42, 0x48, 0x66, 0x68, 0x77, 0x4C, 0x57, 0x61):  # one/two-byte settings
                i += 5 if cmd in (0x4C, 0x57) else 3
            else:
                raise DecodeError(f"unknown GS 0x{cmd:02x} at byte {i}")
        elif b == DLE:
            req = need(3)
            if req[1] != 0x04:
                raise DecodeError(f"unknown DLE 0x{req[1]:02x} at byte {i}")
            status.append(req[2])
            i += 3
        else:
            text.append(b)
            i += 1
    flush_text()
    if page.bands or page.qr_payloads or page.text.strip():
        pages.append(page)  # a job that never reached its cut (printer gone mid-print)
    return Decoded(pages=pages, status_requests=status, inits=inits)


def decode_pages(data: bytes) -> list[Page]:
    return decode(data).pages
