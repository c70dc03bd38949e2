"""Finding 11, server part (issue 13): kiosk tokens are long and random, the packaged example token runs only
in `make run`'s embedded mode, and a rotated or revoked token stops at once. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from server.main import main as server_main
from server.testing import free_port

from .conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
STRONG = "Zq3vXo0dYk8G5bNfT2wHj7LmRcP1sUaE9yKiV4xQ6_-"  # 43 characters of base64url (32 bytes)


def _ok(server, token: str) -> int:
    return httpx.post(f"{server.url}/tickets", json={"service": "A"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code


def _cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = server_main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("token", ["short-token-1234", "dev-kiosk-token", "a" * 64, "0123456789" * 4])
def test_weak_tokens_are_refused_when_adding_a_kiosk(db_url, token, monkeypatch, capsys):
    code, _, err = _cli(monkeypatch, capsys, "--db", db_url, "--kiosk", "KIOSK-05", "--token", token, "--add-only")
    assert code == 2 and "token" in err
    code, _, err = _cli(monkeypatch, capsys, "token", "add", "KIOSK-05", "--db", db_url, "--token-stdin", stdin=token)
    assert code == 2 and "token" in err


def test_token_add_makes_a_strong_token_and_shows_it_once(db_url, monkeypatch, capsys):
    code, out, _ = _cli(monkeypatch, capsys, "token", "add", "KIOSK-05", "--db", db_url, "--unit", "000.00.01.H22")
    token = out.strip()
    assert code == 0 and len(token) >= 43
    code, out, _ = _cli(monkeypatch, capsys, "token", "add", "KIOSK-06", "--db", db_url, "--token-stdin", stdin=STRONG)
    assert code == 0 and STRONG not in out
    code, out, _ = _cli(monkeypatch, capsys, "token", "list", "--db", db_url)
    assert code == 0 and "KIOSK-05" in out and "KIOSK-06" in out and token not in out and STRONG not in out


def test_a_token_replaced_with_the_old_flags_stops_at_once(server, monkeypatch, capsys):
    assert _ok(server, TOKEN) == 201  # the token is now in the server's cache
    code, _, _ = _cli(monkeypatch, capsys, "--db", server.settings.db_url, "--kiosk", "KIOSK-01", "--token", STRONG,
                      "--add-only")
    assert code == 0
    assert _ok(server, TOKEN) == 401
    assert _ok(server, STRONG) == 201


def test_rotate_and_revoke_stop_the_old_token_at_once(server, monkeypatch, capsys):
    assert _ok(server, TOKEN) == 201
    code, out, _ = _cli(monkeypatch, capsys, "token", "rotate", "KIOSK-01", "--db", server.settings.db_url)
    new = out.strip()
    assert code == 0 and len(new) >= 43
    assert _ok(server, TOKEN) == 401
    assert _ok(server, new) == 201
    code, _, _ = _cli(monkeypatch, capsys, "token", "revoke", "KIOSK-01", "--db", server.settings.db_url)
    assert code == 0
    assert _ok(server, new) == 401
    code, _, err = _cli(monkeypatch, capsys, "token", "rotate", "NO-SUCH", "--db", server.settings.db_url)
    assert code == 1 and "NO-SUCH" in err


def _start(tmp_path: Path, *extra: str, token: str = "dev-kiosk-token") -> subprocess.Popen:
    port = free_port()
    cmd = [sys.executable, "-m", "server.main", "--db", f"sqlite:///{tmp_path / 'server.db'}", "--port", str(port),
           "--catalog", str(ROOT / "config" / "procedures"), *extra]
    env = dict(os.environ, KIOSK_SERVER_TOKEN=token)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.port = port  # type: ignore[attr-defined]
    return proc


def _wait_health(proc: subprocess.Popen, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{proc.port}/api/v1/health", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.1)
    return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)


def test_the_packaged_example_token_runs_only_in_embedded_mode(tmp_path):
    proc = _start(tmp_path, "--kiosk", "KIOSK-01")  # a department's server with the example token
    try:
        assert proc.wait(30) == 2
        assert "dev-kiosk-token" in proc.stderr.read()
    finally:
        _stop(proc)
    proc = _start(tmp_path, "--kiosk", "KIOSK-01", "--embedded")  # what `make run` starts
    try:
        assert _wait_health(proc)
    finally:
        _stop(proc)
    # the database now holds the example token: serving it without --embedded is refused too
    proc = _start(tmp_path)
    try:
        assert proc.wait(30) == 2
    finally:
        _stop(proc)
    # embedded mode is loopback only
    proc = _start(tmp_path, "--embedded", "--host", "0.0.0.0")
    try:
        assert proc.wait(30) == 2
    finally:
        _stop(proc)
