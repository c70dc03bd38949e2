"""Run blocking work (camera, OCR, HTTP, printing) off the Kivy main thread.

The work runs in a small thread pool; its result or exception is posted back
to the UI thread with ``Clock.schedule_once``, so callbacks may touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from kivy.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kiosk-bg")


def run_in_background(
    fn: Callable[..., T],
    *args: Any,
    on_result: Callable[[T], Any] | None = None,
    on_error: Callable[[BaseException], Any] | None = None,
    pool: ThreadPoolExecutor | None = None,
    **kwargs: Any,
) -> Future[T]:
    """Call ``fn(*args, **kwargs)`` on a worker; deliver the outcome on the UI thread.

    ``pool``: another executor than the shared one (one with a single worker runs jobs in order).
    """

    def done(fut: Future[T]) -> None:
        exc = fut.exception()
        if exc is not None:
            log.warning("background task %s failed: %s", getattr(fn, "__name__", fn), exc)
            if on_error is not None:
                Clock.schedule_once(lambda _dt: on_error(exc), 0)
        elif on_result is not None:
            result = fut.result()
            Clock.schedule_once(lambda _dt: on_result(result), 0)

    future = (pool or _pool).submit(fn, *args, **kwargs)
    future.add_done_callback(done)
    return future
