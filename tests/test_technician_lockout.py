"""The technician lockout under attack: simultaneous guesses, clock jumps, reboots, short PINs.

- 10 wrong PINs at once (threads and processes, each with its own gate, as the PIN screen and
  `kiosk` commands would be) give exactly the lockout that 10 wrong PINs in a row give: the state's
  read-modify-write runs under a file lock.
- The lockout runs on the monotonic clock of the boot it started in; the wall-clock unlock time is
  stored for people. A wall-clock jump never shortens it; a reboot restarts it (counted from the boot).
- PINs have 6 to 12 digits. A kiosk whose hash was made from a 4-digit PIN refuses that PIN with a
  message that says how to set a new one (`kiosk set-pin` from a shell), without counting it as a guess.
"""

from __future__ import annotations

import base64
import hashlib
import multiprocessing as mp
import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.base.config import load_config
from kiosk.base.i18n import tr
from kiosk.ops.technician import PinError, TechnicianGate, hash_pin, lock_delay, read_audit, verify_pin

PIN = "135791"
ROOT = Path(__file__).resolve().parent.parent


class Clocks:
    """The wall clock, the monotonic clock and the boot id, moved by hand."""

    def __init__(self) -> None:
        self.wall = 1_700_000_000.0
        self.mono = 5_000.0
        self.boot = "boot-1"

    def gate(self, pin_hash: str, state: Path, max_attempts: int = 5) -> TechnicianGate:
        return TechnicianGate(pin_hash, state, max_attempts, clock=lambda: self.wall,
                              monotonic=lambda: self.mono, boot_id=lambda: self.boot)

    def elapse(self, s: float) -> None:
        self.wall += s
        self.mono += s

    def reboot(self, after_s: float, up_s: float) -> None:
        """The machine was off ``after_s`` seconds and has been up ``up_s`` seconds since."""
        self.wall += after_s + up_s
        self.mono = up_s
        self.boot = f"boot-{int(self.wall)}"


