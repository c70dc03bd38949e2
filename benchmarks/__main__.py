"""``python -m benchmarks [NAME…]``: run every benchmark module (or the named ones)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")
    )
    failed = 0
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            rc = module.main([])
        except Exception as e:  # one broken benchmark must not hide the others
            print(f"benchmarks.{name} failed: {e}", file=sys.stderr)
            rc = 1
        failed += bool(rc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
