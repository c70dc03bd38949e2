"""Kivy screens of the kiosk: one ``.py`` + one ``.kv`` per screen, plus shared widgets.

Screens get everything they need from the :class:`kiosk.services.container.Services`
handed to them by ``kiosk/app/kiosk_app.py``; they never open devices or HTTP themselves,
and run blocking work through :func:`screens.background.run_in_background`.
"""
