"""After the visit: following a dossier (the receipt's QR or a typed code) and rating the service.

- :mod:`~kiosk.aftercare.tracking`: the receipt QR payload ``MCHS1|code|secret``, lookups in plain words;
- :mod:`~kiosk.aftercare.rating`: the province's scale and reasons, ratings handed to the outbox.
"""

from kiosk.aftercare.rating import RatingError, RatingRef, RatingService, parse_ref
from kiosk.aftercare.tracking import (
    TrackingError,
    TrackingRef,
    TrackingResult,
    TrackingService,
    describe,
    format_payload,
    parse_payload,
)

__all__ = [
    "RatingError", "RatingRef", "RatingService", "TrackingError", "TrackingRef", "TrackingResult", "TrackingService",
    "describe", "format_payload", "parse_payload", "parse_ref",
]
