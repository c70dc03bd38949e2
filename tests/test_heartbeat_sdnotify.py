"""The systemd notify protocol on a real UNIX datagram socket; the corner-tap gesture counter."""

from __future__ import annotations

import os
import socket

from kiosk.ops.sdnotify import notify, watchdog_interval
from kiosk.ops.technician import CornerTaps


def test_notify_sends_datagrams_to_notify_socket(tmp_path):
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(path)
        assert notify("READY=1", {"NOTIFY_SOCKET": path})
        assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": path})
        assert server.recv(100) == b"READY=1" and server.recv(100) == b"WATCHDOG=1"


def test_notify_is_a_no_op_outside_systemd_and_never_raises(tmp_path):
    assert notify("WATCHDOG=1", {}) is False
    assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}) is False


def test_watchdog_interval_is_half_the_timeout_for_this_process():
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 15
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 15
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval({}) is None


def test_five_taps_within_three_seconds():
    now = [0.0]
    taps = CornerTaps(5, 3.0, clock=lambda: now[0])
    results = []
    for t in (0, 0.5, 1.0, 1.5):
        now[0] = t
        results.append(taps.tap())
    now[0] = 3.2  # the first tap is now too old: only 4 in the window
    results.append(taps.tap())
    assert results == [False] * 5
    now[0] = 3.3
    assert taps.tap() is True
    assert taps.tap() is False  # starts over


def test_shipped_unit_restarts_the_app_and_watches_it():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    unit = (root / "config/systemd/motcua-kiosk.service").read_text()
    for line in ("Type=notify", "Restart=always", "WatchdogSec=30", "NotifyAccess=main",
                 "ExecStart=/opt/motcua-kiosk/config/session/kiosk-launch.sh", "ReadWritePaths=/etc/motcua-kiosk"):
        assert line in unit.splitlines(), line
    launch = root / "config/session/kiosk-launch.sh"
    assert launch.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(launch)]).returncode == 0
    assert "exec " in launch.read_text() and "--fullscreen" in launch.read_text()
