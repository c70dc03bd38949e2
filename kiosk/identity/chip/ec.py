"""Elliptic-curve point arithmetic for PACE's generic mapping (ICAO 9303 Part 11 §4.4.3.3.1).

By hand because no library offers it: the mapping makes a new generator G' = s·G + H, and the
ephemeral key pair lives on G' — ``cryptography`` only does ECDH on a curve's standard generator.
Jacobian coordinates, Python integers; a scalar multiplication takes a few milliseconds, and the
tests check it against ``cryptography``'s own key generation on both curves.
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[int, int] | None  # None: the point at infinity


@dataclass(frozen=True)
class Curve:
    name: str
    p: int
    a: int
    b: int
    g: tuple[int, int]
    n: int

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def on_curve(self, pt: Point) -> bool:
        if pt is None:
            return False
        x, y = pt
        return 0 <= x < self.p and 0 <= y < self.p and (y * y - x * x * x - self.a * x - self.b) % self.p == 0

    def encode(self, pt: tuple[int, int]) -> bytes:
        """Uncompressed point 04 ‖ X ‖ Y."""
        return b"\x04" + pt[0].to_bytes(self.size, "big") + pt[1].to_bytes(self.size, "big")

    def decode(self, data: bytes) -> tuple[int, int]:
        if len(data) != 1 + 2 * self.size or data[0] != 4:
            raise ValueError("not an uncompressed point")
        pt = (int.from_bytes(data[1:1 + self.size], "big"), int.from_bytes(data[1 + self.size:], "big"))
        if not self.on_curve(pt):
            raise ValueError("point not on the curve")
        return pt

    # ---------------------------------------------------------------- arithmetic (Jacobian)

    def _double(self, P: tuple[int, int, int]) -> tuple[int, int, int]:
        X, Y, Z = P
        if Y == 0:
            return (0, 1, 0)
        p = self.p
        S = 4 * X * Y * Y % p
        Z2 = Z * Z % p
        M = (3 * X * X + self.a * Z2 * Z2) % p
        X3 = (M * M - 2 * S) % p
        return X3, (M * (S - X3) - 8 * Y ** 4) % p, 2 * Y * Z % p

    def _add(self, P: tuple[int, int, int], Q: tuple[int, int, int]) -> tuple[int, int, int]:
        if P[2] == 0:
            return Q
        if Q[2] == 0:
            return P
        p = self.p
        X1, Y1, Z1 = P
        X2, Y2, Z2 = Q
        Z1s, Z2s = Z1 * Z1 % p, Z2 * Z2 % p
        U1, U2 = X1 * Z2s % p, X2 * Z1s % p
        S1, S2 = Y1 * Z2s * Z2 % p, Y2 * Z1s * Z1 % p
        if U1 == U2:
            return self._double(P) if S1 == S2 else (0, 1, 0)
        H, R = (U2 - U1) % p, (S2 - S1) % p
        H2 = H * H % p
        H3 = H2 * H % p
        X3 = (R * R - H3 - 2 * U1 * H2) % p
        return X3, (R * (U1 * H2 - X3) - S1 * H3) % p, H * Z1 * Z2 % p

    def _affine(self, P: tuple[int, int, int]) -> Point:
        X, Y, Z = P
        if Z == 0:
            return None
        zi = pow(Z, -1, self.p)
        return X * zi * zi % self.p, Y * zi * zi * zi % self.p

    def mul(self, k: int, pt: tuple[int, int]) -> Point:
        result: tuple[int, int, int] = (0, 1, 0)
        addend = (pt[0], pt[1], 1)
        k %= self.n
        while k:
            if k & 1:
                result = self._add(result, addend)
            addend = self._double(addend)
            k >>= 1
        return self._affine(result)

    def add(self, P: Point, Q: Point) -> Point:
        if P is None:
            return Q
        if Q is None:
            return P
        return self._affine(self._add((P[0], P[1], 1), (Q[0], Q[1], 1)))


P256 = Curve(
    "secp256r1",
    p=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
    a=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC,
    b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    g=(0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
       0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5),
    n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
)
BRAINPOOL_P256R1 = Curve(
    "brainpoolP256r1",
    p=0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
    a=0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
    b=0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
    g=(0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
       0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997),
    n=0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
)
# PACE standardized domain parameter ids (ICAO 9303 Part 11 §9.5.1): 12 NIST P-256, 13 brainpoolP256r1.
CURVES = {12: P256, 13: BRAINPOOL_P256R1}
