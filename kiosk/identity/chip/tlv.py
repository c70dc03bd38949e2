"""BER-TLV walking for the LDS files, on asn1crypto's parser (only the header arithmetic is by hand)."""

from __future__ import annotations

from collections.abc import Iterator

from asn1crypto import parser

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
    """Each (tag number as the tag's octets read big-endian, value, constructed) in a concatenation of TLVs."""
    i = 0
    while i < len(data):
        if data[i] in (0x00, 0xFF):  # padding between objects
            i += 1
            continue
        try:
            _cls, method, _tag, header, content, trailer = parser.parse(data[i:], strict=False)
        except ValueError as e:
            raise ChipError("bad_data", f"TLV: {e}") from None
        tag = int.from_bytes(header[:_tag_octets(header)], "big")
        yield tag, content, bool(method)
        i += len(header) + len(content) + len(trailer)


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
