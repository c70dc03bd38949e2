"""Pillow raster helpers for printed slips (queue ticket, receipt / appointment slip).

Thermal printers' code pages do not carry Vietnamese reliably, so every slip is
drawn here with the bundled Noto Sans and sent as a 1-bit raster. The image is
thresholded, never dithered: dithering makes small text grainy on 203 dpi heads.

Typical use::

    slip = Slip(576)
    slip.text("BỘ PHẬN MỘT CỬA", size=30, bold=True, align="center")
    slip.text("A001", size=160, bold=True, align="center")
    slip.qr("https://…/q/A001", box=6)
    img = slip.render()          # mode "1", exactly 576 px wide
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import qrcode
from PIL import Image, ImageDraw, ImageFont

from kiosk.base import paths
from kiosk.base.privacy import is_personal, on_forget

Align = Literal["left", "center", "right"]
PAPER_WIDTHS: dict[str, int] = {"80mm": 576, "58mm": 384}
THRESHOLD = 128  # L value at or above which a pixel is paper (white)


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled Unicode font at ``size`` px (cached; loading a TTF costs ~1 ms)."""
    path = paths.FONT_BOLD if bold else paths.FONT_REGULAR
    return ImageFont.truetype(str(path), size=int(size))


def text_width(text: str, fnt: ImageFont.FreeTypeFont) -> int:
    return int(round(fnt.getlength(text)))


