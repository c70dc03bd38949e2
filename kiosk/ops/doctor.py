"""Health checks shared by ``kiosk doctor``, the technician dashboard and the heartbeat.

Each check returns green / amber / red with a one-line reason a technician can act on.
A subsystem whose module has not been built or cannot load reports amber "not available"
instead of failing the whole report: the doctor must work on a half-installed kiosk.
Checks run in parallel so one slow device (a backend timing out) does not add up with the others.
"""

from __future__ import annotations

import ctypes.util
import importlib.metadata
import logging
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kiosk.base.blocking import blocking
from kiosk import __version__
from kiosk.base.tokens import backend_token_problem
from kiosk.ops.device_checks import check_camera, check_card_reader, check_document_camera, check_printer
from kiosk.ops.health import Check, Context, Report, State, process_uptime
from kiosk.ops.isolated_checks import isolated_names, run_in_child

log = logging.getLogger(__name__)


DISK_RED_BYTES = 500 * 1024**2
DISK_AMBER_BYTES = 2 * 1024**3
SLOW_BACKEND_MS = 1000.0
OUTBOX_AMBER_S = 3600.0
OUTBOX_RED_S = 24 * 3600.0
MAX_REJECTED_LISTED = 20




def check_config(ctx: Context) -> Check:
    cfg = ctx.config
    file = getattr(ctx.services, "config_file", None) if ctx.services else None
    details = {"kiosk_id": cfg.kiosk.id, "site_file": str(file) if file else None}
    weak_token = backend_token_problem(cfg.backend.url, cfg.backend.token)
    if weak_token:  # the kiosk refuses to start like this (kiosk.services.build)
        return Check("config", "red", weak_token, details)
    if not cfg.technician.pin_hash:
        return Check("config", "amber", "valid; technician PIN not set (kiosk set-pin)", details)
    return Check("config", "green", "valid", details)


def check_backend(ctx: Context) -> Check:
    b = ctx.config.backend
    details: dict[str, Any] = {"url": b.url}
    try:
        from kiosk.backend.client import (
            BackendClient,
            BackendRejected,
            BackendUnavailable,
        )
    except Exception as e:
        return Check("backend", "amber", f"backend client not available ({type(e).__name__})", details)
    client = ctx.service("backend")
    own = client is None
    try:
        if own:
            client = BackendClient.from_config(ctx.config, retries=0, max_timeout_s=5.0)
        ms = client.ping()
    except BackendRejected as e:
        return Check("backend", "red", f"answered but refused: HTTP {e.status} {getattr(e, 'detail', '')}".strip(), details)
    except BackendUnavailable as e:
        return Check("backend", "red", f"unreachable: {e}", details)
    except Exception as e:
        return Check("backend", "red", f"unreachable: {type(e).__name__}: {e}", details)
    finally:
        if own and client is not None:
            client.close()
    details["latency_ms"] = round(ms, 1)
    if ms > SLOW_BACKEND_MS:
        return Check("backend", "amber", f"reachable but slow: {ms:.0f} ms", details)
    return Check("backend", "green", f"reachable, {ms:.0f} ms", details)


def _outbox_items(ctx: Context) -> list[Any]:
    """What is not acknowledged (waiting or refused), from the app's outbox or the file on disk."""
    outbox = ctx.service("outbox")
    if outbox is None:
        path = ctx.config.data_path("outbox", "outbox.db")  # where Outbox.for_kiosk keeps it
        if not path.exists():
            return []
        from kiosk.backend.outbox import Outbox  # without a client it only reads

        outbox = Outbox(path)
    return list(outbox.pending())


def _rejected_row(item: Any) -> dict[str, Any]:
    """One refused item for the dashboard: kind, time, the server's reason, procedure or level — no citizen."""
    from kiosk.base.privacy import mask_text

    return {"id": item.id, "kind": item.kind, "created_at": item.created_at, "summary": item.summary,
            "error": mask_text(item.last_error or "")[:200]}


def check_outbox(ctx: Context) -> Check:
    try:
        items = _outbox_items(ctx)
    except ImportError:
        return Check("outbox", "amber", "outbox not available on this kiosk")
    except Exception as e:
        return Check("outbox", "red", f"outbox unreadable: {type(e).__name__}: {e}")
    waiting = [i for i in items if i.state == "pending"]
    rejected = [i for i in items if i.state == "rejected"]
    age = time.time() - min(float(i.created_at) for i in waiting) if waiting else None
    details: dict[str, Any] = {
        "pending": len(waiting), "rejected": len(rejected), "oldest_age_s": round(age) if age is not None else None,
        "rejected_items": [_rejected_row(i) for i in rejected[-MAX_REJECTED_LISTED:]],
    }
    if not items:
        return Check("outbox", "green", "nothing waiting", details)
    parts = []
    if rejected:  # nothing will send these again: a technician must look (kiosk outbox list / retry ID)
        parts.append(f"{len(rejected)} refused by the server")
    if waiting:
        parts.append(f"{len(waiting)} waiting to be sent, oldest {_human_age(age)}")
    state: State = "red" if rejected or (age and age > OUTBOX_RED_S) else "amber"
    return Check("outbox", state, "; ".join(parts), details)


