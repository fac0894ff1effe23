"""The registry of commands and ``main``: parse, read the config, run the command, say what went wrong."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from store import SachstandError, add_catalog, load_config
from tui.cli import bodies, dashboard, exchange, motions, remind, sync
from tui.cli.base import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, PROG, Command, Context, Output
from tui.cli.parsing import UsageError, argparse_speaking, language_hint, parsed
from tui.cli.resident import control

# Every command, in the order `sachstand --help` lists them; without one, the dashboard opens.
REGISTRY: tuple[Command, ...] = (
    *motions.COMMANDS,
    *exchange.COMMANDS,
    *remind.COMMANDS,
    *sync.COMMANDS,
    *bodies.COMMANDS,
    *dashboard.COMMANDS,
    *control.COMMANDS,
)


class ClientOnly(Exception):
    """Raised by :func:`main` in the resident process's child for a command declared ``in_client`` (the
    dashboard, the server), before anything of it has run: the client runs it in its own process."""


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    *,
    resident: bool = False,
    resident_after: bool = False,
    ends_process: bool = False,
) -> int:
    """Run ``sachstand`` with ``argv``; the exit code: 0 ok, 1 failure, 2 bad input or usage, 3 conflicts remain.
    ``resident``: run by the resident process for a client (see :class:`ClientOnly`). ``resident_after``: none
    answered this command, so one is started once it has run, unless it is a command the resident process leaves
    to its client (``in_client``: a server, which would leave one behind when it is stopped, the resident
    process's own commands). ``ends_process``: the process ends with ``os._exit`` once this returns, so the store
    the command read is left to that end, not freed object by object first (:class:`~tui.cli.base.Context`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = Output(language_hint(argv), stdout or sys.stdout, stderr or sys.stderr)
    try:
        # argparse prints --help itself, in its own words: both go to our stdout, in our language.
        with contextlib.redirect_stdout(out.stdout), argparse_speaking(out.lang):
            args = parsed(REGISTRY, dashboard.cmd_dashboard, out.lang, argv)
    except UsageError as error:
        out.stderr.write(error.usage)
        out.error(str(error))
        code = EXIT_USAGE
    except SystemExit as done:  # --help
        code = int(done.code or 0)
    else:
        if resident and args.in_client:
            raise ClientOnly(args.handler.__name__)
        resident_after = resident_after and not args.in_client
        code = _run(args, out, ends_process)
    if resident_after:
        control.start_in_background()
    return code


def _run(args: argparse.Namespace, out: Output, ends_process: bool) -> int:
    """The parsed command run, and what went wrong said in the user's language."""
    if args.version:
        from importlib.metadata import version

        out.line(f"{PROG} {version('sachstand')}")
        return EXIT_OK
    try:
        config = load_config(db=getattr(args, "db", None), lang=getattr(args, "lang", None))
        out.lang = config.lang
        with Context(args, out, config, needs_store=args.needs_store, ends_process=ends_process) as ctx:
            code = int(args.handler(ctx))
        out.flush()
        return code
    except SachstandError as error:
        out.error(error.render(out.lang))
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sachstand list | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as error:  # what the file system did that no part foresaw (a lock file that is a folder)
        detail = error.strerror or str(error)
        if error.filename:
            out.error(out.t("{path}: cannot use the file: {detail}.", path=error.filename, detail=detail))
        else:
            out.error(out.t("A file cannot be used: {detail}.", detail=detail))
        return EXIT_FAILURE


# The command lines a user runs most, by the shape argparse matches (its patterns depend on the positionals).
REHEARSED = (
    ["show", "M"],
    ["set", "M", "1", "done"],
    ["history", "M"],
    ["list"],
    ["--db", "F", "set", "M", "1", "done"],
)


def rehearse() -> None:
    """Command lines parsed as :func:`main` parses them, for nothing: what argparse compiles at its first use (its
    patterns, in ``re``'s cache) is then ready in the resident process, for every child it forks."""
    with argparse_speaking("de"):
        for argv in REHEARSED:
            parsed(REGISTRY, dashboard.cmd_dashboard, "de", argv)


add_catalog(
    "de",
    {
        "{path}: cannot use the file: {detail}.": "{path}: Datei nicht verwendbar: {detail}.",
        "A file cannot be used: {detail}.": "Eine Datei ist nicht verwendbar: {detail}.",
    },
)
