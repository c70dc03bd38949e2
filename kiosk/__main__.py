"""Allow ``python -m kiosk``."""

from kiosk.cli.main import main

raise SystemExit(main())
