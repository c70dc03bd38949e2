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
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from kiosk import __version__

log = logging.getLogger(__name__)

State = Literal["green", "amber", "red"]
_RANK = {"green": 0, "amber": 1, "red": 2}
IMPORT_TIME = time.time()

DISK_RED_BYTES = 500 * 1024**2
DISK_AMBER_BYTES = 2 * 1024**3
SLOW_BACKEND_MS = 1000.0
OUTBOX_AMBER_S = 3600.0
OUTBOX_RED_S = 24 * 3600.0
CAMERA_WAIT_S = 4.0


@dataclass
class Check:
    """One subsystem's state and why."""

    name: str
    state: State
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    ms: float = 0.0


@dataclass
class Report:
    checks: list[Check]
    kiosk_id: str = ""
    time: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def overall(self) -> State:
        return max((c.state for c in self.checks), key=_RANK.__getitem__, default="green")

    @property
    def ok(self) -> bool:
        return all(c.state == "green" for c in self.checks)

    def get(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kiosk_id": self.kiosk_id,
            "time": self.time,
            "version": __version__,
            "overall": self.overall,
            "ok": self.ok,
            "checks": [asdict(c) for c in self.checks],
        }

    def summary(self) -> dict[str, Any]:
        """Small enough for every heartbeat: state and reason per check."""
        return {
            "overall": self.overall,
            "version": __version__,
            "uptime_s": round(process_uptime()),
            "checks": {c.name: {"state": c.state, "reason": c.reason} for c in self.checks},
        }


@dataclass
class Context:
    """What a check may look at: the config, and the running app's services when there is one."""

    config: Any
    services: Any = None

    def service(self, name: str) -> Any:
        return getattr(self.services, name, None) if self.services is not None else None


# ---------------------------------------------------------------- checks


def check_config(ctx: Context) -> Check:
    cfg = ctx.config
    file = getattr(ctx.services, "config_file", None) if ctx.services else None
    details = {"kiosk_id": cfg.kiosk.id, "site_file": str(file) if file else None}
    if not cfg.technician.pin_hash:
        return Check("config", "amber", "valid; technician PIN not set (kiosk set-pin)", details)
    loopback = "://127.0.0.1" in cfg.backend.url or "://localhost" in cfg.backend.url
    if cfg.backend.token == "dev-kiosk-token" and not loopback:
        return Check("config", "amber", "valid; the backend token is still the development default", details)
    return Check("config", "green", "valid", details)


def _resolve_file_uri(uri: str, config: Any) -> str:
    scheme, _, rest = uri.partition(":")
    if scheme in ("file", "files") and rest and not rest.startswith("//") and not Path(rest.split("?")[0]).is_absolute():
        return f"{scheme}:{config.path(rest)}"
    return uri


def check_printer(ctx: Context) -> Check:
    cfg = ctx.config.printer
    details: dict[str, Any] = {"uri": cfg.uri}
    try:
        from devices.printer import open_printer
    except Exception as e:
        return Check("printer", "amber", f"printer driver not available ({type(e).__name__})", details)
    scheme = cfg.uri.split(":", 1)[0]
    if scheme == "dummy":
        return Check("printer", "amber", "dummy printer: tickets are not printed", details)
    if scheme == "file":
        path = Path(_resolve_file_uri(cfg.uri, ctx.config).partition(":")[2].removeprefix("//"))
        details["path"] = str(path)
        if path.exists() and path.is_char_device():
            ok = os.access(path, os.W_OK)
            return Check("printer", "green" if ok else "red", "device writable" if ok else f"no permission to write {path}", details)
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if os.access(parent, os.W_OK):
            return Check("printer", "amber", f"prints to a file ({path}), not paper", details)
        return Check("printer", "red", f"cannot write {path}", details)
    printer = ctx.service("printer")
    own = printer is None
    try:
        if own:
            printer = open_printer(
                _resolve_file_uri(cfg.uri, ctx.config), timeout_s=min(cfg.timeout_s, 3.0),
                usb_interface=cfg.usb_interface, usb_in_ep=cfg.usb_in_ep, usb_out_ep=cfg.usb_out_ep,
            )
        status = printer.status()
    except Exception as e:  # a config error in the URI, or a driver bug: still one line
        return Check("printer", "red", str(getattr(e, "message", e)), details)
    finally:
        if own and printer is not None:
            try:
                printer.close()
            except Exception:
                pass
    details["status"] = status.state
    if status.state == "ok":
        return Check("printer", "green", "ready", details)
    if status.state == "unknown":
        return Check("printer", "green", "connected (the printer does not report its status)", details)
    if status.state == "paper_low":
        return Check("printer", "amber", "paper near end", details)
    return Check("printer", "red", status.detail or status.state.replace("_", " "), details)


