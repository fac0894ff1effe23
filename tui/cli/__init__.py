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


def entry() -> "NoReturn":
    """``sachstand``: the command run by the resident process if it takes it, else here (and then one started, see
    :func:`tui.cli.run.main`)."""
    from tui.cli.resident.client import HERE, served

    argv = sys.argv[1:]
    outcome = served(argv)
    if isinstance(outcome, int):
        _ended(outcome)
    _ended(_loaded_main()(argv, resident_after=outcome == HERE, ends_process=True))


def _ended(code: int) -> "NoReturn":
    """This process ended at once with the command's exit code, once :func:`finished`: the interpreter's orderly
    end (every module torn down) cost a command the resident process served 3 to 6 ms, a sixth of it, and a command
    run here freed what it had read object by object (0.45 to 0.77 s after a pull of 50,000 motions)."""
    import os

    os._exit(finished(code) & 0xFF)


def finished(code: int) -> int:
    """What Python does at a process's end before it tears the interpreter down, in its order: the threads that are
    no daemons waited for (a worker of the dashboard's that keeps its models, say), the exit functions run, the
    standard streams flushed; the exit code, 120 if they cannot be (as Python's own end)."""
    import atexit

    threading = sys.modules.get("threading")  # not loaded: no thread was started by Python code
    if threading is not None:
        threading._shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except AttributeError:  # no such stream (pythonw)
            pass
        except OSError:
            code = 120
    return code


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
