"""The dependency rules of DESIGN.md, checked on the source (no import side effects)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The composition root and the Kivy settings it needs before Kivy loads: the only core files with Kivy.
UI_BOOTSTRAP = {"kiosk/app.py", "kiosk/kivy_env.py"}
SERVER_MAY_IMPORT = {"kiosk.api", "kiosk.workdays", "kiosk.catalog", "kiosk"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def test_core_never_imports_kivy_or_screens():
    offenders = []
    for path in _modules("kiosk"):
        if path.relative_to(ROOT).as_posix() in UI_BOOTSTRAP:
            continue
        bad = {n for n in _imports(path) if _top(n) in {"kivy", "screens"}}
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert not offenders, "core modules import Kivy/screens:\n" + "\n".join(offenders)


def test_devices_import_no_project_layer_above_them():
    offenders = []
    for path in _modules("devices"):
        bad = {n for n in _imports(path) if _top(n) in {"kiosk", "screens", "server", "kivy"}}
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def test_server_shares_only_pure_domain_modules_with_the_kiosk():
    offenders = []
    for path in _modules("server"):
        for n in _imports(path):
            if _top(n) in {"kivy", "screens", "devices"}:
                offenders.append(f"{path.relative_to(ROOT)}: {n}")
            elif _top(n) == "kiosk" and not any(n == m or n.startswith(m + ".") for m in SERVER_MAY_IMPORT - {"kiosk"}):
                offenders.append(f"{path.relative_to(ROOT)}: {n}")
    assert not offenders, "\n".join(offenders)


def test_screens_do_not_open_hardware_or_http_themselves():
    forbidden = {"httpx", "usb", "escpos", "cv2", "serial", "pytesseract", "pyzbar", "zxingcpp", "sqlite3", "devices"}
    offenders = []
    for path in _modules("screens"):
        bad = {n for n in _imports(path) if _top(n) in forbidden}
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert not offenders, "\n".join(offenders)
