"""A pcscd of the tests' own with Debian's vpcd virtual reader on a port of their own.

pcscd 1.9.9 always listens on /run/pcscd/pcscd.comm (the server ignores PCSCLITE_CSOCK_NAME;
only the client library reads it). To leave a system pcscd alone, ours runs in a private mount
namespace with a tmpfs on /run/pcscd (``unshare -m``, root), and the test process reaches its
socket through ``/proc/<pid>/root/run/pcscd/pcscd.comm``. Where ``unshare`` is not allowed and no
other pcscd runs, a plain pcscd is used. The reader.conf points vpcd at a free port, so the
card side of these tests never meets a stray virtual card.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from helpers.ports import free_port

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")


class PcscdUnavailable(RuntimeError):
    """pcscd or vpcd cannot run here (the reason is the message)."""


def _system_pcscd_running() -> bool:
    pid_file = Path("/run/pcscd/pcscd.pid")
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False
    return Path(f"/proc/{pid}").exists() and "pcscd" in Path(f"/proc/{pid}/comm").read_text()


class Pcscd:
    """``with Pcscd(tmp) as d:`` — pcscd running, ``d.port`` is vpcd's port, the env points pyscard at it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.socket: Path | None = None

    def start(self) -> Pcscd:
        pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
        if not Path(pcscd).exists():
            raise PcscdUnavailable("pcscd is not installed (apt-get install pcscd)")
        if not VPCD_DRIVER.exists():
            raise PcscdUnavailable("vpcd is not installed (apt-get install vsmartcard-vpcd)")
        conf = self.workdir / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        (conf / "vpcd").write_text(
            f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:{self.port}\nLIBPATH      {VPCD_DRIVER}\n'
            f"CHANNELID    {self.port}\n")
        log = open(self.workdir / "pcscd.log", "wb")  # noqa: SIM115 - kept open for the daemon's life
        isolated = os.geteuid() == 0 and shutil.which("unshare") is not None
        if isolated:
            cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                   'mkdir -p /run/pcscd && mount -t tmpfs -o mode=755 tmpfs /run/pcscd && exec "$0" "$@"',
                   pcscd, "--foreground", "--auto-exit", "-c", str(conf)]
        else:
            if _system_pcscd_running():
                raise PcscdUnavailable("another pcscd runs and this user cannot isolate one (unshare -m needs root)")
            cmd = [pcscd, "--foreground", "--auto-exit", "-c", str(conf)]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        self.socket = Path(f"/proc/{self.proc.pid}/root/run/pcscd/pcscd.comm") if isolated \
            else Path("/run/pcscd/pcscd.comm")
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.proc.poll() is not None:
                if isolated:  # unshare refused (no CAP_SYS_ADMIN in this container): try the plain way
                    self.proc = None
                    return self._plain(pcscd, conf, log)
                raise PcscdUnavailable(f"pcscd exited: {(self.workdir / 'pcscd.log').read_text()[-500:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise PcscdUnavailable("pcscd did not create its socket within 10 s")
            time.sleep(0.02)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(self.socket)
        return self

    def _plain(self, pcscd: str, conf: Path, log: object) -> Pcscd:
        if _system_pcscd_running():
            raise PcscdUnavailable("another pcscd runs and unshare -m is not allowed here")
        self.proc = subprocess.Popen([pcscd, "--foreground", "--auto-exit", "-c", str(conf)],
                                     stdout=log, stderr=subprocess.STDOUT)  # type: ignore[arg-type]
        self.socket = Path("/run/pcscd/pcscd.comm")
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise PcscdUnavailable("pcscd did not start")
            time.sleep(0.02)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(self.socket)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None

    def __enter__(self) -> Pcscd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
