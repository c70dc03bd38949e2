"""``kiosk ocr`` end to end (JSON shape, exit codes, the PDF) on the generated set."""

from __future__ import annotations

import json
from pathlib import Path

import gen_documents  # tests/ is on sys.path under pytest
import pytest
from pypdf import PdfReader

from kiosk.cli.main import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docset():
    m = gen_documents.build()
    m["path"] = Path(m["dir"])
    return m


def test_ocr_json_and_pdf(docset, tmp_path, capsys):
    cam = str(docset["path"] / docset["pages"][1]["camera"])
    nopage = str(docset["path"] / docset["quality"]["no_page"]["file"])
    out = tmp_path / "out.pdf"
    rc = main(["ocr", cam, nopage, "--json", "--pdf", str(out)])
    assert rc == 1  # one image had no page
    data = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in data] == [cam, nopage]
    first, second = data
    assert set(first) == {"file", "page_found", "corners", "text", "mean_confidence", "seconds", "warnings", "quality", "suggestions"}
    assert first["quality"]["verdict"] == "good" and first["quality"]["reasons"] == []
    assert first["page_found"] and len(first["corners"]) == 4 and all(len(c) == 2 for c in first["corners"])
    assert "Độc lập - Tự do - Hạnh phúc" in first["text"]
    assert first["warnings"] == []
    assert second == {**second, "page_found": False, "corners": None, "text": "", "warnings": ["no_page"]}
    assert len(PdfReader(str(out)).pages) == 1


def test_ocr_flat_scan_as_text(docset, capsys):
    flat = str(docset["path"] / docset["pages"][2]["flat"])
    assert main(["ocr", flat, "--source", "scan"]) == 0
    assert "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH" in capsys.readouterr().out


def test_ocr_bad_input_is_a_usage_error(tmp_path, capsys):
    assert main(["ocr", str(tmp_path / "missing.jpg")]) == 2
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image")
    assert main(["ocr", str(junk)]) == 2
    assert "not an image" in capsys.readouterr().err
