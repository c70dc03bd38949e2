"""Every scene the showcase renders, one module per area, found by plain imports.

A new area: a module here with ``scenes = SceneBook()`` and ``scene = scenes.add``, then one entry in
:data:`AREAS`. A screen without a scene is shown as it opens (:func:`all_scenes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from screens.showcase.book import Scene, SceneBook
from screens.showcase.scenes import a11y, declare, identify, scan, tech, ticket

if TYPE_CHECKING:
    from screens.showcase.driver import KioskDriver

AREAS: dict[str, SceneBook] = {
    "ticket": ticket.scenes,
    "a11y": a11y.scenes,
    "declare": declare.scenes,
    "tech": tech.scenes,
    "identify": identify.scenes,
    "scan": scan.scenes,
}


def as_opened(screen_name: str) -> Scene:
    """The scene of a screen without one of its own: the screen as it opens."""

    def show(driver: KioskDriver) -> None:
        driver.app.go(screen_name)

    return show


def all_scenes(screen_names: Iterable[str]) -> dict[str, Scene]:
    """Each screen as it opens, in registry order; an area's scene of the same name replaces it, the others follow."""
    out: dict[str, Scene] = {name: as_opened(name) for name in screen_names}
    seen: dict[str, str] = {}
    for area, book in AREAS.items():
        for name, fn in book.items():
            if name in seen:
                raise ValueError(f"scene {name!r} is defined in {seen[name]} and {area}")
            seen[name] = area
            out[name] = fn
    return out
