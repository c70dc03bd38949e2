"""Finding 6 (issue 13): dashboards and the API's docs need an officer's credential; rating reasons are
configured tags, the comment is short, clean and never shown. Real HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import httpx
import pytest

from server.testing import ServerThread

from .conftest import CATALOG, KIOSKS, TOKEN

KIOSK = {"Authorization": f"Bearer {TOKEN}"}
DASHBOARDS = ["/api/v1/satisfaction", "/api/v1/satisfaction.html", "/api/v1/kiosks", "/api/v1/kiosks.html",
              "/docs", "/openapi.json"]


def _root(server) -> str:
    return server.url.removesuffix("/api/v1")


def _rate(server, **body) -> httpx.Response:
    rating = {"level": "unsatisfied", "at": datetime.now(timezone.utc).isoformat(), **body}
    return httpx.post(f"{server.url}/ratings", json=rating,
                      headers={**KIOSK, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)


@pytest.mark.parametrize("path", DASHBOARDS)
def test_dashboards_and_docs_need_an_officer(server, path):
    url = _root(server) + path
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers=KIOSK).status_code in (401, 403)  # a kiosk is not an officer
    supervisor = server.add_officer("truong-bo-phan", "supervisor")
    assert httpx.get(url, headers={"Authorization": f"Bearer {supervisor}"}).status_code == 200
    cookie = server.officer_cookie("truong-bo-phan")
    assert httpx.get(url, headers={"Cookie": cookie.header}).status_code == 200


def test_an_officer_below_supervisor_sees_docs_but_not_the_dashboards(server):
    officer = server.add_officer("can-bo-1", "officer")
    auth = {"Authorization": f"Bearer {officer}"}
    assert httpx.get(_root(server) + "/openapi.json", headers=auth).status_code == 200
    assert httpx.get(f"{server.url}/kiosks", headers=auth).status_code == 403
    assert httpx.get(f"{server.url}/satisfaction", headers=auth).status_code == 403


def test_a_supervisor_sees_only_their_own_department(server):
    from .conftest import OTHER_UNIT

    supervisor = server.add_officer("truong-bo-phan", "supervisor")
    auth = {"Authorization": f"Bearer {supervisor}"}
    kiosks = httpx.get(f"{server.url}/kiosks", headers=auth).json()["kiosks"]
    assert {k["id"] for k in kiosks} == {"KIOSK-01", "KIOSK-02"}
    assert httpx.get(f"{server.url}/kiosks", params={"unit": OTHER_UNIT}, headers=auth).status_code == 403
    assert httpx.get(f"{server.url}/satisfaction", params={"unit": OTHER_UNIT}, headers=auth).status_code == 403
    admin = server.add_officer("quan-tri", "admin")
    every = httpx.get(f"{server.url}/kiosks", headers={"Authorization": f"Bearer {admin}"}).json()["kiosks"]
    assert {k["id"] for k in every} == {"KIOSK-01", "KIOSK-02", "KIOSK-99"}


def test_a_setting_makes_only_the_aggregated_satisfaction_public(tmp_path, db_url):
    with ServerThread(tmp_path, db_url=db_url, kiosks=KIOSKS, catalog_dir=CATALOG, public_satisfaction=True) as srv:
        assert httpx.get(f"{srv.url}/satisfaction").status_code == 200
        assert httpx.get(f"{srv.url}/satisfaction.html").status_code == 200
        for path in DASHBOARDS[2:]:
            assert httpx.get(_root(srv) + path).status_code == 401


def test_reasons_are_configured_tags_only(server):
    r = _rate(server, reasons=["Nguyễn Văn An 036089001234 rude"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("reasons")
    r = _rate(server, reasons=["zz"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("reasons")
    assert _rate(server, reasons=["wait", "attitude"]).status_code == 201


@pytest.mark.parametrize("comment", ["a\x00b", "xin \x1b[31mchào", "abc\u202edcba", "zero\u200bwidth", "x" * 501])
def test_the_comment_is_short_and_clean(server, comment):
    r = _rate(server, reasons=["wait"], text=comment)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "text"


def test_the_comment_is_stored_but_never_shown(server):
    secret_words = "Nguyễn Văn An 036089001234"
    assert _rate(server, reasons=["wait"], text=f"Cán bộ {secret_words} hẹn sai ngày").status_code == 201
    supervisor = server.add_officer("truong-bo-phan", "supervisor")
    auth = {"Authorization": f"Bearer {supervisor}"}
    for path in ("/satisfaction", "/satisfaction.html"):
        r = httpx.get(f"{server.url}{path}", headers=auth)
        assert r.status_code == 200 and "036089001234" not in r.text and "Nguyễn Văn An" not in r.text
    assert httpx.get(f"{server.url}/satisfaction", headers=auth).json()["unsatisfied_reasons"] == {"wait": 1}
