"""Run the real reference server on loopback inside a test (uvicorn in a thread, a free port).

    with ServerThread(tmp_path, kiosks=[("K1", "token-k1-xxxx", "000.00.01.H22")]) as srv:
        client = BackendClient(srv.url, "token-k1-xxxx", "K1")

Used by this project's tests (and by other features' end-to-end tests); real HTTP, real DB.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import uvicorn

from server.app import create_app
from server.auth import seed_kiosk
from server.db import session_scope
from server.settings import ServerSettings, utc_now

DEFAULT_UNIT = "000.00.01.H22"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        **limits: int,
    ) -> None:
        workdir = Path(workdir)
        self.settings = ServerSettings(
            db_url=db_url or f"sqlite:///{workdir / 'server.db'}", files_dir=workdir / "server-files",
            catalog_dir=catalog_dir, clock=clock, **limits,
        )
        self.kiosks = list(kiosks)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.app = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ServerThread:
        self.app = create_app(self.settings)
        with session_scope(self.app.state.sessions) as s:
            for kiosk_id, token, unit in self.kiosks:
                seed_kiosk(s, kiosk_id, token, unit, f"Bộ phận Một cửa {unit}")
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="kiosk-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("reference server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.app is not None:
            self.app.state.engine.dispose()
