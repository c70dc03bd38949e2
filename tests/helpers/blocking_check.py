"""The UI tests' check that no function marked ``@blocking`` ran inside a frame of the kiosk's UI thread."""

from __future__ import annotations


def assert_no_blocking_calls() -> None:
    """Fail naming every marked function that ran in a frame since the last check (and forget them)."""
    from kiosk.base import blocking

    seen = blocking.violations()
    if seen:
        blocking.reset_violations()
        names = ", ".join(sorted(set(seen)))
        raise AssertionError(f"blocking work ran on the UI thread (use run_in_background): {names}")
