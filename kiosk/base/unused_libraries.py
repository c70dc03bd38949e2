"""Keep libraries the kiosk app never uses out of its process.

Why: httpcore imports trio and anyio, and httpx its own command line's click, rich and pygments,
whenever they are installed — and a development venv has them (selenium needs trio, schemathesis
rich, uvicorn click). The app talks to the backend with httpx's synchronous client only and runs the
embedded server in a child process, so none of them is ever called here; loaded, they cost ~11 MB
of the 250 MB budget and ~200 modules (benchmarks/startup.py). Marking them absent makes those
optional imports take their "not installed" branch, as on a production kiosk installed without the
dev extras. Only ``kiosk run`` does this (kiosk/cli/__init__.py), never a test process.
"""

from __future__ import annotations

import sys

UNUSED_IN_THE_APP = ("trio", "anyio", "click", "rich", "pygments")


def keep_out_unused_libraries() -> None:
    """Call before httpx is imported; a library already loaded is left as it is."""
    for name in UNUSED_IN_THE_APP:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "import name" raises ImportError
