"""Focus/exposure controls: offered only for an open OpenCV camera; refusals are reported, never raised."""

from __future__ import annotations

import numpy as np

from devices.camera import open_camera
from kiosk.ops import camera_controls


def test_files_and_none_cameras_have_no_controls(tmp_path):
    import cv2

    cv2.imwrite(str(tmp_path / "a.png"), np.zeros((120, 160, 3), np.uint8))
    for cam in (open_camera(f"files:{tmp_path}"), open_camera("none:")):
        assert not camera_controls.supported(cam)
        assert camera_controls.read_controls(cam) == {}
        assert camera_controls.set_autofocus(cam, True) is False
        assert camera_controls.step_exposure(cam, 1) is False
        cam.close()


def test_an_open_opencv_capture_is_offered_and_answers(tmp_path):
    import cv2

    video = tmp_path / "clip.avi"
    out = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    for i in range(10):
        out.write(np.full((120, 160, 3), i * 20, np.uint8))
    out.release()
    cam = open_camera(f"opencv:{video}", 160, 120, 10)
    cam.start()
    try:
        assert cam.wait_frame(timeout=10) is not None
        assert camera_controls.supported(cam)
        assert set(camera_controls.read_controls(cam)) == {"autofocus", "focus", "auto_exposure", "exposure"}
        assert isinstance(camera_controls.set_autofocus(cam, False), bool)  # a file refuses; a UVC camera accepts
    finally:
        cam.close()
