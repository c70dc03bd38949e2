"""When no page is found: the citizen drags the page's four corners on the photo.

``app.go("scan_corners", frame=BGR, corners=None|4×2, on_done=fn(corners))``. The photo is
fitted into :class:`CornerEditor`; four round handles (2 cm, easy to grab) start on the
detected corners or on a rectangle inside the photo. "Dùng ảnh này" hands the corners in
frame pixels to ``on_done`` and returns to the scan screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.graphics import Color, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from screens.base import KioskScreen, load_kv

if TYPE_CHECKING:  # numpy loads with the first camera frame, not when the screen is built after the first frame
    import numpy as np

load_kv(__file__)


class CornerHandle(Widget):
    """A draggable round handle; its centre is the corner."""

    number = NumericProperty(0)

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            touch.grab(self)
            return True
        return super().on_touch_down(touch)

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is self:
            self.parent.move_handle(self, touch.pos)
            return True
        return super().on_touch_move(touch)

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is self:
            touch.ungrab(self)
            return True
        return super().on_touch_up(touch)


class CornerEditor(FloatLayout):
    """The photo, fitted, with four handles and the outline between them."""

    frame_rect = ListProperty([0, 0, 0, 0])
    frame_size = ListProperty([0, 0])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texture: Texture | None = None
        self._corners: Any = [(0.0, 0.0)] * 4  # frame px (a 4×2 float32 array once a frame is set)
        with self.canvas.before:
            Color(0.08, 0.08, 0.1, 1)
            self._bg = Rectangle()
            Color(1, 1, 1, 1)
            self._img = Rectangle()
        self.bind(pos=self._layout, size=self._layout)

    def handles(self) -> list[CornerHandle]:
        return sorted((c for c in self.children if isinstance(c, CornerHandle)), key=lambda h: h.number)

    def set_frame(self, frame: np.ndarray, corners: np.ndarray | None) -> None:
        import numpy as np

        h, w = frame.shape[:2]
        tex = Texture.create(size=(w, h), colorfmt="rgb")
        tex.blit_buffer(np.ascontiguousarray(frame[::-1]).tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self._texture = tex
        self.frame_size = [w, h]
        if corners is None:
            mx, my = 0.2 * w, 0.12 * h
            corners = np.array([[mx, my], [w - mx, my], [w - mx, h - my], [mx, h - my]], np.float32)
        self._corners = np.asarray(corners, np.float32).reshape(4, 2).copy()
        self._layout()

    def corners(self) -> np.ndarray:
        """The four corners in frame pixels (TL, TR, BR, BL as placed)."""
        import numpy as np

        return np.array(self._corners, np.float32)

    def to_widget(self, px: float, py: float) -> tuple[float, float]:
        x, y, w, h = self.frame_rect
        fw, fh = self.frame_size
        return float(x + px / fw * w), float(y + (1 - py / fh) * h)

    def to_frame(self, wx: float, wy: float) -> tuple[float, float]:
        x, y, w, h = self.frame_rect
        fw, fh = self.frame_size
        px = min(max((wx - x) / w, 0.0), 1.0) * (fw - 1)
        py = min(max(1 - (wy - y) / h, 0.0), 1.0) * (fh - 1)
        return px, py

    def move_handle(self, handle: CornerHandle, pos: tuple[float, float]) -> None:
        self._corners[handle.number] = self.to_frame(*pos)
        self._place()

    def _layout(self, *_args: Any) -> None:
        self._bg.pos, self._bg.size = self.pos, self.size
        fw, fh = self.frame_size if self.frame_size[0] else (4, 3)
        scale = min(self.width / fw, self.height / fh)
        w, h = fw * scale, fh * scale
        self.frame_rect = [self.x + (self.width - w) / 2, self.y + (self.height - h) / 2, w, h]
        self._img.texture = self._texture
        self._img.pos, self._img.size = self.frame_rect[:2], (w, h)
        self._place()

    def _place(self) -> None:
        if not self.frame_size[0]:
            return
        pts = [self.to_widget(*c) for c in self._corners]
        for handle, (x, y) in zip(self.handles(), pts):
            handle.center = (x, y)
        self.canvas.after.clear()
        with self.canvas.after:
            Color(0.18, 0.75, 0.30, 1)
            Line(points=[v for p in pts for v in p], close=True, width=3)


class ScanCornersScreen(KioskScreen):
    reason = StringProperty("")  # why the quality gate opened the editor (empty when the citizen asked)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_done: Callable[[np.ndarray], Any] | None = None

    def prepare(self, frame: np.ndarray | None = None, corners: np.ndarray | None = None,
                on_done: Callable[[np.ndarray], Any] | None = None, reason: str = "", **_: Any) -> None:
        self._on_done = on_done
        self.reason = reason
        if frame is not None:
            self.ids.editor.set_frame(frame, corners)

    def use(self) -> None:
        corners = self.ids.editor.corners()
        done, self._on_done = self._on_done, None
        self.app.go_back()
        if done is not None:
            done(corners)

    def reset(self) -> None:
        self._on_done = None
        self.reason = ""
        editor = self.ids.editor
        editor._texture = None
        editor.frame_size = [0, 0]
        editor._img.texture = None
