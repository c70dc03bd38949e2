"""A virtual CCCD / Căn cước chip: BAC, 3DES secure messaging and the LDS files, behind vpcd's socket.

Written for the tests from ICAO 9303 Part 11 (BAC, SM) and Part 10 (files) independently of the
product's protocol modules (only the Python standard library and ``cryptography``), so a bug on
one side is not mirrored on the other. :class:`VpcdCard` connects it to pcscd's vpcd driver:
vpcd's protocol is a 2-byte big-endian length and then either one control byte (0 power off,
1 power on, 2 reset, 4 send the ATR) or a command APDU, each answered the same way.

Faults: a card built with ``remove_after=N`` closes its connection after N APDUs (the card lifted
off the reader); :meth:`VpcdCard.insert` places it again, fresh, as a citizen would.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import struct
import threading
import warnings
from dataclasses import dataclass, field

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kiosk.identity.chip.ec import CURVES  # point arithmetic only (checked against cryptography in the tests)

AID = bytes.fromhex("A0000002471001")
HIST = b"\x80\x01CCCD-VN"  # historical bytes of the ATR (any; pcscd only parses the structure)


def atr() -> bytes:
    body = bytes([0x80 | len(HIST)]) + b"\x80\x01" + HIST
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes([tck])


def _kdf(seed: bytes, c: int) -> bytes:
    k = bytearray(hashlib.sha1(seed + c.to_bytes(4, "big")).digest()[:16])
    for i, b in enumerate(k):
        k[i] = (b & 0xFE) | (bin(b & 0xFE).count("1") % 2 == 0)
    return bytes(k)


def _3des(key: bytes, data: bytes, enc: bool) -> bytes:
    c = Cipher(TripleDES(key + key[:8]), modes.CBC(bytes(8)))
    op = c.encryptor() if enc else c.decryptor()
    return op.update(data) + op.finalize()


def _pad(b: bytes) -> bytes:
    b += b"\x80"
    return b + bytes(-len(b) % 8)


def _mac(key: bytes, data: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3: DES-CBC with Ka over all blocks, then D(Kb), E(Ka) on the last."""
    ka, kb = key[:8], key[8:]
    h = bytes(8)
    for i in range(0, len(data), 8):
        blk = bytes(a ^ b for a, b in zip(h, data[i:i + 8]))
        e = Cipher(TripleDES(ka * 3), modes.ECB()).encryptor()
        h = e.update(blk) + e.finalize()
    d = Cipher(TripleDES(kb * 3), modes.ECB()).decryptor()
    h = d.update(h) + d.finalize()
    e = Cipher(TripleDES(ka * 3), modes.ECB()).encryptor()
    return e.update(h) + e.finalize()


def _aes(key: bytes, data: bytes, iv: bytes, enc: bool) -> bytes:
    c = Cipher(algorithms.AES(key), modes.CBC(iv))
    op = c.encryptor() if enc else c.decryptor()
    return op.update(data) + op.finalize()


def _aes_ecb(key: bytes, block: bytes) -> bytes:
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def _cmac8(key: bytes, data: bytes) -> bytes:
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()[:8]


def _pad16(b: bytes) -> bytes:
    b += b"\x80"
    return b + bytes(-len(b) % 16)


PACE_OID = "0.4.0.127.0.7.2.2.4.2.2"  # id-PACE-ECDH-GM-AES-CBC-CMAC-128


def card_access(parameter_id: int = 13) -> bytes:
    """EF.CardAccess with one PACEInfo (version 2, the curve's standardized parameter id)."""
    from asn1crypto import core

    info = core.ObjectIdentifier(PACE_OID).dump() + core.Integer(2).dump() + core.Integer(parameter_id).dump()
    return tlv(0x31, tlv(0x30, info))


def tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    ln = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82]) + n.to_bytes(2, "big")
    return bytes([tag]) + ln + value


