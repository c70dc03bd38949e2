"""Focus/exposure controls: offered only where the driver answers; refusals are reported, never raised.

No UVC camera exists here, so the last test gives the real :class:`OpenCVCamera` a capture that
plays a clip through OpenCV and answers the V4L2 properties like a UVC webcam does (the camera
thread, the control objects and their locking are the real ones).
"""

from __future__ import annotations

import cv2
import numpy as np
from uvc_capture import UvcLikeCapture, write_clip

from devices.camera_opencv import OpenCVCamera
from devices.factory import open_camera
from kiosk.ops import camera_controls


def test_files_and_none_cameras_have_no_controls(tmp_path):
    cv2.imwrite(str(tmp_path / "a.png"), np.zeros((120, 160, 3), np.uint8))
    for cam in (open_camera(f"files:{tmp_path}"), open_camera("none:"), open_camera("sane:")):
        assert not camera_controls.supported(cam)
        assert camera_controls.read_controls(cam) == {}
        assert camera_controls.set_autofocus(cam, True) is False
        assert camera_controls.step_exposure(cam, 1) is False
        assert camera_controls.auto_exposure(cam) is False
        cam.close()
    assert not camera_controls.supported(None) and camera_controls.set_autofocus(None, True) is False


def test_a_recorded_clip_through_opencv_honestly_offers_nothing(tmp_path):
    cam = open_camera(f"opencv:{write_clip(tmp_path / 'clip.avi')}", 160, 120, 10)
    cam.start()
    try:
        assert cam.wait_frame(timeout=10) is not None
        assert not camera_controls.supported(cam)  # OpenCV answers -1 for every property of a file
    finally:
        cam.close()


def test_a_uvc_camera_offers_its_controls_and_they_reach_the_driver(tmp_path):
    clip = str(write_clip(tmp_path / "clip.avi", 40))
    captures: list[UvcLikeCapture] = []

    def capture(device, api):
        captures.append(UvcLikeCapture(clip))
        return captures[-1]

    cam = OpenCVCamera("v4l2:/dev/video0", clip, capture=capture, width=160, height=120, fps=10)
    assert camera_controls.read_controls(cam) == {}  # closed: nothing to set yet
    cam.start()
    try:
        assert cam.wait_frame(timeout=10) is not None
        assert camera_controls.supported(cam)
        assert camera_controls.read_controls(cam) == {"autofocus": 1.0, "focus": 30.0, "auto_exposure": 1.0,
                                                      "exposure": 156.0}
        assert camera_controls.set_autofocus(cam, False) is True
        assert camera_controls.step_exposure(cam, +1) is True  # manual exposure, one step brighter
        props = captures[0].props
        assert props[cv2.CAP_PROP_AUTOFOCUS] == 0.0
        assert props[cv2.CAP_PROP_AUTO_EXPOSURE] == 1.0 and props[cv2.CAP_PROP_EXPOSURE] == 157.0
        assert camera_controls.read_controls(cam)["auto_exposure"] == 0.0
        assert camera_controls.auto_exposure(cam) is True and props[cv2.CAP_PROP_AUTO_EXPOSURE] == 3.0
        for _ in range(20):  # controls from a worker while the camera thread reads frames
            camera_controls.read_controls(cam)
        assert captures[0].overlaps == 0
    finally:
        cam.close()
    assert not camera_controls.supported(cam)  # released with the device
