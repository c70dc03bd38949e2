"""Focus and exposure of a camera, where its driver offers them (technician camera setup).

Why here: screens may not touch devices (tests/test_layers.py), and the buttons speak of "auto
focus on" or "a bit brighter", not of driver values. The camera says what it has
(:meth:`devices.camera.Camera.controls`): a V4L2/OpenCV camera offers what its driver answers, a
``files:``, ``none:`` or ``sane:`` camera offers nothing and the buttons stay disabled. Changes are
live and not saved: UVC cameras keep them until unplugged, and the kiosk's defaults (auto focus,
auto exposure) are right for most sites.

:func:`supported` only reads what the camera found when it opened; the others talk to the device
(an ioctl each, waiting for the frame being read): run them on a worker, never on the UI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from kiosk.base.blocking import blocking

if TYPE_CHECKING:
    from devices.camera import Camera, CameraControl

log = logging.getLogger(__name__)


def _control(camera: Camera | None, name: str) -> CameraControl | None:
    if camera is None:
        return None
    return next((c for c in camera.controls() if c.name == name), None)


def supported(camera: Camera | None) -> bool:
    """The camera offers at least one control now (never blocks: safe on the UI thread)."""
    return camera is not None and bool(camera.controls())


@blocking
def read_controls(camera: Camera | None) -> dict[str, float | None]:
    """Current value of every control offered (autofocus/auto_exposure 1 = on). Blocks on the device."""
    return {c.name: c.get() for c in camera.controls()} if camera is not None else {}


@blocking
def set_autofocus(camera: Camera | None, on: bool) -> bool:
    """True when the driver accepted it. Blocks on the device."""
    control = _control(camera, "autofocus")
    return bool(control is not None and control.set(1.0 if on else 0.0))


@blocking
def step_exposure(camera: Camera | None, direction: int) -> bool:
    """Switch to manual exposure and move it one step darker (-1) or brighter (+1). Blocks on the device."""
    exposure = _control(camera, "exposure")
    if exposure is None:
        return False
    auto = _control(camera, "auto_exposure")
    if auto is not None:
        auto.set(0.0)
    value = (exposure.get() or 0.0) + direction * exposure.step
    ok = exposure.set(value)
    log.info("camera %s exposure → %s (%s)", getattr(camera, "uri", "?"), value, "ok" if ok else "refused")
    return ok


@blocking
def auto_exposure(camera: Camera | None) -> bool:
    """Back to the driver's automatic exposure. Blocks on the device."""
    control = _control(camera, "auto_exposure")
    return bool(control is not None and control.set(1.0))
