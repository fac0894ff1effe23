"""The ``sachstand`` command line: the dashboard's entry point and headless commands.

Every command goes through the public API of :mod:`store`, the same one the dashboard uses.
Each is declared once in the registry (:data:`tui.cli.run.REGISTRY`), in a module by its job:
:mod:`~tui.cli.motions`, :mod:`~tui.cli.exchange`, :mod:`~tui.cli.sync`, :mod:`~tui.cli.dashboard`.
Each handler takes a :class:`~tui.cli.base.Context`. Exit codes: 0 ok, 2 bad input or usage,
1 any other failure, 3 synced but conflicts remain.
"""

import gc

# The cycle collector waits while the command line loads: its modules make many objects that live as long as
# the process, and the collections among them took 6 to 13 ms of every command's start (gc.callbacks). Then
# they are frozen: no later collection looks at them again (the first, right after, would have, all at once).
_collecting = gc.isenabled()
gc.disable()
try:
    from tui.cli.run import main
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

__all__ = ["main"]
