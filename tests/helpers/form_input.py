"""Filling the declaration form the way a citizen does: bring the field into view, touch it, type (UI tests)."""

from __future__ import annotations

from typing import Any


def fill(driver: Any, field: str, keys: str) -> None:
    """Scroll to ``field`` (what the citizen's swipe does), touch it, type ``keys`` on the kiosk keyboard."""
    driver.app.sm.current_screen._scroll_to(field)
    driver.pump(0.1)
    driver.tap(f"in_{field}", settle=0.4)
    driver.type_keys(keys)


def choose(driver: Any, field: str, value: str) -> None:
    """Touch option ``value`` of a select field."""
    driver.app.sm.current_screen._scroll_to(field)
    driver.pump(0.1)
    driver.tap(f"opt_{field}_{value}")
