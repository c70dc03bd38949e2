"""The kiosk's cameras from the config (``services.id_camera``, ``services.document_camera``).

Cameras are created here but not started: a screen that shows one starts it when it
enters and stops it when it leaves (``CameraPreview.attach`` / ``detach``), so the device
and its thread are idle while the kiosk waits on the home screen. ``files:`` paths are
relative to the project root (the ``devices`` package knows nothing of the kiosk's layout).
"""

from __future__ import annotations

import logging

from devices.camera import Camera, CameraError, NoCamera
from devices.factory import open_camera, parse_camera_uri
from kiosk.base import paths
from kiosk.base.config_schema import KioskConfig

log = logging.getLogger(__name__)


def resolve_uri(uri: str) -> str:
    """``files:assets/samples/camera`` → ``files:/abs/…/assets/samples/camera`` (other schemes unchanged)."""
    if not uri:
        return "none:"
    scheme, rest, _ = parse_camera_uri(uri)
    if scheme != "files" or not rest:
        return uri
    query = uri.partition("?")[2]
    return f"files:{paths.resolve(rest)}" + (f"?{query}" if query else "")


def make_camera(uri: str, width: int, height: int, fps: float) -> Camera:
    """A camera for a configured URI; a broken URI gives a :class:`NoCamera` that says why."""
    try:
        return open_camera(resolve_uri(uri), width=width, height=height, fps=fps)
    except (CameraError, ValueError) as e:
        log.error("camera %s unusable: %s", uri, e)
        return NoCamera(uri or "none:", error=str(e))


def make_cameras(config: KioskConfig) -> tuple[Camera, Camera]:
    """The ID-card camera and the document camera of ``[camera]`` (created, not started)."""
    c = config.camera
    return (make_camera(c.uri, c.width, c.height, c.fps), make_camera(c.document_uri, c.width, c.height, c.fps))
