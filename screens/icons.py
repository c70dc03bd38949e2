"""Icon names → characters of the bundled Material Design Icons font."""

from __future__ import annotations

import json
from functools import lru_cache

from kiosk.base import paths

ICON_FONT = str(paths.FONTS_DIR / "MaterialDesignIcons.ttf")


@lru_cache(maxsize=1)
def _codepoints() -> dict[str, int]:
    return json.loads((paths.FONTS_DIR / "MaterialDesignIcons.json").read_text(encoding="utf-8"))


def icon(name: str) -> str:
    """The glyph for ``name`` (e.g. ``"ticket"``), or an empty string if unknown."""
    cp = _codepoints().get(name)
    return chr(cp) if cp else ""
