"""Start the reference backend next to the kiosk (``make run``, demos, pilots without a backend).

When ``[backend] embedded = true`` and the URL is loopback, :func:`build` runs
``python -m server.main`` as a child process on that port with ``embedded_db``,
seeded with this kiosk's id, token and receiving unit, waits (on a thread, so the
window opens at once) until ``/health`` answers, and stops it when the services close. A server already answering on
that port (another run) is used as it is and left running.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from kiosk.base import paths
from kiosk.base.logs import pipe_to_log

log = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT_S = 30.0


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the kiosk dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM))
    except Exception:  # not Linux: the server outlives a crashed kiosk and is reused by the next start
        pass


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


class EmbeddedServer:
    """The reference server as a child process; :meth:`stop` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.proc: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        c, b = self.config, self.config.backend
        parts = urlsplit(b.url)
        return [
            sys.executable, "-m", "server.main",
            "--db", b.embedded_db, "--host", parts.hostname or "127.0.0.1", "--port", str(parts.port or 80),
            "--catalog", str(c.path(c.catalog.path)), "--timezone", c.kiosk.timezone,
            "--max-priority-in-a-row", str(c.queue.max_priority_in_a_row),
            "--kiosk", c.kiosk.id, "--unit", c.kiosk.receiving_unit_id, "--department", c.kiosk.department,
            "--priority-categories", ",".join(p.code for p in c.queue.priority_categories),
            "--rating-reasons", ",".join(r.code for r in c.rating.reasons),
            "--embedded",  # loopback only; the packaged example token is accepted in this mode alone
            "--log-file", str(c.data_path("log", "server.log")),  # rotated and masked by the server
        ]

    def start(self) -> None:
        url = self.config.backend.url
        if _answers(url):
            log.info("embedded backend: a server already answers at %s; using it", url)
            return
        logfile = self.config.data_path("log", "server-console.log")  # only what escapes the server's own log
        env = dict(os.environ, KIOSK_SERVER_TOKEN=self.config.backend.token)
        self.proc = subprocess.Popen(self.command(), cwd=paths.PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        # Its console goes through the kiosk: size-capped, rotated and masked like the kiosk's own log.
        assert self.proc.stdout is not None
        pipe_to_log(self.proc.stdout, logfile, self.config.logging.max_bytes, self.config.logging.backups)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"embedded backend exited with {self.proc.returncode}; see {logfile}")
            if _answers(url):
                log.info("embedded backend started at %s (pid %d)", url, self.proc.pid)
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"embedded backend did not answer within {START_TIMEOUT_S:.0f} s; see {logfile}")

    def stop(self) -> None:
        p, self.proc = self.proc, None
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def wanted(config: Any) -> bool:
    return bool(config.backend.embedded) and (urlsplit(config.backend.url).hostname or "") in LOOPBACK


class BackgroundStart:
    """Starts an :class:`EmbeddedServer` on a thread so that the kiosk's window never waits for it.

    Until the server answers, the kiosk works as it does offline (tickets from the local block,
    dossiers and ratings into the outbox), so nothing depends on the order of the two starts.
    """

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server
        self.error: str | None = None  # why the server did not start (the kiosk then works offline)
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="embedded-backend", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.server.start()
        except (RuntimeError, OSError) as e:  # the kiosk still runs: offline mode
            log.error("embedded backend not started: %s", e)
            self.error = str(e)
            return
        finally:
            self.done.set()
        # Stay alive as long as the child: Linux sends the parent-death signal when the *thread* that
        # started the child ends, so this thread must outlive the server (it still dies with the kiosk).
        proc = self.server.proc
        if proc is not None:
            proc.wait()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server answered or failed (tests, the CLI); True when finished."""
        return self.done.wait(timeout)

    def stop(self) -> None:
        self.done.wait(START_TIMEOUT_S + 5)
        self.server.stop()


def start_embedded(config: Any) -> BackgroundStart | None:
    """Start the embedded server on a thread when ``[backend] embedded`` asks for it (else None)."""
    if not wanted(config):
        return None
    return BackgroundStart(EmbeddedServer(config))
