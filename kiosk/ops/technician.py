"""Technician access: a PIN kept only as a slow hash, a lockout that survives restarts, an audit trail.

Why scrypt: it is in the standard library (no extra wheel on the kiosk) and memory-hard, so a
stolen config file does not give the PIN away cheaply. Why 6 to 12 digits: with scrypt at about
50 ms a guess, 10^4 PINs fall to a stolen config in minutes, 10^6 take more than half a day.

The lockout state lives in ``<data>/technician/lockout.json`` so pulling the plug does not reset the
counter; every check reads, decides and writes it under a file lock, so simultaneous guesses (threads,
the PIN screen and ``kiosk`` commands) count one by one. The clock of a lockout:

- it runs on the monotonic clock of the boot it started in (stored with the Linux boot id), which no
  wall-clock change can move — setting the date ahead does not shorten it, setting it back does not
  stretch it beyond its delay;
- after a reboot the monotonic clock starts again near zero, and the elapsed time across the power cut is
  unknowable without trusting the wall clock; so the lock restarts, counted from the new boot: a reboot
  can lengthen a lockout (by the time the kiosk was off) and never shortens it;
- the wall-clock unlock time is stored too, for people (the audit, the PIN screen), never to decide.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from kiosk.base.blocking import blocking
from kiosk.base.config import atomic_write_bytes
from kiosk.base.filelock import LockTimeout, file_lock
from kiosk.ops.audit import AUDIT_MAX_BYTES, read_audit, write_audit

__all__ = [
    "AUDIT_MAX_BYTES", "Attempt", "CornerTaps", "LockState", "PinError", "TechnicianGate", "gate_for", "hash_pin",
    "lock_delay", "read_audit", "state_dir", "validate_pin", "verify_pin", "write_audit",
]

log = logging.getLogger(__name__)

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
PIN_MIN, PIN_MAX = 6, 12
BASE_LOCK_S = 30.0  # first lockout; doubles with each further lockout
MAX_LOCK_S = 3600.0
STATE_LOCK_WAIT_S = 30.0
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


class PinError(ValueError):
    """A PIN that cannot be set (not 6–12 ASCII digits)."""


def validate_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise PinError(f"the PIN must be {PIN_MIN} to {PIN_MAX} digits")
    return pin


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` — parameters stored so they can be raised later."""
    validate_pin(pin)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of ``pin`` against a :func:`hash_pin` string; False for any malformed input."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            maxmem=128 * 1024 * 1024, dklen=len(want),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


@lru_cache(maxsize=1)
def current_boot_id() -> str:
    """This boot's id (Linux); "" where unknown — a lock then restarts at every start of the kiosk."""
    try:
        return BOOT_ID_FILE.read_text().strip()
    except OSError:
        return ""


# ---------------------------------------------------------------- lockout


@dataclass
class LockState:
    """What is persisted between attempts (and reboots)."""

    failures: int = 0  # consecutive wrong PINs since the last success or lockout
    lockouts: int = 0  # lockouts since the last success: the delay grows with it
    locked_until: float = 0.0  # wall clock — for people only
    lock_s: float = 0.0  # length of the current lock
    boot_id: str = ""  # the boot the lock started in …
    locked_until_mono: float = 0.0  # … and its end on that boot's monotonic clock

    def remaining(self, wall: float, mono: float, boot: str) -> float:
        """Seconds left: on the monotonic clock of the same boot; after a reboot counted from the boot."""
        if self.lock_s <= 0:  # a state written before the monotonic clock: trust the wall clock once
            if self.locked_until <= wall:
                return 0.0
            return min(lock_delay(max(1, self.lockouts)), self.locked_until - wall)
        left = self.locked_until_mono - mono if boot and self.boot_id == boot else self.lock_s - mono
        return max(0.0, min(self.lock_s, left))


@dataclass(frozen=True)
class Attempt:
    """The outcome of one PIN entry, for the PIN screen and the CLI."""

    ok: bool
    locked: bool = False
    retry_after_s: float = 0.0
    attempts_left: int = 0
    reason: str = ""  # ok | wrong | locked | no_pin | pin_too_short


def lock_delay(lockouts: int) -> float:
    """30 s, 60 s, 120 s … up to an hour."""
    return min(MAX_LOCK_S, BASE_LOCK_S * 2 ** max(0, lockouts - 1))


class _Damaged(Exception):
    pass


