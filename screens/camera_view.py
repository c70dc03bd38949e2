"""Live camera preview: the newest frame of a :class:`devices.camera.Camera` as a texture.

A Clock callback on the UI thread (30 times a second) uploads the camera's newest frame
only when it changed; it never waits for the camera (frames are read on the camera's
thread). The frame is fitted into the widget keeping its shape; :attr:`frame_rect` says
where, and :meth:`frame_to_widget` maps frame pixels to widget coordinates, so overlays
(a QR's corners, a page outline) are given in frame pixels.

Used by the identify screen (card guide), the document scan (page outline) and the
receipt-QR tracking screen. ``attach(camera)`` on enter, ``detach()`` on leave.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.graphics import Color, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.widget import Widget

from screens.base import load_kv

if TYPE_CHECKING:  # numpy loads with the first camera frame, not when the screen is built after the first frame
    import numpy as np

load_kv(__file__)

ID1_RATIO = 85.6 / 54.0  # ISO/IEC 7810 ID-1: every Vietnamese ID card
A4_RATIO = 210.0 / 297.0

Overlay = tuple[Sequence[tuple[float, float]], Sequence[float]]  # (points in frame px, rgba)


class CameraPreview(Widget):
    """Shows a camera; optional guide shape (card/page) and overlay polygons in frame pixels."""

    camera = ObjectProperty(None, allownone=True)
    mirror = BooleanProperty(False)  # True: like a mirror (easier to aim a card held towards a front camera)
    guide = OptionProperty("none", options=["none", "card", "page"])
    guide_fraction = NumericProperty(0.72)  # guide width (card) or height (page) as part of the frame
    guide_color = ListProperty([1, 1, 1, 0.95])
    shade_outside = BooleanProperty(True)  # darken outside the guide so the eye goes to it
    has_frame = BooleanProperty(False)
    frames_shown = NumericProperty(0)
    frame_rect = ListProperty([0, 0, 0, 0])  # x, y, w, h of the picture inside the widget
    frame_size = ListProperty([0, 0])  # w, h of the camera frame in pixels
    status_text = StringProperty("")  # shown in the middle when there is no picture
    on_frame: Callable[[np.ndarray, int], Any] | None = None  # called on the UI thread per new frame

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texture: Texture | None = None
        self._last_id = -1
        self._event: Any = None
        self._overlays: list[Overlay] = []
        with self.canvas:
            self._bg_color = Color(0.08, 0.08, 0.1, 1)
            self._bg = Rectangle(pos=self.pos, size=self.size)
            self._img_color = Color(1, 1, 1, 1)
            self._img = Rectangle(pos=self.pos, size=(0, 0))
        self.bind(pos=self._relayout, size=self._relayout, mirror=self._relayout, guide=self._redraw_after,
                  guide_fraction=self._redraw_after, guide_color=self._redraw_after, shade_outside=self._redraw_after)

    # ------------------------------------------------------------ lifecycle

    def attach(self, camera: Any, fps: float = 30.0) -> None:
        """Start ``camera`` (counted) and show it; call from the screen's ``on_pre_enter``."""
        if self.camera is not None and self.camera is not camera:
            self.detach()
        if self.camera is None and camera is not None:
            self.camera = camera
            camera.start()
        self._last_id = -1
        if self._event is None:
            self._event = Clock.schedule_interval(self._tick, 1.0 / fps)

    def detach(self) -> None:
        """Stop showing and release the camera (counted); call from ``on_leave``. Drops the picture."""
        if self._event is not None:
            self._event.cancel()
            self._event = None
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
        self.clear()

    def clear(self) -> None:
        """Forget the last picture (a citizen's card must not stay on screen)."""
        self.has_frame = False
        self._img.texture = None  # Kivy then draws its blank white texture: keep the size at 0
        self._img.size = (0, 0)
        self._overlays = []
        self._redraw_after()

    # ------------------------------------------------------------ frames

    def _tick(self, _dt: float) -> None:
        cam = self.camera
        if cam is None:
            return
        frame_id = cam.frame_id
        if frame_id == self._last_id:
            if cam.latest_frame() is None and self.has_frame:
                self.clear()
            return
        frame = cam.latest_frame()
        if frame is None:
            return
        self._last_id = frame_id
        self.show_frame(frame)
        if self.on_frame is not None:
            self.on_frame(frame, frame_id)

    def show_frame(self, frame: np.ndarray) -> None:
        """Upload one BGR frame (UI thread)."""
        import numpy as np

        h, w = frame.shape[:2]
        if self._texture is None or self._texture.size != (w, h):
            self._texture = Texture.create(size=(w, h), colorfmt="rgb")
            self.frame_size = [w, h]
        if frame.ndim == 2:
            frame = np.repeat(frame[:, :, None], 3, axis=2)
        self._texture.blit_buffer(np.ascontiguousarray(frame).tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        if self._img.texture is not self._texture or not self.has_frame:
            self._img.texture = self._texture
            self.has_frame = True
            self._relayout()
        self._img.tex_coords = self._coords()
        self.has_frame = True
        self.frames_shown += 1

    def _coords(self) -> tuple[float, ...]:
        # Row 0 of the frame is at v=0: the rectangle's bottom corners take v=1. Mirror swaps u.
        u0, u1 = (1.0, 0.0) if self.mirror else (0.0, 1.0)
        return (u0, 1.0, u1, 1.0, u1, 0.0, u0, 0.0)

    # ------------------------------------------------------------ geometry

    def _relayout(self, *_args: Any) -> None:
        self._bg.pos, self._bg.size = self.pos, self.size
        fw, fh = self.frame_size if self.frame_size[0] else (16, 9)
        scale = min(self.width / fw, self.height / fh) if fw and fh else 1
        w, h = fw * scale, fh * scale
        x, y = self.x + (self.width - w) / 2, self.y + (self.height - h) / 2
        self.frame_rect = [x, y, w, h]
        if self._img.texture is self._texture and self._texture is not None:
            self._img.pos, self._img.size = (x, y), (w, h)
            self._img.tex_coords = self._coords()
        self._redraw_after()

    def frame_to_widget(self, px: float, py: float) -> tuple[float, float]:
        """Frame pixel (x right, y down) → window coordinates of this widget's canvas."""
        x, y, w, h = self.frame_rect
        fw, fh = self.frame_size if self.frame_size[0] else (1, 1)
        u = px / fw
        if self.mirror:
            u = 1 - u
        return x + u * w, y + (1 - py / fh) * h

    def guide_rect(self) -> tuple[float, float, float, float]:
        """The guide's x, y, w, h in widget coordinates (inside the picture)."""
        x, y, w, h = self.frame_rect
        if self.guide == "card":
            gw = w * self.guide_fraction
            gh = gw / ID1_RATIO
            if gh > h * 0.92:
                gh = h * 0.92
                gw = gh * ID1_RATIO
        else:
            gh = h * self.guide_fraction
            gw = gh * A4_RATIO
        return x + (w - gw) / 2, y + (h - gh) / 2, gw, gh

    # ------------------------------------------------------------ overlays

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        """Polygons to draw over the picture, each (points in frame pixels, rgba)."""
        self._overlays = list(overlays)
        self._redraw_after()

    def _redraw_after(self, *_args: Any) -> None:
        self.canvas.after.clear()
        with self.canvas.after:
            if self.guide != "none" and self.frame_rect[2] > 0:
                gx, gy, gw, gh = self.guide_rect()
                x, y, w, h = self.frame_rect
                if self.shade_outside:
                    Color(0, 0, 0, 0.45)
                    Rectangle(pos=(x, y), size=(w, gy - y))
                    Rectangle(pos=(x, gy + gh), size=(w, y + h - gy - gh))
                    Rectangle(pos=(x, gy), size=(gx - x, gh))
                    Rectangle(pos=(gx + gw, gy), size=(x + w - gx - gw, gh))
                Color(*self.guide_color)
                radius = min(gw, gh) * (0.06 if self.guide == "card" else 0.01)
                Line(rounded_rectangle=(gx, gy, gw, gh, radius), width=max(3.0, w / 250))
            for points, rgba in self._overlays:
                if len(points) < 2:
                    continue
                Color(*rgba)
                flat: list[float] = []
                for px, py in points:
                    flat.extend(self.frame_to_widget(px, py))
                Line(points=flat, close=True, width=max(2.5, self.frame_rect[2] / 300))
