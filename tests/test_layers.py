"""The dependency rules of DESIGN.md, checked on the source (no import side effects)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The composition root (kiosk/app/) is the only part of kiosk/ that may import Kivy and screens.
UI_BOOTSTRAP_DIR = "kiosk/app/"
SERVER_MAY_IMPORT = {"kiosk.api", "kiosk.declarations.workdays", "kiosk.declarations.catalog", "kiosk"}


def _imports(path: Path, with_names: bool = True) -> set[str]:
    """Modules ``path`` imports anywhere in it; with the imported names (``from X import y`` → X.y) too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if with_names:
                names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def test_core_never_imports_kivy_or_screens():
    offenders = []
    for path in _modules("kiosk"):
        if path.relative_to(ROOT).as_posix().startswith(UI_BOOTSTRAP_DIR):
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


def test_screens_import_only_the_public_faces_of_the_core():
    """A screen sees a capability through its package's ``__init__`` (``from kiosk.queue import Ticket``)."""
    offenders = []
    for path in _modules("screens"):
        for n in _imports(path, with_names=False):
            parts = n.split(".")
            if parts[0] == "kiosk" and len(parts) > 2 and parts[1] != "app":
                offenders.append(f"{path.relative_to(ROOT)}: from {n} import …")
    assert not offenders, "\n".join(offenders)


