"""Vietnamese OCR of one flattened page: text, per-word confidences and a text-only PDF layer.

One tesseract run gives all three (``txt tsv pdf`` config files), so a page is read once.
``textonly_pdf=1`` makes the PDF an invisible text layer that :mod:`kiosk.documents.pdf`
lays over the archive image. We call the binary directly (pytesseract's multi-output helper
takes no options); ``OMP_THREAD_LIMIT=1`` always (see :mod:`kiosk.documents.tess`).
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from kiosk.base.blocking import blocking
from kiosk.documents.tess import tesseract_cmd, tesseract_env

LANG = "vie"
# Page segmentation mode measured on the generated set (benchmarks/ocr.py): 4 (one column of
# text of varying sizes) edges out 3 (automatic) and 6 (one block) on forms with centred headings.
PSM = 4
TIMEOUT_S = 60


class OcrError(Exception):
    """Tesseract is missing, lacks the language, or failed on the page."""


@dataclass
class Word:
    text: str
    confidence: float  # 0–100
    box: tuple[int, int, int, int]  # x, y, w, h in page px
    line: tuple[int, int, int] = (0, 0, 0)  # tesseract's block, paragraph, line numbers


@dataclass
class OcrResult:
    text: str
    words: list[Word] = field(default_factory=list)
    text_pdf: bytes | None = None  # invisible text layer, one page

    def line_confidences(self) -> list[float]:
        """Mean word confidence of each text line, in reading order."""
        lines: dict[tuple[int, int, int], list[float]] = {}
        for w in self.words:
            if w.text.strip():
                lines.setdefault(w.line, []).append(w.confidence)
        return [float(np.mean(v)) for v in lines.values()]

    @property
    def mean_confidence(self) -> float:
        confs = [w.confidence for w in self.words if w.text.strip()]
        return float(np.mean(confs)) if confs else 0.0


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            if row.get("level") != "5" or not (row.get("text") or "").strip():
                continue
            box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
            line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            words.append(Word(row["text"], float(row["conf"]), box, line))
        except (KeyError, ValueError, TypeError):
            continue
    return words


def clean_text(text: str) -> str:
    """Tesseract's text without trailing spaces, form feeds and runs of blank lines."""
    lines = [ln.rstrip() for ln in text.replace("\f", "").splitlines()]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


@blocking
def ocr_page(
    image: np.ndarray, *, lang: str = LANG, psm: int = PSM, dpi: int | None = 300, pdf: bool = True, timeout: float = TIMEOUT_S
) -> OcrResult:
    """Read one page image (grey or binary, upright). Raises :class:`OcrError`."""
    with tempfile.TemporaryDirectory(prefix="kiosk-ocr-") as tmp:
        src = Path(tmp) / "page.png"
        if not cv2.imwrite(str(src), image):
            raise OcrError("cannot write the page image")
        base = Path(tmp) / "out"
        cmd = [tesseract_cmd(), str(src), str(base), "-l", lang, "--psm", str(psm)]
        if dpi:
            cmd += ["--dpi", str(dpi)]
        if pdf:
            cmd += ["-c", "textonly_pdf=1"]
        cmd += ["txt", "tsv"] + (["pdf"] if pdf else [])
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=tesseract_env(), check=False)
        except FileNotFoundError:
            raise OcrError("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)") from None
        except subprocess.TimeoutExpired:
            raise OcrError(f"tesseract took longer than {timeout:.0f} s") from None
        if proc.returncode != 0:
            msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrError(f"tesseract failed: {msg[-1] if msg else proc.returncode}")
        text = (base.with_suffix(".txt")).read_text(encoding="utf-8", errors="replace")
        tsv = (base.with_suffix(".tsv")).read_text(encoding="utf-8", errors="replace")
        text_pdf = base.with_suffix(".pdf").read_bytes() if pdf else None
    return OcrResult(clean_text(text), parse_tsv(tsv), text_pdf)


def raw_ocr(image: np.ndarray, *, lang: str = LANG, psm: int = 3) -> str:
    """Plain ``tesseract -l vie`` on an unprocessed image: the benchmark's baseline."""
    return ocr_page(image, lang=lang, psm=psm, dpi=None, pdf=False).text
