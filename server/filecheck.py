"""What a received file is: sniffed from its first bytes, then parsed (pypdf, Pillow); and its name made plain.

A signature alone proves nothing (``%PDF-<html>…`` starts like a PDF): a PDF must open in
pypdf with at least one page, an image must open in Pillow as the format its bytes claim,
within a pixel budget, and decode. File names lose their folders and are NFC; a name with
control, format or private-use characters (U+202E turns ``a‮fdp.exe`` into ``aexe.pdf`` on
screen) is refused, not cleaned.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

from kiosk.api import unclean_char

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
MAX_PIXELS = 60_000_000  # a 600-dpi A4 page is 35 MP
MAX_PAGES = 2000
MAX_NAME_CHARS = 200

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on broken files would be one log line per upload


class FileRejected(Exception):
    """A file the server will not take; ``status`` is 413 (too big), 415 (not a real PDF/PNG/JPEG) or 422 (name)."""

    def __init__(self, status: int, detail: str, field: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


def sniff(head: bytes) -> str | None:
    """Content type from the first bytes, whatever the name or the declared type claim."""
    for magic, ctype in SIGNATURES:
        if head.startswith(magic):
            return ctype
    return None


def _check_pdf(path: Path) -> None:
    from pypdf import PdfReader

    pages = len(PdfReader(path, strict=False).pages)
    if not 1 <= pages <= MAX_PAGES:
        raise ValueError(f"{pages} pages")


def _check_image(path: Path, ctype: str) -> None:
    from PIL import Image

    with Image.open(path) as img:
        if img.format != PIL_FORMATS[ctype]:
            raise ValueError(f"{img.format} inside a {ctype} signature")
        width, height = img.size
        if width * height > MAX_PIXELS:
            raise ValueError("too many pixels")
        img.verify()
    with Image.open(path) as img:  # verify() leaves the image unusable; decode it for real
        if ctype == "image/jpeg":
            img.draft(img.mode, (max(1, width // 8), max(1, height // 8)))  # DCT-scaled: every block, fast
        img.load()


def check_content(path: Path, head: bytes, field: str) -> str:
    """The content type of the file at ``path``, or FileRejected(415) unless it parses as that type."""
    ctype = sniff(head)
    if ctype is None:
        raise FileRejected(415, "only PDF, PNG and JPEG files are accepted", field)
    try:
        if ctype == "application/pdf":
            _check_pdf(path)
        else:
            _check_image(path, ctype)
    except Exception:  # noqa: BLE001 — any parser failure means "not what it claims"
        kind = "PDF" if ctype == "application/pdf" else PIL_FORMATS[ctype]
        raise FileRejected(415, f"the file starts like a {kind} but is not a readable {kind}", field) from None
    return ctype


def clean_name(name: str | None, field: str) -> str:
    """A plain file name: the last path part, NFC, no control/format/private-use characters (else 422)."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    if unclean_char(base) is not None:
        raise FileRejected(422, "file name holds control, format or bidi characters", field)
    base = base.strip(" .") or "file"
    if len(base) > MAX_NAME_CHARS:
        raise FileRejected(422, f"file name longer than {MAX_NAME_CHARS} characters", field)
    return base


def name_key(name: str) -> str:
    """What makes two names "the same" in one dossier: NFC and case-folded (as most file systems see them)."""
    return unicodedata.normalize("NFC", name).casefold()
