"""The one-stop backend: the httpx client, the durable outbox that sends through it, the embedded server.

- :mod:`~kiosk.backend.client`: :class:`BackendClient` (timeouts, retries, idempotency keys, TLS) — built
  only by :meth:`BackendClient.from_config`; :class:`BackendUnavailable` (retry later) vs
  :class:`BackendRejected` (never as it is);
- :mod:`~kiosk.backend.outbox` (+ :mod:`~kiosk.backend.outbox_items`): dossiers and ratings kept on disk
  until the backend acknowledges them, each sent exactly once;
- :mod:`~kiosk.backend.embedded`: the reference server started next to the kiosk for ``make run``.
"""

from kiosk.backend.client import (
    BackendClient,
    BackendError,
    BackendRejected,
    BackendUnavailable,
    ping_backend,
)
from kiosk.backend.embedded import BackgroundStart, start_embedded
from kiosk.backend.outbox import Outbox
from kiosk.backend.outbox_items import FlushReport, OutboxItem, SubmitResult

__all__ = [
    "BackendClient", "BackendError", "BackendRejected", "BackendUnavailable", "BackgroundStart", "FlushReport",
    "Outbox", "OutboxItem", "SubmitResult", "ping_backend", "start_embedded",
]
