"""The reference server as a child process on a free loopback port, for benchmarks that load it from outside."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


class ServerProcess:
    """``python -m server.main`` with ``args``; returns once ``/health`` answers (RuntimeError after ``start_s``)."""

    def __init__(self, db_url: str, workdir: Path, *args: str, start_s: float = 60.0) -> None:
        from server.testing import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.p = subprocess.Popen(
            [sys.executable, "-m", "server.main", "--db", db_url, "--port", str(self.port),
             "--files", str(workdir / "files"), *args],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + start_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.p.terminate()
        self.p.wait(10)
