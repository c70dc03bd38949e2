"""Health checks of the kiosk's devices: the printer (status where it answers) and both cameras (a first frame).

The doctor opens a device only when the running app does not already hold it (``services``), so a
check never steals the camera from the screen showing it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops.health import Check, Context

if TYPE_CHECKING:
    from devices.camera import Camera

CAMERA_WAIT_S = 4.0


def _resolve_file_uri(uri: str, config: Any) -> str:
    scheme, _, rest = uri.partition(":")
    if scheme in ("file", "files") and rest and not rest.startswith("//") and not Path(rest.split("?")[0]).is_absolute():
        return f"{scheme}:{config.path(rest)}"
    return uri


def check_printer(ctx: Context) -> Check:
    cfg = ctx.config.printer
    details: dict[str, Any] = {"uri": cfg.uri}
    try:
        from devices.factory import open_printer
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
                paper_width_px=cfg.paper_width_px,
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


def _first_frame(cam: Camera, timeout: float = CAMERA_WAIT_S) -> tuple[Any, str | None]:
    """Poll for a frame; give up early once the driver reports why it has none."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        frame = cam.latest_frame()
        if frame is not None:
            return frame, None
        if cam.error:
            return None, cam.error
        time.sleep(0.05)
    return None, cam.error


def _camera_check(ctx: Context, name: str, uri: str, service_name: str) -> Check:
    details: dict[str, Any] = {"uri": uri}
    if not uri or uri.startswith("none:"):
        return Check(name, "amber", "no camera configured", details)
    try:
        from devices.factory import open_camera
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


def check_card_reader(ctx: Context) -> Check:
    """The ID card's chip reader: configured, pcscd answering, a reader matching the pattern (card or not)."""
    uri = ctx.config.chip.reader
    details: dict[str, Any] = {"uri": uri, "csca_dir": ctx.config.chip.csca_dir or None}
    if not uri or uri.startswith("none:"):
        return Check("card_reader", "green", "no chip reader configured (the chip step is off)", details)
    try:
        from devices.card_reader import CardReaderError
        from devices.factory import open_card_reader
    except Exception as e:
        return Check("card_reader", "amber", f"card reader driver not available ({type(e).__name__})", details)
    reader = open_card_reader(uri)
    try:
        names = reader.readers()
        details["readers"] = names
        if not names:
            return Check("card_reader", "red", "no reader matches the configured name", details)
        card = reader.wait_for_card(0)
    except CardReaderError as e:
        return Check("card_reader", "red", e.message or e.kind, details)
    finally:
        close = getattr(reader, "close", None)
        if close is not None:
            close()
    if ctx.config.chip.csca_dir and not ctx.config.path(ctx.config.chip.csca_dir).is_dir():
        return Check("card_reader", "amber", f"{names[0]}: CSCA folder missing (chips read as unverified)", details)
    return Check("card_reader", "green", f"{names[0]}" + (", card on it" if card else ""), details)
