"""Property-based tests of every endpoint from the server's OpenAPI schema (schemathesis): with a kiosk token,
with an officer's, and without one.

Every operation gets generated requests — valid ones and ones just outside the schema — against
the real server on loopback: no 5xx for any input, and every answer matches the schema it
documents (status, content type, body). Run time is kept to about a minute per pass.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from server.testing import ServerThread

from .conftest import CATALOG, KIOSKS, TOKEN

MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    workdir: Path = tmp_path_factory.mktemp("fuzz")
    with ServerThread(workdir, kiosks=KIOSKS, catalog_dir=CATALOG, max_file_bytes=200_000, max_files=5,
                      max_total_bytes=500_000) as srv:
        yield srv


@pytest.fixture(scope="module")
def fuzzed_pg_server(tmp_path_factory: pytest.TempPathFactory, pg_server: str) -> Iterator[ServerThread]:
    workdir: Path = tmp_path_factory.mktemp("fuzz-pg")
    with ServerThread(workdir, db_url=pg.create_database(pg_server), kiosks=KIOSKS, catalog_dir=CATALOG,
                      max_file_bytes=200_000, max_files=5, max_total_bytes=500_000) as srv:
        yield srv


def _openapi() -> dict:
    """The schema the server serves at /openapi.json, built without starting one (collection time)."""
    from server.app import create_app
    from server.settings import ServerSettings

    folder = Path(tempfile.mkdtemp(prefix="fuzz-schema-"))
    app = create_app(ServerSettings(db_url=f"sqlite:///{folder / 'unused.db'}", files_dir=folder / "files"),
                     run_migrations=False)
    app.state.engine.dispose()
    return app.openapi()


# ``GET /events`` is an endless stream (the hall display's live feed): no answer ever "ends" for a checker to
# read; its inputs are checked by test_live_events and test_route_credentials.
schema = schemathesis.openapi.from_dict(_openapi()).exclude(path_regex=r"/events$")


# Schema-valid requests may still be refused by rules no schema states (a range of at most 366 days,
# a heartbeat only for the caller's own kiosk, offline numbers only from the caller's block).
EXCLUDED = [positive_data_acceptance]
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_every_endpoint_with_a_kiosk_token_answers_any_input_as_documented(case, fuzzed_server: ServerThread):
    case.call_and_validate(base_url=fuzzed_server.url.rsplit("/api/v1", 1)[0],
                           headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=EXCLUDED, timeout=30)


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_every_endpoint_without_a_token_answers_any_input_as_documented(case, fuzzed_server: ServerThread):
    case.call_and_validate(base_url=fuzzed_server.url.rsplit("/api/v1", 1)[0], excluded_checks=EXCLUDED, timeout=30)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_on_postgresql_answers_any_input_as_documented(case, fuzzed_pg_server: ServerThread):
    case.call_and_validate(base_url=fuzzed_pg_server.url.rsplit("/api/v1", 1)[0],
                           headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=EXCLUDED, timeout=30)


@pytest.fixture(scope="module")
def officer_fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerThread, str]]:
    """A server of its own and the bearer of an officer who may call counters and read their department's
    dashboards. Its own: the tokenless pass's fuzzed logins use up the per-client login limit of the other."""
    workdir: Path = tmp_path_factory.mktemp("fuzz-officer")
    with ServerThread(workdir, kiosks=KIOSKS, catalog_dir=CATALOG, max_file_bytes=200_000, max_files=5,
                      max_total_bytes=500_000) as srv:
        yield srv, srv.add_officer("fuzz-supervisor", "supervisor")


# Logging out would end the pass's own credential; logging in is the same for any caller (fuzzed above).
officer_schema = schema.exclude(path_regex=r"/auth/(logout|login)$")
# The officer routes declare ``Authorization`` as a header parameter: a case generated without it still
# carries the pass's own bearer and is rightly accepted, and an unknown query parameter is ignored, as HTTP
# allows. Rejection of bad input is what the tokenless and kiosk passes check; this one checks answers.
OFFICER_EXCLUDED = [*EXCLUDED, negative_data_rejection]


@pytest.mark.slow
@officer_schema.parametrize()
@FUZZ
def test_every_endpoint_with_an_officer_credential_answers_any_input_as_documented(
        case, officer_fuzzed_server: tuple[ServerThread, str]):
    """The officer-only routes (counter calls, dashboards, /auth/me) past the credential check, not just up to it."""
    server, bearer = officer_fuzzed_server
    case.call_and_validate(base_url=server.url.rsplit("/api/v1", 1)[0],
                           headers={"Authorization": f"Bearer {bearer}"}, excluded_checks=OFFICER_EXCLUDED,
                           timeout=30)
