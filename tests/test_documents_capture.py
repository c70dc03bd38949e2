"""Auto-capture timing logic and the per-paper page batch (no window; real pipeline and files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from kiosk.base import paths
from kiosk.documents import prepare_page, read_image
from kiosk.documents.autocapture import AutoCapture, signature
from kiosk.documents.batch import Paper, ScanBatch
from kiosk.documents.pipeline import FrameCheck

GOOD = FrameCheck(np.zeros((4, 2), np.float32), [])
NONE = FrameCheck(None, ["no_page"])
SAMPLES = paths.ASSETS_DIR / "samples" / "documents"


def _sig(value: float) -> np.ndarray:
    return np.full((48, 64), value, np.float32)


def test_auto_capture_waits_for_stillness_then_fires_once_per_sheet():
    auto = AutoCapture(still_s=0.8)
    a, b = _sig(100), _sig(160)
    assert auto.update(GOOD, a, 0.0) == "steady"
    assert auto.update(GOOD, a, 0.5) == "steady"
    assert auto.update(GOOD, a, 0.9) == "capture"
    auto.captured(a)
    assert auto.update(GOOD, a, 2.0) == "idle"  # the same sheet lies there: not again
    assert auto.update(GOOD, b, 2.3) == "steady"  # a new sheet (it moved in)
    assert auto.update(GOOD, b, 2.6) == "steady"
    assert auto.update(GOOD, b, 3.5) == "capture"


def test_auto_capture_rearms_when_the_page_is_taken_away_and_ignores_bad_photos():
    auto = AutoCapture(still_s=0.5)
    a = _sig(100)
    auto.captured(a)
    assert auto.update(NONE, a, 0.0) == "idle"
    assert auto.armed
    bad = FrameCheck(np.zeros((4, 2), np.float32), ["glare"])
    for t in (1.0, 2.0, 3.0):
        assert auto.update(bad, a, t) == "idle"


@pytest.mark.slow
def test_batch_writes_pages_and_one_pdf_per_paper_with_progress(tmp_path: Path):
    frame = read_image(SAMPLES / "page-2.jpg")
    batch = ScanBatch([Paper("ban_chinh", "Bản chính"), Paper("ban_sao", "Bản sao", required=True),
                       Paper("them", "Giấy tờ khác", required=False)])
    first, second = prepare_page(frame), prepare_page(frame)
    batch.add("ban_chinh", first)
    batch.add("ban_chinh", second, index=0)  # a retake goes back to its place
    assert batch.papers["ban_chinh"].pages == [second, first]
    assert [p.key for p in batch.missing_required()] == ["ban_sao"]
    batch.delete("ban_chinh", 1)
    seen: list[tuple[int, int]] = []
    out = batch.finish(tmp_path / "scan", progress=lambda d, t: seen.append((d, t)))
    assert list(out) == ["ban_chinh"]
    att = out["ban_chinh"]
    assert att.document_key == "ban_chinh" and len(att.pages) == 1 and att.pages[0].is_file()
    reader = PdfReader(str(att.pdf))
    assert len(reader.pages) == 1 and reader.metadata.title == "Bản chính"
    assert "Hạnh phúc" in att.text
    assert seen[0] == (0, 1) and seen[-1] == (1, 1)
    assert signature(frame).shape == (48, 64)
