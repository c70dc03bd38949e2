"""Over every route of the API schema: a kiosk token opens no officer endpoint, and an officer's cookie or
bearer opens no kiosk endpoint (401/403, never 2xx). New routes are covered as soon as they exist."""

from __future__ import annotations

import re

import httpx
import pytest

from .conftest import TOKEN

PARAMS = {"counter": "1", "kiosk_id": "KIOSK-01", "code": "000.00.01.H22-260302-0001", "day": "20260302",
          "number": "A001", "file_no": "1"}


def _routes(server, scheme: str) -> list[tuple[str, str]]:
    out = []
    for path, ops in server.app.openapi()["paths"].items():
        for method, op in ops.items():
            if any(scheme in sec for sec in op.get("security", [])):
                out.append((method.upper(), re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)], path)))
    return out


def _send(server, method: str, path: str, headers: dict) -> httpx.Response:
    url = server.url.removesuffix("/api/v1") + path
    return httpx.request(method, url, headers=headers, json=None if method == "GET" else {}, timeout=10)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_kiosk_token_opens_no_officer_endpoint(server):
    routes = _routes(server, "officer bearer")
    assert len(routes) >= 15  # the counters' routes are among them
    for method, path in routes:
        r = _send(server, method, path, {"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code in (401, 403), (method, path, r.status_code)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_officer_opens_no_kiosk_endpoint_by_cookie_or_bearer(server):
    bearer = server.add_officer("quan-tri", "admin")
    cookie = server.officer_cookie("quan-tri")
    routes = _routes(server, "HTTPBearer")
    assert len(routes) >= 6
    for method, path in routes:
        for headers in ({"Cookie": cookie.header, "X-CSRF-Token": cookie.csrf}, {"Authorization": f"Bearer {bearer}"}):
            r = _send(server, method, path, headers)
            assert r.status_code in (401, 403), (method, path, r.status_code)
