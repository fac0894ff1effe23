"""``python -m tui`` runs the ``sachstand`` command."""

from tui.cli import main

raise SystemExit(main())
