"""Which ticket a counter calls next. Pure: no database, so the property tests drive it directly.

The rule (settings ``max_priority_in_a_row`` = K, ``max_regular_wait_min`` = T):

1. a regular ticket that has waited T minutes or more, and was in line before the oldest priority
   ticket, goes first;
2. otherwise a priority ticket, unless K priority tickets were called in a row while regular ones wait;
3. otherwise the oldest regular ticket.

Both kinds are called in the order of their place in line (``queue_at``). No ticket waits for ever:
a regular one is passed over by at most K priority calls per regular call, and a priority one by one
regular call per K priority calls plus the regular ones that were in line before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """The head of one line: the ticket (anything) and its place in line."""

    item: T
    queue_at: datetime


@dataclass(frozen=True)
class Policy:
    max_priority_in_a_row: int = 2
    max_regular_wait: timedelta = timedelta(minutes=20)

    def pick(self, priority: Candidate[T] | None, regular: Candidate[T] | None, streak: int,
             now: datetime) -> tuple[Candidate[T] | None, int]:
        """(the ticket to call or None, the counter's new priority streak)."""
        if regular is not None:
            overdue = now - regular.queue_at >= self.max_regular_wait
            if overdue and (priority is None or regular.queue_at <= priority.queue_at):
                return regular, 0
        if priority is not None and (regular is None or streak < max(1, self.max_priority_in_a_row)):
            return priority, streak + 1
        if regular is not None:
            return regular, 0
        return None, streak
