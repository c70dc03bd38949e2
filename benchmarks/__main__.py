"""``python -m benchmarks [NAME…] [--option …]``: run every benchmark module (or the named ones), each in its own
process (one benchmark's memory, threads and windows never weigh on the next one's figures).

Names come first; everything from the first argument that starts with ``-`` is handed to each named
benchmark (``python -m benchmarks ocr --set hard`` runs only the hard-set part of benchmarks/ocr.py).
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path


def split_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """(benchmark names, options for them): options begin at the first argument starting with ``-``."""
    cut = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    return argv[:cut], argv[cut:]


def main(argv: list[str]) -> int:
    names, options = split_args(argv)
    if options and not names:
        print("options need a benchmark name first, e.g. python -m benchmarks ocr --set hard", file=sys.stderr)
        return 2
    names = names or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")
    )
    failed = 0
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        rc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", *options], check=False).returncode
        if rc:  # one broken benchmark must not hide the others
            print(f"benchmarks.{name} failed (exit {rc})", file=sys.stderr)
        failed += bool(rc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
