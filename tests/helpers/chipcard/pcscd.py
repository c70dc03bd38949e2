"""A pcscd of the tests' own with Debian's vpcd virtual reader on a port of their own.

pcscd 1.9.9 always listens on /run/pcscd/pcscd.comm (the server ignores PCSCLITE_CSOCK_NAME;
only the client library reads it). To leave a system pcscd alone, ours runs in a private mount
namespace (``unshare -m``, root) where a folder of the test's is bind-mounted on /run/pcscd, so its
socket appears at ``<workdir>/run/pcscd.comm`` — a path that stays the same if pcscd must be
started again (libpcsclite keeps the first socket path it read). Where ``unshare`` is not allowed
and no other pcscd runs, a plain pcscd is used. vpcd listens on a port from the OS; if someone
took it meanwhile (vpcd logs "Open Port … Failed"), pcscd is started again on another.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from helpers.ports import free_port

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER = "Virtual PCD 00 00"


class PcscdUnavailable(RuntimeError):
    """pcscd or vpcd cannot run here (the reason is the message)."""


def _system_pcscd_running() -> bool:
    try:
        pid = int(Path("/run/pcscd/pcscd.pid").read_text().strip())
        return "pcscd" in Path(f"/proc/{pid}/comm").read_text()
    except (OSError, ValueError):
        return False


def _readers() -> list[str] | None:
    from smartcard import scard

    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, names = scard.SCardListReaders(ctx, [])
        return list(names) if hresult == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(ctx)


class Pcscd:
    """``Pcscd(tmp).start()`` — pcscd running with vpcd's reader listed; ``port`` is where the card connects."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.isolated = os.geteuid() == 0 and shutil.which("unshare") is not None
        run = workdir / "run"
        run.mkdir(parents=True, exist_ok=True)
        self.socket = run / "pcscd.comm" if self.isolated else Path("/run/pcscd/pcscd.comm")

    def _spawn(self, conf: Path) -> None:
        pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
        log = open(self.workdir / "pcscd.log", "ab")  # noqa: SIM115 - the daemon's stdout for its life
        args = [pcscd, "--foreground", "--auto-exit", "-c", str(conf)]
        if self.isolated:
            script = 'mkdir -p /run/pcscd && mount --bind "$0" /run/pcscd && exec "$@"'
            args = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, str(self.socket.parent), *args]
        elif _system_pcscd_running():
            raise PcscdUnavailable("another pcscd runs and this user cannot isolate one (unshare -m needs root)")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def _attempt(self) -> bool:
        conf = self.workdir / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        (conf / "vpcd").write_text(
            f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:{self.port}\nLIBPATH      {VPCD_DRIVER}\n'
            f"CHANNELID    {self.port}\n")
        log = self.workdir / "pcscd.log"
        mark = log.stat().st_size if log.exists() else 0
        self._spawn(conf)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(self.socket)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                if self.isolated:  # unshare refused (no CAP_SYS_ADMIN here): the plain way
                    self.isolated = False
                    self.socket = Path("/run/pcscd/pcscd.comm")
                    return False
                raise PcscdUnavailable(f"pcscd exited: {log.read_text(errors='replace')[-300:]}")
            if self.socket.exists():
                names = _readers()
                if names and READER in names:
                    return True
                if f"/dev/null:{self.port}" in log.read_bytes()[mark:].decode(errors="replace"):
                    return False  # vpcd could not listen on the port
            time.sleep(0.02)
        return False

    def start(self) -> Pcscd:
        if not (shutil.which("pcscd") or Path("/usr/sbin/pcscd").exists()):
            raise PcscdUnavailable("pcscd is not installed (apt-get install pcscd)")
        if not VPCD_DRIVER.exists():
            raise PcscdUnavailable("vpcd is not installed (apt-get install vsmartcard-vpcd)")
        for _ in range(5):
            if self._attempt():
                return self
            self.stop()
        raise PcscdUnavailable(f"pcscd did not show vpcd's reader: {(self.workdir / 'pcscd.log').read_text()[-300:]}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None
