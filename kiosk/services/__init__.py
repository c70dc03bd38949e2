"""The kiosk's services: one typed container (:class:`Services`) built from the config by :func:`build_services`.

Screens, journeys and CLI commands receive it; none of them builds hardware or HTTP clients itself.
"""

from kiosk.services.build import build_services, make_printer_or_none
from kiosk.services.cameras import make_camera, make_cameras, resolve_uri
from kiosk.services.container import Services, Swappable

__all__ = ["Services", "Swappable", "build_services", "make_camera", "make_cameras", "make_printer_or_none", "resolve_uri"]
