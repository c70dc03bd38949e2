"""Run the real reference server on loopback inside a test (uvicorn in a thread, a free port).

    with ServerThread(tmp_path, kiosks=[("K1", "token-k1-xxxx", "000.00.01.H22")]) as srv:
        client = BackendClient(srv.url, "token-k1-xxxx", "K1")
        officer = srv.add_officer("can-bo-1", "officer")      # an officer's bearer (counter calls)
        cookie = srv.officer_cookie("can-bo-1")               # or a browser's session cookie + CSRF token

Used by this project's tests (and by other features' end-to-end tests); real HTTP, real DB. Test
harness only: kiosks may have short tokens here, and officers' passwords a cheap scrypt cost.
"""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from server.app import create_app
from server.auth import seed_kiosk
from server.settings import ServerSettings, utc_now

DEFAULT_UNIT = "000.00.01.H22"
TEST_SCRYPT_N = 2**12  # officers' passwords in tests: fast; `kiosk-server user` always uses the strong default
TEST_PASSWORD = "mat-khau-kiem-thu-01"


@dataclass(frozen=True)
class OfficerCookie:
    """What a browser holds after logging in: the ``Cookie`` header value and the CSRF token."""

    header: str
    csrf: str


def sample_pdf(padding: bytes = b"") -> bytes:
    """A real one-page PDF (pypdf opens it); ``padding`` rides along as an embedded file to vary size and hash."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if padding:
        writer.add_attachment("padding.bin", padding)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sample_image(fmt: str = "PNG", size: tuple[int, int] = (32, 24), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real PNG or JPEG (Pillow opens it)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def counter_call(http: httpx.Client, base_url: str, counter: int, services: list[str], credential: str) -> httpx.Response:
    """A counter calls its next citizen (``POST /counters/{n}/next``).

    The one place tests and the soak benchmark make a counter call, so the credential a
    counter presents (an officer's bearer, ``ServerThread.add_officer``) changes here only.
    """
    return http.post(f"{base_url}/counters/{counter}/next", json={"services": services},
                     headers={"Authorization": f"Bearer {credential}"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening_socket(port: int) -> socket.socket:
    """Bound and listening at once, so the port is ours from the start (no window for another process)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a server restarted on the same port
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    return sock


class MovableClock:
    """A clock a test can move forward (e.g. past local midnight) while the server runs."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0) if start is None else start - utc_now()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return utc_now() + self._offset

    def set(self, when: datetime) -> None:
        with self._lock:
            self._offset = when - utc_now()

    def shift(self, **delta: float) -> None:
        with self._lock:
            self._offset += timedelta(**delta)


@dataclass
class Faults:
    """What the fault middleware does to the next ``count`` requests whose path contains ``path``.

    ``mode``: ``error`` (500 before any work), ``error_after`` (the work is done and committed,
    then the answer is lost as a 500), ``slow`` (the answer is held ``delay_s``, after the work).
    """

    mode: str = ""
    count: int = 0
    path: str = ""
    delay_s: float = 0.0
    hits: int = 0
    last_headers: dict[str, str] | None = None

    def set(self, mode: str, count: int = 1_000_000, path: str = "", delay_s: float = 0.0) -> None:
        self.mode, self.count, self.path, self.delay_s = mode, count, path, delay_s

    def clear(self) -> None:
        self.mode, self.count = "", 0

    def take(self, path: str) -> str:
        if self.count > 0 and self.mode and self.path in path:
            self.count -= 1
            self.hits += 1
            return self.mode
        return ""


class FaultMiddleware:
    """Pure ASGI middleware injecting :class:`Faults` into real HTTP exchanges."""

    def __init__(self, app: Any, faults: Faults) -> None:
        self.app, self.faults = app, faults

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.faults.last_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        mode = self.faults.take(scope.get("path", "")) if scope["type"] == "http" else ""
        if not mode:
            return await self.app(scope, receive, send)

        async def swallow(message: dict) -> None:
            return None

        async def delayed(message: dict) -> None:
            if message["type"] == "http.response.start":
                await asyncio.sleep(self.faults.delay_s)
            await send(message)

        if mode == "slow":
            return await self.app(scope, receive, delayed)
        if mode == "error_after":
            await self.app(scope, receive, swallow)
        body = b'{"detail":"injected fault","errors":[]}'
        await send({"type": "http.response.start", "status": 500,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class ServerThread:
    """Context manager: the app on ``http://127.0.0.1:<port>/api/v1`` until exit."""

    def __init__(
        self,
        workdir: Path,
        *,
        db_url: str | None = None,
        kiosks: Iterable[tuple[str, str, str]] = (("KIOSK-01", "dev-kiosk-token", DEFAULT_UNIT),),
        clock: Callable[[], datetime] = utc_now,
        port: int | None = None,
        catalog_dir: Path | None = None,
        faults: Faults | None = None,
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
        **limits: Any,
    ) -> None:
        workdir = Path(workdir)
        limits.setdefault("scrypt_n", TEST_SCRYPT_N)
        self.settings = ServerSettings(
            db_url=db_url or f"sqlite:///{workdir / 'server.db'}", files_dir=workdir / "server-files",
            catalog_dir=catalog_dir, clock=clock, **limits,
        )
        self._passwords: dict[str, str] = {}
        self.kiosks = list(kiosks)
        self._sock = _listening_socket(port or 0)
        self.port = self._sock.getsockname()[1]
        self.faults = faults
        self.ssl = (ssl_certfile, ssl_keyfile) if ssl_certfile else None
        scheme = "https" if self.ssl else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}/api/v1"
        self.app = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ServerThread:
        self.app = create_app(self.settings)
        with self.app.state.db.write() as s:
            for kiosk_id, token, unit in self.kiosks:
                seed_kiosk(s, kiosk_id, token, unit, f"Bộ phận Một cửa {unit}", weak_ok=True)
        asgi: Any = FaultMiddleware(self.app, self.faults) if self.faults is not None else self.app
        tls = {"ssl_certfile": self.ssl[0], "ssl_keyfile": self.ssl[1]} if self.ssl else {}
        config = uvicorn.Config(asgi, host="127.0.0.1", port=self.port, log_level="critical", access_log=False,
                                timeout_graceful_shutdown=1, **tls)  # live streams never end by themselves
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, name="kiosk-server",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("reference server did not start")
            time.sleep(0.02)
        return self

    def add_officer(self, username: str, role: str = "officer", unit: str | None = DEFAULT_UNIT,
                    password: str = TEST_PASSWORD, full_name: str = "") -> str:
        """Create an officer account (as ``kiosk-server user add`` does) and return a bearer for it."""
        from server.users import add_user

        with self.app.state.db.write() as s:
            add_user(s, username, password, role, unit, utc_now(), full_name, scrypt_n=self.settings.scrypt_n)
        self._passwords[username] = password
        return self._login(username, bearer=True).json()["access_token"]

    def _login(self, username: str, bearer: bool) -> httpx.Response:
        r = httpx.post(f"{self.url}/auth/login", json={"username": username, "password": self._passwords[username],
                                                        "bearer": bearer}, timeout=30, verify=False)
        r.raise_for_status()
        return r

    def officer_bearer(self, username: str) -> str:
        """A new bearer for an officer made with :meth:`add_officer` (after the clock moved past the last one's expiry)."""
        return self._login(username, bearer=True).json()["access_token"]

    def officer_cookie(self, username: str) -> OfficerCookie:
        """A cookie login of an officer made with :meth:`add_officer` (send ``csrf`` as X-CSRF-Token)."""
        r = self._login(username, bearer=False)
        return OfficerCookie(header=f"motcua_session={r.cookies['motcua_session']}", csrf=r.json()["csrf_token"])

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._sock.close()
        if self.app is not None:
            self.app.state.engine.dispose()
