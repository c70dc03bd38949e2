"""PACE pieces without a card: the curve arithmetic against ``cryptography``, EF.CardAccess, AES secure messaging.

The PACE run itself is tested end to end over pcscd (tests/integration/test_chip_pcscd.py). ICAO 9303
Part 11's PACE worked example (Appendix G/H) is not written down here: its values could not be
checked from a source at hand, so the protocol is checked against the independent virtual card.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec as cec
from helpers.chipcard.vcard import card_access
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.identity.chip import crypto
from kiosk.identity.chip.bac import SessionKeys
from kiosk.identity.chip.ec import BRAINPOOL_P256R1, P256, Curve
from kiosk.identity.chip.pace import parse_card_access
from kiosk.identity.chip.sm import SecureMessaging

CURVES = [(P256, cec.SECP256R1()), (BRAINPOOL_P256R1, cec.BrainpoolP256R1())]


@pytest.mark.parametrize(("curve", "reference"), CURVES, ids=["P-256", "brainpoolP256r1"])
def test_scalar_multiplication_matches_cryptography(curve: Curve, reference: cec.EllipticCurve) -> None:
    assert curve.on_curve(curve.g)
    for _ in range(5):
        key = cec.generate_private_key(reference)
        pub = key.public_key().public_numbers()
        assert curve.mul(key.private_numbers().private_value, curve.g) == (pub.x, pub.y)
        assert curve.decode(curve.encode((pub.x, pub.y))) == (pub.x, pub.y)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2**255), st.integers(1, 2**255))
def test_point_addition_is_scalar_addition(a: int, b: int) -> None:
    c = P256
    assert c.add(c.mul(a, c.g), c.mul(b, c.g)) == c.mul(a + b, c.g)
    assert c.mul(c.n, c.g) is None


def test_off_curve_points_are_refused() -> None:
    x, y = P256.g
    with pytest.raises(ValueError):
        P256.decode(P256.encode((x, y + 1)))


def test_card_access_gives_the_suite_and_curve() -> None:
    (info,) = parse_card_access(card_access(13))
    assert (info.oid, info.parameter_id, info.key_size) == ("0.4.0.127.0.7.2.2.4.2.2", 13, 16)
    assert parse_card_access(card_access(99)) == []  # a curve not built here is left out


def test_aes_secure_messaging_round_trip_and_counter() -> None:
    enc, mac = bytes(range(16)), bytes(range(16, 32))
    sm = SecureMessaging(SessionKeys(enc, mac, 0, cipher="aes"))
    wrapped = sm.wrap(bytes.fromhex("00A4020C02011E"))
    assert wrapped[:4] == bytes.fromhex("0CA4020C") and sm.ssc == 1
    # The chip's answer with data, made as the chip does: SSC 2, IV = E(KS_enc, SSC).
    ssc = (2).to_bytes(16, "big")
    body = b"\x87\x11\x01" + crypto.aes_encrypt(enc, crypto.pad(b"hello", 16), crypto.aes_ecb(enc, ssc))
    body += b"\x99\x02\x90\x00"
    answer = body + b"\x8e\x08" + crypto.cmac8(mac, crypto.pad(ssc + body, 16))
    assert sm.unwrap(answer, 0x9000) == (b"hello", 0x9000)
