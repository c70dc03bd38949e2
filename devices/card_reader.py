"""What the kiosk asks of a contactless ID-card reader: the :class:`CardReader` protocol and its faults.

One class per transport implements it: ``devices/card_reader_pcsc.py`` (PC/SC through pcscd and
pyscard, ``pcsc:[name pattern]``) and :class:`NoCardReader` here (``none:``);
``devices.factory.open_card_reader`` picks one by URI. The reader moves APDUs and reports the
card's presence; the ICAO protocol above it lives in ``kiosk.identity.chip``.

Faults are distinct classes so the screen can say the right thing: no reader plugged in, no card
on it, a card lifted during the read, a reader another program holds. Nothing of the project
is imported here.
"""

from __future__ import annotations

from typing import Protocol


class CardReaderError(Exception):
    """Any reader fault; ``kind`` is no_reader | no_card | card_removed | reader_busy | io | config."""

    kind = "io"

    def __init__(self, message: str = "") -> None:
        super().__init__(f"{self.kind}: {message}" if message else self.kind)
        self.message = message


class NoReaderError(CardReaderError):
    """No reader matches the configured name (unplugged, driver missing, pcscd not running)."""

    kind = "no_reader"


class NoCardError(CardReaderError):
    """The reader is there but no card is in its field."""

    kind = "no_card"


class CardRemovedError(CardReaderError):
    """The card left the field while we talked to it — the read must start again."""

    kind = "card_removed"


class ReaderBusyError(CardReaderError):
    """Another program holds the reader exclusively (or pcscd refused the share)."""

    kind = "reader_busy"


class CardReaderConfigError(CardReaderError):
    kind = "config"


class CardReader(Protocol):
    """One reader. Methods may block (call them from a worker) and raise only :class:`CardReaderError`."""

    uri: str

    @property
    def is_present(self) -> bool:
        """False for ``none:`` — the kiosk then offers no chip step."""
        ...

    def readers(self) -> list[str]:
        """Names of the readers this URI's pattern matches now (empty when none is plugged in)."""
        ...

    def wait_for_card(self, timeout_s: float) -> bool:
        """Block until a card is in the field (True) or ``timeout_s`` passed (False)."""
        ...

    def wait_for_removal(self, timeout_s: float) -> bool:
        """Block until the field is empty (True) or ``timeout_s`` passed (False)."""
        ...

    def connect(self) -> bytes:
        """Open a session with the card in the field; returns its ATR."""
        ...

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU of the open session; (response data, status word)."""
        ...

    def disconnect(self) -> None:
        """End the session (never raises); the card is left as it is."""
        ...


class NoCardReader:
    """``none:`` — no reader configured: present is False, every use is :class:`NoReaderError`."""

    is_present = False

    def __init__(self, uri: str = "none:") -> None:
        self.uri = uri

    def readers(self) -> list[str]:
        return []

    def wait_for_card(self, timeout_s: float) -> bool:
        raise NoReaderError("no card reader configured (none:)")

    def wait_for_removal(self, timeout_s: float) -> bool:
        return True

    def connect(self) -> bytes:
        raise NoReaderError("no card reader configured (none:)")

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        raise NoReaderError("no card reader configured (none:)")

    def disconnect(self) -> None:
        return None
