"""pcscd + vpcd + a virtual CCCD, shared by every test (and the benchmark) of one process.

One pcscd per process: libpcsclite remembers the socket path it found first, so a second daemon
(at a new /proc/<pid>/… path) would not be seen. :func:`shared_rig` starts it on first use and stops
it when the process ends; :meth:`Rig.place` puts a card on "Virtual PCD 00 00" and waits until
pcscd sees it (a status change, not a sleep).
"""

from __future__ import annotations

import atexit
import tempfile
import time
from pathlib import Path

from devices.card_reader_pcsc import PcscCardReader
from devices.factory import open_card_reader
from helpers.chipcard.cccd import Citizen, make_chip
from helpers.chipcard.pcscd import READER, Pcscd, PcscdUnavailable
from helpers.chipcard.pki import Chain, make_chain
from helpers.chipcard.vcard import VirtualChip, VpcdCard

_rig: Rig | None = None


class Rig:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-chip-"))
        self.pcscd = Pcscd(self.dir).start()
        atexit.register(self.pcscd.stop)  # also when the set-up below fails
        self.chain: Chain = make_chain()
        self.csca_dir = self.chain.write_csca(self.dir / "csca")
        self.reader: PcscCardReader = open_card_reader(f"pcsc:{READER}")  # type: ignore[assignment]
        deadline = time.monotonic() + 10
        while not self.reader.readers():  # vpcd's readers appear once pcscd has loaded the driver
            if time.monotonic() > deadline:
                raise PcscdUnavailable("pcscd shows no vpcd reader")
            time.sleep(0.02)
        self.card: VpcdCard | None = None

    def chip(self, citizen: Citizen | None = None, **kw: object) -> VirtualChip:
        return make_chip(citizen or Citizen(), self.chain, **kw)

    def place(self, chip: VirtualChip, remove_after: int | None = None) -> VpcdCard:
        self.lift()
        self.card = VpcdCard(chip, self.pcscd.port, remove_after=remove_after).insert()
        if not self.reader.wait_for_card(10):
            raise AssertionError("pcscd did not see the virtual card")
        return self.card

    def lift(self) -> None:
        if self.card is not None:
            self.card.remove()
            self.card = None
            self.reader.wait_for_removal(10)

    def stop(self) -> None:
        self.lift()
        self.reader.close()
        self.pcscd.stop()


def shared_rig() -> Rig:
    global _rig
    if _rig is None:
        _rig = Rig()
        atexit.register(_rig.stop)
    return _rig
