"""Appointment time of a received dossier: kiosk.declarations.workdays when present, else a plain fallback.

The legal rule (working days, or same day with a 15:00 cut-off) is in the dossier's
metadata; ``kiosk.declarations.workdays.appointment`` knows Vietnamese holidays and Tết. If that
module is missing, the kiosk's own computed ``appointment_at`` is taken, and failing
that a weekends-only count (logged, so an operator sees the degraded mode).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from pathlib import Path

import kiosk.api as api

log = logging.getLogger(__name__)


def _weekends_only(received: datetime, rule: api.ProcessingRule) -> datetime:
    day = received
    if rule.same_day:
        h, m = (int(x) for x in rule.cutoff.split(":"))
        if received.time() < time(h, m) and received.weekday() < 5:
            return received.replace(hour=17, minute=0, second=0, microsecond=0)
        days = 1
    else:
        days = rule.working_days
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day.replace(hour=17, minute=0, second=0, microsecond=0)


def appointment(received: datetime, meta: api.DossierIn, calendar_file: Path | None = None) -> datetime:
    """When the result is due, as an aware datetime in ``received``'s time zone.

    ``calendar_file`` is the province's ``_calendar.toml`` (extra days off, make-up days).
    """
    try:
        import kiosk.declarations.workdays as workdays
    except ImportError:
        workdays = None
    if workdays is not None and hasattr(workdays, "appointment"):
        try:
            if calendar_file is not None and hasattr(workdays, "load_calendar"):
                return workdays.appointment(received, meta.rule, workdays.load_calendar(calendar_file))
            return workdays.appointment(received, meta.rule)
        except Exception:  # a rule shape the module does not know: fall back, loudly
            log.exception("kiosk.declarations.workdays.appointment failed; using the fallback")
    if meta.appointment_at is not None:
        at = meta.appointment_at
        return (at if at.tzinfo else at.replace(tzinfo=received.tzinfo)).astimezone(received.tzinfo)
    log.warning("kiosk.declarations.workdays unavailable: appointment counts weekends only")
    return _weekends_only(received, meta.rule)
