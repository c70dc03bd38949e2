"""BER-TLV walking for the LDS files.

By hand, on purpose: ICAO 9303 uses tags such as 5F01 (LDS version) and 5F1F (MRZ) that are
"non-minimal" in DER terms, and asn1crypto's parser refuses them. The signed structures (EF.SOD)
are parsed by asn1crypto in :mod:`kiosk.identity.chip.passive`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.identity.chip.errors import ChipError


def _tag_octets(data: bytes, i: int = 0) -> int:
    n = 1
    if data[i] & 0x1F == 0x1F:
        while data[i + n] & 0x80:
            n += 1
        n += 1
    return n


def total_length(head: bytes) -> int | None:
    """The length of the whole TLV that starts ``head`` (tag + length + value), or None if ``head`` is too short.

    Reading an LDS file starts here: its first bytes tell how many more to read.
    """
    try:
        t = _tag_octets(head)
        first = head[t]
        if first < 0x80:
            return t + 1 + first
        k = first & 0x7F
        if k == 0 or k > 3 or len(head) < t + 1 + k:
            return None
        return t + 1 + k + int.from_bytes(head[t + 1:t + 1 + k], "big")
    except IndexError:
        return None


def items(data: bytes) -> Iterator[tuple[int, bytes, bool]]:
    """Each (tag as its octets read big-endian, value, constructed) in a concatenation of TLVs."""
    i = 0
    while i < len(data):
        if data[i] in (0x00, 0xFF):  # padding between objects
            i += 1
            continue
        try:
            t = _tag_octets(data, i)
            tag = int.from_bytes(data[i:i + t], "big")
            constructed = bool(data[i] & 0x20)
            j = i + t
            first = data[j]
            if first < 0x80:
                n, j = first, j + 1
            else:
                k = first & 0x7F
                if k == 0 or k > 3:
                    raise ChipError("bad_data", "TLV: indefinite or huge length")
                n, j = int.from_bytes(data[j + 1:j + 1 + k], "big"), j + 1 + k
        except IndexError:
            raise ChipError("bad_data", "TLV: truncated header") from None
        if j + n > len(data):
            raise ChipError("bad_data", "TLV: value runs past the end")
        yield tag, data[j:j + n], constructed
        i = j + n


def one(data: bytes, tag: int) -> bytes:
    """The value of the TLV ``data`` must be, with tag ``tag``."""
    for t, value, _ in items(data):
        if t != tag:
            raise ChipError("bad_data", f"expected tag {tag:X}, found {t:X}")
        return value
    raise ChipError("bad_data", "empty file")


def find(data: bytes, tag: int) -> bytes | None:
    """The first TLV with ``tag``, searched depth-first through constructed objects."""
    for t, value, constructed in items(data):
        if t == tag:
            return value
        if constructed:
            inner = find(value, tag)
            if inner is not None:
                return inner
    return None


def encode(tag: int, value: bytes) -> bytes:
    """One TLV with a one-byte tag and a BER length."""
    n = len(value)
    length = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82]) + n.to_bytes(2, "big")
    return bytes([tag]) + length + value
