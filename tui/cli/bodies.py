"""The commands of the server on PostgreSQL: bodies (`sachstand body add/list`), and what `token` and
`serve` do when given ``--database URL`` instead of a tokens file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from store import Msg, Unavailable, Who, add_catalog
from tui.cli.base import EXIT_OK, Arg, Context, command, text

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from store.sync.postgres import Database


@contextlib.contextmanager
def database(ctx: Context) -> Iterator[Database]:
    """The database ``--database`` names, closed after the block (store.sync.postgres loaded only now: it
    needs psycopg)."""
    from store.sync.postgres import open_database

    opened = open_database(ctx.args.database, application="sachstand")
    try:
        yield opened
    finally:
        opened.close()


def cmd_body_add(ctx: Context) -> int:
    from store.sync.postgres import add_body

    with database(ctx) as opened:
        add_body(opened, ctx.args.key, ctx.args.name)
    ctx.out.note("Added the body {key} ({name}) to {url}.", key=ctx.args.key, name=ctx.args.name, url=opened.shown)
    return EXIT_OK


def cmd_body_list(ctx: Context) -> int:
    from store.sync.postgres import list_bodies

    with database(ctx) as opened:
        bodies = list_bodies(opened)
    if not bodies:
        ctx.out.note("No bodies in {url}.", url=opened.shown)
    for key, name, motions, tokens in bodies:  # data, as `token list` prints it: one body a line
        ctx.out.line(f"{key}\t{name}\t{motions}\t{tokens}")
    return EXIT_OK


def token_add(ctx: Context, role: str, departments: tuple[str, ...]) -> str:
    from store.sync.postgres import add_token

    with database(ctx) as opened:
        return add_token(opened, ctx.args.name, ctx.args.body, role=role, departments=departments)


def token_list(ctx: Context) -> list[tuple[str, str, Who]]:
    """(name, when made, who) of the tokens, the body's key before the name where the database has several."""
    from store.sync.postgres import list_tokens

    with database(ctx) as opened:
        tokens = list_tokens(opened, ctx.args.body)
    several = len({body for body, *_rest in tokens}) > 1
    return [(f"{body}\t{name}" if several else name, created, who) for body, name, created, who in tokens]


def token_revoke(ctx: Context) -> None:
    from store.sync.postgres import revoke_token

    with database(ctx) as opened:
        revoke_token(opened, ctx.args.name, ctx.args.body)


def serving_database(ctx: Context) -> tuple[Starlette, str]:
    """The server's app on ``--database``, after ``--import`` if given; and what it serves, for the message.

    A database that cannot be reached now does not stop the start: the server answers 503 until it can. A
    schema newer than this Sachstand, or an import that fails, does."""
    from store.sync.postgres import PostgresTenants, import_file_server, list_tokens, open_database
    from store.sync.server import tenant_app

    args, out = ctx.args, ctx.out
    opened = open_database(args.database, application="sachstand serve")  # open while the server runs
    if args.import_from:
        moved = import_file_server(
            opened, args.import_from, args.tokens, args.body, lock_timeout=ctx.config.lock_timeout
        )
        out.note(
            "Imported {motions} motions, {history} history entries and {tokens} tokens from {path}.",
            motions=moved.motions,
            history=moved.history,
            tokens=moved.tokens,
            path=args.import_from,
        )
    try:
        if not list_tokens(opened, None):
            out.note(
                "No tokens in {url} yet: nobody can connect. Make one with `sachstand token add NAME --database URL`.",
                url=opened.shown,
            )
    except Unavailable as error:
        out.note("{detail}: answering 503 until it can be reached.", detail=error.render(out.lang))
    return tenant_app(PostgresTenants(opened)), opened.shown


DATABASE = Arg(
    "--database",
    metavar="URL",
    type=text,
    help=Msg("the server's PostgreSQL database, as a libpq URL (postgresql://USER@HOST/DATABASE)"),
)
DATABASE_REQUIRED = Arg("--database", metavar="URL", type=text, required=True, help=DATABASE.help)
BODY = Arg("--body", metavar="KEY", type=text, help=Msg("the body (with --database; not needed while there is one)"))

COMMANDS = (
    command(
        "body",
        "manage the bodies (councils) of a server on PostgreSQL",
        None,
        needs_store=False,
        subcommands=(
            command(
                "add",
                "add a body: its tokens see and change only its motions",
                cmd_body_add,
                Arg("key", metavar="KEY", type=text, help=Msg("a short name for the command line, e.g. kreistag")),
                Arg("--name", metavar="NAME", type=text, required=True, help=Msg("the body's full name")),
                DATABASE_REQUIRED,
                needs_store=False,
            ),
            command(
                "list",
                "list the bodies: key, name, motions, tokens",
                cmd_body_list,
                DATABASE_REQUIRED,
                needs_store=False,
            ),
        ),
    ),
)


add_catalog(
    "de",
    {
        "the body's full name": "der volle Name der Körperschaft",
        "the file of access tokens (see sachstand token); with --import: the file server's, moved in": "die Datei der Zugangs-Tokens (siehe sachstand token); mit --import: die des Datei-Servers, wird übernommen",
        "the server's PostgreSQL database, as a libpq URL (postgresql://USER@HOST/DATABASE)": "die PostgreSQL-Datenbank des Servers, als libpq-URL (postgresql://BENUTZER@HOST/DATENBANK)",
        "with --database: first move this file server's data file (and --tokens) into the body": "mit --database: zuerst die Datendatei dieses Datei-Servers (und --tokens) in die Körperschaft übernehmen",
        "a short name for the command line, e.g. kreistag": "ein Kurzname für die Kommandozeile, z. B. kreistag",
        "add a body: its tokens see and change only its motions": "eine Körperschaft anlegen: ihre Tokens sehen und ändern nur ihre Anträge",
        "list the bodies: key, name, motions, tokens": "die Körperschaften auflisten: Kurzname, Name, Anträge, Tokens",
        "manage the bodies (councils) of a server on PostgreSQL": "die Körperschaften (Gremien) eines Servers auf PostgreSQL verwalten",
        "run the sync server on its own data file (--db) or on PostgreSQL (--database)": "den Sync-Server auf seiner eigenen Datendatei (--db) oder auf PostgreSQL (--database) betreiben",
        "the body (with --database; not needed while there is one)": "die Körperschaft (mit --database; unnötig, solange es nur eine gibt)",
        "Added the body {key} ({name}) to {url}.": "Körperschaft {key} ({name}) in {url} angelegt.",
        "No bodies in {url}.": "Keine Körperschaften in {url}.",
        "Imported {motions} motions, {history} history entries and {tokens} tokens from {path}.": "{motions} Anträge, {history} Verlaufseinträge und {tokens} Tokens aus {path} importiert.",
        "No tokens in {url} yet: nobody can connect. Make one with `sachstand token add NAME --database URL`.": "Noch keine Tokens in {url}: niemand kann sich verbinden. Eines anlegen mit `sachstand token add NAME --database URL`.",
        "{detail}: answering 503 until it can be reached.": "{detail}: Antwort 503, bis sie erreichbar ist.",
    },
)
