"""motcua-kiosk: the self-service kiosk for Vietnam's One-Door departments.

The core package (everything here except ``kiosk.app.kiosk_app``) is plain Python and
never imports Kivy, so it can be used from the CLI, the tests and the server.
"""

__version__ = "0.1.0"
