"""A second server process on the same database (what a second uvicorn worker is), for cross-worker tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from server.testing import free_port

ROOT = Path(__file__).resolve().parents[2]


class ServerProcess:
    """``kiosk-server --db URL`` on a free loopback port, until exit."""

    def __init__(self, db_url: str, workdir: Path, **flags: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        args = [sys.executable, "-m", "server.main", "--db", db_url, "--port", str(self.port),
                "--files", str(workdir / f"files-{self.port}"), "--log-level", "error"]
        for k, v in flags.items():
            args += [f"--{k.replace('_', '-')}", v]
        self.args = args
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> ServerProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server process ended: {self.proc.stderr.read().decode(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/queue/state", timeout=2).status_code in (200, 404):
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server process did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
