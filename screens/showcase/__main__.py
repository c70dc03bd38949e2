"""``python -m screens.showcase OUTDIR [--orientation …]`` — what ``kiosk screenshots`` runs once per orientation."""

from __future__ import annotations

import logging
import os
import sys

if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from screens.showcase.render import main

    sys.exit(main())
