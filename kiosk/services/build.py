"""Build every service the config asks for, in dependency order, by plain imports.

The order matters and is written once, here: the embedded server starts first (on a thread),
then the backend client, the outbox that sends through it, the catalog (refreshed from the
backend), voice, tracking and rating, the printer, the queue, the cameras. Devices are created
but opened lazily by their users, so building is quick and never blocks on hardware.
"""

from __future__ import annotations

import logging
import weakref
from pathlib import Path

from kiosk.aftercare.rating import RatingService
from kiosk.aftercare.tracking import TrackingService
from kiosk.backend.client import BackendClient
from kiosk.backend.embedded import start_embedded
from kiosk.backend.outbox import Outbox
from kiosk.base.config import ConfigError
from kiosk.base.config_schema import KioskConfig
from kiosk.base.leftovers import clear_stale_visits
from kiosk.base.tokens import backend_token_problem
from kiosk.declarations.catalog import catalog_for_kiosk
from kiosk.journeys.visit import Visit
from kiosk.queue.service import QueueService
from kiosk.services.cameras import make_cameras
from kiosk.services.container import Services
from kiosk.voice.speaker import Voice

log = logging.getLogger(__name__)


def build_services(config: KioskConfig, config_file: Path | None = None) -> Services:
    """The kiosk's services for ``config``; on any failure what was built is closed again.

    Refuses (:class:`ConfigError`) a backend across the network with a weak or example token.
    """
    if problem := backend_token_problem(config.backend.url, config.backend.token):
        raise ConfigError(f"{problem} (the kiosk does not start with it)")
    config.data_path().mkdir(parents=True, exist_ok=True, mode=0o700)
    claim = clear_stale_visits(config.data_path("visits"))  # a visit a crash left behind is deleted
    visit = Visit(language=config.ui.default_language, _base_dir=config.data_path("visits"))
    if claim is not None:
        weakref.finalize(visit, claim.release)
    s = Services(config=config, visit=visit, config_file=config_file)
    try:
        s.embedded = start_embedded(config)
        s.backend = BackendClient.from_config(config)
        s.outbox = Outbox.for_kiosk(config, s.backend)
        s.on_swap("backend", s.outbox.use_backend)
        s.outbox.start()
        s.catalog = catalog_for_kiosk(config, s.backend)
        s.voice = Voice.from_config(config)
        s.tracking = TrackingService(s.backend, config.kiosk.receiving_unit_id)
        s.on_swap("backend", s.tracking.use_backend)
        s.rating = RatingService(config, s.outbox)
        s.printer = make_printer_or_none(config)
        s.queue = QueueService.for_kiosk(config, s.backend)
        s.on_swap("backend", s.queue.use_backend)
        s.id_camera, s.document_camera = make_cameras(config)
        s.card_reader = make_card_reader(config)
    except BaseException:
        s.close()
        raise
    return s


def make_card_reader(config: KioskConfig):  # type: ignore[no-untyped-def]
    """The ID card's chip reader (``[chip] reader``); nothing is opened until the chip step uses it."""
    from devices.card_reader import CardReaderError, NoCardReader
    from devices.factory import open_card_reader

    try:
        return open_card_reader(config.chip.reader)
    except CardReaderError as e:
        log.error("card reader not available: %s", e)
        return NoCardReader("none:")


def make_printer_or_none(config: KioskConfig):  # type: ignore[no-untyped-def]
    """The configured printer, or None when its URI is unusable (tickets are then shown on screen)."""
    from devices.printer import PrinterError
    from kiosk.printing.printer import make_printer

    try:
        return make_printer(config)
    except PrinterError as e:
        log.error("printer not available: %s", e)
        return None
