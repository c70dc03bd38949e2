"""The camera checks of a running app go to a child process only when the camera is idle, and a child
that fails gives a red check that says so (the heartbeat never raises). The memory side is shown by
tests/test_footprint.py (no OpenCV in the kiosk after its heartbeat)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from kiosk.ops import isolated_checks
from kiosk.ops.health import Context


def _ctx(kiosk_config, running: bool) -> Context:
    cam = SimpleNamespace(running=running)
    return Context(kiosk_config, SimpleNamespace(id_camera=cam, document_camera=SimpleNamespace(running=False)))


def test_only_idle_cameras_of_a_running_app_are_checked_apart(kiosk_config):
    names = ["printer", "camera", "document_camera"]
    assert isolated_checks.isolated_names(Context(kiosk_config, None), names) == []  # kiosk doctor
    assert isolated_checks.isolated_names(_ctx(kiosk_config, running=False), names) == ["camera", "document_camera"]
    # a camera a screen is showing is checked in the app, where it is already open
    assert isolated_checks.isolated_names(_ctx(kiosk_config, running=True), names) == ["document_camera"]


def test_a_child_that_fails_gives_red_checks_that_say_so(kiosk_config, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")
    checks = isolated_checks.run_in_child(kiosk_config, ["camera", "document_camera"])
    assert [(c.name, c.state) for c in checks] == [("camera", "red"), ("document_camera", "red")]
    assert all(c.reason.startswith("check could not run") for c in checks)


def test_the_child_checks_a_sample_camera_from_the_config_in_memory(kiosk_config):
    """The config travels as JSON: a camera set only in memory is the one the child opens."""
    cfg = kiosk_config.model_copy(update={"camera": kiosk_config.camera.model_copy(update={"uri": "none:"})})
    (check,) = isolated_checks.run_in_child(cfg, ["camera"])
    assert (check.state, check.reason) == ("amber", "no camera configured")