class TechnicianGate:
    """Checks PINs with a growing lockout; every entry, failure and change goes to the audit log."""

    def __init__(
        self,
        pin_hash: str,
        state_dir: Path,
        max_attempts: int = 5,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        boot_id: Callable[[], str] = current_boot_id,
    ) -> None:
        self.pin_hash = pin_hash
        self.state_dir = Path(state_dir)
        self.max_attempts = max_attempts
        self.clock = clock
        self.monotonic = monotonic
        self.boot_id = boot_id

    @property
    def state_file(self) -> Path:
        return self.state_dir / "lockout.json"

    @property
    def audit_file(self) -> Path:
        return self.state_dir / "audit.jsonl"

    @property
    def enabled(self) -> bool:
        """No PIN set = technician mode is off (only `kiosk set-pin` can turn it on)."""
        return bool(self.pin_hash)

    def _read(self) -> LockState:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            names = {f.name for f in fields(LockState)}
            return LockState(**{k: v for k, v in data.items() if k in names})
        except FileNotFoundError:
            return LockState()
        except (ValueError, TypeError, AttributeError, OSError):
            raise _Damaged from None

    def _arm(self, state: LockState, delay: float) -> LockState:
        state.lock_s = delay
        state.boot_id = self.boot_id()
        state.locked_until_mono = self.monotonic() + delay
        state.locked_until = self.clock() + delay
        return state

    def load_state(self) -> LockState:
        """The persisted state; a damaged file reads as one full lockout (it must not unlock the kiosk)."""
        try:
            return self._read()
        except _Damaged:
            log.warning("technician lockout state unreadable; locking")
            return self._arm(LockState(lockouts=1), lock_delay(1))

    def _save_state(self, state: LockState) -> None:
        atomic_write_bytes(self.state_file, json.dumps(asdict(state)).encode())

    def _remaining(self, state: LockState) -> float:
        return state.remaining(self.clock(), self.monotonic(), self.boot_id())

    def remaining_lock(self) -> float:
        """Seconds until the next PIN may be tried (a read: no lock taken, cheap for a countdown)."""
        return self._remaining(self.load_state())

    @blocking
    def check(self, pin: str, source: str = "screen") -> Attempt:
        """Verify ``pin`` unless locked; count failures; lock for a growing delay after ``max_attempts``."""
        if not self.enabled:
            self.audit("entry_refused", source=source, reason="no_pin")
            return Attempt(ok=False, reason="no_pin")
        if pin.isascii() and pin.isdigit() and len(pin) < PIN_MIN:
            # Never a valid PIN now; kiosks set up before the 6-digit rule get told how to set a new one.
            self.audit("entry_refused", source=source, reason="pin_too_short")
            return Attempt(ok=False, reason="pin_too_short")
        try:
            with file_lock(self.state_dir / "lockout.lock", timeout_s=STATE_LOCK_WAIT_S):
                return self._check_locked(pin, source)
        except LockTimeout:
            log.warning("technician lockout state busy for %.0f s; refusing the entry", STATE_LOCK_WAIT_S)
            return Attempt(ok=False, locked=True, retry_after_s=5.0, reason="locked")

    def _check_locked(self, pin: str, source: str) -> Attempt:
        try:
            state = self._read()
        except _Damaged:
            log.warning("technician lockout state unreadable; locking")
            state = self._arm(LockState(lockouts=1), lock_delay(1))
            self._save_state(state)  # so that the lock runs out like any other
        left = self._remaining(state)
        if left > 0:
            self.audit("entry_refused", source=source, reason="locked")
            return Attempt(ok=False, locked=True, retry_after_s=left, reason="locked")
        if verify_pin(pin, self.pin_hash):
            self._save_state(LockState())
            self.audit("entry", source=source)
            return Attempt(ok=True, attempts_left=self.max_attempts, reason="ok")
        state.failures += 1
        if state.failures >= self.max_attempts:
            state.lockouts += 1
            state.failures = 0
            delay = lock_delay(state.lockouts)
            self._save_state(self._arm(state, delay))
            self.audit("lockout", source=source, seconds=delay)
            log.warning("technician mode locked for %.0f s after %d wrong PINs", delay, self.max_attempts)
            return Attempt(ok=False, locked=True, retry_after_s=delay, reason="locked")
        self._save_state(state)
        self.audit("wrong_pin", source=source, failures=state.failures)
        return Attempt(ok=False, attempts_left=self.max_attempts - state.failures, reason="wrong")

    def reset(self, source: str = "cli") -> None:
        """Forget failures and any lock (a new PIN was set from a shell: the way back in)."""
        with file_lock(self.state_dir / "lockout.lock", timeout_s=STATE_LOCK_WAIT_S):
            self._save_state(LockState())
        self.audit("lockout_cleared", source=source)

    @blocking
    def audit(self, event: str, **details: Any) -> None:
        """Append one JSON line (never the PIN) to the audit log."""
        write_audit(self.audit_file, event, **details)


def state_dir(config: Any) -> Path:
    """Where the lockout state and the audit log live: ``<data_dir>/technician``."""
    return config.data_path("technician")


def gate_for(config: Any) -> TechnicianGate:
    return TechnicianGate(config.technician.pin_hash, state_dir(config), config.technician.max_attempts)


class CornerTaps:
    """The hidden entry gesture: ``taps`` taps within ``window_s`` seconds (the app checks where)."""

    def __init__(self, taps: int = 5, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.taps = taps
        self.window_s = window_s
        self.clock = clock
        self._times: list[float] = []

    def tap(self) -> bool:
        """Record one tap; True (and start over) when it completes the gesture."""
        now = self.clock()
        self._times = [t for t in self._times if now - t <= self.window_s] + [now]
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False

    def reset(self) -> None:
        self._times.clear()
