"""What every command is made of: its declaration, the context it runs in, and the output it prints to."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from store import BadInput, Msg, SachstandError, add_catalog, is_utf8, translate
from tui import texts_de  # noqa: F401  (the command line's German texts, registered with what every command uses)

if TYPE_CHECKING:
    from store import Config, Notice, Store

PROG = "sachstand"
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_CONFLICTS = 0, 1, 2, 3


class Output:
    """Printing in the user's language; data on stdout, messages on stderr.

    A message may name what the user typed, and a path or a value from the command line or the
    environment may hold bytes that are not UTF-8 (Python hands them over as lone surrogates,
    which no UTF-8 stream can print): they are shown escaped. Writing that fails (a full disk, a
    closed terminal) is said as an error, not raised.
    """

    def __init__(self, lang: str, stdout: TextIO, stderr: TextIO) -> None:
        self.lang, self.stdout, self.stderr = lang, stdout, stderr

    def t(self, msgid: str, **params: object) -> str:
        return printable(translate(msgid, self.lang, **params))

    def line(self, text: str = "") -> None:
        self.write(text + "\n")

    def say(self, msgid: str, **params: object) -> None:
        self.line(self.t(msgid, **params))

    def note(self, msgid: str, **params: object) -> None:
        print(self.t(msgid, **params), file=self.stderr)

    def notice(self, notice: Notice) -> None:
        print(printable(notice.render(self.lang)), file=self.stderr)

    def json(self, data: object) -> None:
        from store import to_json  # with the importers it belongs to: loaded by the commands that print JSON

        self.write(to_json(data))

    def write(self, text: str) -> None:
        with _said_when_failing():
            self.stdout.write(text)

    def flush(self) -> None:
        """What is still buffered, written while a failure can still be said and set the exit code."""
        with _said_when_failing():
            self.stdout.flush()

    def error(self, text: str) -> None:
        print(f"{PROG}: {self.t('error')}: {printable(text)}", file=self.stderr)


@contextlib.contextmanager
def _said_when_failing() -> Iterator[None]:
    """Data that cannot be written (a full disk) is an error of the environment; a pipe closed by its
    reader stays a BrokenPipeError, on which main ends quietly (`sachstand list | head`)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise SachstandError("Cannot write the output: {detail}.", detail=error.strerror or str(error)) from None


def printable(text: str) -> str:
    """``text`` with lone surrogates escaped: those argv and the environment made of bytes that were not
    UTF-8 as those bytes (``\\xff``), any other as its code point."""
    if is_utf8(text):
        return text
    return "".join(_escape(char) if "\ud800" <= char <= "\udfff" else char for char in text)


def _escape(surrogate: str) -> str:
    code = ord(surrogate)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


class Context:
    """What a command gets: its parsed arguments, the output, the config, and the user's store.

    The store is opened on first use, and only a command declared with ``needs_store`` may use
    it: the server, the token file and the demo never touch the user's data file.
    """

    def __init__(
        self, args: argparse.Namespace, out: Output, config: Config, *, needs_store: bool, ends_process: bool = False
    ) -> None:
        self.args, self.out, self.config = args, out, config
        self.needs_store = needs_store
        self.ends_process = ends_process  # the process ends with the command (tui.cli.run.main)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if not self.needs_store:
            raise RuntimeError("this command is declared without the store")
        if self._store is None:
            from store import open_store  # the commands that never open the store do not load it

            self._store = open_store(self.config)
        return self._store

    def __enter__(self) -> Context:
        return self

    def __exit__(self, failed: object, *exc: object) -> None:
        if self._store is None:
            return
        try:
            if failed is None:
                _keep_written(self._store)
        finally:
            if self.ends_process:
                _LEFT_TO_THE_END.append(self._store)
            else:
                self._store.close()


# The stores of commands whose process ends with them: given back with the process, all at once, not freed object by
# object as the command ends (0.45 to 0.77 s after a pull of 50,000 motions, which the person at the shell waited for).
# Their files need nothing of a close: a store holds the file's lock only within a transaction.
_LEFT_TO_THE_END: list[Store] = []


def _keep_written(store: Store) -> None:
    """After a command that wrote the data file whole with many motions it did not read from it (a first pull, an
    OParl import): their models kept for the dashboard's next start, which else parses and checks each (4 to 6 s at
    50,000), in a process apart, so that the command ends when it has said what it did (store/modelcache.py)."""
    from store import Haystacks, kept_apart

    keep = store.keep_models(Haystacks({}, {}), written=True)
    if keep is not None:
        kept_apart(keep)


Handler = Callable[[Context], int]


class Arg:
    """One ``add_argument`` call, declared before the language is known: ``help`` is a message id."""

    def __init__(self, *flags: str, help: Msg, **options: Any) -> None:
        self.flags, self.help, self.options = flags, help, options


# The declarations are named tuples, not dataclasses: a dataclass costs every start 0.5 ms to make.
class OneOf(NamedTuple):
    """Arguments of which exactly one (``required``) or at most one may be given."""

    args: tuple[Arg, ...]
    required: bool = False


class Command(NamedTuple):
    """One command of the registry: everything about it, declared once."""

    name: str
    help: str  # a message id: the line in ``sachstand --help`` and the command's description
    handler: Handler | None  # None: it has sub-commands
    args: tuple[Arg | OneOf, ...] = ()
    needs_store: bool = True
    subcommands: tuple[Command, ...] = ()  # `sachstand token add ...`: the usage calls them ACTION
    # Run only in the client's own process, never by the resident process (tui/cli/resident): what needs the
    # terminal as its controlling terminal, runs for long, or asks about the resident process itself.
    in_client: bool = False


def command(
    name: str,
    help: str,
    handler: Handler | None,
    *args: Arg | OneOf,
    needs_store: bool = True,
    subcommands: tuple[Command, ...] = (),
    in_client: bool = False,
) -> Command:
    """A command, declared in one call (the i18n test finds the help message ids by this call's name)."""
    return Command(name, help, handler, args, needs_store, subcommands, in_client)


# The kinds of argument (argparse's ``type``): a BadInput is said as argparse says its errors.


def text(value: str) -> str:
    """Every argument that is not a file's name: text, so UTF-8. Bytes that are not (which Python hands
    over as lone surrogates, and which no file, JSON or terminal takes) are refused here, by name."""
    if not is_utf8(value):
        raise BadInput("not valid UTF-8 text: '{value}'", value=printable(value))
    return value


def path(value: str) -> str:
    """An argument that names a file: left as typed, for a file's name may be any bytes."""
    return value


def port(value: str) -> int:
    """A TCP port to listen on."""
    number = int(value)  # a ValueError is argparse's "invalid port value"
    if not 1 <= number <= 65535:
        raise BadInput("expected a port from 1 to 65535, got {value}", value=number)
    return number


# Arguments several commands share.
JSON = Arg("--json", action="store_true", help=Msg("print JSON"))
MOTION = Arg("motion", metavar="MOTION", help=Msg("an id, a unique id prefix or a reference number"))


add_catalog(
    "de",
    {
        "Cannot write the output: {detail}.": "Die Ausgabe lässt sich nicht schreiben: {detail}.",
        "not valid UTF-8 text: '{value}'": "kein gültiger UTF-8-Text: '{value}'",
        "expected a port from 1 to 65535, got {value}": "Port von 1 bis 65535 erwartet, erhalten: {value}",
    },
)
