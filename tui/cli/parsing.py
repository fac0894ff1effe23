"""The argument parser, built from the registry of commands, speaking the user's language.

argparse says its own words ("usage:", "options", "the following arguments are required: ...")
through ``gettext``, which knows nothing of our catalogue. :func:`argparse_speaking` hands
argparse our translation for as long as a parser is built and used, so ``--help`` and every
usage error come out wholly in German or wholly in English.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

from store import LANGUAGES, BadInput, add_catalog, spoken_language, translate
from tui.cli.base import PROG, Arg, Command, Handler, OneOf, text
from tui.cli.resident.place import VALUED_OPTIONS


class UsageError(Exception):
    """A usage error argparse found, with the usage line to print above it."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors raised instead of printed, so they share our format."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.format_usage())


@contextlib.contextmanager
def argparse_speaking(lang: str) -> Iterator[None]:
    """argparse's own texts in ``lang`` until the block ends (the command line is single-threaded)."""

    def gettext(text: str) -> str:
        return translate(text, lang) if text else text

    def ngettext(singular: str, plural: str, count: int) -> str:
        return translate(singular if count == 1 else plural, lang)

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def parsed(commands: Sequence[Command], default: Handler, lang: str, argv: Sequence[str]) -> argparse.Namespace:
    """The command line parsed; ``default`` runs when no command is given (it needs the store).

    First by a parser of only the commands a word of the command line may name (argparse chooses a
    command only by such a word, and declaring all 26 commands with their 110 arguments took a
    one-motion command 3 to 4 ms). Help, and a command line that parser cannot take, go to the whole
    parser, so that the help and every usage error read as they always did, every command listed.
    Call it inside :func:`argparse_speaking`, so argparse's own headings are translated too.
    """
    if not any(word.startswith(("-h", "--h")) for word in argv):  # --help, or as argparse abbreviates it
        try:
            return build_parser(commands, default, lang, argv).parse_args(argv)
        except UsageError:
            pass  # said by the whole parser, below
    return build_parser(commands, default, lang).parse_args(argv)


