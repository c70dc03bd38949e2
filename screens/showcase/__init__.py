"""The screenshot and touch harness: drives the real kiosk window (UI tests) and renders every screen to PNG.

It ships with the kiosk because ``kiosk screenshots`` uses it, but no screen imports it: it sits above the
app it drives. :mod:`~screens.showcase.driver` taps widgets by id and saves the frame buffer,
:mod:`~screens.showcase.render` is ``python -m screens.showcase OUTDIR``, :mod:`~screens.showcase.scenes`
holds the states worth showing, one module per area. Nothing Kivy is imported by this face.
"""
