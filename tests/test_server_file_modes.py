"""The server's database, received-files folder and log hold personal data: readable by its user only
(issue 13, finding 7: outbox.db, server.db and the data folders were 0644/0755)."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_kiosk_server_start_writes_only_private_files(tmp_path: Path) -> None:
    db = tmp_path / "srv" / "server.db"
    log = tmp_path / "srv" / "server.log"
    env = {**os.environ, "KIOSK_SERVER_TOKEN": secrets.token_urlsafe(32)}
    r = subprocess.run(
        [sys.executable, "-m", "server.main", "--db", f"sqlite:///{db}", "--log-file", str(log),
         "--kiosk", "KIOSK-07", "--add-only"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    written = [p for p in (tmp_path / "srv").rglob("*")]
    assert db in written and any(p.is_dir() for p in written), written  # the database and its files folder
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.relative_to(tmp_path)} is {oct(mode)}"