def build_parser(
    commands: Sequence[Command], default: Handler, lang: str, words: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """The parser; with ``words``, of only the commands they may name (see :func:`parsed`)."""
    common = argparse.ArgumentParser(add_help=False)
    db, lang_option = VALUED_OPTIONS
    common.add_argument(
        db,
        metavar=translate("PATH", lang),
        default=argparse.SUPPRESS,
        help=translate("the data file (default: from config, $SACHSTAND_DB, or the user data folder)", lang),
    )
    common.add_argument(
        lang_option,
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=translate("language of the output (de or en)", lang),
    )
    parser = _Parser(
        prog=PROG,
        parents=[common],
        description=translate("Sachstand: track council motions and the status of what they request.", lang),
    )
    parser.add_argument("--version", action="store_true", help=translate("print the version and exit", lang))
    parser.set_defaults(handler=default, needs_store=True, in_client=False)  # the dashboard (resident/child.py)
    named = None if words is None else {word for word in words if word and not word.startswith("-")}
    _add_commands(parser, commands, "COMMAND", [common], lang, named, required=False)
    return parser


def _add_commands(
    parser: argparse.ArgumentParser,
    commands: Sequence[Command],
    metavar: str,
    parents: list[argparse.ArgumentParser],
    lang: str,
    named: set[str] | None,
    *,
    required: bool,
) -> None:
    subparsers = parser.add_subparsers(metavar=translate(metavar, lang), required=required)
    for cmd in commands:
        # A word that begins the name counts too, should argparse ever take an abbreviated command.
        if named is not None and not any(cmd.name.startswith(word) for word in named):
            continue
        text = translate(cmd.help, lang)
        sub = subparsers.add_parser(cmd.name, parents=parents, help=text, description=text)
        for arg in cmd.args:
            if isinstance(arg, OneOf):
                group = sub.add_mutually_exclusive_group(required=arg.required)
                for member in arg.args:
                    _add_argument(group, member, lang)
            else:
                _add_argument(sub, arg, lang)
        if cmd.subcommands:
            _add_commands(sub, cmd.subcommands, "ACTION", [], lang, named, required=True)
        else:
            sub.set_defaults(handler=cmd.handler, needs_store=cmd.needs_store, in_client=cmd.in_client)


# The actions that take no value from the command line.
_FLAGS = frozenset({"store_true", "store_false", "store_const", "append_const", "count"})


def _add_argument(container: argparse._ActionsContainer, arg: Arg, lang: str) -> None:
    options = dict(arg.options)
    if options.get("action") not in _FLAGS:
        options["type"] = _speaking(options.get("type", text), lang)
    action = container.add_argument(*arg.flags, help=translate(arg.help, lang), **options)
    # An argument that takes a value shows a placeholder (ours, or argparse's default): in the user's language.
    if action.nargs != 0 and not isinstance(action.metavar, tuple):
        action.metavar = translate(action.metavar or action.dest.upper(), lang)


def _speaking(kind: Callable[[str], Any], lang: str) -> Callable[[str], Any]:
    """An argument's ``type``, with its BadInput said by argparse (as ``argument --x: ...``) in ``lang``."""

    @functools.wraps(kind)  # argparse names the type in "invalid int value"
    def convert(value: str) -> Any:
        try:
            return kind(value)
        except BadInput as error:
            raise argparse.ArgumentTypeError(error.render(lang)) from None

    return convert


def language_hint(argv: Sequence[str]) -> str:
    """The language for messages before the config is read (and if reading it fails)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return spoken_language(argv[index + 1])
        if arg.startswith("--lang="):
            return spoken_language(arg.split("=", 1)[1])
    return spoken_language(None)


# argparse's own message ids (as in its source, Python 3.11 and later) with their German texts.
add_catalog(
    "de",
    {
        "usage: ": "Aufruf: ",
        "positional arguments": "Argumente",
        "options": "Optionen",
        "subcommands": "Unterbefehle",
        "show this help message and exit": "diese Hilfe zeigen und beenden",
        "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
        "the following arguments are required: %s": "diese Argumente fehlen: %s",
        "one of the arguments %s is required": "eines der Argumente %s ist nötig",
        "unrecognized arguments: %s": "unbekannte Argumente: %s",
        "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Auswahl: %(value)r (möglich: %(choices)s)",
        "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
        "expected one argument": "erwartet einen Wert",
        "expected at most one argument": "erwartet höchstens einen Wert",
        "expected at least one argument": "erwartet mindestens einen Wert",
        "expected %s argument": "erwartet %s Wert",
        "expected %s arguments": "erwartet %s Werte",
        "not allowed with argument %s": "nicht erlaubt zusammen mit Argument %s",
        "ignored explicit argument %r": "überzähliger Wert %r",
        "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option: %(option)s kann %(matches)s meinen",
        "unexpected option string: %s": "unerwartete Option: %s",
        "unknown parser %(parser_name)r (choices: %(choices)s)": "unbekannter Befehl %(parser_name)r (möglich: %(choices)s)",
        "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
        'argument "-" with mode %r': 'Argument "-" im Modus %r',
        "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
        # mistakes in a parser's declaration, not in what the user typed; translated so none stays English
        "conflicting option string: %s": "Option doppelt vergeben: %s",
        "conflicting option strings: %s": "Optionen doppelt vergeben: %s",
        "conflicting subparser: %s": "Befehl doppelt vergeben: %s",
        "conflicting subparser alias: %s": "Befehlsalias doppelt vergeben: %s",
        ".__call__() not defined": ".__call__() nicht definiert",
        "'required' is an invalid argument for positionals": "'required' gilt nicht für Positionsargumente",
        "mutually exclusive arguments must be optional": "sich ausschließende Argumente müssen optional sein",
        "%r is not callable": "%r ist nicht aufrufbar",
        "cannot merge actions - two groups are named %r": "Aktionen nicht zusammenführbar: zwei Gruppen heißen %r",
        "invalid option string %(option)r: must start with a character %(prefix_chars)r": "ungültige Option %(option)r: muss mit einem Zeichen aus %(prefix_chars)r beginnen",
        "dest= is required for options like %r": "dest= ist nötig für Optionen wie %r",
        "invalid conflict_resolution value: %r": "ungültiger Wert für conflict_resolution: %r",
        "cannot have multiple subparser arguments": "nur ein Satz Unterbefehle ist möglich",
    },
)

# The placeholders in usage lines and help (metavars), where German names them differently. The
# same words name an argument in an error message (where=Msg("ITEM")), so both read alike.
add_catalog(
    "de",
    {
        "COMMAND": "BEFEHL",
        "ACTION": "AKTION",
        "MOTION": "ANTRAG",
        "M": "ANTRAG",
        "ITEM": "PUNKT",
        "TITLE": "TITEL",
        "FILE": "DATEI",
        "PATH": "PFAD",
        "DATE": "DATUM",
        "GROUP": "FRAKTION",
        "D": "AMT",
        "PAPERTYPE": "DRUCKSACHENART",
        "REFERENCE": "DRUCKSACHE",
        "ADDRESSED_TO": "AN",
        "COMMITTEE": "GREMIUM",
        "LEGAL_BASIS": "RECHTSGRUNDLAGE",
        "SOURCE": "QUELLE",
        "SEED": "STARTWERT",
    },
)
