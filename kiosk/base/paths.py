"""Where the project's files live: packaged defaults, assets, and the data directory.

The kiosk runs from a checkout installed in editable mode (``make run``), so
assets and default config are found next to the packages, not inside them.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parents[2]
ASSETS_DIR: Path = PROJECT_ROOT / "assets"
CONFIG_DIR: Path = PROJECT_ROOT / "config"
FONTS_DIR: Path = ASSETS_DIR / "fonts"
DEFAULT_CONFIG_FILE: Path = CONFIG_DIR / "kiosk.toml"
SITE_CONFIG_FILE: Path = Path("/etc/motcua-kiosk/kiosk.toml")

FONT_REGULAR: Path = FONTS_DIR / "NotoSans-Regular.ttf"
FONT_BOLD: Path = FONTS_DIR / "NotoSans-Bold.ttf"
FONT_SYMBOLS: Path = FONTS_DIR / "NotoSansSymbols2-Regular.ttf"


def resolve(path: str | Path, base: Path = PROJECT_ROOT) -> Path:
    """Resolve a configured path: absolute stays, relative is taken from the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (base / p)
