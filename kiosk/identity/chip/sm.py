"""Secure messaging (Part 11 §9.8): commands wrapped in DO87/DO97/DO8E, answers checked and opened.

3DES after BAC (SSC of 8 bytes, zero IV, retail MAC) or AES after PACE (SSC of 16 bytes, IV = E(KS_enc, SSC),
CMAC truncated to 8 bytes).

The send sequence counter is incremented before every command and every answer, so a lost
or repeated APDU makes the next MAC fail — the session is then over (the chip drops it too).
"""

from __future__ import annotations

import hmac

from kiosk.identity.chip import crypto
from kiosk.identity.chip.bac import SessionKeys, Transmit
from kiosk.identity.chip.errors import ChipError


def _len(n: int) -> bytes:
    """BER length octets."""
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82]) + n.to_bytes(2, "big")


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _len(len(value)) + value


def _read_tlvs(data: bytes) -> dict[int, bytes]:
    """The top-level one-byte-tag data objects of an SM answer."""
    out: dict[int, bytes] = {}
    i = 0
    while i < len(data):
        tag = data[i]
        n = data[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        if i + n > len(data):
            raise ChipError("protocol", "truncated secure messaging answer")
        out[tag] = data[i:i + n]
        i += n
    return out


class SecureMessaging:
    """Wraps plain APDUs for the chip and unwraps its answers with the BAC session keys."""

    def __init__(self, session: SessionKeys) -> None:
        self._enc = session.ks_enc
        self._mac = session.ks_mac
        self.ssc = session.ssc
        self._aes = session.cipher == "aes"
        self._block = 16 if self._aes else 8

    def _next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % (1 << (8 * self._block))
        return self.ssc.to_bytes(self._block, "big")

    def _pad(self, data: bytes) -> bytes:
        return crypto.pad(data, self._block)

    def _mac_of(self, data: bytes) -> bytes:
        padded = self._pad(data)
        return crypto.cmac8(self._mac, padded) if self._aes else crypto.retail_mac(self._mac, padded)

    def _encrypt(self, data: bytes, ssc: bytes) -> bytes:
        if self._aes:
            return crypto.aes_encrypt(self._enc, self._pad(data), crypto.aes_ecb(self._enc, ssc))
        return crypto.encrypt(self._enc, self._pad(data))

    def _decrypt(self, data: bytes, ssc: bytes) -> bytes:
        if self._aes:
            return crypto.aes_decrypt(self._enc, data, crypto.aes_ecb(self._enc, ssc))
        return crypto.decrypt(self._enc, data)

    def wrap(self, apdu: bytes) -> bytes:
        """A plain short APDU (CLA INS P1 P2 [Lc data] [Le]) → its protected form."""
        header = bytes([apdu[0] | 0x0C]) + apdu[1:4]
        body = apdu[4:]
        data, le = b"", b""
        if len(body) == 1:
            le = body
        elif body:
            lc = body[0]
            data, rest = body[1:1 + lc], body[1 + lc:]
            le = rest[:1]
        ssc = self._next_ssc()
        do87 = _tlv(0x87, b"\x01" + self._encrypt(data, ssc)) if data else b""
        do97 = _tlv(0x97, le) if le else b""
        mac = self._mac_of(ssc + self._pad(header) + do87 + do97)
        payload = do87 + do97 + _tlv(0x8E, mac)
        return header + bytes([len(payload)]) + payload + b"\x00"

    def unwrap(self, data: bytes, sw: int) -> tuple[bytes, int]:
        """The chip's protected answer → (plain data, status word); :class:`ChipError` if its MAC is wrong."""
        ssc = self._next_ssc()
        if not data:  # an error status without SM objects (e.g. 6982 after a session ended)
            return b"", sw
        objs = _read_tlvs(data)
        if 0x8E not in objs or 0x99 not in objs:
            raise ChipError("protocol", "secure messaging answer without DO99/DO8E")
        signed = b"".join(_tlv(t, objs[t]) for t in (0x87, 0x99) if t in objs)
        if not hmac.compare_digest(self._mac_of(ssc + signed), objs[0x8E]):
            raise ChipError("protocol", "secure messaging MAC wrong")
        plain = b""
        if 0x87 in objs:
            if objs[0x87][:1] != b"\x01":
                raise ChipError("protocol", "unknown DO87 padding indicator")
            plain = crypto.unpad(self._decrypt(objs[0x87][1:], ssc))
        return plain, int.from_bytes(objs[0x99], "big")

    def transmit(self, transmit: Transmit, apdu: bytes) -> tuple[bytes, int]:
        data, sw = transmit(self.wrap(apdu))
        return self.unwrap(data, sw)
