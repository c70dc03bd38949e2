"""PIN hashing, lockout with a growing delay that survives restarts, and the audit trail."""

from __future__ import annotations

import json

import pytest

from kiosk.ops.technician import (
    PinError,
    TechnicianGate,
    hash_pin,
    lock_delay,
    read_audit,
    verify_pin,
)


class FakeClock:
    """Stand-in for the wall and monotonic clocks (moved together) so a lockout can expire without sleeping."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def _gate(pin_hash, path, clock, max_attempts=5):
    return TechnicianGate(pin_hash, path, max_attempts=max_attempts, clock=clock, monotonic=clock, boot_id=lambda: "b")


def test_hash_is_salted_slow_and_verifies():
    h1, h2 = hash_pin("246810"), hash_pin("246810")
    assert h1 != h2 and "246810" not in h1
    assert h1.startswith("scrypt$16384$8$1$")
    assert verify_pin("246810", h1) and verify_pin("246810", h2)
    assert not verify_pin("246811", h1)
    assert not verify_pin("246810", "") and not verify_pin("246810", "scrypt$x") and not verify_pin("246810", "md5$1$2$3$4$5")


@pytest.mark.parametrize("bad", ["", "123", "1234", "12a456", "1234567890123", "١٢٣٤٥٦"])
def test_pin_must_be_6_to_12_ascii_digits(bad):
    with pytest.raises(PinError):
        hash_pin(bad)


def test_five_wrong_pins_lock_with_growing_delay_persisted(tmp_path):
    clock = FakeClock()
    gate = _gate(hash_pin("135700"), tmp_path, clock)
    for left in (4, 3, 2, 1):
        a = gate.check("000000")
        assert not a.ok and not a.locked and a.attempts_left == left
    a = gate.check("000000")
    assert a.locked and a.retry_after_s == lock_delay(1) == 30
    # Even the right PIN is refused while locked, and a restart (a new gate) keeps the lock.
    gate2 = _gate(gate.pin_hash, tmp_path, clock)
    assert gate2.check("135700").reason == "locked"
    clock.now += 31
    for _ in range(5):
        a = gate2.check("999999")
    assert a.locked and a.retry_after_s == 60  # second lockout: twice as long
    clock.now += 61
    assert gate2.check("135700").ok
    # Success resets everything: the next lockout is short again.
    for _ in range(5):
        a = gate2.check("999999")
    assert a.retry_after_s == 30


def test_lock_delay_is_capped():
    assert lock_delay(1) == 30 and lock_delay(2) == 60 and lock_delay(30) == 3600


def test_damaged_state_file_locks_instead_of_unlocking(tmp_path):
    gate = _gate(hash_pin("135700"), tmp_path, FakeClock())
    tmp_path.joinpath("lockout.json").write_text("{garbage")
    assert gate.check("135700").reason == "locked"


def test_no_pin_set_means_technician_mode_is_off(tmp_path):
    gate = TechnicianGate("", tmp_path)
    assert not gate.enabled
    assert gate.check("123456").reason == "no_pin"


def test_audit_log_records_entries_failures_lockouts_never_the_pin(tmp_path):
    clock = FakeClock()
    gate = _gate(hash_pin("864200"), tmp_path, clock, max_attempts=2)
    gate.check("864200", source="screen")
    gate.check("111111")
    gate.check("222222")
    events = [e["event"] for e in read_audit(gate.audit_file)]
    assert events == ["entry", "wrong_pin", "lockout"]
    raw = gate.audit_file.read_text()
    assert "864200" not in raw and "111111" not in raw
    assert all("ts" in json.loads(line) for line in raw.splitlines())
