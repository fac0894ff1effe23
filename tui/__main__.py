"""``python -m tui`` runs the ``sachstand`` command (which ends the process: tui/cli/__init__.py)."""

from tui.cli import entry

entry()
