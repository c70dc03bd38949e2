"""Failure limits for guessable secrets (officer logins, dossier lookups): N failures per key per window.

A key (a username, a dossier code, a client) that failed ``max_failures`` times within ``window_s``
is refused until its oldest failure leaves the window; :meth:`FailureLimiter.retry_after` says how long,
for a ``429`` with ``Retry-After``. Monotonic clock, so changing the wall clock neither locks nor frees
anyone. In-process: with several server workers each keeps its own count (documented in docs/API.md).
Memory is bounded: beyond ``max_keys`` the keys idle longest are dropped.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException

LOCK_TIMEOUT_S = 5.0
_state_lock = threading.Lock()


class FailureLimiter:
    def __init__(self, max_failures: int, window_s: float, *, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.window_s, self.max_keys, self.clock = max_failures, window_s, max_keys, clock
        self._lock = threading.Lock()
        self._fails: OrderedDict[str, deque[float]] = OrderedDict()

    def _acquire(self) -> None:
        if not self._lock.acquire(timeout=LOCK_TIMEOUT_S):  # never wait for ever (issue 13)
            raise HTTPException(503, "busy, try again", headers={"Retry-After": "1"})

    def _trim(self, key: str, now: float) -> deque[float] | None:
        q = self._fails.get(key)
        if q is None:
            return None
        while q and q[0] <= now - self.window_s:
            q.popleft()
        if not q:
            del self._fails[key]
            return None
        return q

    def retry_after(self, key: str) -> int:
        """0 when ``key`` may try now, else whole seconds until it may."""
        self._acquire()
        try:
            now = self.clock()
            q = self._trim(key, now)
            if q is None or len(q) < self.max_failures:
                return 0
            return max(1, math.ceil(q[0] + self.window_s - now))
        finally:
            self._lock.release()

    def fail(self, key: str) -> None:
        self._acquire()
        try:
            now = self.clock()
            q = self._trim(key, now) or deque()
            q.append(now)
            self._fails[key] = q
            self._fails.move_to_end(key)
            while len(self._fails) > self.max_keys:
                self._fails.popitem(last=False)
        finally:
            self._lock.release()

    def reset(self, key: str) -> None:
        self._acquire()
        try:
            self._fails.pop(key, None)
        finally:
            self._lock.release()


def too_many(retry_after: int, detail: str = "too many attempts, try again later") -> HTTPException:
    return HTTPException(429, detail, headers={"Retry-After": str(retry_after)})


def check(*pairs: tuple[FailureLimiter, str]) -> None:
    """Raise 429 if any (limiter, key) is over its limit (the longest wait is told)."""
    wait = max((lim.retry_after(key) for lim, key in pairs), default=0)
    if wait:
        raise too_many(wait)


def on_app(state: Any, name: str, *specs: tuple[int, float]) -> tuple[FailureLimiter, ...]:
    """The limiters ``name`` of one app (``app.state``), made on first use from (max_failures, window_s) specs."""
    with _state_lock:
        found = getattr(state, name, None)
        if found is None:
            found = tuple(FailureLimiter(n, window) for n, window in specs)
            setattr(state, name, found)
        return found