def _parse_do(data: bytes) -> dict[int, bytes]:
    out, i = {}, 0
    while i < len(data):
        tag, n = data[i], data[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        out[tag] = data[i:i + n]
        i += n
    return out


@dataclass
class CardStats:
    apdus: int = 0
    external_authenticates: int = 0
    sessions: int = 0


@dataclass
class VirtualChip:
    """The chip's logic: files by identifier, opened by the BAC key of ``mrz_information``."""

    mrz_information: str
    files: dict[int, bytes]
    stats: CardStats = field(default_factory=CardStats)
    can: str | None = None  # with a CAN the chip also offers PACE (EF.CardAccess, parameter id below)
    pace_parameter_id: int = 13

    def __post_init__(self) -> None:
        seed = hashlib.sha1(self.mrz_information.encode()).digest()[:16]
        self.k_enc, self.k_mac = _kdf(seed, 1), _kdf(seed, 2)
        self.reset()

    def reset(self) -> None:
        self.app = False
        self.rnd_icc: bytes | None = None
        self.ks: tuple[bytes, bytes] | None = None
        self.ssc = 0
        self.current: bytes | None = None
        self.aes = False
        self.pace: dict[str, object] = {}

    def _ssc(self) -> bytes:
        return self.ssc.to_bytes(16 if self.aes else 8, "big")

    def _sm_mac(self, data: bytes) -> bytes:
        assert self.ks is not None
        return _cmac8(self.ks[1], _pad16(data)) if self.aes else _mac(self.ks[1], _pad(data))

    def _sm_answer(self, data: bytes, sw: int) -> bytes:
        assert self.ks is not None
        self.ssc += 1
        if data and self.aes:
            do87 = tlv(0x87, b"\x01" + _aes(self.ks[0], _pad16(data), _aes_ecb(self.ks[0], self._ssc()), True))
        else:
            do87 = tlv(0x87, b"\x01" + _3des(self.ks[0], _pad(data), True)) if data else b""
        do99 = tlv(0x99, sw.to_bytes(2, "big"))
        return do87 + do99 + tlv(0x8E, self._sm_mac(self._ssc() + do87 + do99)) + b"\x90\x00"

    def process(self, apdu: bytes) -> bytes:
        self.stats.apdus += 1
        cla, ins, p1, p2 = apdu[:4]
        if cla & 0x0C == 0x0C:
            return self._protected(apdu)
        if self.ks is not None and ins not in (0xA4,):  # a plain command ends the SM session (Part 11 §9.8.7)
            self.ks = None
        if ins == 0xA4 and p1 == 0x04:
            self.app = apdu[5:5 + apdu[4]] == AID
            self.ks = None
            return b"\x90\x00" if self.app else b"\x6a\x82"
        if ins == 0xA4:
            return b"\x69\x82"  # files only under secure messaging
        if ins == 0xB0 and p1 & 0x80 and (p1 & 0x1F) == 0x1C:  # EF.CardAccess by short file identifier, in the clear
            if self.can is None:
                return b"\x6a\x82"
            return card_access(self.pace_parameter_id)[:apdu[4] or 256] + b"\x90\x00"
        if ins == 0x22 and self.can is not None:
            self.pace = {"step": 0}
            return b"\x90\x00"
        if ins == 0x86 and self.can is not None and self.pace:
            return self._general_authenticate(apdu[5:5 + apdu[4]])
        if ins == 0x84 and self.app:
            self.rnd_icc = os.urandom(8)
            return self.rnd_icc + b"\x90\x00"
        if ins == 0x82 and self.app:
            self.stats.external_authenticates += 1
            return self._external_authenticate(apdu[5:5 + apdu[4]])
        return b"\x6d\x00"

    def _external_authenticate(self, data: bytes) -> bytes:
        if self.rnd_icc is None or len(data) != 40:
            return b"\x69\x85"
        e_ifd, m_ifd = data[:32], data[32:]
        rnd_icc, self.rnd_icc = self.rnd_icc, None  # a challenge is good for one attempt
        if not hmac.compare_digest(_mac(self.k_mac, _pad(e_ifd)), m_ifd):
            return b"\x63\x00"
        s = _3des(self.k_enc, e_ifd, False)
        rnd_ifd, got_icc, k_ifd = s[:8], s[8:16], s[16:]
        if got_icc != rnd_icc:
            return b"\x63\x00"
        k_icc = os.urandom(16)
        e_ic = _3des(self.k_enc, rnd_icc + rnd_ifd + k_icc, True)
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_icc))
        self.ks = (_kdf(seed, 1), _kdf(seed, 2))
        self.ssc = int.from_bytes(rnd_icc[4:] + rnd_ifd[4:], "big")
        self.stats.sessions += 1
        return e_ic + _mac(self.k_mac, _pad(e_ic)) + b"\x90\x00"

    def _general_authenticate(self, data: bytes) -> bytes:
        curve = CURVES[self.pace_parameter_id]
        st = self.pace
        inner = _parse_do(_parse_do(data)[0x7C]) if len(data) > 2 else {}
        step = st["step"]
        rnd = lambda: int.from_bytes(os.urandom(32), "big") % (curve.n - 1) + 1  # noqa: E731
        if step == 0:
            s = os.urandom(16)
            st["s"] = int.from_bytes(s, "big")
            k_pi = hashlib.sha1(self.can.encode() + b"\x00\x00\x00\x03").digest()[:16]  # type: ignore[union-attr]
            st["step"] = 1
            return tlv(0x7C, tlv(0x80, _aes(k_pi, s, bytes(16), True))) + b"\x90\x00"
        if step == 1:
            pk_map_ifd = curve.decode(inner[0x81])
            x = rnd()
            h = curve.mul(x, pk_map_ifd)
            st["g2"] = curve.add(curve.mul(st["s"], curve.g), h)  # type: ignore[arg-type]
            st["step"] = 2
            return tlv(0x7C, tlv(0x82, curve.encode(curve.mul(x, curve.g)))) + b"\x90\x00"  # type: ignore[arg-type]
        if step == 2:
            pk_ifd = curve.decode(inner[0x83])
            y = rnd()
            pk_ic = curve.mul(y, st["g2"])  # type: ignore[arg-type]
            k = curve.mul(y, pk_ifd)[0].to_bytes(32, "big")  # type: ignore[index]
            st.update(step=3, pk_ifd=pk_ifd, pk_ic=pk_ic,
                      ks=(hashlib.sha1(k + b"\x00\x00\x00\x01").digest()[:16],
                          hashlib.sha1(k + b"\x00\x00\x00\x02").digest()[:16]))
            return tlv(0x7C, tlv(0x84, curve.encode(pk_ic))) + b"\x90\x00"  # type: ignore[arg-type]
        if step == 3:
            self.stats.external_authenticates += 1
            ks_enc, ks_mac = st["ks"]  # type: ignore[misc]
            from asn1crypto import core

            def token(point: tuple[int, int]) -> bytes:
                body = tlv(0x06, core.ObjectIdentifier(PACE_OID).dump()[2:]) + tlv(0x86, curve.encode(point))
                return _cmac8(ks_mac, b"\x7f\x49" + tlv(0, body)[1:])

            self.pace = {}
            if not hmac.compare_digest(inner.get(0x85, b""), token(st["pk_ic"])):  # type: ignore[arg-type]
                return b"\x63\x00"  # a wrong CAN gives other keys: the terminal's token does not match
            self.ks, self.aes, self.ssc = (ks_enc, ks_mac), True, 0
            self.stats.sessions += 1
            return tlv(0x7C, tlv(0x86, token(st["pk_ifd"]))) + b"\x90\x00"  # type: ignore[arg-type]
        return b"\x69\x85"

    def _protected(self, apdu: bytes) -> bytes:
        if self.ks is None:
            return b"\x69\x82"
        header, lc = apdu[:4], apdu[4]
        dos = _parse_do(apdu[5:5 + lc])
        self.ssc += 1
        signed = b"".join(tlv(t, dos[t]) for t in (0x87, 0x97) if t in dos)
        padded_header = _pad16(header) if self.aes else _pad(header)
        if not hmac.compare_digest(self._sm_mac(self._ssc() + padded_header + signed), dos.get(0x8E, b"")):
            self.ks = None  # a wrong MAC ends the session
            return b"\x69\x88"
        data = b""
        if 0x87 in dos:
            if self.aes:
                plain = _aes(self.ks[0], dos[0x87][1:], _aes_ecb(self.ks[0], self._ssc()), False).rstrip(b"\x00")
            else:
                plain = _3des(self.ks[0], dos[0x87][1:], False).rstrip(b"\x00")
            data = plain[:-1]
        ins, p1, p2 = header[1], header[2], header[3]
        le = int.from_bytes(dos.get(0x97, b"\x00"), "big") or 256
        if ins == 0xA4 and p1 == 0x04:  # the eMRTD application selected after PACE
            self.app = data == AID
            return self._sm_answer(b"", 0x9000 if self.app else 0x6A82)
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(data, "big")
            if fid not in self.files:
                return self._sm_answer(b"", 0x6A82)
            self.current = self.files[fid]
            return self._sm_answer(b"", 0x9000)
        if ins == 0xB0:
            if self.current is None:
                return self._sm_answer(b"", 0x6986)
            offset = (p1 << 8) | p2
            chunk = self.current[offset:offset + le]
            return self._sm_answer(chunk, 0x9000 if len(chunk) == le else 0x6282)
        return self._sm_answer(b"", 0x6D00)


