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


@dataclass(frozen=True)
class Sizes:
    """Pixel sizes for one window size and text scale (read in kv as ``app.sz.*``)."""

    title: float
    heading: float
    body: float
    small: float
    button: float
    icon: float
    touch: float
    tile: float
    header: float
    header_button: float
    pad: float
    radius: float

    @classmethod
    def compute(cls, ui_scale: float, text_scale: float) -> Sizes:
        u, t = ui_scale, ui_scale * text_scale
        return cls(
            title=46 * t,
            heading=38 * t,
            body=32 * t,
            small=27 * t,
            button=32 * t,
            icon=56 * u,
            touch=max(96 * u, 60),
            tile=170 * u,
            header=118 * u,
            header_button=240 * u,
            pad=24 * u,
            radius=18 * u,
        )
