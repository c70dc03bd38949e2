"""One searchable PDF per dossier component: the archive image with the OCR text under it.

Each page is an A4 page holding the flattened colour page as a JPEG (Pillow writes it as
DCT, no re-encoding) and, merged over it, tesseract's invisible text layer of the same page.
JPEG quality steps down until the page fits :data:`MAX_PAGE_BYTES`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation

ARCHIVE_DPI = 200
MAX_PAGE_BYTES = 300 * 1024
QUALITIES = (70, 60, 50, 40, 30)
A4_PT = (595.28, 841.89)


@dataclass
class PdfPage:
    image: np.ndarray  # flattened page, BGR or grey, upright, any resolution
    text_pdf: bytes | None  # tesseract text-only layer of the same page (None: image only)


def archive_jpeg(image: np.ndarray, dpi: int = ARCHIVE_DPI, budget: int = MAX_PAGE_BYTES - 20_000) -> tuple[bytes, tuple[int, int]]:
    """The page at ``dpi`` of A4 as JPEG under ``budget`` bytes; returns (bytes, (w, h) px)."""
    h, w = image.shape[:2]
    long_px = round(11.69 * dpi)
    scale = long_px / max(h, w)
    img = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if img.ndim == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    pil = Image.fromarray(img)
    data = b""
    for q in QUALITIES:
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=q, optimize=True)
        data = buf.getvalue()
        if len(data) <= budget:
            break
    return data, pil.size


def _image_page_pdf(jpeg: bytes, size_px: tuple[int, int]) -> bytes:
    """A one-page PDF of the JPEG, sized A4 (portrait or landscape like the image)."""
    w, h = size_px
    dpi = max(w, h) / (A4_PT[1] / 72)
    buf = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(buf, format="PDF", resolution=dpi)
    return buf.getvalue()


def build_pdf(pages: list[PdfPage], out: Path, metadata: dict[str, str] | None = None) -> Path:
    """Write the multi-page searchable PDF to ``out`` (atomically) and return it."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    writer = PdfWriter()
    for page in pages:
        jpeg, size = archive_jpeg(page.image)
        image_page = writer.add_page(PdfReader(io.BytesIO(_image_page_pdf(jpeg, size))).pages[0])
        if page.text_pdf:
            text_page = PdfReader(io.BytesIO(page.text_pdf)).pages[0]
            tw, th = float(text_page.mediabox.width), float(text_page.mediabox.height)
            iw, ih = float(image_page.mediabox.width), float(image_page.mediabox.height)
            image_page.merge_transformed_page(text_page, Transformation().scale(iw / tw, ih / th))
    meta = {
        "/Producer": "motcua-kiosk",
        "/Creator": "motcua-kiosk document scanner (tesseract OCR)",
        "/CreationDate": datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%SZ"),
    }
    for k, v in (metadata or {}).items():
        meta[k if k.startswith("/") else "/" + k] = str(v)
    writer.add_metadata(meta)
    writer.compress_identical_objects()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("wb") as f:
        writer.write(f)
    tmp.replace(out)
    return out
