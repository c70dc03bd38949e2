"""PACE with the generic mapping over ECDH (ICAO 9303 Part 11 §4.4), the CAN as the password.

EF.CardAccess tells which cipher suite and curve the chip offers (PACEInfo); this module does
id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 on NIST P-256 or brainpoolP256r1 (parameter ids 12, 13).
Steps: MSE:Set AT → GENERAL AUTHENTICATE ×4 (encrypted nonce; mapping keys → G' = s·G + H;
ephemeral keys on G' → shared secret; authentication tokens) → AES session keys for secure
messaging. EF.CardAccess is read with a short-file-identifier READ BINARY, so a chip whose
SELECT of the master file fails (6D00, as public readers report for the CCCD) is still read.
Tested against the tests' virtual card and EC arithmetic against ``cryptography``; not yet
against Part 11's PACE worked example nor a real card.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from asn1crypto import core

from kiosk.identity.chip import crypto, tlv
from kiosk.identity.chip.bac import SessionKeys, Transmit
from kiosk.identity.chip.ec import CURVES, Curve
from kiosk.identity.chip.errors import ChipError, WrongKeyError

ID_PACE_ECDH_GM = "0.4.0.127.0.7.2.2.4.2"
AES_SUITES = {f"{ID_PACE_ECDH_GM}.2": 16, f"{ID_PACE_ECDH_GM}.3": 24, f"{ID_PACE_ECDH_GM}.4": 32}
PASSWORD_CAN = 2


class SecurityInfo(core.Sequence):
    _fields = [("protocol", core.ObjectIdentifier), ("required", core.Any), ("optional", core.Any, {"optional": True})]


class SecurityInfos(core.SetOf):
    _child_spec = SecurityInfo


@dataclass(frozen=True)
class PaceInfo:
    oid: str
    parameter_id: int
    key_size: int


def parse_card_access(data: bytes) -> list[PaceInfo]:
    """The PACE cipher suites of EF.CardAccess this module can do (others are left out)."""
    try:
        infos = SecurityInfos.load(data)
        out = []
        for info in infos:
            oid = info["protocol"].dotted
            if oid in AES_SUITES and info["optional"].native is not None:
                pid = core.Integer.load(info["optional"].dump()).native
                if pid in CURVES:
                    out.append(PaceInfo(oid, int(pid), AES_SUITES[oid]))
        return out
    except (ValueError, TypeError, KeyError):
        raise ChipError("bad_data", "EF.CardAccess unreadable") from None


def _oid_value(oid: str) -> bytes:
    return core.ObjectIdentifier(oid).dump()[2:]


def _ga(transmit: Transmit, tag: int, value: bytes, last: bool = False) -> bytes:
    body = tlv.encode(0x7C, tlv.encode(tag, value) if value or tag else b"")
    apdu = bytes([0x00 if last else 0x10, 0x86, 0x00, 0x00, len(body)]) + body + b"\x00"
    data, sw = transmit(apdu)
    if sw in (0x6300, 0x6982) or (sw & 0xFFF0) == 0x63C0:
        raise WrongKeyError(f"GENERAL AUTHENTICATE answered {sw:04X}")
    if sw != 0x9000:
        raise ChipError("protocol", f"GENERAL AUTHENTICATE answered {sw:04X}")
    return tlv.one(data, 0x7C)


def _dynamic(data: bytes, tag: int) -> bytes:
    for t, value, _ in tlv.items(data):
        if t == tag:
            return value
    raise ChipError("protocol", f"GENERAL AUTHENTICATE answer without {tag:02X}")


def auth_token(key: bytes, oid: str, curve: Curve, point: tuple[int, int]) -> bytes:
    """CMAC over the public key data object 7F49 {06 OID, 86 point} (Part 11 §4.4.3.4)."""
    body = tlv.encode(0x06, _oid_value(oid)) + tlv.encode(0x86, curve.encode(point))
    return crypto.cmac8(key, b"\x7f\x49" + tlv.encode(0x00, body)[1:])


def authenticate(transmit: Transmit, info: PaceInfo, can: str,
                 random: Callable[[int], bytes] = os.urandom) -> SessionKeys:
    """PACE with the CAN → AES session keys; :class:`WrongKeyError` when the chip refuses the CAN."""
    curve = CURVES[info.parameter_id]
    mse = tlv.encode(0x80, _oid_value(info.oid)) + tlv.encode(0x83, bytes([PASSWORD_CAN])) + \
        tlv.encode(0x84, bytes([info.parameter_id]))
    _d, sw = transmit(bytes([0x00, 0x22, 0xC1, 0xA4, len(mse)]) + mse)
    if sw != 0x9000:
        raise ChipError("protocol", f"MSE:Set AT answered {sw:04X}")
    k_pi = crypto.derive_aes_key(can.encode("ascii"), 3, info.key_size)
    z = _dynamic(_ga(transmit, 0, b""), 0x80)
    s = int.from_bytes(crypto.aes_decrypt(k_pi, z), "big")
    x = int.from_bytes(random(curve.size), "big") % (curve.n - 1) + 1
    pk_map_ic = curve.decode(_dynamic(_ga(transmit, 0x81, curve.encode(curve.mul(x, curve.g))), 0x82))  # type: ignore[arg-type]
    h = curve.mul(x, pk_map_ic)
    g2 = curve.add(curve.mul(s, curve.g), h)
    if g2 is None:
        raise ChipError("protocol", "PACE mapping gave the point at infinity")
    y = int.from_bytes(random(curve.size), "big") % (curve.n - 1) + 1
    pk_ifd = curve.mul(y, g2)
    pk_ic = curve.decode(_dynamic(_ga(transmit, 0x83, curve.encode(pk_ifd)), 0x84))  # type: ignore[arg-type]
    if pk_ic == pk_ifd:
        raise ChipError("protocol", "chip echoed our ephemeral key")
    shared = curve.mul(y, pk_ic)
    if shared is None:
        raise ChipError("protocol", "PACE shared secret at infinity")
    k = shared[0].to_bytes(curve.size, "big")
    ks_enc, ks_mac = crypto.derive_aes_key(k, 1, info.key_size), crypto.derive_aes_key(k, 2, info.key_size)
    t_ic = _dynamic(_ga(transmit, 0x85, auth_token(ks_mac, info.oid, curve, pk_ic), last=True), 0x86)
    if not hmac.compare_digest(t_ic, auth_token(ks_mac, info.oid, curve, pk_ifd)):  # type: ignore[arg-type]
        raise ChipError("protocol", "chip's PACE token wrong")
    return SessionKeys(ks_enc, ks_mac, 0, cipher="aes")
