"""Colours and sizes of the kiosk, normal and high-contrast (the palettes themselves: ``themes.toml``).

Sizes are in pixels at the kiosk's 1080-px short side (see ``KioskApp.ui_scale``):
a 110-px button is ≥ 2 cm on the 21–32" screens One-Door departments use.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

Color = tuple[float, float, float, float]
THEMES_FILE = Path(__file__).with_name("themes.toml")


def hex_color(value: str, alpha: float = 1.0) -> Color:
    value = value.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


@dataclass(frozen=True)
class Theme:
    """One palette. Every colour a screen uses comes from here."""

    name: str
    bg: Color
    surface: Color
    surface_alt: Color
    text: Color
    text_muted: Color
    header_bg: Color
    header_text: Color
    primary: Color
    primary_text: Color
    secondary: Color
    secondary_text: Color
    accent: Color
    ok: Color
    warn: Color
    error: Color
    border: Color
    focus: Color


def load_themes(path: Path = THEMES_FILE) -> dict[str, Theme]:
    """The palettes of ``themes.toml`` by name; every colour of :class:`Theme` must be given (KeyError if not)."""
    with path.open("rb") as f:
        tables = tomllib.load(f)
    colours = [f.name for f in fields(Theme) if f.name != "name"]
    return {name: Theme(name, *(hex_color(table[c]) for c in colours)) for name, table in tables.items()}


_THEMES = load_themes()
NORMAL = _THEMES["normal"]
HIGH_CONTRAST = _THEMES["high_contrast"]
