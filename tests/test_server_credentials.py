"""Credential policy and failure limits of the reference server, without HTTP (issue 13, findings 2, 8, 11)."""

from __future__ import annotations

import secrets

import pytest

from server.credentials import (
    EXAMPLE_TOKEN,
    SCRYPT_N,
    WeakCredential,
    check_password,
    check_token,
    hash_password,
    new_token,
    verify_password,
)
from server.ratelimit import FailureLimiter


def test_random_tokens_of_32_bytes_pass_in_every_usual_encoding():
    for _ in range(500):
        check_token(new_token())
        check_token(secrets.token_hex(32))
        check_token(secrets.token_urlsafe(48))
    assert len(new_token()) >= 43


@pytest.mark.parametrize("token", [
    EXAMPLE_TOKEN, "", "short", "token-kiosk-01-abcdef", secrets.token_urlsafe(31), secrets.token_hex(31),
    "a" * 100, "ab" * 40, "mco_" + secrets.token_urlsafe(32), secrets.token_urlsafe(32)[:-2] + " x",
    "Bộ-phận-một-cửa-" + secrets.token_urlsafe(16),
])
def test_weak_or_odd_tokens_are_refused_with_a_reason(token):
    with pytest.raises(WeakCredential) as e:
        check_token(token)
    assert str(e.value) and (not token or token not in str(e.value) or token == EXAMPLE_TOKEN)


def test_passwords_are_scrypt_with_strong_parameters_by_default():
    stored = hash_password("mat-khau-rat-dai-2026")
    algo, n, r, p, salt, digest = stored.split("$")
    assert (algo, int(n), int(r), int(p)) == ("scrypt", SCRYPT_N, 8, 1) and SCRYPT_N >= 2**17
    assert verify_password("mat-khau-rat-dai-2026", stored)
    assert not verify_password("mat-khau-rat-dai-2027", stored)
    assert hash_password("mat-khau-rat-dai-2026") != stored  # salted
    assert not verify_password("x", "garbage") and not verify_password("x", "scrypt$1$2$3$%%$%%")


@pytest.mark.parametrize("password", ["", "short", "a" * 11, "aaaaaaaaaaaaaaaa", "x" * 257])
def test_weak_passwords_are_refused(password):
    with pytest.raises(WeakCredential):
        check_password(password)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_failure_limiter_counts_per_key_within_a_window():
    clock = FakeClock()
    lim = FailureLimiter(3, 60, clock=clock)
    for _ in range(3):
        assert lim.retry_after("a") == 0
        lim.fail("a")
        clock.t += 1
    assert lim.retry_after("a") == 57  # now t=1003; the first failure leaves the window at t=1060
    assert lim.retry_after("b") == 0
    clock.t = 1060.5
    assert lim.retry_after("a") == 0  # one failure left the window
    lim.fail("a")
    assert lim.retry_after("a") > 0
    lim.reset("a")
    assert lim.retry_after("a") == 0


def test_failure_limiter_memory_is_bounded():
    lim = FailureLimiter(1, 60, max_keys=100, clock=FakeClock())
    for i in range(1000):
        lim.fail(f"k{i}")
    assert len(lim._fails) == 100 and lim.retry_after("k999") > 0 and lim.retry_after("k0") == 0
