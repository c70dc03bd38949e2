"""The touchscreen app: the composition root that wires services, journeys and screens (the only Kivy in ``kiosk``).

:mod:`~kiosk.app.kivy_env` sets Kivy's process settings and must be imported before Kivy, so this face
imports nothing Kivy: use :mod:`kiosk.app.kiosk_app` for :class:`KioskApp` and :func:`run_app`.
"""
