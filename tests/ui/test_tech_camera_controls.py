"""Camera setup in the real window: focus and exposure buttons reach the camera's driver, never on the UI thread.

A UVC webcam cannot exist here: the real :class:`devices.camera_opencv.OpenCVCamera` gets a capture that
plays a clip and answers V4L2 properties like one (``tests/uvc_capture.py``); it counts any property call
made on the Kivy main thread, where a V4L2 ioctl would stall the screen.
"""

from __future__ import annotations

import pytest
from uvc_capture import UvcLikeCapture, write_clip

from devices.camera_opencv import OpenCVCamera
from kiosk.ops.technician import hash_pin

pytestmark = pytest.mark.ui


def test_focus_and_exposure_buttons_set_the_driver_on_a_worker(make_driver, kiosk_config, tmp_path, artifacts):
    import cv2

    from kiosk.services import build_services

    kiosk_config.technician.pin_hash = hash_pin("135791")
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    site = tmp_path / "site.toml"
    site.write_text('[kiosk]\nname = "Kiosk test"\n', encoding="utf-8")
    d = make_driver(services=build_services(kiosk_config, site))
    clip = str(write_clip(tmp_path / "clip.avi", 60))
    captures: list[UvcLikeCapture] = []

    def capture(_device, _api):
        captures.append(UvcLikeCapture(clip))
        return captures[-1]

    d.app.services.swap("id_camera", OpenCVCamera("v4l2:/dev/video0", clip, capture=capture, width=160,
                                                  height=120, fps=10))
    d.app.go("tech_camera")
    d.wait_screen("tech_camera")
    screen = d.app.screen("tech_camera")
    d.wait_for(lambda: screen.controls, timeout=15, what="controls offered once the camera is open")
    props = captures[-1].props
    d.tap("btn_focus_fixed")
    d.wait_for(lambda: screen.status_kind != "info", timeout=10, what="autofocus result")
    assert screen.status_kind == "ok", screen.status
    assert props[cv2.CAP_PROP_AUTOFOCUS] == 0.0
    screen.status_kind = "info"
    d.tap("btn_exposure_plus")
    d.wait_for(lambda: screen.status_kind != "info", timeout=10, what="exposure result")
    assert screen.status_kind == "ok", screen.status
    assert props[cv2.CAP_PROP_AUTO_EXPOSURE] == 1.0 and props[cv2.CAP_PROP_EXPOSURE] == 157.0
    d.screenshot(artifacts / "tech_camera_controls.png")
    assert all(c.main_thread_calls == 0 for c in captures)  # every ioctl ran off the UI thread
    d.app.go("tech_dashboard")
    d.pump(0.2)
