"""Layout checks on the real window: text that spills out of its widget, widgets off the window (UI tests)."""

from __future__ import annotations

from typing import Any

SLACK = 2.0  # px: rounding of texture sizes


def visible(widget: Any) -> bool:
    """Drawn and not folded away: neither it nor a parent is transparent or squashed to a line."""
    w = widget
    while w is not None and w is not w.parent:
        if getattr(w, "opacity", 1) == 0 or w.width <= 1 or w.height <= 1:
            return False
        w = w.parent
    return True


def in_scroll(widget: Any) -> bool:
    from kivy.uix.scrollview import ScrollView

    w = widget.parent
    while w is not None and w is not w.parent:
        if isinstance(w, ScrollView):
            return True
        w = w.parent
    return False


def clipped_labels(driver: Any) -> list[str]:
    """Every visible label on the current screen and dialogs whose text does not fit its widget or the window."""
    from kivy.core.window import Window
    from kivy.uix.label import Label

    problems = []
    roots = [c for c in Window.children if c is not driver.app.root] + [driver.app.sm.current_screen]
    for root in roots:
        for w in driver.walk(root):
            if not isinstance(w, Label) or not w.text.strip() or not visible(w):
                continue
            tw, th = w.texture_size
            name = f"{type(w).__name__}({w.text[:40]!r})"
            if tw > w.width + SLACK or th > w.height + SLACK:
                problems.append(f"{name}: text {tw:.0f}×{th:.0f} > widget {w.width:.0f}×{w.height:.0f}")
                continue
            if in_scroll(w):
                continue
            x, y = w.to_window(w.x, w.y)
            if x < -SLACK or y < -SLACK or x + w.width > Window.width + SLACK or y + w.height > Window.height + SLACK:
                problems.append(f"{name}: outside the window at ({x:.0f},{y:.0f}) size {w.width:.0f}×{w.height:.0f}")
    return problems
