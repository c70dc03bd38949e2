"""`kiosk run` under a fake systemd: READY=1 once the screens are built, then WATCHDOG=1 pings from the UI clock."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]


def test_app_notifies_ready_and_pings_the_watchdog(tmp_path, kivy_window):
    site = tmp_path / "kiosk.toml"
    site.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[logging]\nfile = "{tmp_path / "kiosk.jsonl"}"\n'
        f'[printer]\nuri = "file:{tmp_path / "printer.bin"}"\n'
        '[camera]\nuri = "none:"\ndocument_uri = "none:"\n'
        '[backend]\nembedded = false\nurl = "http://127.0.0.1:9/api/v1"\nheartbeat_s = 3600\n',
        encoding="utf-8",
    )
    sock_path = str(tmp_path / "notify.sock")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(NOTIFY_SOCKET=sock_path, WATCHDOG_USEC="1000000", KIVY_HOME=str(tmp_path / "kivy"))
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(sock_path)
        server.settimeout(60)
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(site), "run", "--exit-after", "15"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            messages = []
            while len(messages) < 3:
                messages.append(server.recv(100).decode())
        finally:
            _, err = proc.communicate(timeout=120)
    assert messages[0] == "READY=1"
    assert messages[1:] == ["WATCHDOG=1", "WATCHDOG=1"]
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"Traceback" not in err
