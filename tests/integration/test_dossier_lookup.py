"""Finding 8 (issue 13): the dossier lookup secret is strong, guessing is limited, an unknown code and a
wrong secret cost the same work, a kiosk reads only its own department's dossiers, and the secret never
travels in the query string. Real HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import math
import re

import httpx
import pytest
from sqlalchemy import event

from kiosk import api
from kiosk.aftercare.tracking import TrackingService, format_payload
from kiosk.backend.client import BackendClient, BackendRejected

from .conftest import FOREIGN_TOKEN, OTHER_TOKEN, TOKEN, make_meta

KIOSK = {"Authorization": f"Bearer {TOKEN}"}


def _receipt(client: BackendClient, key: str = "lookup-key-0001") -> api.DossierReceipt:
    return client.submit_dossier(make_meta(), [], key)


def _look(server, code: str, secret: str, token: str = TOKEN) -> httpx.Response:
    return httpx.get(f"{server.url}/dossiers/{code}", headers={"Authorization": f"Bearer {token}",
                                                               "Dossier-Secret": secret}, timeout=10)


def _wrong(secret: str) -> str:
    return ("A" if secret[0] != "A" else "B") + secret[1:]


def test_the_secret_has_at_least_40_bits_and_the_kiosk_reads_it_back(client):
    receipt = _receipt(client)
    assert len(receipt.secret) * math.log2(len(api.SECRET_ALPHABET)) >= 40
    assert set(receipt.secret) <= set(api.SECRET_ALPHABET)
    tracking = TrackingService(client, receipt.code.split("-")[0])
    # the receipt's QR and the typed form (lower case, with spaces) both reach the dossier
    assert tracking.lookup(tracking.parse(format_payload(receipt.code, receipt.secret))).code == receipt.code
    typed = " ".join(re.findall("...?", receipt.secret.lower()))
    assert tracking.lookup(tracking.ref(receipt.code, typed)).code == receipt.code


def test_the_secret_goes_in_a_header_never_in_the_query_string(client, server):
    receipt = _receipt(client)
    r = httpx.get(f"{server.url}/dossiers/{receipt.code}", params={"secret": receipt.secret}, headers=KIOSK)
    assert r.status_code == 400 and "Dossier-Secret" in r.json()["detail"]
    assert _look(server, receipt.code, receipt.secret).status_code == 200
    assert client.dossier_status(receipt.code, receipt.secret).code == receipt.code
    assert server.faults.last_headers.get("dossier-secret") == receipt.secret


def test_a_kiosk_reads_only_its_own_departments_dossiers(client, server):
    receipt = _receipt(client)
    r = _look(server, receipt.code, receipt.secret, token=FOREIGN_TOKEN)  # a kiosk of another department
    assert r.status_code == 404
    assert _look(server, receipt.code, receipt.secret, token=OTHER_TOKEN).status_code == 200  # same department


def test_guesses_are_limited_per_code_with_retry_after(client, server):
    receipt = _receipt(client)
    limit = server.settings.lookup_failures_per_code
    for _ in range(limit):
        assert _look(server, receipt.code, _wrong(receipt.secret)).status_code == 404
    r = _look(server, receipt.code, _wrong(receipt.secret))
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # locked: even the right secret waits (else the lock would tell a hit from a miss)
    assert _look(server, receipt.code, receipt.secret).status_code == 429
    # another kiosk of the department is limited on that code too (the limit is per code)
    assert _look(server, receipt.code, receipt.secret, token=OTHER_TOKEN).status_code == 429
    # unknown codes are limited the same way, so the limit does not tell which codes exist
    unknown = receipt.code[:-4] + "9999"
    for _ in range(limit):
        assert _look(server, unknown, receipt.secret, token=OTHER_TOKEN).status_code == 404
    assert _look(server, unknown, receipt.secret, token=OTHER_TOKEN).status_code == 429


def test_guesses_are_limited_per_client_across_codes(client, server):
    receipt = _receipt(client)
    prefix = receipt.code[:-4]
    limit = server.settings.lookup_failures_per_client
    for i in range(limit):
        assert _look(server, f"{prefix}{i + 1000:04d}", receipt.secret).status_code == 404
    r = _look(server, f"{prefix}8888", receipt.secret)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert _look(server, receipt.code, receipt.secret).status_code == 429  # this client waits
    assert _look(server, receipt.code, receipt.secret, token=OTHER_TOKEN).status_code == 200  # others do not


def test_unknown_code_and_wrong_secret_do_the_same_work(client, server, monkeypatch):
    """Equal timing by construction: the same statements, the same hash comparison, the same answer."""
    import server.routes_lookup as lookup

    receipt = _receipt(client)
    statements: list[str] = []
    compared: list[tuple[int, int]] = []
    real = lookup.secret_matches

    def spy(stored: str, given: str) -> bool:
        compared.append((len(stored), len(given)))
        return real(stored, given)

    def record(conn, cursor, statement, params, context, executemany):
        statements.append(re.sub(r"\s+", " ", statement))

    monkeypatch.setattr(lookup, "secret_matches", spy)
    engine = server.app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        runs = {}
        for name, code, secret in [("wrong_secret", receipt.code, _wrong(receipt.secret)),
                                   ("unknown_code", receipt.code[:-4] + "9999", receipt.secret),
                                   ("other_department", receipt.code, receipt.secret)]:
            statements.clear()
            compared.clear()
            token = FOREIGN_TOKEN if name == "other_department" else OTHER_TOKEN
            _look(server, code, secret, token=token)  # warms the token cache of that kiosk
            statements.clear()
            compared.clear()
            r = _look(server, code, secret, token=token)
            runs[name] = (r.status_code, r.json(), list(statements), list(compared))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    first = runs["wrong_secret"]
    assert first[0] == 404 and first[2] and first[3] == [(api.SECRET_LENGTH, api.SECRET_LENGTH)]
    for name, run in runs.items():
        assert run == first, name


def test_the_kiosk_client_sends_the_secret_in_the_header(client, server):
    receipt = _receipt(client)
    client.dossier_status(receipt.code, receipt.secret)
    seen = server.faults.last_headers
    assert seen["dossier-secret"] == receipt.secret
    with pytest.raises(BackendRejected) as e:
        client.dossier_status(receipt.code, _wrong(receipt.secret))
    assert e.value.status == 404
