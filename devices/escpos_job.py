"""One print job in python-escpos' own commands, and what a printer's ``DLE EOT`` answers mean.

Every transport prints the same job, composed with python-escpos' public command API on its
transport object (:func:`compose`): ``ESC @``, centred, the picture as ``GS v 0`` raster in bands of
:data:`BAND_HEIGHT` rows (cheap USB printers time out on one huge command), a feed and ``GS V 66``
(feed to the cutter, cut). :func:`job_bytes` composes it on python-escpos' ``Dummy`` — the bytes the
printer receives, for counting, for the ``file:`` transport and for tests.

python-escpos is imported on first use (it costs ~0.1 s), with its capabilities cache in a fixed
folder: without one every import leaves a ``/tmp/tmpXXXX`` folder behind.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

from devices.printer import PrinterStatus

os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(tempfile.gettempdir()) / "motcua-kiosk-escpos"))

BAND_HEIGHT = 128  # rows per GS v 0 command (576 px wide → 9 KB a band)
CUT_FEED_LINES = 3  # lines fed before the cut: the last printed line clears the cutter with a margin
PAPER_WIDTH_PX = 576  # 80 mm paper at 203 dpi
DLE_EOT = b"\x10\x04"
STATUS_REQUESTS = (1, 2, 4)  # DLE EOT n: printer (online), offline cause (cover), paper roll sensor


def escpos_printers() -> Any:
    """``escpos.printer`` (python-escpos' transport classes), imported on first use."""
    Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)
    import escpos.printer

    return escpos.printer


@functools.lru_cache(maxsize=8)
def paper_profile(width_px: int) -> Any:
    """python-escpos' default profile with the paper's width in dots.

    The default profile leaves the width "Unknown", and ``image()`` then prints a warning to
    stdout on every band — into ``kiosk ticket --json``'s output. A user profile is the library's
    way to say what it cannot know (``escpos.capabilities.Profile``).
    """
    escpos_printers()
    from escpos.capabilities import Profile

    class PaperProfile(Profile):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__(features=dict(self.profile_data.get("features", {})))
            self.profile_data = {
                **self.profile_data,
                "media": {"dpi": 203, "width": {"mm": round(width_px * 25.4 / 203), "pixels": width_px}},
            }

    return PaperProfile()


def to_1bit(img: Any) -> Any:
    """Any image → mode "1" by a fixed threshold: python-escpos would dither, and text gets grainy."""
    if img.mode == "1":
        return img
    return img.convert("L").point(lambda v: 255 if v >= 128 else 0, mode="1")


def bands(img: Any, band_height: int = BAND_HEIGHT) -> list[Any]:
    """The picture cut into bands of ``band_height`` rows, top to bottom."""
    rows = range(0, img.height, band_height)
    return [img.crop((0, top, img.width, min(img.height, top + band_height))) for top in rows]


def compose(p: Any, img: Any, cut: bool = True, band_height: int = BAND_HEIGHT) -> None:
    """Send one job to the python-escpos printer ``p`` with its public commands.

    One ``image()`` per band: given the whole picture, python-escpos converts it once whole and
    again per fragment, twice the work for the same bytes.
    """
    p.hw("INIT")
    p.set(align="center")
    for band in bands(to_1bit(img), band_height):
        p.image(band, impl="bitImageRaster", fragment_height=band_height)
    p.set(align="left")
    if cut:
        p.print_and_feed(CUT_FEED_LINES)
        p.cut(feed=False)  # GS V 66 0: feed to the cutting position, then cut
    else:
        p.print_and_feed(4)


def job_bytes(
    img: Any, cut: bool = True, band_height: int = BAND_HEIGHT, paper_width_px: int | None = None
) -> list[bytes]:
    """The bytes of one job as python-escpos makes them: [head, band, band, …, tail]."""
    dummy = escpos_printers().Dummy
    img = to_1bit(img)
    profile = paper_profile(max(paper_width_px or 0, img.width))

    def made(*commands: tuple[str, tuple[Any, ...], dict[str, Any]]) -> bytes:
        d = dummy(profile=profile)
        for name, args, kwargs in commands:
            getattr(d, name)(*args, **kwargs)
        return bytes(d.output)

    head = made(("hw", ("INIT",), {}), ("set", (), {"align": "center"}))
    bands = raster_bytes(img, band_height)
    tail_cmds: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [("set", (), {"align": "left"})]
    if cut:
        tail_cmds += [("print_and_feed", (CUT_FEED_LINES,), {}), ("cut", (), {"feed": False})]
    else:
        tail_cmds.append(("print_and_feed", (4,), {}))
    return [head, *bands, made(*tail_cmds)]


def raster_bytes(img: Any, band_height: int = BAND_HEIGHT) -> list[bytes]:
    """``GS v 0`` commands of a picture, one per band of ``band_height`` rows (python-escpos' ``image()``)."""
    dummy = escpos_printers().Dummy
    img = to_1bit(img)
    profile = paper_profile(img.width)
    out = []
    for band in bands(img, band_height):
        d = dummy(profile=profile)
        d.image(band, impl="bitImageRaster", fragment_height=band_height)
        out.append(bytes(d.output))
    return out


def job_size(width: int, height: int, cut: bool = True, band_height: int = BAND_HEIGHT) -> int:
    """How many bytes :func:`compose` sends for a picture of this size, by the ESC/POS command sizes.

    Composing the job a second time just to count it would double its cost; tests check that
    this equals what python-escpos emits.
    """
    head = 2 + 3  # ESC @, ESC a 1
    raster = sum(8 + (width + 7) // 8 * min(band_height, height - top) for top in range(0, height, band_height))
    tail = 3 + 3 + (4 if cut else 0)  # ESC a 0, ESC d n, (GS V 66 0)
    return head + raster + tail


def valid_answer(byte: int) -> bool:
    """A real-time status byte has the fixed bits 0xx1xx10; anything else is not an answer."""
    return byte & 0b1001_0011 == 0b0001_0010


def status_from(answers: dict[int, int]) -> PrinterStatus:
    """The answers to DLE EOT 1, 2 and 4 → what the kiosk tells the citizen."""
    if answers[4] & 0x60:
        return PrinterStatus("paper_out", "out of paper")
    if answers[2] & 0x04:
        return PrinterStatus("cover_open", "cover open")
    if answers[1] & 0x08:
        return PrinterStatus("offline", "printer offline")
    if answers[4] & 0x0C:
        return PrinterStatus("paper_low", "paper near end")
    return PrinterStatus("ok")