def test_the_product_never_imports_the_showcase_harness():
    """``screens/showcase`` drives the app from above (UI tests, ``kiosk screenshots``); nothing it drives imports it."""
    offenders = []
    for package in ("kiosk", "screens", "devices", "server"):
        for path in _modules(package):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("screens/showcase/"):
                continue
            bad = {n for n in _imports(path) if n == "screens.showcase" or n.startswith("screens.showcase.")}
            if bad:
                offenders.append(f"{rel}: {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


STRING_IMPORTS = {"import_module", "spec_from_file_location", "__import__", "find_spec", "run_module"}


def test_the_project_imports_its_own_modules_by_plain_imports():
    """No registry of "module:function" strings: a broken name fails at import, a reader can follow every link."""
    offenders = []
    for package in ("kiosk", "screens", "devices", "server", "benchmarks"):
        for path in _modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
                if name in STRING_IMPORTS:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "\n".join(offenders)


def test_kiosk_top_level_holds_packages_and_few_modules():
    modules = sorted(p.name for p in (ROOT / "kiosk").glob("*.py"))
    assert len(modules) <= 8, modules


MAX_LINES = 400


def test_no_module_is_over_400_lines():
    offenders = []
    for package in ("kiosk", "screens", "devices"):
        for path in _modules(package):
            rel = path.relative_to(ROOT).as_posix()
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > MAX_LINES:
                offenders.append(f"{rel}: {n} lines")
    assert not offenders, "\n".join(offenders)


# Private attributes reached across modules before this check existed, each left to its owner.
# Empty this list; never add to it.
PRIVATE_ACCESS_FOR_NOW = {
    "kiosk/cli/outbox.py: box._send_by_id",
    "screens/showcase/driver.py: app._run_prepare",
    "screens/keyboard.py: vnkeys._is_word_key",
    "screens/showcase/scenes/scan.py: screen._refresh",
    "screens/showcase/scenes/scan.py: screen.ids.preview._overlays",
}


def _private_accesses(path: Path, root: Path = ROOT) -> list[str]:
    """``x._name`` where ``x`` is not ``self``/``cls``/``super()`` and ``_name`` is not made in this module.

    A module may use the private names it defines itself (its functions, classes and the attributes
    it assigns); type annotations are not access. Everything else is reaching into another module's
    insides — ``camera._cap``, ``printer._raw`` — instead of asking its public interface.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own: set[str] = set()
    annotations: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                own.update(t.attr for t in ast.walk(target) if isinstance(t, ast.Attribute))
        hints: list[ast.AST] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            hints += [x.annotation for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
                      if x is not None and x.annotation is not None]
            hints += [node.returns] if node.returns is not None else []
        elif isinstance(node, ast.AnnAssign):
            hints.append(node.annotation)
        annotations.update(id(sub) for hint in hints for sub in ast.walk(hint))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_") or node.attr.startswith("__"):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
            continue
        if node.attr in own or id(node) in annotations:
            continue
        found.append(f"{path.relative_to(root).as_posix()}: {ast.unparse(node)}")
    return sorted(found)


def test_no_private_attribute_is_reached_across_modules():
    found = {f for package in ("kiosk", "screens", "devices") for path in _modules(package) for f in _private_accesses(path)}
    assert not found - PRIVATE_ACCESS_FOR_NOW, "\n".join(sorted(found - PRIVATE_ACCESS_FOR_NOW))


def test_the_private_access_check_sees_what_it_must(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "class Mine:\n"
        "    def __init__(self):\n"
        "        self._own = 1\n"
        "    def same(self, other):\n"
        "        return other._own + super()._base\n"
        "def leak(camera, printer, parser: argparse._SubParsersAction):\n"
        "    camera._cap.get(1)\n"
        "    printer._raw(b'x')\n",
        encoding="utf-8",
    )
    assert _private_accesses(probe, tmp_path) == ["probe.py: camera._cap", "probe.py: printer._raw"]


def test_nothing_asks_a_device_for_its_class_name():
    """Screens and the core ask a camera or printer what it can do (``cam.is_present``), not what it is."""
    offenders = []
    for package in ("kiosk", "screens", "devices"):
        for path in _modules(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Compare) and any(
                    isinstance(x, ast.Attribute) and x.attr == "__name__" and isinstance(x.value, ast.Call)
                    and isinstance(x.value.func, ast.Name) and x.value.func.id == "type"
                    for x in [node.left, *node.comparators]
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not offenders, "\n".join(offenders)


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """Project modules imported when ``path`` is imported (module level, outside ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ([node] if not isinstance(node, (ast.If, ast.Try)) else list(ast.walk(node))):
            if isinstance(sub, ast.Import):
                out.update(a.name for a in sub.names if a.name in known)
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0 and sub.module in known:
                subs = {f"{sub.module}.{a.name}" for a in sub.names} & known
                plain = [a for a in sub.names if f"{sub.module}.{a.name}" not in known]
                out.update(subs)
                if plain:
                    out.add(sub.module)
    return out


def _all_project_imports(path: Path, known: set[str]) -> set[str]:
    """Project modules ``path`` imports anywhere in it, late (inside functions) imports included."""
    out: set[str] = set()
    for n in _imports(path):
        while n and n not in known:
            n = n.rpartition(".")[0]
        if n:
            out.add(n)
    return out


def test_devices_have_no_import_cycle_not_even_through_late_imports():
    """The drivers are chosen by devices/factory.py's plain imports: no driver reaches back for another."""
    names = {_module_name(p): p for p in _modules("devices")}
    graph = {m: _all_project_imports(p, set(names)) - {m} for m, p in names.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph[start])

    cycles = sorted(m for m in graph if reaches(m, m, {m}))
    assert not cycles, cycles


def test_devices_keep_no_mutable_registry():
    """No module-level dict/list/set that functions fill in (the old ``SCHEMES`` / ``register_scheme``)."""
    offenders = []
    for path in _modules("devices"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        holders = {
            t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
            and (isinstance(node.value, (ast.Dict, ast.List, ast.Set))
                 or (isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") in ("dict", "list", "set")))
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)
        }
        for fn in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(fn):
                if isinstance(node, ast.Global):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: global {', '.join(node.names)}")
                target = None
                if isinstance(node, (ast.Assign, ast.AugAssign)):
                    for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                            target = t.value.id
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(
                        node.func.value, ast.Name) and node.func.attr in ("update", "append", "add", "setdefault"):
                    target = node.func.value.id
                if target in holders:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {target} filled at run time")
    assert not offenders, "\n".join(offenders)


def test_no_import_cycle_between_project_modules():
    paths = [p for pkg in ("kiosk", "screens", "devices", "server") for p in _modules(pkg)]
    names = {_module_name(p): p for p in paths}
    known = set(names)
    graph = {m: _top_level_imports(p, known) - {m} for m, p in names.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles[:10])
