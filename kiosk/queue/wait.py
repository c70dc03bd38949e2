"""How long the citizen will wait: people ahead from today's issue times (fluid model), minutes from counters."""

from __future__ import annotations

import math
from datetime import datetime, timedelta


def estimate_ahead(issued_at: list[datetime], now: datetime, counters: int, minutes: float) -> int:
    """People still waiting, from the issue times of today's tickets (fluid model, first come first served).

    Each ticket starts when a counter frees up (``minutes / counters`` apart) but
    not before it was issued; tickets whose start lies after ``now`` still wait.
    """
    step = timedelta(minutes=minutes / max(1, counters))
    free_at: datetime | None = None
    waiting = 0
    for t in sorted(issued_at):
        start = t if free_at is None or free_at < t else free_at
        free_at = start + step
        if start > now:
            waiting += 1
    return waiting


def wait_minutes(ahead: int, counters: int, minutes: float) -> int:
    return int(math.ceil(ahead * minutes / max(1, counters)))
