"""Server rows past their configured age are deleted by the retention job (and the blobs they named).

Audit: nothing deleted old server rows — tickets, ratings, dossiers with the applicant's data
stayed for ever.
"""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from server import housekeeping
from server.models import Dossier, DossierEvent, DossierFile, Rating, Sequence, Ticket, TicketBlock
from server.testing import sample_pdf, utc_now

from .conftest import TOKEN, make_meta

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _counts(server) -> dict[str, int]:
    with server.app.state.sessions() as s:
        return {m.__name__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Ticket, TicketBlock, Sequence, Rating, Dossier, DossierFile, DossierEvent)}


def _activity(server, tag: str, at) -> str:
    http = httpx.Client(headers=AUTH, timeout=30)
    assert http.post(f"{server.url}/tickets", json={"service": "A"}).status_code == 201
    assert http.post(f"{server.url}/tickets/blocks", json={"service": "B", "size": 5},
                     headers={"Idempotency-Key": f"block-{tag}-0001"}).status_code == 201
    r = http.post(f"{server.url}/ratings", json={"level": "satisfied", "at": at.isoformat()},
                  headers={"Idempotency-Key": f"rating-{tag}-0001"})
    assert r.status_code == 201
    pdf = sample_pdf(tag.encode())
    r = http.post(f"{server.url}/dossiers", data={"meta": make_meta(files=["a.pdf"]).model_dump_json()},
                  files=[("files", ("a.pdf", pdf, "application/pdf"))], headers={"Idempotency-Key": f"dossier-{tag}-01"})
    assert r.status_code == 201, r.text
    return r.json()["files"][0]["sha256"]


def test_rows_past_their_age_are_deleted_and_newer_ones_kept(server, clock):
    cfg = server.settings
    old_time = utc_now() - timedelta(days=max(cfg.retention_ticket_days, cfg.retention_rating_days,
                                              cfg.retention_dossier_days) + 30)
    clock.set(old_time)
    old_blob = _activity(server, "old", old_time)
    clock.set(utc_now())
    new_blob = _activity(server, "new", utc_now())
    before = _counts(server)
    assert before["Dossier"] == 2 and before["Ticket"] == 2

    removed = housekeeping.retention(server.app.state)
    assert removed and sum(removed.values()) > 0
    after = _counts(server)
    assert after == {"Ticket": 1, "TicketBlock": 1, "Sequence": 3, "Rating": 1, "Dossier": 1, "DossierFile": 1,
                     "DossierEvent": 1}, json.dumps(after)
    cfg.blob_grace_s = 0  # the blob sweep frees the deleted dossier's file, not the kept one's
    housekeeping.sweep_blobs(server.app.state)
    assert not server.app.state.files.blob_path(old_blob).exists()
    assert server.app.state.files.blob_path(new_blob).exists()
