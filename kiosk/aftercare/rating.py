"""Đánh giá: the satisfaction rating of one visit, checked and handed to the durable outbox.

Why a service of its own: the scale and the reason tags are the province's
choice (``[rating]`` in the config, Decision 766/QĐ-TTg), "Không hài lòng"
needs a reason before it may be sent, and a rating must survive the backend
being down — so it goes through the outbox, never straight over HTTP.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from kiosk.api import RATING_COMMENT_MAX, RatingIn
from kiosk.base import text_rules
from kiosk.base.i18n import Translator

log = logging.getLogger(__name__)

TICKET_RE = re.compile(r"^([A-Z])(\d{3,5})$")
UNSATISFIED = "unsatisfied"


class RatingError(Exception):
    """A problem to show the citizen; ``key`` names a string ``rate.error.<key>``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def message(self, lang: str = "vi") -> str:
        return Translator(lang)[f"rate.error.{self.key}"]


@dataclass(frozen=True)
class RatingRef:
    """What the rating is about: a dossier, a ticket, or nothing (a general rating)."""

    dossier_code: str | None = None
    ticket_number: str | None = None
    service: str | None = None

    @property
    def label(self) -> str:
        return self.dossier_code or self.ticket_number or ""


def parse_ref(text: str, unit_id: str | None = None) -> RatingRef:
    """``A007`` → a ticket; ``250715-0007`` or a full code → a dossier; empty → none."""
    from kiosk.aftercare.tracking import TrackingError, normalize_code

    s = re.sub(r"\s+", "", text or "").upper()
    if not s:
        return RatingRef()
    m = TICKET_RE.match(s)
    if m:
        return RatingRef(ticket_number=s, service=m.group(1))
    try:
        return RatingRef(dossier_code=normalize_code(s, unit_id))
    except TrackingError:
        raise RatingError("bad_ref") from None


class RatingService:
    """The configured scale and reasons, validation, and submission through the outbox."""

    def __init__(self, config: Any, outbox: Any = None) -> None:
        self.config = config
        self.outbox = outbox

    @property
    def scale(self) -> list[str]:
        return list(self.config.rating.scale)

    def reasons(self, lang: str = "vi") -> list[tuple[str, str]]:
        """(code, label) of every reason tag, in the citizen's language."""
        return [(r.code, r.name_en if lang == "en" else r.name_vi) for r in self.config.rating.reasons]

    def needs_reason(self, level: str) -> bool:
        return level == UNSATISFIED

    def parse_ref(self, text: str) -> RatingRef:
        return parse_ref(text, self.config.kiosk.receiving_unit_id)

    def build(
        self,
        level: str,
        reasons: list[str] | None = None,
        text: str = "",
        ref: RatingRef | None = None,
        procedure_code: str | None = None,
        counter: int | None = None,
        at: datetime | None = None,
    ) -> RatingIn:
        """A checked :class:`RatingIn` (RatingError if the level is off-scale or a reason is missing)."""
        if level not in self.scale:
            raise RatingError("unknown_level")
        known = {code for code, _ in self.reasons()}
        tags = [r for r in dict.fromkeys(reasons or []) if r in known]
        text = text_rules.nfc(text or "").strip()
        if text_rules.free_text_problem(text, multiline=True):  # NUL, ESC, zero-width, bidi: refused, not cleaned
            raise RatingError("bad_text")
        if self.needs_reason(level) and not tags:
            raise RatingError("reason_required")
        if not self.needs_reason(level):
            tags = []  # reason tags only explain dissatisfaction; free text is always welcome
        ref = ref or RatingRef()
        return RatingIn(
            level=level,
            dossier_code=ref.dossier_code,
            ticket_number=ref.ticket_number,
            procedure_code=procedure_code,
            service=ref.service,
            counter=counter,
            reasons=tags,
            text=text[:RATING_COMMENT_MAX],
            at=at or datetime.now(timezone.utc),
        )

    def submit(self, rating: RatingIn) -> Any:
        """Put the rating in the outbox (durable, sent exactly once); RatingError if it cannot."""
        if self.outbox is None:
            raise RatingError("unavailable")
        try:
            result = self.outbox.submit_rating(rating)
        except Exception as e:  # a full disk, a broken database: tell the citizen, keep the kiosk up
            log.error("rating not queued: %s", type(e).__name__)
            raise RatingError("unavailable") from None
        log.info("rating queued: level=%s reasons=%d", rating.level, len(rating.reasons))
        return result
