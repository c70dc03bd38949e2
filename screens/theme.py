"""Colours and sizes of the kiosk, normal and high-contrast.

Sizes are in pixels at the kiosk's 1080-px short side (see ``KioskApp.ui_scale``):
a 110-px button is ≥ 2 cm on the 21–32" screens One-Door departments use.
"""

from __future__ import annotations

from dataclasses import dataclass

Color = tuple[float, float, float, float]


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


NORMAL = Theme(
    name="normal",
    bg=hex_color("#F4F1EA"),
    surface=hex_color("#FFFFFF"),
    surface_alt=hex_color("#E9E4D8"),
    text=hex_color("#1B1B1B"),
    text_muted=hex_color("#4A4A4A"),
    header_bg=hex_color("#A4161A"),
    header_text=hex_color("#FFFFFF"),
    primary=hex_color("#0B4F9C"),
    primary_text=hex_color("#FFFFFF"),
    secondary=hex_color("#FFFFFF"),
    secondary_text=hex_color("#0B4F9C"),
    accent=hex_color("#F2B705"),
    ok=hex_color("#1E7B34"),
    warn=hex_color("#9A5B00"),
    error=hex_color("#B3261E"),
    border=hex_color("#8A8577"),
    focus=hex_color("#F2B705"),
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    bg=hex_color("#000000"),
    surface=hex_color("#000000"),
    surface_alt=hex_color("#1A1A1A"),
    text=hex_color("#FFFFFF"),
    text_muted=hex_color("#FFFFFF"),
    header_bg=hex_color("#000000"),
    header_text=hex_color("#FFFF00"),
    primary=hex_color("#FFFF00"),
    primary_text=hex_color("#000000"),
    secondary=hex_color("#000000"),
    secondary_text=hex_color("#FFFF00"),
    accent=hex_color("#FFFF00"),
    ok=hex_color("#00FF66"),
    warn=hex_color("#FFB000"),
    error=hex_color("#FF6B6B"),
    border=hex_color("#FFFFFF"),
    focus=hex_color("#00FFFF"),
)
