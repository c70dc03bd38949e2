"""The identify step's chip read: after the QR (merged with it), or first with the CAN typed; checked genuine.

Plain Python, no Kivy: the identify screen renders ``visit.submit.chip`` (:class:`~kiosk.journeys.visit.ChipPart`)
and calls these transitions. The blocking parts — waiting for the card, reading it
(:func:`kiosk.identity.chip.read_chip`), decoding the photo — go through the journey's runner (a worker
in the app, outcomes back on the UI thread); nothing here waits.

The rules: one read per card placement; a wrong key is reported once, never retried by itself (a chip
counts failed authentications, and a storm of them helps nobody); a card lifted during the read says
"Giữ thẻ trên đầu đọc" and reads again as soon as the card is back (at most :data:`MAX_LIFTS` times in a
row); a chip that disagrees with the QR is refused — no way on with that card but reading it again; a
chip whose data fail passive authentication ("không hợp lệ") keeps only the QR's fields, marked invalid.

The other way in (:meth:`ChipStep.offer_can`): the citizen types the 6-digit CAN, the chip is opened by
PACE and the identity is the chip's alone (DG13 + DG1) — nothing to cross-check, so a chip failing passive
authentication is refused (``chip_invalid``). A wrong CAN is one attempt, reported once; only a CAN typed
again starts another.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiosk.base.blocking import blocking

if TYPE_CHECKING:
    from kiosk.identity import CitizenIdentity
    from kiosk.journeys.submit import SubmitJourney
    from kiosk.journeys.visit import ChipPart

log = logging.getLogger(__name__)

MAX_LIFTS = 3  # lifted this many times in a row: stop and let the citizen choose
WAIT_SLICE_S = 0.5  # the wait for the card is cut in slices so a cancel is seen within this
REMOVAL_WAIT_S = 2.0  # after a lift, how long to wait for the field to be empty before waiting for the card


@blocking
def wait_for_card(reader: Any, timeout_s: float, cancelled: threading.Event, removed_first: bool = False) -> bool:
    """True once a card is on ``reader``; False after ``timeout_s`` or when ``cancelled`` is set.

    ``removed_first``: the card was just lifted — let the reader see the empty field before waiting again
    (else the old presence would start a read at once)."""
    if removed_first:
        reader.wait_for_removal(REMOVAL_WAIT_S)
    deadline = time.monotonic() + timeout_s
    while not cancelled.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if reader.wait_for_card(min(WAIT_SLICE_S, left)):
            return not cancelled.is_set()
    return False


class ChipStep:
    """The chip part of :class:`~kiosk.journeys.submit.SubmitJourney` (``journeys.submit.chip``)."""

    def __init__(self, journey: SubmitJourney) -> None:
        self.journey = journey
        self._cancel = threading.Event()
        self._round = 0  # results of an earlier wait/read (cancelled, restarted) are ignored

    # ------------------------------------------------------------ reading the state

    @property
    def part(self) -> ChipPart:
        return self.journey.part.chip

    @property
    def reader(self) -> Any:
        return getattr(self.journey.services, "card_reader", None)

    @property
    def available(self) -> bool:
        """A reader is configured (``[chip] reader`` is not ``none:``): the identify step reads the chip."""
        reader = self.reader
        return reader is not None and bool(getattr(reader, "is_present", False))

    @property
    def identity(self) -> CitizenIdentity | None:
        """The identity to confirm: QR + chip once read; the QR's alone when the chip was skipped."""
        part = self.part
        if part.state == "read":
            return part.identity
        if part.state == "skipped":
            return part.qr
        return None

    def message(self, lang: str = "vi") -> str:
        """The last failure in words (the chip's own messages, kiosk/identity/chip/errors.py)."""
        from kiosk.identity.chip import MESSAGES

        vi, en = MESSAGES.get(self.part.error or "protocol", MESSAGES["protocol"])
        return vi if lang == "vi" else en

    # ------------------------------------------------------------ transitions

    @property
    def by_can(self) -> bool:
        """The chip came first, opened with the CAN the citizen typed (no QR)."""
        return self.part.qr is None and self.part.key is not None

    def offer_can(self, can: str) -> None:
        """The CAN typed: wait for the card and open it by PACE. ``ChipError("bad_access_key")`` unless 6 digits."""
        from kiosk.identity.chip import AccessKey, ChipError

        key = AccessKey.from_can((can or "").strip())  # before anything changes: a bad CAN leaves the step as it was
        if not self.available:
            raise ChipError("no_reader", "the CAN was typed on a kiosk without a card reader")
        self.cancel()
        part = self.part
        part.state, part.qr, part.key, part.identity, part.photo, part.error = "off", None, key, None, None, None
        part.reads = part.lifts = 0
        self._wait()

    def offer(self, qr: CitizenIdentity) -> bool:
        """The QR was read: with a reader, ask for the card on it (True); without one, nothing to do (False)."""
        if not self.available:
            return False
        self.cancel()
        part = self.part
        part.state, part.qr, part.key, part.identity, part.photo, part.error = "off", qr, None, None, None, None
        part.reads = part.lifts = 0
        self._wait()
        return True

    @property
    def can_retry(self) -> bool:
        """A failure the same key may get past (no card yet, a busy reader, a garbled answer) — not a wrong key:
        the chip would refuse it again, and chips count failed authentications."""
        part = self.part
        started = part.qr is not None or part.key is not None
        return started and part.state in ("failed", "lifted") and part.error not in ("wrong_key", "chip_invalid")

    def retry(self) -> None:
        """"Thử lại" after a failure: wait for the card and read once more (the citizen asked for it)."""
        if not self.can_retry:
            return
        self.part.lifts = 0
        self._wait()

    def skip(self) -> None:
        """"Chỉ dùng mã QR": go on without the chip — not for a chip that disagreed with the QR."""
        part = self.part
        if part.qr is None or part.state in ("refused", "read"):
            return
        self.cancel()
        part.state, part.error = "skipped", None
        self.journey.changed()

    def cancel(self) -> None:
        """Stop waiting (the screen was left, the QR is read again); a read under way finishes and is ignored."""
        self._round += 1
        self._cancel.set()
        self._cancel = threading.Event()

    def clear(self) -> None:
        """Forget the chip step (the citizen reads the QR again, or leaves)."""
        self.cancel()
        part = self.part
        part.state, part.qr, part.key, part.identity, part.photo, part.error = "off", None, None, None, None, None
        part.progress, part.reads, part.lifts = 0.0, 0, 0
        self.journey.changed()

    # ------------------------------------------------------------ the work

    def _set(self, state: str, error: str | None = None) -> None:
        self.part.state, self.part.error = state, error  # type: ignore[assignment]
        self.journey.changed()

    def _wait(self) -> None:
        self._round += 1
        round_, cancel, part = self._round, self._cancel, self.part
        lifted = part.state == "lifted"
        part.progress = 0.0
        if not lifted:
            self._set("waiting")
        reader, timeout = self.reader, float(self.journey.services.config.chip.wait_card_s)
        self.journey.work(  # the journey's guarded runner: dropped after a wipe
            lambda: wait_for_card(reader, timeout, cancel, removed_first=lifted),
            lambda placed: self._placed(round_, placed),
            lambda exc: self._failed(round_, exc),
        )

    def _placed(self, round_: int, placed: bool) -> None:
        if round_ != self._round:
            return
        if not placed:
            self._set("failed", "no_card")
            return
        self._read()

    def _read(self) -> None:
        from kiosk.identity.chip import AccessKey, ChipError

        part, config = self.part, self.journey.services.config
        try:
            key = part.key if part.key is not None else AccessKey.from_qr(part.qr)  # type: ignore[arg-type]
        except ChipError as e:
            self._set("failed", e.code)
            return
        self._round += 1
        round_ = self._round
        part.reads += 1
        part.progress = 0.0
        self._set("reading")
        reader = self.reader
        csca = str(config.path(config.chip.csca_dir)) if config.chip.csca_dir else None
        with_photo, qr = config.chip.read_photo, part.qr

        def progress(share: float) -> None:  # on the worker: a float the screen's clock reads
            if round_ == self._round:
                part.progress = share

        self.journey.work(
            lambda: read_and_merge(reader, key, qr, csca, with_photo, progress),
            lambda result: self._done(round_, result),
            lambda exc: self._failed(round_, exc),
        )

    def _done(self, round_: int, result: tuple[CitizenIdentity, Any]) -> None:
        if round_ != self._round:
            return
        identity, photo = result
        part = self.part
        part.identity, part.photo, part.lifts, part.progress = identity, photo, 0, 1.0
        self._set("read")
        log.info("chip read for the identify step: %s", identity.chip_authenticity)

    def _failed(self, round_: int, exc: BaseException) -> None:
        from kiosk.identity.chip import ChipError

        if round_ != self._round:
            return
        code = exc.code if isinstance(exc, ChipError) else "protocol"
        if not isinstance(exc, ChipError):
            log.warning("chip step: unexpected %s", type(exc).__name__)
        part = self.part
        if code == "card_removed":
            part.lifts += 1
            if part.lifts <= MAX_LIFTS:
                self._set("lifted", code)
                self._wait()  # read again as soon as the card is back
                return
        log.info("chip step failed: %s", code)
        self._set("refused" if code in ("chip_mismatch", "chip_invalid") else "failed", code)


@blocking
def read_and_merge(reader: Any, key: Any, qr: CitizenIdentity | None, csca: str | None, with_photo: bool,
                   progress: Any) -> tuple[CitizenIdentity, Any]:
    """One read on a worker: the chip, merged with the QR (ChipMismatchError if they disagree), photo decoded.

    A chip whose data fail passive authentication is not trusted for anything but the verdict: the QR's
    identity is kept, marked ``invalid``, without the chip's fields or photo. With no QR (the CAN typed)
    the identity is the chip's alone, and an invalid chip gives nothing to go on: ``chip_invalid``."""
    from kiosk.identity.chip import ChipError, identity_from_chip, merge_with_qr, read_chip
    from kiosk.identity.chip.photo import decode_photo

    reading = read_chip(reader, key, csca, with_photo=with_photo, progress=progress)
    if qr is None:
        if reading.authenticity.status == "invalid":
            raise ChipError("chip_invalid", reading.authenticity.reason or "")
        identity = identity_from_chip(reading)
        return identity, decode_photo(identity.photo)
    identity = merge_with_qr(qr, reading)
    if identity.chip_authenticity == "invalid":
        return replace(qr, chip_authenticity="invalid"), None
    return identity, decode_photo(identity.photo)