def wrap_text(text: str, fnt: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` px.

    Breaks at spaces; a single word wider than the line is split between
    characters. Explicit newlines are kept. Empty text gives no lines.
    """
    lines: list[str] = []
    for para in text.split("\n"):
        if para.strip() and text_width(para.strip(), fnt) <= max_width:
            lines.append(" ".join(para.split()))
            continue
        words = para.split()
        if not words:
            if para == "" and text:
                lines.append("")
            continue
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, fnt) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while text_width(word, fnt) > max_width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], fnt) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
    return lines


def fit_font_size(text: str, max_width: int, start: int, bold: bool = True, minimum: int = 12) -> int:
    """The largest size ≤ ``start`` at which ``text`` fits on one line of ``max_width`` px."""
    size = start
    while size > minimum and text_width(text, font(size, bold)) > max_width:
        size -= 2
    return size


def qr_modules(data: str, ec: str = "M") -> Image.Image:
    """The QR symbol as an L image, one pixel per module, no quiet zone (black 0, white 255).

    zxing-cpp's writer (C++, ~0.3 ms) for ASCII payloads; the ``qrcode`` package
    (pure Python, ~60 ms: it scores all eight masks) for UTF-8 text such as Vietnamese.
    """
    if data.isascii():
        try:
            import zxingcpp

            code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
            return Image.fromarray(code.to_image(scale=1, add_quiet_zones=False)).convert("L")
        except (ImportError, AttributeError, RuntimeError, ValueError):
            pass
    levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
    code = qrcode.QRCode(version=None, error_correction=levels[ec], box_size=1, border=0)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    img = Image.new("L", (n, n), 255)
    img.putdata([0 if dark else 255 for row in matrix for dark in row])
    return img


def qr_image(data: str, box: int = 6, border: int = 2, ec: str = "M") -> Image.Image:
    """A QR code as an L image (black modules 0, white 255), ``box`` px per module, ``border`` modules of quiet zone."""
    from PIL import ImageOps

    modules = qr_modules(data, ec)
    img = modules.resize((modules.width * box, modules.height * box), Image.Resampling.NEAREST)
    return ImageOps.expand(img, border=border * box, fill=255) if border else img


def to_1bit(img: Image.Image, threshold: int = THRESHOLD) -> Image.Image:
    """Threshold to mode "1" without dithering (dark < threshold → black)."""
    grey = img.convert("L")
    return grey.point(lambda v: 255 if v >= threshold else 0, mode="1")


@lru_cache(maxsize=512)
def _text_block(
    text: str, size: int, bold: bool, align: Align, line_gap: float, invert: bool, max_width: int
) -> Image.Image | None:
    """A wrapped text block as an L image (cached: most lines of a slip repeat from one slip to the next).

    Callers paste it and never draw on it, so sharing the cached image is safe.
    """
    fnt = font(size, bold)
    pad = max(4, size // 5) if invert else 0
    lines = wrap_text(text, fnt, max_width - 2 * pad)
    if not lines:
        return None
    ascent, descent = fnt.getmetrics()
    line_h = ascent + descent
    step = int(line_h * (1 + line_gap))
    height = step * (len(lines) - 1) + line_h + 2 * pad
    bg, fg = (0, 255) if invert else (255, 0)
    width = max_width if invert else max(text_width(line, fnt) for line in lines)
    img = Image.new("L", (max(1, width), height), bg)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        w = text_width(line, fnt)
        room = width - 2 * pad
        x = pad + {"left": 0, "center": (room - w) // 2, "right": room - w}[align]
        draw.text((x, pad + i * step), line, font=fnt, fill=fg)
    return img


on_forget(_text_block.cache_clear)  # at the end of every visit: nothing of it stays in the cache


@dataclass
class _Block:
    image: Image.Image  # L
    align: Align
    space_after: int


class Slip:
    """A slip composed top to bottom, rendered as a 1-bit image exactly ``width`` px wide."""

    def __init__(self, width: int = 576, margin: int = 12) -> None:
        if width <= 2 * margin:
            raise ValueError("slip width too small")
        self.width = width
        self.margin = margin
        self._blocks: list[_Block] = []

    @property
    def inner_width(self) -> int:
        return self.width - 2 * self.margin

    def text(
        self,
        text: str,
        size: int = 26,
        bold: bool = False,
        align: Align = "left",
        space_after: int = 6,
        line_gap: float = 0.22,
        invert: bool = False,
    ) -> "Slip":
        """Wrapped text; ``invert`` draws white on a black band (e.g. a priority mark)."""
        text = unicodedata.normalize("NFC", text)
        # The visit's own lines (name, address) are drawn afresh, never cached for the next citizen.
        block = _text_block.__wrapped__ if is_personal(text) else _text_block
        img = block(text, size, bold, align, line_gap, invert, self.inner_width)
        if img is not None:
            self._blocks.append(_Block(img, "center" if invert else align, space_after))
        return self

    def image(self, img: Image.Image, align: Align = "center", space_after: int = 6) -> "Slip":
        """Any picture (scaled down to the inner width when wider)."""
        grey = img.convert("L")
        if grey.width > self.inner_width:
            h = max(1, round(grey.height * self.inner_width / grey.width))
            grey = grey.resize((self.inner_width, h), Image.Resampling.LANCZOS)
        self._blocks.append(_Block(grey, align, space_after))
        return self

    def qr(self, data: str, box: int = 6, align: Align = "center", space_after: int = 6) -> "Slip":
        """A QR code; ``box`` shrinks until the code fits the paper."""
        img = qr_image(data, box=box)
        while img.width > self.inner_width and box > 1:
            box -= 1
            img = qr_image(data, box=box)
        return self.image(img, align=align, space_after=space_after)

    def beside(
        self,
        picture: Image.Image,
        lines: list[tuple[str, int, bool]],
        gap: int = 16,
        space_after: int = 6,
    ) -> "Slip":
        """A picture (e.g. a QR) on the left and short text lines ``(text, size, bold)`` beside it."""
        pic = picture.convert("L")
        room = self.inner_width - pic.width - gap
        rendered: list[tuple[str, ImageFont.FreeTypeFont, int]] = []
        for text, size, bold in lines:
            fnt = font(size, bold)
            ascent, descent = fnt.getmetrics()
            for line in wrap_text(text, fnt, room):
                rendered.append((line, fnt, int((ascent + descent) * 1.1)))
        text_h = sum(h for _, _, h in rendered)
        height = max(pic.height, text_h)
        img = Image.new("L", (self.inner_width, height), 255)
        img.paste(pic, (0, (height - pic.height) // 2))
        draw = ImageDraw.Draw(img)
        y = (height - text_h) // 2
        for line, fnt, h in rendered:
            draw.text((pic.width + gap, y), line, font=fnt, fill=0)
            y += h
        self._blocks.append(_Block(img, "left", space_after))
        return self

    def big(self, text: str, size: int, bold: bool = True, space_after: int = 6, max_width: int | None = None) -> "Slip":
        """One very large line, cropped to its ink (the queue number): no wasted paper above or below."""
        limit = max_width or self.inner_width
        size = fit_font_size(text, limit, size, bold)
        fnt = font(size, bold)
        left, top, right, bottom = fnt.getbbox(text)
        img = Image.new("L", (max(1, right - left), max(1, bottom - top)), 255)
        ImageDraw.Draw(img).text((-left, -top), text, font=fnt, fill=0)
        self._blocks.append(_Block(img, "center", space_after))
        return self

    def rule(self, thickness: int = 2, space_after: int = 8, dashed: bool = False) -> "Slip":
        img = Image.new("L", (self.inner_width, thickness), 255 if dashed else 0)
        if dashed:
            draw = ImageDraw.Draw(img)
            for x in range(0, self.inner_width, 16):
                draw.rectangle([x, 0, x + 9, thickness - 1], fill=0)
        self._blocks.append(_Block(img, "left", space_after))
        return self

    def space(self, px: int) -> "Slip":
        self._blocks.append(_Block(Image.new("L", (1, max(1, px)), 255), "left", 0))
        return self

    def columns(self, left: str, right: str, size: int = 24, bold: bool = False, space_after: int = 4) -> "Slip":
        """Two texts on one line, left- and right-aligned (label … value)."""
        fnt = font(size, bold)
        right_w = text_width(right, fnt)
        left_lines = wrap_text(left, fnt, max(40, self.inner_width - right_w - 16))
        ascent, descent = fnt.getmetrics()
        step = int((ascent + descent) * 1.22)
        height = step * (max(1, len(left_lines)) - 1) + ascent + descent
        img = Image.new("L", (self.inner_width, height), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(left_lines):
            draw.text((0, i * step), line, font=fnt, fill=0)
        draw.text((self.inner_width - right_w, 0), right, font=fnt, fill=0)
        self._blocks.append(_Block(img, "left", space_after))
        return self

    def render(self, bottom_margin: int = 16) -> Image.Image:
        """The slip as a mode "1" image, exactly ``width`` px wide, no dithering."""
        height = self.margin + sum(b.image.height + b.space_after for b in self._blocks) + bottom_margin
        page = Image.new("L", (self.width, max(1, height)), 255)
        y = self.margin
        for b in self._blocks:
            w = b.image.width
            if b.align == "center":
                x = self.margin + (self.inner_width - w) // 2
            elif b.align == "right":
                x = self.margin + self.inner_width - w
            else:
                x = self.margin
            page.paste(b.image, (x, y))
            y += b.image.height + b.space_after
        return to_1bit(page)