def check_disk(ctx: Context) -> Check:
    path = ctx.config.data_path()
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    usage = shutil.disk_usage(probe)
    details = {"path": str(path), "free_bytes": usage.free, "total_bytes": usage.total}
    text = f"{usage.free / 1024**3:.1f} GB free of {usage.total / 1024**3:.0f} GB"
    if usage.free < DISK_RED_BYTES or usage.free < 0.05 * usage.total:
        return Check("disk", "red", f"almost full: {text}", details)
    if usage.free < DISK_AMBER_BYTES or usage.free < 0.10 * usage.total:
        return Check("disk", "amber", f"getting full: {text}", details)
    return Check("disk", "green", text, details)


def check_tesseract(ctx: Context) -> Check:
    exe = shutil.which("tesseract")
    if not exe:
        return Check("tesseract", "red", "tesseract not installed: sudo apt-get install tesseract-ocr tesseract-ocr-vie")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except (OSError, subprocess.TimeoutExpired) as e:
        return Check("tesseract", "red", f"tesseract does not run: {e}")
    langs = sorted(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())
    details = {"languages": langs, "path": exe}
    if "vie" not in langs:
        return Check("tesseract", "red", "Vietnamese data missing: sudo apt-get install tesseract-ocr-vie", details)
    return Check("tesseract", "green", f"languages: {', '.join(langs)}", details)


def check_zbar(ctx: Context) -> Check:
    found = []
    if ctypes.util.find_library("zbar"):
        found.append("zbar")
    # Installed, not imported: the heartbeat runs this check in the idle kiosk, which loads zxing-cpp only
    # when a camera reads a QR code (docs/ARCHITECTURE.md, "What is loaded when").
    if _dist_version("zxing-cpp"):
        found.append("zxing-cpp")
    if not found:
        return Check("zbar", "red", "no QR decoder: sudo apt-get install libzbar0 (and pip install zxing-cpp)")
    if "zbar" not in found:
        return Check("zbar", "amber", "zbar missing (libzbar0); zxing-cpp only", {"decoders": found})
    return Check("zbar", "green", " + ".join(found), {"decoders": found})


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


def check_version(ctx: Context) -> Check:
    details = {
        "kiosk": __version__,
        "python": platform.python_version(),
        "kivy": _dist_version("kivy"),
        "opencv": _dist_version("opencv-python-headless"),
        "escpos": _dist_version("python-escpos"),
        "os": platform.platform(),
    }
    return Check("version", "green", f"motcua-kiosk {__version__}, Python {details['python']}", details)


def _human_age(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    if s < 172800:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} days"


def check_uptime(ctx: Context) -> Check:
    up = process_uptime()
    try:
        system = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError):
        system = None
    text = f"app {_human_age(up)}" + (f", system {_human_age(system)}" if system is not None else "")
    return Check("uptime", "green", text, {"app_s": round(up), "system_s": round(system) if system else None})


CHECKS: dict[str, Callable[[Context], Check]] = {
    "config": check_config,
    "printer": check_printer,
    "camera": check_camera,
    "document_camera": check_document_camera,
    "card_reader": check_card_reader,
    "backend": check_backend,
    "outbox": check_outbox,
    "disk": check_disk,
    "tesseract": check_tesseract,
    "zbar": check_zbar,
    "version": check_version,
    "uptime": check_uptime,
}


def _timed(name: str, fn: Callable[[Context], Check], ctx: Context) -> Check:
    t0 = time.perf_counter()
    try:
        check = fn(ctx)
    except Exception as e:  # a bug in one check must not hide the others
        log.exception("doctor check %s crashed", name)
        check = Check(name, "red", f"check failed: {type(e).__name__}: {e}")
    check.ms = round((time.perf_counter() - t0) * 1000, 1)
    return check


@blocking
def run_checks(config: Any, services: Any = None, only: list[str] | None = None) -> Report:
    """Run every check (or ``only`` those) in parallel; the report keeps :data:`CHECKS` order."""
    ctx = Context(config, services)
    names = [n for n in CHECKS if not only or n in only]
    apart = isolated_names(ctx, names)  # idle cameras of a running app: OpenCV stays out of its process
    with ThreadPoolExecutor(max_workers=max(1, len(names)), thread_name_prefix="doctor") as pool:
        child = pool.submit(run_in_child, config, apart)
        futures = {n: pool.submit(_timed, n, CHECKS[n], ctx) for n in names if n not in apart}
        by_name = {c.name: c for c in child.result()} | {n: f.result() for n, f in futures.items()}
    return Report([by_name[n] for n in names], kiosk_id=config.kiosk.id)