def _legacy_hash(pin: str) -> str:
    """A hash made before the 6-digit rule (hash_pin refuses short PINs now)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, maxmem=128 * 1024 * 1024, dklen=32)
    return f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


# ---------------------------------------------------------------- simultaneous guesses


def _outcome_counts(reasons: list[str]) -> dict[str, int]:
    return {r: reasons.count(r) for r in set(reasons)}


def test_ten_simultaneous_wrong_pins_from_threads_give_a_lockout(tmp_path: Path) -> None:
    pin_hash = hash_pin(PIN)
    barrier = threading.Barrier(10)
    results: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def guess(i: int) -> None:
        gate = TechnicianGate(pin_hash, tmp_path, max_attempts=5)  # its own gate, like another process
        barrier.wait()
        a = gate.check(f"{900000 + i}")
        with lock:
            results.append((a.reason, a.locked))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reasons = [r for r, _ in results]
    assert _outcome_counts(reasons) == {"wrong": 4, "locked": 6}
    gate = TechnicianGate(pin_hash, tmp_path)
    assert gate.remaining_lock() > 0
    assert gate.check(PIN).reason == "locked"  # even the right PIN waits
    events = [e["event"] for e in read_audit(gate.audit_file)]
    assert events.count("wrong_pin") == 4 and events.count("lockout") == 1 and events.count("entry_refused") == 6


def _guess_in_process(pin_hash: str, state: str, pin: str, barrier, out) -> None:  # type: ignore[no-untyped-def]
    gate = TechnicianGate(pin_hash, Path(state), max_attempts=5)
    barrier.wait(30)
    out.put(gate.check(pin).reason)


def test_ten_simultaneous_wrong_pins_from_processes_give_a_lockout(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    pin_hash, barrier, out = hash_pin(PIN), ctx.Barrier(10), ctx.Queue()
    procs = [ctx.Process(target=_guess_in_process, args=(pin_hash, str(tmp_path), f"{800000 + i}", barrier, out))
             for i in range(10)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    reasons = [out.get(timeout=5) for _ in procs]
    assert _outcome_counts(reasons) == {"wrong": 4, "locked": 6}
    assert TechnicianGate(pin_hash, tmp_path).remaining_lock() > 0


# ---------------------------------------------------------------- clocks


def _lock_out(gate: TechnicianGate, n: int = 5) -> float:
    for _ in range(n):
        a = gate.check("000000")
    assert a.locked
    return a.retry_after_s


def test_a_wall_clock_jump_forward_does_not_shorten_the_lockout(tmp_path: Path) -> None:
    c = Clocks()
    gate = c.gate(hash_pin(PIN), tmp_path)
    assert _lock_out(gate) == lock_delay(1) == 30
    c.wall += 86_400  # someone sets the clock a day ahead (or NTP corrects a wrong RTC)
    assert gate.check(PIN).reason == "locked"
    assert 29 <= gate.remaining_lock() <= 30
    c.mono += 31  # the real time passes
    assert gate.check(PIN).ok


def test_a_wall_clock_jump_backward_does_not_lengthen_it_beyond_the_delay(tmp_path: Path) -> None:
    c = Clocks()
    gate = c.gate(hash_pin(PIN), tmp_path)
    _lock_out(gate)
    c.wall -= 10 * 86_400
    assert gate.remaining_lock() <= 30
    c.mono += 31
    assert gate.check(PIN).ok


def test_a_reboot_restarts_the_lockout_and_never_ends_it(tmp_path: Path) -> None:
    c = Clocks()
    gate = c.gate(hash_pin(PIN), tmp_path)
    _lock_out(gate)
    c.reboot(after_s=0, up_s=8)  # pulled the plug right away, back up 8 s later
    assert gate.check(PIN).reason == "locked"
    assert gate.remaining_lock() == pytest.approx(22)  # 30 s counted from the boot
    c.reboot(after_s=86_400, up_s=3)  # a wall clock far ahead does not help either
    assert gate.check(PIN).reason == "locked"
    c.elapse(28)
    assert gate.check(PIN).ok


def test_the_wall_clock_unlock_time_is_stored_for_people(tmp_path: Path) -> None:
    c = Clocks()
    gate = c.gate(hash_pin(PIN), tmp_path)
    _lock_out(gate)
    state = gate.load_state()
    assert state.locked_until == pytest.approx(c.wall + 30) and state.boot_id == "boot-1"


def test_a_damaged_state_file_locks_once_then_expires(tmp_path: Path) -> None:
    c = Clocks()
    gate = c.gate(hash_pin(PIN), tmp_path)
    gate.state_file.parent.mkdir(parents=True, exist_ok=True)
    gate.state_file.write_text("{garbage")
    assert gate.check(PIN).reason == "locked"
    c.elapse(31)
    assert gate.check(PIN).ok


# ---------------------------------------------------------------- PIN length


@pytest.mark.parametrize("bad", ["", "1234", "12345", "12a456", "1234567890123", "١٢٣٤٥٦", "１２３４５６"])
def test_a_pin_must_be_6_to_12_ascii_digits(bad: str) -> None:
    with pytest.raises(PinError):
        hash_pin(bad)


def test_six_and_twelve_digits_are_accepted() -> None:
    assert verify_pin("123456", hash_pin("123456")) and verify_pin("123456789012", hash_pin("123456789012"))


def test_an_old_4_digit_pin_is_refused_with_a_way_back(tmp_path: Path) -> None:
    c = Clocks()
    gate = c.gate(_legacy_hash("1357"), tmp_path)
    for _ in range(10):  # not counted as guesses: no lockout for the technician of an existing kiosk
        a = gate.check("1357")
        assert not a.ok and not a.locked and a.reason == "pin_too_short"
    assert "kiosk set-pin" in tr("tech.pin_too_short", "vi") and "6" in tr("tech.pin_too_short", "vi")
    assert "kiosk set-pin" in tr("tech.pin_too_short", "en")
    assert gate.remaining_lock() == 0


def test_kiosk_set_pin_from_a_shell_replaces_an_old_short_pin_and_clears_a_lockout(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    data = tmp_path / "data"
    site.write_text(f'[storage]\ndata_dir = "{data}"\n\n[technician]\npin_hash = "{_legacy_hash("1357")}"\n')
    config = load_config(site, environ={})
    gate = TechnicianGate(config.technician.pin_hash, config.data_path("technician"))
    _lock_out(gate)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}

    def set_pin(pin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(site), "set-pin", "--pin-stdin"],
                              input=pin + "\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)

    short = set_pin("2468")
    assert short.returncode == 2 and "6 to 12 digits" in short.stderr
    done = set_pin("246813")
    assert done.returncode == 0, done.stderr
    new = load_config(site, environ={})
    gate = TechnicianGate(new.technician.pin_hash, new.data_path("technician"))
    assert gate.remaining_lock() == 0 and gate.check("246813").ok
