"""The document pipeline on the generated set: real tesseract (vie), OpenCV on real pixels, pypdf."""

from __future__ import annotations

import gen_documents  # tests/ is on sys.path under pytest
import numpy as np
import pytest
from pypdf import PdfReader
from rapidfuzz.distance import Levenshtein

from kiosk.documents import (
    build_attachment,
    check_frame,
    detect,
    find_fields,
    process_image,
    quality,
    read_image,
)

pytestmark = pytest.mark.slow


def cer(truth: str, read: str) -> float:
    """Character error rate with whitespace runs made one space (layout is not the point)."""
    t, r = " ".join(truth.split()), " ".join(read.split())
    return Levenshtein.distance(t, r) / max(1, len(t))


@pytest.fixture(scope="session")
def docset():
    m = gen_documents.build()
    from pathlib import Path

    m["path"] = Path(m["dir"])
    return m


@pytest.fixture(scope="session")
def processed(docset):
    """Every page of the set through the whole pipeline once (OCR is the slow part)."""
    out = {}
    for p in docset["pages"]:
        for kind in ("flat", "camera"):
            out[(kind, p["index"])] = process_image(read_image(docset["path"] / p[kind]))
    return out


def test_camera_pages_are_found_with_small_corner_error(docset):
    for p in docset["pages"]:
        frame = read_image(docset["path"] / p["camera"])
        found = detect.find_page(frame)
        assert found.found, f"page {p['index']} not found"
        true = np.array(p["corners"], np.float32)
        page_h = np.linalg.norm(true[3] - true[0])
        # match each detected corner to the nearest true one (the page may lie turned)
        err = max(float(np.min(np.linalg.norm(true - c, axis=1))) for c in found.corners)
        assert err < 0.01 * page_h, f"page {p['index']}: corner error {err:.1f} px"


def test_flat_pages_read_almost_perfectly(docset, processed):
    rates = [cer(p["text"], processed[("flat", p["index"])].text) for p in docset["pages"]]
    assert max(rates) <= 0.01, rates
    assert all(not processed[("flat", p["index"])].warnings for p in docset["pages"])


def test_camera_pages_read_within_bounds_of_flat_pages(docset, processed):
    flat = [cer(p["text"], processed[("flat", p["index"])].text) for p in docset["pages"]]
    cam = [cer(p["text"], processed[("camera", p["index"])].text) for p in docset["pages"]]
    assert np.mean(cam) <= 0.02, cam
    assert max(cam) <= 0.03, cam
    assert np.mean(cam) - np.mean(flat) <= 0.015, (flat, cam)
    for p in docset["pages"]:
        r = processed[("camera", p["index"])]
        assert r.page_found and not r.warnings, (p["index"], r.warnings)
        assert r.mean_confidence > 80


def test_pages_laid_sideways_or_upside_down_are_turned_upright(docset, processed):
    turned = [p for p in docset["pages"] if p["quarter_turns"]]
    assert turned, "the set must hold turned pages"
    for p in turned:
        r = processed[("camera", p["index"])]
        assert (r.rotation + 90 * p["quarter_turns"]) % 360 == 0, (p["index"], r.rotation)


@pytest.mark.parametrize("case", ["blurred", "dark", "cut_off", "glare", "no_page"])
def test_bad_photos_get_the_right_retake_reason(docset, case):
    frame = read_image(docset["path"] / docset["quality"][case]["file"])
    r = process_image(frame, ocr=False, orient_page=False)
    assert case in r.warnings, r.warnings
    if case == "no_page":
        assert not r.page_found
        assert check_frame(frame).warnings == ["no_page"]


def test_good_photos_pass_the_live_check(docset):
    for p in docset["pages"][:2]:
        check = check_frame(read_image(docset["path"] / p["camera"]))
        assert check.ok, check.warnings


def test_searchable_pdf_has_the_pages_the_text_and_the_metadata(docset, processed, tmp_path):
    results = [processed[("camera", 0)], processed[("camera", 1)]]
    out = build_attachment(results, tmp_path / "giay-to.pdf", {"/Title": "Tờ khai", "/Keywords": "to_khai"})
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    assert reader.metadata.title == "Tờ khai"
    assert reader.metadata["/Keywords"] == "to_khai"
    for page, r in zip(reader.pages, results):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2  # A4 portrait
        layer = " ".join(page.extract_text().split())
        numbers = find_fields(r.text)["id_number"]
        assert numbers and numbers[0] in layer
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in layer
        assert cer(" ".join(r.text.split()), layer) < 0.02
    assert out.stat().st_size <= 300 * 1024 * len(reader.pages)


def test_fields_found_on_a_page_are_offered(docset, processed):
    p = docset["pages"][0]
    fields = find_fields(processed[("camera", 0)].text)
    truth = find_fields(p["text"])
    assert fields["id_number"] == truth["id_number"]
    assert truth["dates"][0] in fields["dates"]
    assert truth["names"][0] in fields["names"]


def test_quality_thresholds_separate_sharp_from_blurred_pages(docset, processed):
    import cv2

    sharp = [quality.sharpness(cv2.cvtColor(r.flat, cv2.COLOR_BGR2GRAY)) for k, r in processed.items() if k[0] == "camera"]
    assert min(sharp) > 2 * quality.SHARP_MIN
