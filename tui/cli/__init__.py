"""The ``sachstand`` command line: the dashboard's entry point and headless commands.

Every command goes through the public API of :mod:`store`, the same one the dashboard uses.
Each is declared once in the registry (:data:`tui.cli.run.REGISTRY`), in a module by its job:
:mod:`~tui.cli.motions`, :mod:`~tui.cli.exchange`, :mod:`~tui.cli.sync`, :mod:`~tui.cli.dashboard`.
Each handler takes a :class:`~tui.cli.base.Context`. Exit codes: 0 ok, 2 bad input or usage,
1 any other failure, 3 synced but conflicts remain.

The installed command is :func:`entry`: it first hands the command to the resident process
(:mod:`tui.cli.resident`), and loads the command line itself only when that does not take it. Importing
this package loads nothing else: :func:`main` is loaded on first use.
"""

import gc
import sys

TYPE_CHECKING = False  # typing is not loaded before the resident process is asked (3 to 4 ms)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from tui.cli.run import main as main


def entry() -> int:
    """``sachstand``: the command run by the resident process if it takes it, else here (and then one started, see
    :func:`tui.cli.run.main`)."""
    from tui.cli.resident.client import HERE, served

    argv = sys.argv[1:]
    outcome = served(argv)
    if isinstance(outcome, int):
        _ended(outcome)
    return _loaded_main()(argv, resident_after=outcome == HERE)


def _ended(code: int) -> "NoReturn":
    """This process ended at once with the command's exit code: it wrote nothing of its own (the child wrote to
    the same descriptors) and registered no exit function, and the interpreter's orderly end (every module torn
    down) cost a served command 3 to 6 ms, a sixth of it."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105  (contextlib is not loaded on this path)
            stream.flush()  # the lost child's message, should it still be buffered
        except (AttributeError, OSError):
            pass
    os._exit(code & 0xFF)


def _loaded_main() -> "Callable[..., int]":
    if "tui.cli.run" in sys.modules:
        return sys.modules["tui.cli.run"].main
    # The cycle collector waits while the command line loads: its modules make many objects that live as long as
    # the process, and the collections among them took 6 to 13 ms of every command's start (gc.callbacks). Then
    # they are frozen: no later collection looks at them again (the first, right after, would have, all at once).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from tui.cli.run import main
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return main


def __getattr__(name: str) -> object:
    """``tui.cli.main``, loaded when first asked for (PEP 562)."""
    if name == "main":
        return _loaded_main()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["entry", "main"]
