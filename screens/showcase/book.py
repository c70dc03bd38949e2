"""A :class:`SceneBook` holds one area's scenes: a name (the PNG's name) and the function that sets the state up.

Why a book per area instead of one global registry: the scenes are found by plain imports
(:mod:`screens.showcase.scenes` lists the areas), so nothing depends on which module happened
to be imported first, and ``python -m`` cannot end up with two copies of a registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from screens.showcase.driver import KioskDriver

Scene: TypeAlias = "Callable[[KioskDriver], None]"


class SceneBook(dict[str, "Scene"]):
    """Scenes in the order they are written (the order they are rendered); ``@book.add("name")`` adds one."""

    def add(self, name: str) -> Callable[[Scene], Scene]:
        def deco(fn: Scene) -> Scene:
            if name in self:
                raise ValueError(f"scene {name!r} is defined twice")
            self[name] = fn
            return fn

        return deco
