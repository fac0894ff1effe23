"""What every command is made of: its declaration, the context it runs in, and the output it prints to."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from store import Config, Msg, Store, open_store, to_json, translate

if TYPE_CHECKING:
    from store.exchange.workflows import Notice

PROG = "sachstand"
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_CONFLICTS = 0, 1, 2, 3


class Output:
    """Printing in the user's language; data on stdout, messages on stderr."""

    def __init__(self, lang: str, stdout: TextIO, stderr: TextIO) -> None:
        self.lang, self.stdout, self.stderr = lang, stdout, stderr

    def t(self, msgid: str, **params: object) -> str:
        return translate(msgid, self.lang, **params)

    def line(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def say(self, msgid: str, **params: object) -> None:
        print(self.t(msgid, **params), file=self.stdout)

    def note(self, msgid: str, **params: object) -> None:
        print(self.t(msgid, **params), file=self.stderr)

    def notice(self, notice: Notice) -> None:
        print(notice.render(self.lang), file=self.stderr)

    def json(self, data: object) -> None:
        self.stdout.write(to_json(data))

    def error(self, text: str) -> None:
        print(f"{PROG}: {self.t('error')}: {text}", file=self.stderr)


class Context:
    """What a command gets: its parsed arguments, the output, the config, and the user's store.

    The store is opened on first use, and only a command declared with ``needs_store`` may use
    it: the server, the token file and the demo never touch the user's data file.
    """

    def __init__(self, args: argparse.Namespace, out: Output, config: Config, *, needs_store: bool) -> None:
        self.args, self.out, self.config = args, out, config
        self.needs_store = needs_store
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if not self.needs_store:
            raise RuntimeError("this command is declared without the store")
        if self._store is None:
            self._store = open_store(self.config)
        return self._store

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._store is not None:
            self._store.close()


Handler = Callable[[Context], int]


class Arg:
    """One ``add_argument`` call, declared before the language is known: ``help`` is a message id."""

    def __init__(self, *flags: str, help: Msg, **options: Any) -> None:
        self.flags, self.help, self.options = flags, help, options


@dataclass(frozen=True)
class OneOf:
    """Arguments of which exactly one (``required``) or at most one may be given."""

    args: tuple[Arg, ...]
    required: bool = False


@dataclass(frozen=True)
class Command:
    """One command of the registry: everything about it, declared once."""

    name: str
    help: str  # a message id: the line in ``sachstand --help`` and the command's description
    handler: Handler | None  # None: it has sub-commands
    args: tuple[Arg | OneOf, ...] = ()
    needs_store: bool = True
    subcommands: tuple[Command, ...] = ()  # `sachstand token add ...`: the usage calls them ACTION


def command(
    name: str,
    help: str,
    handler: Handler | None,
    *args: Arg | OneOf,
    needs_store: bool = True,
    subcommands: tuple[Command, ...] = (),
) -> Command:
    """A command, declared in one call (the i18n test finds the help message ids by this call's name)."""
    return Command(name, help, handler, args, needs_store, subcommands)


# Arguments several commands share.
JSON = Arg("--json", action="store_true", help=Msg("print JSON"))
MOTION = Arg("motion", metavar="MOTION", help=Msg("an id, a unique id prefix or a reference number"))
