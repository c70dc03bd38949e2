"""Two counters calling at the same moment never get the same ticket: SQLite (one process) and
PostgreSQL with two server processes (two workers) on one database."""

from __future__ import annotations

import threading

import httpx
import pytest

from .conftest import TOKEN
from .workers import ServerProcess

N = 40


def _race(urls: list[str], officer: str) -> list[list[str]]:
    barrier = threading.Barrier(len(urls))
    got: list[list[str]] = [[] for _ in urls]

    def counter(i: int) -> None:
        with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {officer}"}) as http:
            barrier.wait()
            while True:
                r = http.post(f"{urls[i]}/counters/{i + 1}/next", json={"services": ["A"]})
                if r.status_code == 204:
                    return
                assert r.status_code == 200, r.text
                got[i].append(r.json()["number"])

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(len(urls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return got


def _issue(server) -> set[str]:
    with httpx.Client(timeout=10, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        return {http.post(f"{server.url}/tickets", json={"service": "A"}).json()["number"] for _ in range(N)}


def _check(issued: set[str], got: list[list[str]]) -> None:
    a, b = got
    assert not set(a) & set(b), "two counters got the same ticket"
    assert len(a) + len(b) == len(issued) and set(a) | set(b) == issued


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_two_counters_on_sqlite_never_share_a_ticket(server):
    officer = server.add_officer("can-bo-1")
    issued = _issue(server)
    _check(issued, _race([server.url, server.url], officer))


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_two_counters_on_two_postgres_workers_never_share_a_ticket(server, db_url, tmp_path):
    officer = server.add_officer("can-bo-1")
    issued = _issue(server)
    with ServerProcess(db_url, tmp_path) as second:
        _check(issued, _race([server.url, second.url], officer))
