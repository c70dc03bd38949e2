"""A dossier's status workflow (pure: no database, no HTTP) — the one table the server enforces.

The wire names are the kiosk contract's (``kiosk.api.DossierStatusName``), so kiosks already in the
field keep reading them::

    received  ──▶ accepted (tiếp nhận) ──▶ processing ──▶ releasing (có kết quả) ──▶ done (đã trả)
       │   ▲
       │   └── waiting (yêu cầu bổ sung; back to received when the papers come)
       └─────▶ denied (từ chối)

``waiting`` and ``denied`` need a note (what is missing, the reason). Anything else is refused with
:class:`TransitionRefused`, whose message is the officer's (Vietnamese) and becomes a 409.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.declarations.workdays import WorkCalendar

RECEIVED, ACCEPTED, WAITING, DENIED = "received", "accepted", "waiting", "denied"
PROCESSING, RELEASING, DONE = "processing", "releasing", "done"
STATUSES = (RECEIVED, ACCEPTED, WAITING, DENIED, PROCESSING, RELEASING, DONE)

TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({ACCEPTED, WAITING, DENIED}),
    WAITING: frozenset({RECEIVED}),
    ACCEPTED: frozenset({PROCESSING}),
    PROCESSING: frozenset({RELEASING}),
    RELEASING: frozenset({DONE}),
    DENIED: frozenset(),
    DONE: frozenset(),
}
NOTE_REQUIRED = {WAITING: "Ghi rõ giấy tờ cần bổ sung.", DENIED: "Ghi rõ lý do từ chối."}

# The officer's words for each status, and for the action that leads to it (the desk's buttons).
LABEL_VI = {
    RECEIVED: "Mới nhận, chờ tiếp nhận", ACCEPTED: "Đã tiếp nhận", WAITING: "Chờ bổ sung giấy tờ",
    DENIED: "Đã từ chối", PROCESSING: "Đang giải quyết", RELEASING: "Có kết quả, chờ trả", DONE: "Đã trả kết quả",
}
ACTION_VI = {
    ACCEPTED: "Tiếp nhận", WAITING: "Yêu cầu bổ sung", DENIED: "Từ chối", PROCESSING: "Chuyển xử lý",
    RELEASING: "Có kết quả", DONE: "Đã trả kết quả", RECEIVED: "Đã nhận giấy tờ bổ sung",
}
# The result no longer pending: the appointment stops mattering (never overdue).
FINISHED = frozenset({RELEASING, DONE, DENIED})


class TransitionRefused(Exception):
    """A change the workflow does not allow; ``str(e)`` is the officer's message."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def allowed(frm: str) -> list[str]:
    """The statuses a dossier in ``frm`` may move to, in the desk's button order."""
    return [s for s in STATUSES if s in TRANSITIONS.get(frm, frozenset())]


def check(frm: str, to: str, note: str = "") -> None:
    """Raise :class:`TransitionRefused` (409, or 422 for a missing note) unless ``frm → to`` is allowed."""
    if to not in TRANSITIONS:
        raise TransitionRefused(f"Trạng thái «{to}» không có trong quy trình.", 422)
    if frm == to:
        raise TransitionRefused(f"Hồ sơ đã ở trạng thái «{LABEL_VI[to]}».")
    if to not in TRANSITIONS.get(frm, frozenset()):
        nxt = ", ".join(f"«{LABEL_VI[s]}»" for s in allowed(frm))
        then = (f" Từ trạng thái này chỉ có thể chuyển sang {nxt}." if nxt
                else " Hồ sơ đã kết thúc, không chuyển tiếp được.")
        raise TransitionRefused(
            f"Không thể chuyển hồ sơ từ «{LABEL_VI.get(frm, frm)}» sang «{LABEL_VI[to]}».{then}")
    if to in NOTE_REQUIRED and not note.strip():
        raise TransitionRefused(NOTE_REQUIRED[to], 422)


def due(appointment_at: datetime, new_appointment_at: datetime | None) -> datetime:
    """The date the citizen was last promised: the apology's new date, else the receipt's."""
    return new_appointment_at or appointment_at


def is_overdue(status: str, due_at: datetime, now: datetime) -> bool:
    """Late: the promised time passed and no result yet. A dossier waiting for papers is not late (the clock stops)."""
    return status not in FINISHED and status != WAITING and due_at < now


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    n, day = 0, start
    while day < end:
        day = calendar.next_working_day(day)
        if day <= end:
            n += 1
    return n
