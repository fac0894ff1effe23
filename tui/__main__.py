"""``python -m tui`` runs the ``sachstand`` command."""

from tui.cli import entry

raise SystemExit(entry())