def _first_frame(cam: Any, timeout: float = CAMERA_WAIT_S) -> tuple[Any, str | None]:
    """Poll for a frame; give up early once the driver reports why it has none."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        frame = cam.latest_frame()
        if frame is not None:
            return frame, None
        if getattr(cam, "error", None):
            return None, cam.error
        time.sleep(0.05)
    return None, getattr(cam, "error", None)


def _camera_check(ctx: Context, name: str, uri: str, service_name: str) -> Check:
    details: dict[str, Any] = {"uri": uri}
    if not uri or uri.startswith("none:"):
        return Check(name, "amber", "no camera configured", details)
    try:
        from devices.camera import open_camera
    except Exception as e:
        return Check(name, "amber", f"camera driver not available ({type(e).__name__})", details)
    cam = ctx.service(service_name)
    own = cam is None
    c = ctx.config.camera
    try:
        if own:
            cam = open_camera(_resolve_file_uri(uri, ctx.config), c.width, c.height, c.fps)
        cam.start()
        try:
            frame, error = _first_frame(cam)
        finally:
            cam.stop()
    except Exception as e:
        return Check(name, "red", str(e) or type(e).__name__, details)
    finally:
        if own and cam is not None:
            try:
                cam.close()
            except Exception:
                pass
    if frame is None:
        return Check(name, "red", f"no picture: {error or 'camera not found'}", details)
    h, w = frame.shape[:2]
    details["frame"] = f"{w}x{h}"
    return Check(name, "green", f"picture {w}×{h}", details)


def check_camera(ctx: Context) -> Check:
    return _camera_check(ctx, "camera", ctx.config.camera.uri, "id_camera")


def check_document_camera(ctx: Context) -> Check:
    return _camera_check(ctx, "document_camera", ctx.config.camera.document_uri, "document_camera")


def check_backend(ctx: Context) -> Check:
    b = ctx.config.backend
    details: dict[str, Any] = {"url": b.url}
    try:
        from kiosk.backend import BackendClient, BackendRejected, BackendUnavailable
    except Exception as e:
        return Check("backend", "amber", f"backend client not available ({type(e).__name__})", details)
    client = ctx.service("backend")
    own = client is None
    try:
        if own:
            client = BackendClient(
                b.url, b.token, ctx.config.kiosk.id, timeout_s=min(b.timeout_s, 5.0),
                ca_file=str(ctx.config.path(b.ca_file)) if b.ca_file else None, verify=b.verify_tls, retries=0,
            )
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


def _outbox_stats(ctx: Context) -> tuple[int, float | None]:
    """(pending count, age in seconds of the oldest pending item)."""
    outbox = ctx.service("outbox")
    if outbox is None:
        path = ctx.config.data_path("outbox", "outbox.db")  # where kiosk.outbox.build keeps it
        if not path.exists():
            return 0, None
        from kiosk.outbox import Outbox  # issue 4; without a client it only reads

        outbox = Outbox(path)
    items = list(outbox.pending())
    if not items:
        return 0, None
    stamps = [float(it.created_at) for it in items if getattr(it, "created_at", None)]
    return len(items), (time.time() - min(stamps)) if stamps else None


def check_outbox(ctx: Context) -> Check:
    try:
        count, age = _outbox_stats(ctx)
    except ImportError:
        return Check("outbox", "amber", "outbox not available on this kiosk")
    except Exception as e:
        return Check("outbox", "red", f"outbox unreadable: {type(e).__name__}: {e}")
    details = {"pending": count, "oldest_age_s": round(age) if age is not None else None}
    if count == 0:
        return Check("outbox", "green", "nothing waiting", details)
    when = f", oldest {_human_age(age)}" if age is not None else ""
    state: State = "red" if age and age > OUTBOX_RED_S else "amber"
    return Check("outbox", state, f"{count} waiting to be sent{when}", details)


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
    try:
        import zxingcpp  # noqa: F401

        found.append("zxing-cpp")
    except Exception:
        pass
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


def process_uptime() -> float:
    """Seconds since this process started (from /proc when possible)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        boot_uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, boot_uptime - start)
    except (OSError, ValueError, IndexError):
        return time.time() - IMPORT_TIME


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


def run_checks(config: Any, services: Any = None, only: list[str] | None = None) -> Report:
    """Run every check (or ``only`` those) in parallel; the report keeps :data:`CHECKS` order."""
    ctx = Context(config, services)
    names = [n for n in CHECKS if not only or n in only]
    with ThreadPoolExecutor(max_workers=max(1, len(names)), thread_name_prefix="doctor") as pool:
        futures = [pool.submit(_timed, n, CHECKS[n], ctx) for n in names]
        checks = [f.result() for f in futures]
    return Report(checks, kiosk_id=config.kiosk.id)
