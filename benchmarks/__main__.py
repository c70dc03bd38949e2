"""``python -m benchmarks [NAME…]``: run every benchmark module (or the named ones), each in its own process
(one benchmark's memory, threads and windows never weigh on the next one's figures)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")
    )
    failed = 0
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        rc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False).returncode
        if rc:  # one broken benchmark must not hide the others
            print(f"benchmarks.{name} failed (exit {rc})", file=sys.stderr)
        failed += bool(rc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
