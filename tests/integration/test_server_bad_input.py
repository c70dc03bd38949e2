"""Bad input to the server → the right 4xx, field names in 422s, and nothing stored (rows or files)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import httpx
from sqlalchemy import func, select

from kiosk import api
from server.models import Dossier, DossierFile, Rating, Ticket

from .conftest import FOREIGN_TOKEN, JPEG, PDF, TOKEN, make_meta


def _nothing_stored(server) -> None:
    with server.app.state.sessions() as s:
        for model in (Dossier, DossierFile, Rating, Ticket):
            assert s.execute(select(func.count()).select_from(model)).scalar_one() == 0, model.__name__
    root = server.settings.files_dir
    assert not [p for p in (root / "blobs").rglob("*") if p.is_file()]
    assert not list((root / "tmp").iterdir())


def _post_dossier(server, meta, files, key="bad-input-key-1", token=TOKEN):
    data = {"meta": meta if isinstance(meta, str) else meta.model_dump_json()}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key:
        headers["Idempotency-Key"] = key
    return httpx.post(f"{server.url}/dossiers", data=data, files=[("files", f) for f in files],
                      headers=headers, timeout=10)


def test_missing_or_wrong_token_is_401(server):
    meta = make_meta(files=["a.pdf"])
    for token in (None, "not-a-real-token"):
        r = _post_dossier(server, meta, [("a.pdf", PDF, "application/pdf")], token=token)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = httpx.post(f"{server.url}/tickets", json={"service": "A"}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    _nothing_stored(server)


def test_a_kiosk_cannot_act_for_another_department_or_kiosk(server):
    # KIOSK-99 belongs to another department; it sends a dossier for ours, or pretends to be KIOSK-01
    r = _post_dossier(server, make_meta(kiosk_id="KIOSK-99", files=["a.pdf"]), [("a.pdf", PDF, "application/pdf")],
                      token=FOREIGN_TOKEN)
    assert r.status_code == 403
    r = _post_dossier(server, make_meta(files=["a.pdf"]), [("a.pdf", PDF, "application/pdf")], token=FOREIGN_TOKEN)
    assert r.status_code == 403
    r = httpx.post(f"{server.url}/kiosks/KIOSK-01/heartbeat", json={"status": {}},
                   headers={"Authorization": f"Bearer {FOREIGN_TOKEN}"})
    assert r.status_code == 403
    _nothing_stored(server)


def test_oversized_and_fake_type_files_are_refused(server):
    meta = make_meta(files=["a.pdf"])
    big = b"%PDF-1.4\n" + bytes(300_000)
    r = _post_dossier(server, meta, [("a.pdf", big, "application/pdf")])
    assert r.status_code == 413 and r.json()["errors"][0]["field"] == "files[0]"
    fake = b"MZ\x90\x00 this is an executable, not a PDF"
    r = _post_dossier(server, meta, [("a.pdf", PDF, "application/pdf"), ("b.pdf", fake, "application/pdf")])
    assert r.status_code == 415 and r.json()["errors"][0]["field"] == "files[1]"
    many = [(f"p{i}.jpg", JPEG, "image/jpeg") for i in range(6)]
    r = _post_dossier(server, make_meta(), many)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "files"
    _nothing_stored(server)


def test_malformed_metadata_is_422_with_field_names(server):
    r = _post_dossier(server, "{not json", [("a.pdf", PDF, "application/pdf")])
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("meta")
    bad = json.loads(make_meta(files=["a.pdf"]).model_dump_json())
    bad["applicant"]["full_name"] = ""
    bad["rule"]["working_days"] = -1
    r = _post_dossier(server, json.dumps(bad), [("a.pdf", PDF, "application/pdf")])
    fields = {e["field"] for e in r.json()["errors"]}
    assert r.status_code == 422 and {"meta.applicant.full_name", "meta.rule.working_days"} <= fields
    r = _post_dossier(server, make_meta(files=["missing.pdf"]), [("a.pdf", PDF, "application/pdf")])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "meta.documents[0].files"
    r = _post_dossier(server, make_meta(files=["a.pdf"]), [("a.pdf", PDF, "application/pdf")], key=None)
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["errors"][0]["field"]
    auth = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "rating-key-bad-1"}
    r = httpx.post(f"{server.url}/ratings", content=b'{"level": "unsatisfied", "at": "2026-01-01T08:00:00+07:00"',
                   headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 422
    r = httpx.post(f"{server.url}/ratings", json={"level": "unsatisfied", "at": "2026-01-01T08:00:00+07:00"},
                   headers=auth)
    assert r.status_code == 422  # a reason is required when unsatisfied
    r = httpx.post(f"{server.url}/tickets", json={"service": "a1"}, headers=auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "service"
    _nothing_stored(server)


def test_replayed_key_with_a_different_body_is_refused(server, tmp_path: Path):
    first = _post_dossier(server, make_meta(files=["a.pdf"]), [("a.pdf", PDF, "application/pdf")], key="replay-key-001")
    assert first.status_code == 201
    changed = make_meta(files=["a.pdf"], working_days=7)
    r = _post_dossier(server, changed, [("a.pdf", PDF, "application/pdf")], key="replay-key-001")
    assert r.status_code == 422 and "idempotency" in r.json()["detail"]
    r = _post_dossier(server, make_meta(files=["a.pdf"]), [("a.pdf", PDF + b"x", "application/pdf")], key="replay-key-001")
    assert r.status_code == 422
    same = _post_dossier(server, make_meta(files=["a.pdf"]), [("a.pdf", PDF, "application/pdf")], key="replay-key-001")
    assert same.status_code == 200 and same.json() == first.json()
    with server.app.state.sessions() as s:
        assert s.execute(select(func.count()).select_from(Dossier)).scalar_one() == 1
    rating = api.RatingIn(level="satisfied", at=datetime.now(timezone.utc)).model_dump_json()
    headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "rating-replay-1",
               "Content-Type": "application/json"}
    assert httpx.post(f"{server.url}/ratings", content=rating, headers=headers).status_code == 201
    other = api.RatingIn(level="neutral", at=datetime.now(timezone.utc)).model_dump_json()
    assert httpx.post(f"{server.url}/ratings", content=other, headers=headers).status_code == 422
