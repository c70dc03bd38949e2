"""Technician access: a PIN kept only as a slow hash, a lockout that survives restarts, an audit trail.

Why scrypt: it is in the standard library (no extra wheel on the kiosk) and
memory-hard, so a stolen config file does not give the PIN away cheaply.
Why the lockout is persisted in the data dir: pulling the plug must not reset
the counter, or a 4-digit PIN could be brute-forced by rebooting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kiosk.base.config import atomic_write_bytes

log = logging.getLogger(__name__)

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
PIN_MIN, PIN_MAX = 4, 12
BASE_LOCK_S = 30.0  # first lockout; doubles with each further lockout
MAX_LOCK_S = 3600.0


class PinError(ValueError):
    """A PIN that cannot be set (not 4–12 digits)."""


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


# ---------------------------------------------------------------- lockout


@dataclass
class LockState:
    """What is persisted between attempts (and reboots)."""

    failures: int = 0  # consecutive wrong PINs since the last success or lockout
    lockouts: int = 0  # lockouts since the last success: the delay grows with it
    locked_until: float = 0.0  # wall-clock seconds


@dataclass(frozen=True)
class Attempt:
    """The outcome of one PIN entry, for the PIN screen and the CLI."""

    ok: bool
    locked: bool = False
    retry_after_s: float = 0.0
    attempts_left: int = 0
    reason: str = ""  # ok | wrong | locked | no_pin


def lock_delay(lockouts: int) -> float:
    """30 s, 60 s, 120 s … up to an hour."""
    return min(MAX_LOCK_S, BASE_LOCK_S * 2 ** max(0, lockouts - 1))


class TechnicianGate:
    """Checks PINs with a growing lockout; every entry, failure and change goes to the audit log."""

    def __init__(
        self,
        pin_hash: str,
        state_dir: Path,
        max_attempts: int = 5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pin_hash = pin_hash
        self.state_dir = Path(state_dir)
        self.max_attempts = max_attempts
        self.clock = clock

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

    def load_state(self) -> LockState:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            return LockState(**{k: data[k] for k in ("failures", "lockouts", "locked_until") if k in data})
        except FileNotFoundError:
            return LockState()
        except (ValueError, TypeError, OSError):
            # A damaged state file must not unlock the kiosk: treat it as one full lockout.
            log.warning("technician lockout state unreadable; locking")
            return LockState(failures=0, lockouts=1, locked_until=self.clock() + lock_delay(1))

    def _save_state(self, state: LockState) -> None:
        atomic_write_bytes(self.state_file, json.dumps(asdict(state)).encode())

    def remaining_lock(self) -> float:
        return max(0.0, self.load_state().locked_until - self.clock())

    def check(self, pin: str, source: str = "screen") -> Attempt:
        """Verify ``pin`` unless locked; count failures; lock for a growing delay after ``max_attempts``."""
        if not self.enabled:
            self.audit("entry_refused", source=source, reason="no_pin")
            return Attempt(ok=False, reason="no_pin")
        state = self.load_state()
        now = self.clock()
        if state.locked_until > now:
            self.audit("entry_refused", source=source, reason="locked")
            return Attempt(ok=False, locked=True, retry_after_s=state.locked_until - now, reason="locked")
        if verify_pin(pin, self.pin_hash):
            self._save_state(LockState())
            self.audit("entry", source=source)
            return Attempt(ok=True, attempts_left=self.max_attempts, reason="ok")
        state.failures += 1
        if state.failures >= self.max_attempts:
            state.lockouts += 1
            state.failures = 0
            delay = lock_delay(state.lockouts)
            state.locked_until = now + delay
            self._save_state(state)
            self.audit("lockout", source=source, seconds=delay)
            log.warning("technician mode locked for %.0f s after %d wrong PINs", delay, self.max_attempts)
            return Attempt(ok=False, locked=True, retry_after_s=delay, reason="locked")
        self._save_state(state)
        self.audit("wrong_pin", source=source, failures=state.failures)
        return Attempt(ok=False, attempts_left=self.max_attempts - state.failures, reason="wrong")

    def audit(self, event: str, **details: Any) -> None:
        """Append one JSON line (never the PIN) to the audit log."""
        write_audit(self.audit_file, event, **details)


def write_audit(path: Path, event: str, **details: Any) -> None:
    """One line per event; fsync'd so a power cut keeps what a technician did."""
    entry = {"ts": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": event, **details}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    log.info("technician audit: %s", event, extra={"event": f"tech.{event}"})


def read_audit(path: Path, limit: int = 200) -> list[dict[str, Any]]:
    """The last ``limit`` audit entries (oldest first); broken lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


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
