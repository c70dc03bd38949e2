"""Input the server cannot use is a 4xx, never a 5xx, and costs no traceback in the log.

The audit's 500s: ``issued_at`` in year 1 or 9999, counter 2**63, rating ``at`` in year 1 or 9999,
cutoff "24:00" or "99:99", ``/satisfaction?to=9999-12-31`` — each wrote a 5.5 KB traceback.
And a dossier that failed after its file was stored left an unreferenced blob.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timezone

import httpx
import pytest
from sqlalchemy import select, text

from server.codes import dossier_sequence_name
from server.models import DossierFile
from server.testing import DEFAULT_UNIT, sample_pdf

from .conftest import PDF, TOKEN, make_meta

AUTH = {"Authorization": f"Bearer {TOKEN}"}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server_log() -> Iterator[_Records]:
    """Everything the server logs at ERROR or above (uvicorn's own error log included)."""
    handler = _Records()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn.error"), logging.getLogger("uvicorn")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.ERROR)
    yield handler
    for lg, level in zip(loggers, levels):
        lg.removeHandler(handler)
        lg.setLevel(level)


def _dossier(server, meta: dict, name: str = "a.pdf", content: bytes = PDF, key: str = "bounds-key-0001"):
    return httpx.post(f"{server.url}/dossiers", data={"meta": json.dumps(meta)},
                      files=[("files", (name, content, "application/pdf"))],
                      headers={**AUTH, "Idempotency-Key": key}, timeout=30)


def _meta(**rule) -> dict:
    meta = json.loads(make_meta(files=["a.pdf"]).model_dump_json())
    meta["rule"].update(rule)
    return meta


BAD_JSON = [
    ("/tickets", {"service": "A", "issued_at": "0001-01-01T00:00:00"}),
    ("/tickets", {"service": "A", "issued_at": "9999-12-31T23:00:00+00:00"}),
    ("/counters/9223372036854775808/next", {"services": ["A"]}),
    ("/counters/-5/next", {"services": ["A"]}),
    ("/counters/0/next", {"services": ["A"]}),
    ("/ratings", {"level": "satisfied", "at": "0001-01-01T00:00:00"}),
    ("/ratings", {"level": "satisfied", "at": "9999-12-31T23:00:00+00:00"}),
    ("/ratings", {"level": "satisfied", "at": "2026-03-03T08:00:00+07:00", "counter": 2**63}),
]


@pytest.mark.parametrize("path,body", BAD_JSON, ids=[f"{p}:{json.dumps(b)[:60]}" for p, b in BAD_JSON])
def test_out_of_range_json_is_4xx_without_a_traceback(server, server_log, path: str, body: dict):
    r = httpx.post(f"{server.url}{path}", json=body, headers={**AUTH, "Idempotency-Key": "bounds-rating-01"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert r.json()["detail"]
    assert not server_log.records, [rec.getMessage() for rec in server_log.records]


@pytest.mark.parametrize("cutoff", ["24:00", "99:99", "12:60"])
def test_impossible_cutoff_is_422_and_stores_nothing(server, server_log, cutoff: str):
    r = _dossier(server, _meta(working_days=0, cutoff=cutoff))
    assert r.status_code == 422, r.text[:300]
    assert r.json()["errors"][0]["field"] == "meta.rule.cutoff"
    assert not server_log.records, [rec.getMessage() for rec in server_log.records]
    assert not [p for p in (server.settings.files_dir / "blobs").rglob("*") if p.is_file()]


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=1999-12-31&to=2000-01-05",
                                   "days=100000", "target=1e308"])
def test_out_of_range_report_queries_are_4xx(server, server_log, query: str):
    for page in ("satisfaction", "satisfaction.html"):
        r = httpx.get(f"{server.url}/{page}?{query}", headers=AUTH)
        assert 400 <= r.status_code < 500, (page, query, r.status_code, r.text[:300])
    assert not server_log.records, [rec.getMessage() for rec in server_log.records]


def test_a_dossier_failing_after_its_file_is_stored_leaves_no_blob(server, server_log):
    """The unit's dossier numbers for today are used up: the 503 comes after the file was made durable."""
    today = datetime.now(timezone.utc).astimezone(server.settings.tz).date()
    with server.app.state.sessions() as s:
        s.execute(text("INSERT INTO sequences (name, day, value) VALUES (:n, :d, 9999)"),
                  {"n": dossier_sequence_name(DEFAULT_UNIT), "d": today})
        s.commit()
    unique = sample_pdf(b"one of a kind")
    r = _dossier(server, _meta(), content=unique)
    assert r.status_code == 503
    blobs = [p for p in (server.settings.files_dir / "blobs").rglob("*") if p.is_file()]
    with server.app.state.sessions() as s:
        referenced = set(s.execute(select(DossierFile.sha256)).scalars())
    assert not [p.name for p in blobs if p.name not in referenced]
    assert not list((server.settings.files_dir / "tmp").iterdir())


@pytest.mark.parametrize("path", ["/kiosks?unit=%00", "/kiosks.html?unit=A%00", "/satisfaction?unit=%00",
                                  "/satisfaction.html?unit=%1b%5b2J", "/dossiers/A%00B?secret=x",
                                  "/dossiers/000.00.01.H22-260101-0001?secret=%00", "/procedures?x=%00"])
def test_control_characters_in_the_url_are_4xx(server, server_log, path: str):
    """PostgreSQL refuses NUL in text: found by the fuzzer as a 500 on /kiosks.html?unit=%00."""
    r = httpx.get(f"{server.url}{path}", headers=AUTH)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert not server_log.records, [rec.getMessage() for rec in server_log.records]
    r = httpx.post(f"{server.url}/kiosks/KIOSK%00/heartbeat", json={"status": {}}, headers=AUTH)
    assert 400 <= r.status_code < 500
