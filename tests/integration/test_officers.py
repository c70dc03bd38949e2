"""Officer accounts (issue 13 finding 2, the foundation issue 14 builds on): users with roles, scrypt-hashed
passwords, login by secure cookie (+ CSRF) or bearer, rate-limited, and `kiosk-server user …`."""

from __future__ import annotations

import io
import sys

import httpx
import pytest
from sqlalchemy import select

from server.main import main as server_main
from server.models import User
from server.testing import DEFAULT_UNIT

PASSWORD = "mat-khau-rat-dai-2026"


def _login(server, username: str, password: str, **extra) -> httpx.Response:
    return httpx.post(f"{server.url}/auth/login", json={"username": username, "password": password, **extra},
                      timeout=30)


def _cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = server_main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_login_sets_a_secure_http_only_same_site_cookie_with_a_csrf_token(server):
    server.add_officer("can-bo-1", "officer", password=PASSWORD)
    r = _login(server, "can-bo-1", PASSWORD)
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["username"] == "can-bo-1" and body["user"]["role"] == "officer"
    assert body["user"]["unit_id"] == DEFAULT_UNIT and len(body["csrf_token"]) >= 32
    cookies = r.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("motcua_session="))
    flags = {p.strip().lower() for p in session.split(";")[1:]}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= flags
    value = session.split(";")[0]
    me = httpx.get(f"{server.url}/auth/me", headers={"Cookie": value})
    assert me.status_code == 200 and me.json()["username"] == "can-bo-1"
    assert PASSWORD not in r.text


def test_cookie_requests_that_change_state_need_the_csrf_token(server):
    server.add_officer("can-bo-1", "officer", password=PASSWORD)
    cookie = server.officer_cookie("can-bo-1")
    url = f"{server.url}/counters/1/next"
    body = {"services": ["A"]}
    assert httpx.post(url, json=body, headers={"Cookie": cookie.header}).status_code == 403
    assert httpx.post(url, json=body, headers={"Cookie": cookie.header, "X-CSRF-Token": "x" * 43}).status_code == 403
    other_site = {"Cookie": cookie.header, "X-CSRF-Token": cookie.csrf, "Origin": "https://evil.example"}
    assert httpx.post(url, json=body, headers=other_site).status_code == 403
    assert httpx.post(url, json=body, headers={"Cookie": cookie.header, "X-CSRF-Token": cookie.csrf}).status_code == 204
    bearer = server.add_officer("can-bo-2", "officer")
    assert httpx.post(url, json=body, headers={"Authorization": f"Bearer {bearer}"}).status_code == 204


def test_a_bearer_for_api_clients_and_logout(server):
    server.add_officer("can-bo-1", "officer", password=PASSWORD)
    r = _login(server, "can-bo-1", PASSWORD, bearer=True)
    assert r.status_code == 200 and "set-cookie" not in r.headers
    token = r.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/auth/me", headers=auth).status_code == 200
    assert httpx.post(f"{server.url}/auth/logout", headers=auth).status_code == 204
    assert httpx.get(f"{server.url}/auth/me", headers=auth).status_code == 401
    cookie = server.officer_cookie("can-bo-1")
    assert httpx.post(f"{server.url}/auth/logout", headers={"Cookie": cookie.header}).status_code == 403  # no CSRF
    out = httpx.post(f"{server.url}/auth/logout", headers={"Cookie": cookie.header, "X-CSRF-Token": cookie.csrf})
    assert out.status_code == 204 and "motcua_session=" in out.headers["set-cookie"]
    assert httpx.get(f"{server.url}/auth/me", headers={"Cookie": cookie.header}).status_code == 401


def test_unknown_user_and_wrong_password_look_the_same_and_do_the_same_work(server, monkeypatch):
    import server.officers as officers

    server.add_officer("can-bo-1", "officer", password=PASSWORD)
    verified: list[str] = []
    real = officers.verify_password

    def spy(password: str, stored: str) -> bool:
        verified.append(stored.split("$")[0])
        return real(password, stored)

    monkeypatch.setattr(officers, "verify_password", spy)
    wrong = _login(server, "can-bo-1", "not-the-password-x")
    unknown = _login(server, "no-such-officer", "not-the-password-x")
    assert wrong.status_code == unknown.status_code == 401 and wrong.json() == unknown.json()
    assert verified == ["scrypt", "scrypt"]


def test_login_is_rate_limited_per_account_and_per_client(server):
    server.add_officer("can-bo-1", "officer", password=PASSWORD)
    server.add_officer("can-bo-2", "officer", password=PASSWORD)
    per_user = server.settings.login_failures_per_user
    for _ in range(per_user):
        assert _login(server, "can-bo-1", "wrong-password-123").status_code == 401
    r = _login(server, "can-bo-1", PASSWORD)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert _login(server, "can-bo-2", PASSWORD).status_code == 200  # another account is not locked
    for i in range(server.settings.login_failures_per_client - per_user):
        assert _login(server, f"guess-{i}", "wrong-password-123").status_code == 401
    r = _login(server, "can-bo-2", PASSWORD)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0


def test_user_add_passwd_disable_from_the_command_line(server, monkeypatch, capsys):
    db = server.settings.db_url
    code, _, err = _cli(monkeypatch, capsys, "user", "add", "can-bo-7", "--role", "officer", "--unit", DEFAULT_UNIT,
                        "--db", db, "--password-stdin", stdin="short\n")
    assert code == 2 and "12" in err
    code, _, _ = _cli(monkeypatch, capsys, "user", "add", "can-bo-7", "--role", "officer", "--unit", DEFAULT_UNIT,
                      "--name", "Trần Thị Bình", "--db", db, "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0
    code, _, err = _cli(monkeypatch, capsys, "user", "add", "can-bo-7", "--role", "officer", "--unit", DEFAULT_UNIT,
                        "--db", db, "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1 and "exists" in err
    with server.app.state.sessions() as s:
        stored = s.execute(select(User.password_hash).where(User.username == "can-bo-7")).scalar_one()
    algo, n, r_, p, _salt, _hash = stored.split("$")
    assert algo == "scrypt" and int(n) >= 2**17 and int(r_) >= 8 and PASSWORD not in stored
    first = _login(server, "can-bo-7", PASSWORD, bearer=True).json()["access_token"]
    auth = {"Authorization": f"Bearer {first}"}
    assert httpx.get(f"{server.url}/auth/me", headers=auth).status_code == 200

    new_password = "mot-mat-khau-moi-hon"
    code, _, _ = _cli(monkeypatch, capsys, "user", "passwd", "can-bo-7", "--db", db, "--password-stdin",
                      stdin=new_password + "\n")
    assert code == 0
    assert httpx.get(f"{server.url}/auth/me", headers=auth).status_code == 401  # sessions end at once
    assert _login(server, "can-bo-7", PASSWORD).status_code == 401
    second = _login(server, "can-bo-7", new_password, bearer=True).json()["access_token"]

    code, _, _ = _cli(monkeypatch, capsys, "user", "disable", "can-bo-7", "--db", db)
    assert code == 0
    assert httpx.get(f"{server.url}/auth/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    assert _login(server, "can-bo-7", new_password).status_code == 401
    code, out, _ = _cli(monkeypatch, capsys, "user", "list", "--db", db)
    assert code == 0 and "can-bo-7" in out and "disabled" in out


@pytest.mark.parametrize("role, allowed", [("officer", False), ("supervisor", True), ("admin", True)])
def test_roles_are_ordered(server, role, allowed):
    token = server.add_officer(f"user-{role}", role)
    r = httpx.get(f"{server.url}/kiosks", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == (200 if allowed else 403)
