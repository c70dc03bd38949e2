"""``pcsc:[pattern]`` — a contactless reader through pcscd, with pyscard's PC/SC layer (``smartcard.scard``).

The pattern picks the reader by name: a glob (``pcsc:ACS ACR1252*``) or a case-insensitive part
of the name (``pcsc:omnikey``); empty means the first reader. The PC/SC status calls wait for a
card (``SCardGetStatusChange`` blocks in pcscd, no polling here). PC/SC error codes are mapped to
the fault classes of :mod:`devices.card_reader`. pyscard is imported when the reader is first used.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from typing import Any

from devices.card_reader import (
    CardReaderError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    ReaderBusyError,
)


def _scard() -> Any:
    from smartcard import scard

    return scard


def _fault(hresult: int, what: str) -> CardReaderError:
    sc = _scard()
    text = f"{what}: {sc.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"
    if hresult in (sc.SCARD_E_NO_READERS_AVAILABLE, sc.SCARD_E_UNKNOWN_READER, sc.SCARD_E_READER_UNAVAILABLE,
                   sc.SCARD_E_NO_SERVICE, sc.SCARD_E_SERVICE_STOPPED):
        return NoReaderError(text)
    if hresult in (sc.SCARD_W_REMOVED_CARD, sc.SCARD_W_RESET_CARD, sc.SCARD_E_NOT_TRANSACTED,
                   sc.SCARD_W_UNPOWERED_CARD, sc.SCARD_W_UNRESPONSIVE_CARD):
        return CardRemovedError(text)
    if hresult == sc.SCARD_E_NO_SMARTCARD:
        return NoCardError(text)
    if hresult == sc.SCARD_E_SHARING_VIOLATION:
        return ReaderBusyError(text)
    return CardReaderError(text)


class PcscCardReader:
    """One PC/SC reader chosen by name pattern; one open card session at a time (thread-safe)."""

    is_present = True

    def __init__(self, uri: str, pattern: str = "") -> None:
        self.uri = uri
        self.pattern = pattern.strip()
        self._lock = threading.RLock()
        self._context: Any = None
        self._card: Any = None
        self._protocol: int = 0
        self.name: str | None = None  # the reader of the open session

    # ------------------------------------------------------------- context and readers

    def _ctx(self) -> Any:
        sc = _scard()
        if self._context is None:
            hresult, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
            if hresult != sc.SCARD_S_SUCCESS:
                raise _fault(hresult, "pcscd")
            self._context = ctx
        return self._context

    def _drop_context(self) -> None:
        if self._context is not None:
            _scard().SCardReleaseContext(self._context)
            self._context = None

    def _matches(self, name: str) -> bool:
        if not self.pattern:
            return True
        if any(c in self.pattern for c in "*?["):
            return fnmatch.fnmatch(name.lower(), self.pattern.lower())
        return self.pattern.lower() in name.lower()

    def readers(self) -> list[str]:
        sc = _scard()
        with self._lock:
            hresult, names = sc.SCardListReaders(self._ctx(), [])
            if hresult in (sc.SCARD_E_NO_SERVICE, sc.SCARD_E_SERVICE_STOPPED, sc.SCARD_E_INVALID_HANDLE):
                self._drop_context()
                hresult, names = sc.SCardListReaders(self._ctx(), [])
            if hresult == sc.SCARD_E_NO_READERS_AVAILABLE:
                return []
            if hresult != sc.SCARD_S_SUCCESS:
                raise _fault(hresult, "listing readers")
            return [n for n in names if self._matches(n)]

    def _reader(self) -> str:
        names = self.readers()
        if not names:
            raise NoReaderError(f"no PC/SC reader matches {self.pattern or '*'!r}")
        return names[0]

    # ------------------------------------------------------------- presence

    def _wait(self, present: bool, timeout_s: float) -> bool:
        sc = _scard()
        reader = self._reader()
        deadline = time.monotonic() + timeout_s
        state = sc.SCARD_STATE_UNAWARE
        while True:
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            hresult, states = sc.SCardGetStatusChange(self._ctx(), left_ms if state != sc.SCARD_STATE_UNAWARE else 0,
                                                      [(reader, state)])
            if hresult == sc.SCARD_E_TIMEOUT:
                return False
            if hresult != sc.SCARD_S_SUCCESS:
                raise _fault(hresult, "waiting for the card")
            _name, event, _atr = states[0]
            if event & (sc.SCARD_STATE_UNKNOWN | sc.SCARD_STATE_UNAVAILABLE):
                raise NoReaderError(f"reader {reader!r} went away")
            has_card = bool(event & sc.SCARD_STATE_PRESENT) and not event & sc.SCARD_STATE_MUTE
            if has_card == present:
                return True
            if time.monotonic() >= deadline:
                return False
            state = event & ~sc.SCARD_STATE_CHANGED

    def wait_for_card(self, timeout_s: float) -> bool:
        return self._wait(True, timeout_s)

    def wait_for_removal(self, timeout_s: float) -> bool:
        return self._wait(False, timeout_s)

    # ------------------------------------------------------------- session

    def connect(self) -> bytes:
        sc = _scard()
        with self._lock:
            self.disconnect()
            reader = self._reader()
            hresult, card, protocol = sc.SCardConnect(self._ctx(), reader, sc.SCARD_SHARE_SHARED,
                                                      sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1)
            if hresult != sc.SCARD_S_SUCCESS:
                raise _fault(hresult, f"connecting to the card on {reader!r}")
            self._card, self._protocol, self.name = card, protocol, reader
            hresult, _r, _state, _p, atr = sc.SCardStatus(card)
            return bytes(atr) if hresult == sc.SCARD_S_SUCCESS else b""

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        sc = _scard()
        with self._lock:
            if self._card is None:
                raise NoCardError("no open card session (connect first)")
            hresult, response = sc.SCardTransmit(self._card, self._protocol, list(apdu))
            if hresult != sc.SCARD_S_SUCCESS:
                fault = _fault(hresult, "transmit")
                if isinstance(fault, NoCardError):  # the card was there at connect: it was lifted
                    fault = CardRemovedError(fault.message)
                self.disconnect()
                raise fault
            if len(response) < 2:
                self.disconnect()
                raise CardRemovedError("answer without a status word")
            return bytes(response[:-2]), (response[-2] << 8) | response[-1]

    def disconnect(self) -> None:
        with self._lock:
            if self._card is not None:
                try:
                    _scard().SCardDisconnect(self._card, _scard().SCARD_LEAVE_CARD)
                except Exception:  # noqa: BLE001 - disconnect never raises
                    pass
                self._card = None
                self.name = None

    def close(self) -> None:
        with self._lock:
            self.disconnect()
            self._drop_context()
