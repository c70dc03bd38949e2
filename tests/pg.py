"""PostgreSQL for the backend tests: $KIOSK_TEST_PG_URL, or a throw-away local cluster.

When ``KIOSK_TEST_PG_URL`` is unset and we run as root with Debian's postgresql
installed (the Makefile's apt list), :class:`LocalCluster` runs ``initdb`` as the
``postgres`` user in a temp dir and starts it on a free loopback port. Each test gets
its own fresh database. When neither is possible, :func:`unavailable_reason` says why
(the tests skip with that reason).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.ports import free_port

ENV = "KIOSK_TEST_PG_URL"
START_ATTEMPTS = 3  # a port found free can be taken before postgres binds it: then try another


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else None


def unavailable_reason() -> str | None:
    """None when a local cluster can be started here, else the reason it cannot."""
    if _bin("initdb") is None or _bin("pg_ctl") is None:
        return "PostgreSQL server not installed (apt-get install postgresql) and KIOSK_TEST_PG_URL unset"
    if os.geteuid() != 0:
        return "not root: cannot run initdb as the postgres user (set KIOSK_TEST_PG_URL instead)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no 'postgres' system user (set KIOSK_TEST_PG_URL instead)"
    if shutil.which("runuser") is None:
        return "runuser not found"
    return None


class LocalCluster:
    """A PostgreSQL cluster in a temp dir, owned by ``postgres``, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()

    def _as_postgres(self, *cmd: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> LocalCluster:
        pg = pwd.getpwnam("postgres")
        os.chown(self.dir, pg.pw_uid, pg.pw_gid)
        self._as_postgres(_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "-E", "UTF8", "--locale=C", "--no-sync")
        for attempt in range(START_ATTEMPTS):
            opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
            log = self.dir / "log"
            try:
                self._as_postgres(_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(log), "-w",
                                  "-t", "60", "start")
                return self
            except subprocess.CalledProcessError:
                lost_port = log.exists() and "could not bind" in log.read_text(errors="replace")
                if not lost_port or attempt == START_ATTEMPTS - 1:
                    raise
                log.unlink()
                self.port = free_port()
        return self

    def stop(self) -> None:
        try:
            self._as_postgres(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.SubprocessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def create_database(server_url: str) -> str:
    """A new empty database on the server of ``server_url``; returns its SQLAlchemy URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_plain(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = u.set(database="postgres").render_as_string(hide_password=False)
    try:
        with psycopg.connect(_plain(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
    except Exception:
        pass


@contextmanager
def server_url() -> Iterator[str]:
    """A PostgreSQL server for a benchmark: ``$KIOSK_TEST_PG_URL``, else a cluster started here and stopped
    after (RuntimeError saying why when there is neither)."""
    if os.environ.get(ENV):
        yield os.environ[ENV]
        return
    reason = unavailable_reason()
    if reason is not None:
        raise RuntimeError(reason)
    cluster = LocalCluster().start()
    try:
        yield cluster.url
    finally:
        cluster.stop()
