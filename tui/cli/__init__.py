"""The ``sachstand`` command line: the dashboard's entry point and headless commands.

Every command goes through the public API of :mod:`store`, the same one the dashboard uses.
Each is declared once in the registry (:data:`tui.cli.run.REGISTRY`), in a module by its job:
:mod:`~tui.cli.motions`, :mod:`~tui.cli.exchange`, :mod:`~tui.cli.sync`, :mod:`~tui.cli.dashboard`.
Each handler takes a :class:`~tui.cli.base.Context`. Exit codes: 0 ok, 2 bad input or usage,
1 any other failure, 3 synced but conflicts remain.
"""

from tui.cli.run import main

__all__ = ["main"]
