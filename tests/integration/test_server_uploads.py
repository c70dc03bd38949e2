"""Uploads and free text get in only when they are what they claim and clean — refused with a reason, never cleaned silently.

Audit: a file starting ``%PDF-<html>`` was accepted as a PDF; file names kept U+202E; two files
of one name in one dossier were accepted; applicant names were stored with NUL, ANSI escapes
and CR-LF; a fee of 10^30 was accepted; a partial upload stayed in ``server-files/tmp`` for an
hour after kill -9.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from server.models import Dossier, DossierFile
from server.testing import ServerThread, sample_image, sample_pdf

from .conftest import JPEG, PDF, PNG, TOKEN, make_meta

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE = {
    "NUL": "Nguyễn\x00Văn An",
    "ANSI": "\x1b[31mNguyễn Văn An\x1b[0m",
    "CR-LF": "Nguyễn Văn An\r\nX-Injected: 1",
    "RLO": "Nguyễn \u202eVăn An",
    "zero-width": "Nguyễn\u200bVăn An",
    "private-use": "Nguyễn \ue000Văn An",
    "line-separator": "Nguyễn\u2028Văn An",
}


def _post(server, meta: dict, files: list[tuple[str, bytes]], key: str = "upload-key-0001"):
    return httpx.post(f"{server.url}/dossiers", data={"meta": json.dumps(meta)},
                      files=[("files", (n, c, "application/octet-stream")) for n, c in files],
                      headers={**AUTH, "Idempotency-Key": key}, timeout=30)


def _meta(names: list[str], **changes) -> dict:
    meta = json.loads(make_meta(files=names).model_dump_json())
    for path, value in changes.items():
        node = meta
        *parents, leaf = path.split(".")
        for p in parents:
            node = node[p]
        node[leaf] = value
    return meta


def _stored(server) -> tuple[int, list[Path]]:
    with server.app.state.sessions() as s:
        n = len(s.execute(select(Dossier.id)).all())
    return n, [p for p in (server.settings.files_dir / "blobs").rglob("*") if p.is_file()]


FAKES = {
    "html-as-pdf": b"%PDF-<html><body><script>alert(1)</script></body></html>",
    "pdf-header-then-noise": b"%PDF-1.7\n" + os.urandom(4000),
    "pdf-without-pages": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "png-signature-then-zeros": b"\x89PNG\r\n\x1a\n" + bytes(64),
    "jpeg-signature-then-zeros": b"\xff\xd8\xff\xe0" + bytes(64),
    "png-truncated": sample_image("PNG", (64, 64))[:100],
}


@pytest.mark.parametrize("name", sorted(FAKES))
def test_a_file_that_only_looks_like_a_pdf_or_image_is_415(server, name: str):
    r = _post(server, _meta(["scan.pdf"]), [("scan.pdf", FAKES[name])])
    assert r.status_code == 415, r.text[:300]
    assert r.json()["errors"][0]["field"] == "files[0]"
    assert _stored(server) == (0, [])


def test_real_pdf_png_and_jpeg_are_taken(server):
    files = [("to-khai.pdf", sample_pdf(b"x" * 500)), ("anh.png", PNG), ("anh.jpg", JPEG)]
    r = _post(server, _meta([n for n, _ in files]), files)
    assert r.status_code == 201, r.text[:300]
    assert [f["content_type"] for f in r.json()["files"]] == ["application/pdf", "image/png", "image/jpeg"]


def _post_raw(server, meta: dict, name: str, content: bytes):
    """Multipart written by hand: httpx would percent-escape control characters in the file name."""
    b = "rawboundary0123456789"
    body = (f'--{b}\r\nContent-Disposition: form-data; name="meta"\r\n\r\n{json.dumps(meta)}\r\n'
            f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{b}--\r\n".encode()
    return httpx.post(f"{server.url}/dossiers", content=body, timeout=30,
                      headers={**AUTH, "Idempotency-Key": "upload-raw-0001",
                               "Content-Type": f"multipart/form-data; boundary={b}"})


@pytest.mark.parametrize("bad", ["a\u202efdp.exe.pdf", "a\x00.pdf", "a\x1b[1m.pdf", "a\x7f.pdf", "\u200b.pdf",
                                 "a\ue000.pdf"])
def test_file_names_with_control_or_bidi_characters_are_422(server, bad: str):
    r = _post_raw(server, _meta(["a.pdf"]), bad, PDF)
    assert r.status_code == 422, r.text[:300]
    assert r.json()["errors"][0]["field"] == "files[0]"
    assert _stored(server) == (0, [])


def test_file_names_lose_folders_and_are_nfc(server):
    nfd = unicodedata.normalize("NFD", "tờ khai.pdf")
    r = _post(server, _meta(["tờ khai.pdf", "passwd.pdf"]), [(nfd, PDF), ("../../etc/passwd.pdf", PNG)])
    assert r.status_code == 201, r.text[:300]
    assert [f["name"] for f in r.json()["files"]] == ["tờ khai.pdf", "passwd.pdf"]
    with server.app.state.sessions() as s:
        assert sorted(s.execute(select(DossierFile.name)).scalars()) == ["passwd.pdf", "tờ khai.pdf"]


@pytest.mark.parametrize("second", ["a.pdf", "A.PDF", "dir/a.pdf", unicodedata.normalize("NFD", "a.pdf")])
def test_two_files_of_one_name_in_a_dossier_are_422(server, second: str):
    r = _post(server, _meta(["a.pdf"]), [("a.pdf", PDF), (second, sample_pdf(b"other"))])
    assert r.status_code == 422, r.text[:300]
    assert r.json()["errors"][0]["field"] == "files[1]"
    assert _stored(server) == (0, [])


@pytest.mark.parametrize("field", ["applicant.full_name", "applicant.address", "procedure_name", "summary",
                                   "documents.0.name", "form.ho_ten"])
def test_free_text_with_control_format_or_bidi_characters_is_422(server, field: str):
    for kind, value in HOSTILE.items():
        if field.startswith("documents."):
            meta = _meta(["a.pdf"])
            meta["documents"][0]["name"] = value
        else:
            meta = _meta(["a.pdf"], **{field: value})
        r = _post(server, meta, [("a.pdf", PDF)])
        assert r.status_code == 422, (kind, r.text[:300])
        assert r.json()["errors"][0]["field"].startswith("meta."), kind
        assert value not in r.text  # the refusal does not echo the hostile text
    assert _stored(server) == (0, [])


@pytest.mark.parametrize("number", ["\uff10\uff13\uff16\uff10\uff18\uff19\uff10\uff10\uff11\uff12\uff13\uff14",
                                    "٠٣٦٠٨٩٠٠١٢٣٤", "03608900123"])
def test_an_id_number_of_other_digits_or_length_is_422(server, number: str):
    """Only the 9 or 12 ASCII digits of DOMAIN.md: full-width or Arabic-Indic digits are not "digits" here."""
    r = _post(server, _meta(["a.pdf"], **{"applicant.id_number": number}), [("a.pdf", PDF)])
    assert r.status_code == 422, r.text[:300]
    assert r.json()["errors"][0]["field"] == "meta.applicant.id_number"
    assert _stored(server) == (0, [])


def test_ratings_free_text_with_hostile_characters_is_422(server):
    headers = {**AUTH, "Idempotency-Key": "rating-hostile-01"}
    for body in ({"level": "unsatisfied", "reasons": ["slow\u202e"], "at": "2026-03-03T08:00:00+07:00"},
                 {"level": "unsatisfied", "text": "chậm\x00", "at": "2026-03-03T08:00:00+07:00"},
                 {"level": "neutral", "ticket_number": "A001\x1b[2J", "at": "2026-03-03T08:00:00+07:00"}):
        r = httpx.post(f"{server.url}/ratings", json=body, headers=headers)
        assert r.status_code == 422, (body, r.text[:200])


def test_clean_vietnamese_in_nfd_is_taken_and_stored_nfc(server):
    name = "Nguyễn Thị Ánh Tuyết"
    meta = _meta(["a.pdf"], **{"applicant.full_name": unicodedata.normalize("NFD", name),
                               "summary": "Dòng một\nDòng hai", "form.ghi_chu": "Ghi chú\tcó tab"})
    r = _post(server, meta, [("a.pdf", PDF)])
    assert r.status_code == 201, r.text[:300]
    with server.app.state.sessions() as s:
        stored = s.execute(select(Dossier.meta)).scalar_one()
    assert stored["applicant"]["full_name"] == name and stored["summary"] == "Dòng một\nDòng hai"


@pytest.mark.parametrize("fee", [10**30, 10**10, -1])
def test_an_absurd_fee_is_422(server, fee: int):
    r = _post(server, _meta(["a.pdf"], fee=fee), [("a.pdf", PDF)])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "meta.fee"


def _leftover(folder: Path, name: str, age_s: float = 120) -> Path:
    """A partial upload as a killed server leaves it: a temp file nobody holds, not touched for a while."""
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_bytes(os.urandom(64 * 1024))
    old = time.time() - age_s
    os.utime(p, (old, old))
    return p


def test_partial_uploads_are_swept_at_start_and_on_a_timer(tmp_path: Path):
    tmp = tmp_path / "server-files" / "tmp"
    dead = _leftover(tmp, "tmpkilled1")
    with ServerThread(tmp_path, kiosks=[("KIOSK-01", TOKEN, "000.00.01.H22")], sweep_every_s=0.2) as srv:
        assert not dead.exists()  # at start, not an hour later
        later = _leftover(tmp, "tmpkilled2")
        deadline = time.monotonic() + 20
        while later.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not later.exists()  # on the timer, while the server runs
        fresh = _leftover(tmp, "tmpjuststarted", age_s=0)  # too young: could be an upload just starting
        time.sleep(1.0)
        assert fresh.exists()
        r = _post(srv, _meta(["a.pdf"]), [("a.pdf", PDF)])
        assert r.status_code == 201
