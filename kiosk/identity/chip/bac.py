"""Basic Access Control: the keys from the MRZ information and the mutual authentication (Part 11 §4.3, §9.7).

The terminal proves it knows the MRZ (GET CHALLENGE, EXTERNAL AUTHENTICATE with
E_IFD ‖ M_IFD); the chip answers with its own half; both halves give the session keys and
the send sequence counter of secure messaging. One attempt per call: a chip counts failures
and a real card may slow down or lock, so a wrong key is reported, never retried here.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.identity.chip import crypto
from kiosk.identity.chip.errors import ChipError, WrongKeyError

Transmit = Callable[[bytes], tuple[bytes, int]]  # APDU → (response data, status word)


@dataclass(frozen=True)
class BacKeys:
    """K_enc and K_mac of the document basic access keys."""

    k_enc: bytes
    k_mac: bytes

    @classmethod
    def from_mrz_information(cls, mrz_information: str) -> BacKeys:
        seed = crypto.key_seed_from_mrz(mrz_information)
        return cls(crypto.derive_key(seed, crypto.ENC), crypto.derive_key(seed, crypto.MAC))

    def __repr__(self) -> str:  # keys open a citizen's chip: never in a log
        return "BacKeys(<hidden>)"


@dataclass(frozen=True)
class SessionKeys:
    ks_enc: bytes
    ks_mac: bytes
    ssc: int
    cipher: str = "3des"  # "aes" after PACE with an AES cipher suite

    def __repr__(self) -> str:
        return "SessionKeys(<hidden>)"


def external_authenticate_data(keys: BacKeys, rnd_icc: bytes, rnd_ifd: bytes, k_ifd: bytes) -> bytes:
    """E_IFD ‖ M_IFD: S = RND.IFD ‖ RND.ICC ‖ K.IFD encrypted with K_enc, then MACed with K_mac."""
    e_ifd = crypto.encrypt(keys.k_enc, rnd_ifd + rnd_icc + k_ifd)
    return e_ifd + crypto.retail_mac(keys.k_mac, crypto.pad(e_ifd))


def session_from_response(keys: BacKeys, response: bytes, rnd_icc: bytes, rnd_ifd: bytes, k_ifd: bytes) -> SessionKeys:
    """Check the chip's E_IC ‖ M_IC and derive KS_enc, KS_mac and the SSC; :class:`ChipError` if it does not add up."""
    if len(response) != 40:
        raise ChipError("protocol", "EXTERNAL AUTHENTICATE answer is not 40 bytes")
    e_ic, m_ic = response[:32], response[32:]
    if not hmac.compare_digest(crypto.retail_mac(keys.k_mac, crypto.pad(e_ic)), m_ic):
        raise ChipError("protocol", "chip's MAC wrong")
    r = crypto.decrypt(keys.k_enc, e_ic)
    if r[:8] != rnd_icc or r[8:16] != rnd_ifd:
        raise ChipError("protocol", "chip's answer does not match the challenge")
    k_icc = r[16:32]
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_icc))
    return SessionKeys(
        ks_enc=crypto.derive_key(seed, crypto.ENC),
        ks_mac=crypto.derive_key(seed, crypto.MAC),
        ssc=int.from_bytes(rnd_icc[4:] + rnd_ifd[4:], "big"),
    )


def authenticate(transmit: Transmit, keys: BacKeys, random: Callable[[int], bytes] = os.urandom) -> SessionKeys:
    """GET CHALLENGE + one EXTERNAL AUTHENTICATE → session keys; :class:`WrongKeyError` when refused."""
    rnd_icc, sw = transmit(bytes.fromhex("0084000008"))
    if sw != 0x9000 or len(rnd_icc) != 8:
        raise ChipError("protocol", f"GET CHALLENGE answered {sw:04X}")
    rnd_ifd, k_ifd = random(8), random(16)
    data = external_authenticate_data(keys, rnd_icc, rnd_ifd, k_ifd)
    response, sw = transmit(bytes([0x00, 0x82, 0x00, 0x00, 0x28]) + data + b"\x28")
    if sw in (0x6300, 0x6982, 0x6A80, 0x6988) or (sw & 0xFFF0) == 0x63C0:
        raise WrongKeyError(f"status {sw:04X}")
    if sw != 0x9000:
        raise ChipError("protocol", f"EXTERNAL AUTHENTICATE answered {sw:04X}")
    return session_from_response(keys, response, rnd_icc, rnd_ifd, k_ifd)
