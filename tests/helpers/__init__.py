"""Helpers shared by the tests; ``tests/conftest.py`` turns the stateful ones into fixtures.

- :mod:`helpers.ports` — loopback ports without the free-port race (``closed_port``, ``free_port``);
- :mod:`helpers.printer` — the loopback TCP printer that decodes what it was sent (``printer``);
- :mod:`helpers.cards` — ID-card QR payloads of invented citizens (chip CCCD, Căn cước, broken ones);
- :mod:`helpers.layout` — what spills out of a widget or the window (UI tests);
- :mod:`helpers.form_input` — filling the declaration form by touch (UI tests);
- :mod:`helpers.blocking_check` — nothing marked ``@blocking`` ran in a frame of the UI thread (UI tests).

The reference server is ``server.testing.ServerThread`` itself (fixture ``server``).
"""
