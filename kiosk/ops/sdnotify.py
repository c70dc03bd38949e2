"""systemd's notify protocol (READY=1, WATCHDOG=1) over a UNIX datagram socket, without a dependency.

Why: the unit in ``config/systemd/`` uses ``Type=notify`` and ``WatchdogSec=``; the UI pings
the watchdog from its own Clock, so a hung UI thread stops the pings and systemd restarts it.
Outside systemd (``NOTIFY_SOCKET`` unset) every call is a cheap no-op.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def notify(message: str, environ: Mapping[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. ``"WATCHDOG=1"``) to systemd; False when not under systemd or it failed."""
    env = os.environ if environ is None else environ
    addr = env.get("NOTIFY_SOCKET")
    if not addr:
        return False
    if addr.startswith("@"):  # abstract namespace
        addr = "\0" + addr[1:]
    try:
        # Non-blocking: the UI thread sends this, and a reader that is not reading must never freeze it.
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK) as s:
            s.connect(addr)
            s.sendall(message.encode("utf-8"))
        return True
    except BlockingIOError:
        log.debug("sd_notify %s dropped: the notify socket is full", message.split("=")[0])
        return False
    except OSError as e:
        log.warning("sd_notify %s failed: %s", message.split("=")[0], e)
        return False


def watchdog_interval(environ: Mapping[str, str] | None = None) -> float | None:
    """How often to ping: half of ``WATCHDOG_USEC`` (systemd's advice), or None when no watchdog is set."""
    env = os.environ if environ is None else environ
    usec = env.get("WATCHDOG_USEC")
    pid = env.get("WATCHDOG_PID")
    if not usec or (pid and pid.isdigit() and int(pid) != os.getpid()):
        return None
    try:
        return max(0.5, int(usec) / 1e6 / 2)
    except ValueError:
        return None
