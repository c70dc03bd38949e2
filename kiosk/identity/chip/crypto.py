"""The symmetric cryptography of BAC and secure messaging (ICAO 9303 Part 11, §9.7 and §9.8).

The ciphers come from ``cryptography``; only the glue no library offers is written here:
the key derivation function (SHA-1 over seed ‖ counter, parity bits adjusted), ISO 9797-1
padding method 2, and the ISO 9797-1 MAC algorithm 3 ("retail MAC": single-DES CBC with Ka,
then DES-decrypt with Kb and encrypt with Ka on the last block) built from 3DES primitives.
"""

from __future__ import annotations

import hashlib
import warnings

with warnings.catch_warnings():  # TripleDES moved to "decrepit" in cryptography 43+; eMRTDs still use it
    warnings.simplefilter("ignore")
    try:
        from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
    except ImportError:  # pragma: no cover - older cryptography
        from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES  # type: ignore[no-redef]
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ENC, MAC = 1, 2  # KDF counters (Part 11 §9.7.1)
ZERO_IV = bytes(8)


def _parity(key: bytes) -> bytes:
    """DES keys carry odd parity in each byte's low bit; ICAO's worked example shows them adjusted."""
    out = bytearray()
    for b in key:
        b &= 0xFE
        out.append(b | (bin(b).count("1") % 2 == 0))
    return bytes(out)


def derive_key(seed: bytes, counter: int) -> bytes:
    """16-byte 2-key 3DES key from ``seed`` (KDF of Part 11 §9.7.1.1 for 3DES)."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return _parity(digest[:16])


def key_seed_from_mrz(mrz_information: str) -> bytes:
    """K_seed: the first 16 bytes of SHA-1 over document number, birth and expiry dates with check digits."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def pad(data: bytes, block: int = 8) -> bytes:
    """ISO/IEC 9797-1 padding method 2 to the block size (8 for 3DES, 16 for AES)."""
    data += b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise ValueError("bad ISO 9797-1 padding")
    return end[:-1]


def _tdes(key: bytes) -> TripleDES:
    return TripleDES(key + key[:8] if len(key) == 16 else key)


def encrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    """3DES-CBC (data already padded)."""
    enc = Cipher(_tdes(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def decrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    dec = Cipher(_tdes(key), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3 with DES over padded ``data`` (the caller pads)."""
    ka, kb = key[:8], key[8:16]
    # Single DES with Ka in CBC = 3DES with the key (Ka, Ka, Ka).
    chained = encrypt(ka * 3, data)[-8:]
    dec = Cipher(_tdes(kb * 3), modes.ECB()).decryptor()
    step = dec.update(chained) + dec.finalize()
    enc = Cipher(_tdes(ka * 3), modes.ECB()).encryptor()
    return enc.update(step) + enc.finalize()


# ---------------------------------------------------------------- AES (PACE sessions, Part 11 §9.8.4)


def aes_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def aes_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def aes_ecb(key: bytes, block: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def cmac8(key: bytes, data: bytes) -> bytes:
    """AES-CMAC truncated to 8 bytes, the MAC of AES secure messaging and of PACE's tokens."""
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()[:8]


def derive_aes_key(secret: bytes, counter: int, size: int = 16) -> bytes:
    """The KDF for AES keys: SHA-1 for 128-bit keys, SHA-256 for 192/256 (Part 11 §9.7.1)."""
    h = hashlib.sha1 if size == 16 else hashlib.sha256
    return h(secret + counter.to_bytes(4, "big")).digest()[:size]
