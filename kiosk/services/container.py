"""The services a screen or a journey may use: one typed object, built once, handed to the UI.

Screens never reach hardware or HTTP themselves: the composition root (``kiosk/app``) and the
CLI build one :class:`Services` with :func:`kiosk.services.build_services` and give it to every
screen and journey, so a command and a screen share one code path. A technician's change
replaces a service through :meth:`Services.swap`, which tells the service's users (the outbox
and the queue hold the backend client) and closes the old one — nobody patches attributes of a
running service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kiosk.base.config_schema import KioskConfig
from kiosk.journeys.visit import Visit

if TYPE_CHECKING:
    from devices.camera import Camera
    from devices.card_reader import CardReader
    from devices.printer import Printer
    from kiosk.aftercare.rating import RatingService
    from kiosk.aftercare.tracking import TrackingService
    from kiosk.backend.client import BackendClient
    from kiosk.backend.embedded import BackgroundStart
    from kiosk.backend.outbox import Outbox
    from kiosk.declarations.catalog import Catalog
    from kiosk.ops.heartbeat import Heartbeat
    from kiosk.queue.service import QueueService
    from kiosk.voice.speaker import Voice

log = logging.getLogger(__name__)

# What can be swapped while the kiosk runs (technician screens), and who is told.
Swappable = Literal["backend", "printer", "id_camera", "document_camera"]

# Closed in this order on shutdown: users before what they use (the heartbeat reads the devices,
# the outbox sends through the backend client, the backend client talks to the embedded server).
_CLOSE_ORDER: tuple[str, ...] = (
    "heartbeat", "id_camera", "document_camera", "card_reader", "queue", "printer", "voice", "outbox", "backend", "embedded",
)


@dataclass(eq=False)
class Services:
    """Everything the UI and the journeys use, with no Kivy in it. ``None`` = not on this kiosk."""

    config: KioskConfig
    visit: Visit
    config_file: Path | None = None
    embedded: BackgroundStart | None = None
    backend: BackendClient | None = None
    outbox: Outbox | None = None
    catalog: Catalog | None = None
    voice: Voice | None = None
    tracking: TrackingService | None = None
    rating: RatingService | None = None
    printer: Printer | None = None
    queue: QueueService | None = None
    id_camera: Camera | None = None
    document_camera: Camera | None = None
    card_reader: CardReader | None = None  # [chip] reader; NoCardReader (not is_present) for none:
    heartbeat: Heartbeat | None = None
    _listeners: dict[str, list[Callable[[Any], None]]] = field(default_factory=dict, repr=False)

    def on_swap(self, name: Swappable, listener: Callable[[Any], None]) -> None:
        """Call ``listener(new)`` whenever service ``name`` is replaced."""
        self._listeners.setdefault(name, []).append(listener)

    def swap(self, name: Swappable, new: Any) -> None:
        """Replace service ``name`` (a technician's change): tell its users, then close the old one."""
        old = getattr(self, name)
        setattr(self, name, new)
        for listener in self._listeners.get(name, []):
            listener(new)
        if old is not None and old is not new:
            _close_quietly(name, old)

    def close(self) -> None:
        """Stop workers and release devices, users first; never raises."""
        self.visit.wait_deleted(5.0)  # a wiped visit's files go before the kiosk does
        for name in _CLOSE_ORDER:
            service = getattr(self, name)
            if service is not None:
                setattr(self, name, None)
                _close_quietly(name, service)


def _close_quietly(name: str, service: Any) -> None:
    stop = getattr(service, "close", None) or getattr(service, "stop", None)
    try:
        if stop is not None:
            stop()
    except Exception:  # closing must go on for the others
        log.exception("error while closing %s", name)
