"""Focus and exposure of a real camera, where its driver supports them (technician camera setup).

Why here: screens may not touch OpenCV (tests/test_layers.py). Only OpenCV/V4L2 cameras have these
controls; a ``files:`` or ``none:`` camera, or a UVC camera whose driver refuses a property, reports
"not supported" and the buttons stay disabled. Changes are live and not saved: UVC cameras keep
them until unplugged, and the kiosk's defaults (auto focus, auto exposure) are right for most sites.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

EXPOSURE_STEP = 1.0  # V4L2 absolute exposure is in steps of 100 µs on UVC; OpenCV passes it through


def _capture(camera: Any) -> Any:
    """The camera's ``cv2.VideoCapture`` while it is open (OpenCV cameras only), else None."""
    cap = getattr(camera, "_cap", None)  # devices.camera.OpenCVCamera keeps it there while started
    try:
        return cap if cap is not None and cap.isOpened() else None
    except Exception:
        return None


def supported(camera: Any) -> bool:
    return _capture(camera) is not None


def read_controls(camera: Any) -> dict[str, float]:
    """Current autofocus (0/1), focus, auto exposure and exposure, as the driver reports them."""
    import cv2

    cap = _capture(camera)
    if cap is None:
        return {}
    props = {
        "autofocus": cv2.CAP_PROP_AUTOFOCUS,
        "focus": cv2.CAP_PROP_FOCUS,
        "auto_exposure": cv2.CAP_PROP_AUTO_EXPOSURE,
        "exposure": cv2.CAP_PROP_EXPOSURE,
    }
    return {name: float(cap.get(prop)) for name, prop in props.items()}


def set_autofocus(camera: Any, on: bool) -> bool:
    """True when the driver accepted it."""
    import cv2

    cap = _capture(camera)
    return bool(cap is not None and cap.set(cv2.CAP_PROP_AUTOFOCUS, 1 if on else 0))


def step_exposure(camera: Any, direction: int) -> bool:
    """Switch to manual exposure and move it one step darker (-1) or brighter (+1)."""
    import cv2

    cap = _capture(camera)
    if cap is None:
        return False
    cap.set(cv2.CAP_PROP_AUTO_EXPOSURE, 1)  # V4L2: 1 = manual, 3 = aperture priority (auto)
    value = float(cap.get(cv2.CAP_PROP_EXPOSURE)) + direction * EXPOSURE_STEP
    ok = bool(cap.set(cv2.CAP_PROP_EXPOSURE, value))
    log.info("camera %s exposure → %s (%s)", getattr(camera, "uri", "?"), value, "ok" if ok else "refused")
    return ok


def auto_exposure(camera: Any) -> bool:
    import cv2

    cap = _capture(camera)
    return bool(cap is not None and cap.set(cv2.CAP_PROP_AUTO_EXPOSURE, 3))
