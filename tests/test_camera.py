"""Cameras by URI: the files: simulator, OpenCV capture reopened after it is gone, none:, what each can do."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import CameraError, NoCamera
from devices.camera_files import FilesCamera
from devices.camera_opencv import OpenCVCamera
from devices.factory import CAMERA_SCHEMES, open_camera, parse_camera_uri
from devices.flatbed import FlatbedScanner


def _stills(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        img = np.full((300, 400, 3), 60 * (i + 1), np.uint8)
        cv2.imwrite(str(folder / f"{i:02d}.png"), img)
    return folder


def _video(path: Path, frames: int = 12) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (320, 240))
    for i in range(frames):
        writer.write(np.full((240, 320, 3), (10 * i) % 250, np.uint8))
    writer.release()
    return path


def _wait(predicate, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_parse_uri():
    assert parse_camera_uri("files:assets/x?hold=1") == ("files", "assets/x", {"hold": "1"})
    assert parse_camera_uri("v4l2:/dev/video0") == ("v4l2", "/dev/video0", {})
    assert parse_camera_uri("opencv:0") == ("opencv", "0", {})
    with pytest.raises(CameraError):
        parse_camera_uri("nothing")
    with pytest.raises(CameraError) as err:
        open_camera("webcam:0")
    assert all(scheme in str(err.value) for scheme in CAMERA_SCHEMES)  # says what would work
    with pytest.raises(CameraError):
        open_camera("files:x?hold=soon")  # a bad option is a camera error, not a ValueError


def test_files_camera_plays_a_folder_in_a_loop_at_the_camera_size(tmp_path):
    cam = open_camera(f"files:{_stills(tmp_path / 'cam')}?hold=0", width=640, height=360, fps=30)
    assert isinstance(cam, FilesCamera)
    assert cam.latest_frame() is None  # nothing before start, and latest_frame never waits
    cam.start()
    try:
        seen = set()
        last = 0
        for _ in range(12):
            frame = cam.wait_frame(after=last, timeout=5)
            last = cam.frame_id
            assert frame.shape == (360, 640, 3)
            seen.add(int(frame[180, 320, 0]))
        assert seen == {60, 120, 180}  # every image, again and again
    finally:
        cam.close()


def test_hold_keeps_a_still_in_view(tmp_path):
    cam = open_camera(f"files:{_stills(tmp_path / 'cam')}?hold=30", fps=30)
    cam.start()
    try:
        first = cam.wait_frame()
        assert _wait(lambda: cam.frame_id >= 5)
        assert cam.latest_frame() is first  # the same still, delivered again at the frame rate
    finally:
        cam.close()


def test_a_video_loops(tmp_path):
    cam = open_camera(f"files:{_video(tmp_path / 'clip.avi')}", width=320, height=240, fps=60)
    cam.start()
    try:
        assert _wait(lambda: cam.frame_id > 30, timeout=10)  # more frames than the clip has
        assert cam.error is None
    finally:
        cam.close()


def test_start_and_stop_are_counted_and_stop_drops_the_picture(tmp_path):
    cam = open_camera(f"files:{_stills(tmp_path / 'cam')}", fps=30)
    cam.start()  # screen A enters
    cam.start()  # screen B enters before A has left
    assert cam.wait_frame() is not None
    cam.stop()  # A leaves
    assert cam.running and _wait(lambda: cam.latest_frame() is not None)
    cam.stop()  # B leaves
    assert not cam.running and cam.latest_frame() is None
    n = cam.frame_id
    time.sleep(0.3)
    assert cam.frame_id == n  # idle while nobody looks
    cam.start()
    assert cam.wait_frame(after=n) is not None
    cam.close()
    assert not cam._thread.is_alive()


def test_missing_folder_is_an_error_not_a_crash(tmp_path):
    cam = open_camera(f"files:{tmp_path / 'nowhere'}")
    cam.start()
    try:
        assert _wait(lambda: cam.error is not None)
        assert "not found" in cam.error
        assert cam.latest_frame() is None
    finally:
        cam.close()


def test_opencv_camera_gone_and_back(tmp_path):
    """The real OpenCV capture path, on a device path that disappears and comes back."""
    device = tmp_path / "video0.avi"
    cam = open_camera(f"opencv:{device}", width=320, height=240, fps=15)
    assert isinstance(cam, OpenCVCamera)
    cam.start()
    try:
        assert _wait(lambda: cam.error is not None)  # not plugged in
        assert cam.latest_frame() is None
        _video(device, frames=200)  # plugged in
        assert _wait(lambda: cam.latest_frame() is not None, timeout=10)
        assert cam.error is None
        # unplugged: the clip ends (read fails), the file is gone → error, picture dropped
        device.unlink()
        assert _wait(lambda: cam.error is not None and cam.latest_frame() is None, timeout=30)
        _video(device, frames=200)  # plugged back
        assert _wait(lambda: cam.latest_frame() is not None, timeout=10)
    finally:
        cam.close()


def test_none_camera():
    cam = open_camera("none:")
    assert isinstance(cam, NoCamera)
    cam.start()
    assert cam.latest_frame() is None and cam.error
    cam.stop()
    cam.close()


def test_every_scheme_maps_to_its_driver_and_each_says_what_it_can_do(tmp_path):
    import cv2

    expected = {
        "opencv:0": (OpenCVCamera, True, False, False),
        "v4l2:/dev/video9": (OpenCVCamera, True, False, False),
        f"files:{_stills(tmp_path / 'cam', 1)}": (FilesCamera, True, False, False),
        "sane:": (FlatbedScanner, True, True, True),
        "none:": (NoCamera, False, False, False),
    }
    assert {uri.split(":")[0] for uri in expected} == set(CAMERA_SCHEMES)
    for uri, (cls, present, is_page, scans) in expected.items():
        cam = open_camera(uri)
        try:
            assert type(cam) is cls, uri
            assert (cam.is_present, cam.frame_is_page, cam.scans_pages) == (present, is_page, scans), uri
            assert cam.controls() == ()  # nothing is open yet, and files:/none:/sane: have no focus or exposure
            assert not cam.running
        finally:
            cam.close()
    assert open_camera("v4l2:2").api == cv2.CAP_V4L2


def test_a_files_camera_takes_a_still_without_anyone_watching(tmp_path):
    cam = open_camera(f"files:{_stills(tmp_path / 'cam')}?hold=0", width=320, height=240, fps=30)
    try:
        still = cam.capture_still(timeout=5)
        assert still is not None and still.shape == (240, 320, 3)
        assert not cam.running and cam.latest_frame() is None  # started for the still, stopped after it
    finally:
        cam.close()


def test_a_broken_uri_gives_a_camera_that_is_not_present_and_says_why(kiosk_config):
    from kiosk.services import make_camera

    cam = make_camera("webcam:0", 640, 480, 15)
    assert isinstance(cam, NoCamera) and not cam.is_present
    assert "webcam" in cam.error
    cam.start()
    assert cam.latest_frame() is None and cam.capture_still() is None and cam.controls() == ()


def test_services_resolve_files_paths_from_the_project_root(kiosk_config, tmp_path):
    from kiosk.base import paths
    from kiosk.services import build_services, resolve_uri

    assert resolve_uri("files:assets/samples/camera?hold=2") == f"files:{paths.ASSETS_DIR / 'samples' / 'camera'}?hold=2"
    assert resolve_uri("v4l2:/dev/video0") == "v4l2:/dev/video0"
    kiosk_config.camera.document_uri = "none:"
    services = build_services(kiosk_config)
    try:
        cam = services.id_camera
        assert isinstance(cam, FilesCamera) and not cam.running  # built, not started
        cam.start()
        assert cam.wait_frame() is not None  # the demo frames of assets/samples/camera
        cam.stop()
        assert isinstance(services.document_camera, NoCamera)
    finally:
        services.close()
    assert not cam._thread.is_alive()
    shutil.rmtree(tmp_path, ignore_errors=True)
