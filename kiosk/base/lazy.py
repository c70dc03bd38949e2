"""Package faces that load a heavy submodule (OpenCV, Pillow, numpy) only when one of its names is used.

Why: ``kiosk.identity`` is imported by the forms and the server's shared modules, but only the
camera path needs OpenCV; importing the face must not cost 60 MB. A face lists which names come
from which loader — a function with a plain ``import`` statement, so imports stay visible to
tools and readers — and installs the returned ``__getattr__`` (PEP 562).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType


def lazy_names(
    face: str,
    loaders: Mapping[Callable[[], ModuleType], tuple[str, ...]],
    aliases: Mapping[str, str] | None = None,
) -> Callable[[str], object]:
    """``__getattr__`` for package ``face``: each name is taken from its loader's module on first use.

    ``aliases`` maps a public name to the module's own name for it (``fields_for_page`` → ``for_page``)."""
    where = {name: loader for loader, names in loaders.items() for name in names}
    own = dict(aliases or {})

    def __getattr__(name: str) -> object:
        loader = where.get(name)
        if loader is None:
            raise AttributeError(f"module {face!r} has no attribute {name!r}")
        return getattr(loader(), own.get(name, name))

    return __getattr__