class VpcdCard:
    """The chip on vpcd's socket (a thread); ``insert`` places it on the reader, ``remove`` lifts it."""

    def __init__(self, chip: VirtualChip, port: int, remove_after: int | None = None) -> None:
        self.chip = chip
        self.port = port
        self.remove_after = remove_after  # APDUs of this placement before the card is lifted
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.placed_apdus = 0

    def insert(self) -> VpcdCard:
        self.remove()
        self.chip.reset()
        self.placed_apdus = 0
        self._sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self._sock.settimeout(None)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._thread = threading.Thread(target=self._serve, args=(self._sock,), daemon=True, name="vpcd-card")
        self._thread.start()
        return self

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        self._thread = None

    def _lifted(self, sock: socket.socket) -> None:
        """The serving thread lifts its own placement — never a later one (a test may insert again at once)."""
        if self._sock is sock:
            self._sock, self._thread = None, None
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def _recv(self, sock: socket.socket, n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            try:
                # vpcd writes the length and the APDU separately: ACK at once, or its Nagle wait meets our
                # delayed ACK and every APDU costs 40 ms.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                part = sock.recv(n - len(buf))
            except OSError:
                return None
            if not part:
                return None
            buf += part
        return buf

    def _send(self, sock: socket.socket, data: bytes) -> None:
        sock.sendall(struct.pack(">H", len(data)) + data)

    def _serve(self, sock: socket.socket) -> None:
        while True:
            head = self._recv(sock, 2)
            if head is None:
                return
            msg = self._recv(sock, struct.unpack(">H", head)[0])
            if msg is None:
                return
            if len(msg) == 1:  # control: 0 off, 1 on, 2 reset, 4 ATR
                if msg[0] == 4:
                    self._send(sock, atr())
                elif msg[0] in (0, 1, 2):
                    self.chip.reset()
                continue
            if self.remove_after is not None and self.placed_apdus >= self.remove_after:
                self.remove_after = None  # lifted once; placed again it answers to the end
                self._lifted(sock)
                return
            self.placed_apdus += 1
            try:
                self._send(sock, self.chip.process(msg))
            except OSError:
                return
