"""Large text on every declaration scene (with real content), both orientations: no text spills out."""

from __future__ import annotations

import pytest
from helpers.layout import clipped_labels

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_declaration_scenes_keep_text_inside_with_large_text(make_driver, kiosk_config, artifacts, orientation):
    from screens.showcase.scenes import declare

    kiosk_config.accessibility.voice_player = "none"
    driver = make_driver(orientation=orientation, config=kiosk_config)
    failures: dict[str, list[str]] = {}
    for name, show in declare.scenes.items():
        driver.dismiss_dialogs()  # a scene's dialog must not stay for the next
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
