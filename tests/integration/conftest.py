"""Fixtures of the backend integration tests: the real server on loopback over SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pg
import pytest

from kiosk import api
from kiosk.backend.client import BackendClient
from server.testing import DEFAULT_UNIT, Faults, MovableClock, ServerThread, sample_image, sample_pdf

TOKEN = "token-kiosk-01-abcdef"
OTHER_TOKEN = "token-kiosk-02-ghijkl"
FOREIGN_TOKEN = "token-kiosk-99-foreign"
OTHER_UNIT = "000.00.02.H22"
CATALOG = Path(__file__).resolve().parents[2] / "config" / "procedures"
KIOSKS = [("KIOSK-01", TOKEN, DEFAULT_UNIT), ("KIOSK-02", OTHER_TOKEN, DEFAULT_UNIT),
          ("KIOSK-99", FOREIGN_TOKEN, OTHER_UNIT)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a PostgreSQL server: $KIOSK_TEST_PG_URL, or a local throw-away cluster; skip if neither."""
    if os.environ.get(pg.ENV):
        yield os.environ[pg.ENV]
        return
    reason = pg.unavailable_reason()
    if reason:
        print(f"\n[postgres tests skipped] {reason}")
        pytest.skip(reason)
    cluster = pg.LocalCluster()
    try:
        cluster.start()
    except Exception as e:  # noqa: BLE001 — report why and skip, never fail the SQLite half
        cluster.stop()
        print(f"\n[postgres tests skipped] could not start a local cluster: {e}")
        pytest.skip(f"could not start a local PostgreSQL cluster: {e}")
    yield cluster.url
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each integration test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url = pg.create_database(server)
    yield url
    if os.environ.get(pg.ENV):
        pg.drop_database(url)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def server(tmp_path: Path, db_url: str, clock: MovableClock, faults: Faults) -> Iterator[ServerThread]:
    with ServerThread(tmp_path, db_url=db_url, kiosks=KIOSKS, clock=clock, faults=faults, catalog_dir=CATALOG,
                      max_file_bytes=200_000, max_files=5, max_total_bytes=500_000) as srv:
        yield srv


@pytest.fixture
def client(server: ServerThread) -> Iterator[BackendClient]:
    with BackendClient(server.url, TOKEN, "KIOSK-01", timeout_s=5, retries=0) as c:
        yield c


PDF = sample_pdf()  # real files: the server parses what it receives
PNG = sample_image("PNG")
JPEG = sample_image("JPEG")


def make_meta(kiosk_id: str = "KIOSK-01", unit: str = DEFAULT_UNIT, files: list[str] | None = None,
              working_days: int = 3) -> api.DossierIn:
    return api.DossierIn(
        receiving_unit_id=unit, kiosk_id=kiosk_id, procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
        applicant=api.Applicant(full_name="Nguyễn Văn An", id_number="036089001234", address="Xóm 2, Hải Vân"),
        rule=api.ProcessingRule(working_days=working_days),
        documents=[api.DocumentIn(key="to_khai", name="Tờ khai đăng ký khai sinh", files=files or [])],
    )
