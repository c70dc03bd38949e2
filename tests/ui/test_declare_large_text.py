"""Large text on every declaration scene (with real content), both orientations: no text spills out."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui


def _clipped_labels():
    spec = importlib.util.spec_from_file_location("large_text_checks", Path(__file__).with_name("test_large_text.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.clipped_labels


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_declaration_scenes_keep_text_inside_with_large_text(make_driver, kiosk_config, artifacts, orientation):
    from screens import scenes_declare  # noqa: F401  (registers the scenes)
    from screens.showcase import SCENES

    clipped_labels = _clipped_labels()
    kiosk_config.accessibility.voice_player = "none"
    kiosk_config.backend.url = "http://127.0.0.1:9/api/v1"
    driver = make_driver(orientation=orientation, config=kiosk_config)
    failures: dict[str, list[str]] = {}
    for name, show in SCENES.items():
        if show.__module__ != "screens.scenes_declare":
            continue
        driver.app.finish_visit()
        driver.pump(0.1)
        driver.app.large_text = True
        show(driver)
        driver.pump(0.5)
        driver.screenshot(artifacts / f"{name}-{orientation}-large.png")
        problems = clipped_labels(driver)
        if problems:
            failures[name] = problems
    assert not failures, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in failures.items())
