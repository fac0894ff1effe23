"""The commands of sync: sync, conflicts, resolve, and running the server with its tokens (serve, token)."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store import BadInput, Conflict, Msg, SachstandError, Store, add_catalog, plural
from tui.cli import bodies
from tui.cli.base import EXIT_CONFLICTS, EXIT_OK, MOTION, Arg, Context, OneOf, Output, command, path, port
from tui.cli.motions import item_number
from tui.cli.progress import ProgressBar
from tui.format import conflict_place, conflict_value, count, fmt_time, syncing

if TYPE_CHECKING:
    import socket

    from starlette.applications import Starlette


def cmd_sync(ctx: Context) -> int:
    from store import remote_from
    from store.sync.client import sync

    args, config, out = ctx.args, ctx.config, ctx.out
    remote = remote_from(
        args.remote or config.remote, args.token or config.token, args.ca or config.ca, config.config_file
    )
    bar = ProgressBar(out.stderr)  # on a terminal: how far the sync has come, taken off when it ends
    bar.say(syncing(None, out.lang))  # from the start: a server may take a while to answer its first request
    try:
        report = sync(
            ctx.store, remote.url, remote.token, ca=remote.ca, progress=lambda now: bar.say(syncing(now, out.lang))
        )
    finally:
        bar.erase()
    if report.rejoined:  # the server had lost writes it confirmed: say what this sync does about it, first
        out.notice(report.rejoined)
    out.note(
        "Synced with {url}: {pulled} received, {pushed} sent.",
        url=remote.url,
        pulled=count(report.pulled, out.lang),
        pushed=count(report.pushed, out.lang),
    )
    if report.conflicts:
        out.note(
            plural(
                "{count} conflict remains (sachstand conflicts, sachstand resolve):",
                "{count} conflicts remain (sachstand conflicts, sachstand resolve):",
                len(report.conflicts),
            ),
            count=len(report.conflicts),
        )
        _print_conflicts(report.conflicts, out)
    for refusal in report.refused:  # kept here and not sent again; the dashboard's conflict screen drops them
        out.note(
            "The server refused the change of {motion}: {reason}. It stays here and is not sent again until "
            "you edit the motion again or drop the change (sachstand resolve MOTION motion --drop; dashboard: C).",
            motion=refusal.motion,
            reason=refusal.reason,
        )
    return EXIT_CONFLICTS if report.conflicts or report.refused else EXIT_OK


def cmd_conflicts(ctx: Context) -> int:
    found, refused = ctx.store.conflicts(), ctx.store.refused()
    if not found and not refused:
        ctx.out.note("No conflicts.")
    _print_conflicts(found, ctx.out)
    for refusal in refused:  # changes the server refused (the token's role): `resolve M motion --drop`
        ctx.out.line(f"{refusal.motion_id[:8]}  {refusal.motion}  {ctx.out.t('refused by the server')}")
        ctx.out.line(f"    {refusal.reason}")
    return EXIT_OK


def cmd_resolve(ctx: Context) -> int:
    args, out = ctx.args, ctx.out
    target = args.item.strip().lower()
    path = "motion" if target in ("motion", "antrag") else f"items.{item_number(target)}"
    motion_id = _conflicted_motion(ctx.store, args.motion)
    if args.choice == "drop":
        if path != "motion":
            raise BadInput("{where}: a refused change is the whole motion's: give motion as ITEM.", where="--drop")
        ctx.store.drop_refused(motion_id)
        out.note("Dropped the refused change: the motion is as the server has it.")
        return EXIT_OK
    settled = ctx.store.resolve(motion_id, path, args.choice)
    out.note(
        plural(
            "Resolved {count} conflict ({choice}); the next sync sends the decision.",
            "Resolved {count} conflicts ({choice}); the next sync sends the decision.",
            len(settled),
        ),
        count=len(settled),
        choice=out.t("kept mine") if args.choice == "mine" else out.t("took theirs"),
    )
    return EXIT_OK


def _conflicted_motion(store: Store, ref: str) -> str:
    """The motion's id; a deleted motion can have conflicts too, so look there as well."""
    store.focus(ref)  # read only that motion (store/file/offsets.py)
    try:
        return store.find(ref).id
    except BadInput:
        wanted = ref.strip()
        ids = sorted(
            {c.motion_id for c in store.conflicts() if c.motion_id.startswith(wanted.lower()) or c.motion == wanted}
        )
        if len(ids) == 1:
            return ids[0]
        raise


def _print_conflicts(found: Sequence[Conflict], out: Output) -> None:
    for conflict in found:
        out.line(f"{conflict.motion_id[:8]}  {conflict.motion}  {conflict_place(conflict.path, out.lang)}")
        out.line(f"    {out.t('mine')}:   {conflict_value(conflict.path, conflict.mine, out.lang)}")
        out.line(f"    {out.t('theirs')}: {conflict_value(conflict.path, conflict.theirs, out.lang)}")


def cmd_serve(ctx: Context) -> int:
    import uvicorn

    from store.sync.server import Serving

    args, out = ctx.args, ctx.out
    if args.database is None and args.tokens is None:
        raise BadInput(
            "{where}: give --tokens FILE (a server on its data file, --db) or --database URL.", where="serve"
        )
    if args.database is None and (args.import_from or args.body):
        raise BadInput("{where}: only with --database.", where="--import/--body")
    if args.database and args.tokens and not args.import_from:
        raise BadInput("{where}: the database holds the tokens; a tokens file only with --import.", where="--tokens")
    if (args.certfile is None) != (args.keyfile is None):
        raise BadInput("{where}: give both --certfile and --keyfile, or neither.", where="--certfile/--keyfile")
    if args.certfile:
        _check_certificate(args.certfile, args.keyfile)
    with _listening(args.host, args.port) as sock:  # before the data is touched: a busy port changes nothing
        app, served = bodies.serving_database(ctx) if args.database else _serving_file(ctx)
        scheme = "https" if args.certfile else "http"
        out.note(
            "Serving {path} at {url} (Ctrl+C stops).",
            path=served,
            url=f"{scheme}://{args.host}:{args.port}",  # what a client is given: it finds the API there
        )
        server_config = uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            ssl_certfile=args.certfile,
            ssl_keyfile=args.keyfile,
            log_level="info",
        )
        Serving(server_config, app.state.waits).run(sockets=[sock])
    return EXIT_OK


def _serving_file(ctx: Context) -> tuple[Starlette, str]:
    """The server's app on its data file (``--db``) and tokens file; the data file's name."""
    from store.sync.server import create_app
    from store.sync.tokens import list_tokens

    args, config = ctx.args, ctx.config
    if getattr(args, "db", None) is None:
        raise BadInput("{where}: the server needs its own data file.", where="--db")
    if not list_tokens(args.tokens):
        ctx.out.note(
            "No tokens in {path} yet: nobody can connect. Make one with `sachstand token add NAME --tokens {path}`.",
            path=args.tokens,
        )
    with Store(config.db, user="sachstand-server", lock_timeout=config.lock_timeout, revisions=True) as check:
        check.refresh()  # a broken data file stops us here, not at the first request
    return create_app(config.db, args.tokens, backups=config.backups, lock_timeout=config.lock_timeout), str(config.db)


def _check_certificate(certfile: str, keyfile: str) -> None:
    """The certificate and its key load, or the user hears which file is wrong, before anything starts."""
    import ssl

    for where, name in (("--certfile", certfile), ("--keyfile", keyfile)):
        try:
            Path(name).read_bytes()
        except (OSError, ValueError) as error:  # ValueError: a NUL in the name
            detail = error.strerror if isinstance(error, OSError) else str(error)
            raise BadInput("{where}: cannot read {path}: {detail}.", where=where, path=name, detail=detail) from None
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(certfile, keyfile, password="")
    except ssl.SSLError as error:
        raise BadInput(
            "{where}: not a certificate and its private key in PEM ({detail}).",
            where="--certfile/--keyfile",
            detail=error.reason or error.strerror,
        ) from None


@contextlib.contextmanager
def _listening(host: str, port: int) -> Iterator[socket.socket]:
    """A socket bound to ``host`` and ``port``; a busy port or an unknown host said as what it is."""
    import socket  # only `serve` listens: loading it costs every other command 2 ms

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as error:  # gaierror, or a name IDNA cannot encode
        raise SachstandError("unknown host {host}: {detail}.", host=repr(host), detail=_reason(error)) from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: no wait after a restart
        try:
            sock.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise SachstandError("port {port} on {host} is in use.", port=port, host=host) from None
            raise SachstandError(
                "cannot listen on port {port} of {host}: {detail}.", port=port, host=host, detail=_reason(error)
            ) from None
        yield sock


def _reason(error: Exception) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error) or type(error).__name__


def cmd_token_add(ctx: Context) -> int:
    from store.sync.tokens import add_token

    role, departments = ctx.args.role, tuple(ctx.args.department or ())
    if ctx.args.database:
        token = bodies.token_add(ctx, role, departments)
        ctx.out.note("Token for {name} (shown only this once; the database keeps only its hash):", name=ctx.args.name)
    else:
        token = add_token(
            _tokens_file(ctx), ctx.args.name, role=role, departments=departments, lock_timeout=ctx.config.lock_timeout
        )
        ctx.out.note("Token for {name} (shown only this once; the file keeps only its hash):", name=ctx.args.name)
    ctx.out.line(token)
    return EXIT_OK


def cmd_token_list(ctx: Context) -> int:
    from store.sync.tokens import list_tokens

    tokens = bodies.token_list(ctx) if ctx.args.database else list_tokens(_tokens_file(ctx))
    if not tokens:
        ctx.out.note("No tokens in {path}.", path=ctx.args.tokens or ctx.args.database)
    for name, created, who in tokens:  # data, one token a line: name, made, role, its departments
        ctx.out.line(f"{name}\t{_moment(created, ctx.out.lang)}\t{who.role}\t{', '.join(who.departments)}")
    return EXIT_OK


def _moment(stamp: str, lang: str) -> str:
    """A token's creation time as every command shows times (28.07.2020 14:05 in German); as written if it is none."""
    try:
        return fmt_time(datetime.fromisoformat(stamp), lang)
    except ValueError:
        return stamp


def cmd_token_revoke(ctx: Context) -> int:
    from store.sync.tokens import revoke_token

    if ctx.args.database:
        bodies.token_revoke(ctx)
    else:
        revoke_token(_tokens_file(ctx), ctx.args.name, lock_timeout=ctx.config.lock_timeout)
    ctx.out.note("Revoked the token {name}.", name=ctx.args.name)
    return EXIT_OK


def _tokens_file(ctx: Context) -> str:
    if ctx.args.body:
        raise BadInput("{where}: only with --database.", where="--body")
    return str(ctx.args.tokens)


# The tokens live in a file (the server on its data file) or in the server's database.
TOKENS = (
    OneOf(
        (Arg("--tokens", metavar="FILE", type=path, help=Msg("the file of access tokens")), bodies.DATABASE),
        required=True,
    ),
    bodies.BODY,
)

COMMANDS = (
    command(
        "sync",
        "exchange changes with the sync server: pull, merge, push",
        cmd_sync,
        Arg(
            "--remote",
            metavar="URL",
            help=Msg("the sync server (default: remote from the config, or $SACHSTAND_REMOTE)"),
        ),
        Arg(
            "--token",
            metavar="TOKEN",
            help=Msg("the access token (default: token from the config, or $SACHSTAND_TOKEN)"),
        ),
        Arg(
            "--ca",
            metavar="FILE",
            type=path,
            help=Msg("a CA certificate bundle to verify the server with (default: the system's)"),
        ),
    ),
    command("conflicts", "list the sync conflicts: what, mine, theirs", cmd_conflicts),
    command(
        "resolve",
        "settle a sync conflict; the next sync sends the decision",
        cmd_resolve,
        MOTION,
        Arg("item", metavar="ITEM", help=Msg("the item's number, or motion for the motion's own fields")),
        OneOf(
            (
                Arg("--mine", action="store_const", const="mine", dest="choice", help=Msg("keep this copy's values")),
                Arg(
                    "--theirs",
                    action="store_const",
                    const="theirs",
                    dest="choice",
                    help=Msg("take the server's values"),
                ),
                Arg(
                    "--drop",
                    action="store_const",
                    const="drop",
                    dest="choice",
                    help=Msg("give up a change the server refused (ITEM: motion)"),
                ),
            ),
            required=True,
        ),
    ),
    command(
        "serve",
        "run the sync server on its own data file (--db) or on PostgreSQL (--database)",
        cmd_serve,
        Arg(
            "--tokens",
            metavar="FILE",
            type=path,
            help=Msg("the file of access tokens (see sachstand token); with --import: the file server's, moved in"),
        ),
        bodies.DATABASE,
        Arg(
            "--import",
            dest="import_from",
            metavar="FILE",
            type=path,
            help=Msg("with --database: first move this file server's data file (and --tokens) into the body"),
        ),
        bodies.BODY,
        Arg("--host", default="127.0.0.1", help=Msg("address to listen on (default: 127.0.0.1)")),
        Arg("--port", type=port, default=8750, help=Msg("port to listen on (default: 8750)")),
        Arg("--certfile", metavar="FILE", type=path, help=Msg("TLS certificate (with --keyfile: serve HTTPS)")),
        Arg("--keyfile", metavar="FILE", type=path, help=Msg("TLS private key (with --certfile)")),
        needs_store=False,
        in_client=True,  # a server runs for long, and stops on the signals its own process gets
    ),
    command(
        "token",
        "manage the sync server's access tokens",
        None,
        needs_store=False,
        subcommands=(
            command(
                "add",
                "make a token for a user and print it (shown only this once)",
                cmd_token_add,
                *TOKENS,
                Arg("name", metavar="NAME", help=Msg("the user the server records for this token")),
                Arg(
                    "--role",
                    default="clerk",
                    metavar="ROLE",
                    help=Msg("clerk (reads and changes everything; the default), department or reader"),
                ),
                Arg(
                    "--department",
                    action="append",
                    metavar="D",
                    help=Msg("with --role department: a department whose items it updates (repeatable)"),
                ),
                needs_store=False,
            ),
            command(
                "list", "list the tokens' names and when they were made", cmd_token_list, *TOKENS, needs_store=False
            ),
            command(
                "revoke",
                "revoke a token",
                cmd_token_revoke,
                *TOKENS,
                Arg("name", metavar="NAME", help=Msg("the token's name")),
                needs_store=False,
            ),
        ),
    ),
)


add_catalog(
    "de",
    {
        "Token for {name} (shown only this once; the database keeps only its hash):": "Token für {name} (wird nur dieses eine Mal gezeigt; die Datenbank behält nur seinen Hash):",
        "{where}: give --tokens FILE (a server on its data file, --db) or --database URL.": "{where}: --tokens DATEI (ein Server auf seiner Datendatei, --db) oder --database URL angeben.",
        "{where}: only with --database.": "{where}: nur mit --database.",
        "refused by the server": "vom Server abgelehnt",
        "{where}: a refused change is the whole motion's: give motion as ITEM.": "{where}: eine abgelehnte Änderung betrifft den ganzen Antrag: motion als PUNKT angeben.",
        "Dropped the refused change: the motion is as the server has it.": "Abgelehnte Änderung verworfen: der Antrag ist wie auf dem Server.",
        "give up a change the server refused (ITEM: motion)": "eine vom Server abgelehnte Änderung verwerfen (PUNKT: motion)",
        "The server refused the change of {motion}: {reason}. It stays here and is not sent again until "
        "you edit the motion again or drop the change (sachstand resolve MOTION motion --drop; dashboard: C).": "Der "
        "Server hat die Änderung an {motion} abgelehnt: {reason}. Sie bleibt hier und wird erst wieder gesendet, "
        "wenn Sie den Antrag erneut bearbeiten oder die Änderung verwerfen (sachstand resolve ANTRAG motion --drop; "
        "Dashboard: C).",
        "clerk (reads and changes everything; the default), department or reader": "clerk (liest und ändert alles; Voreinstellung), department (Amt) oder reader (nur lesen)",
        "with --role department: a department whose items it updates (repeatable)": "mit --role department: ein Amt, dessen Punkte es fortschreibt (mehrfach möglich)",
        "{where}: the database holds the tokens; a tokens file only with --import.": "{where}: die Datenbank enthält die Tokens; eine Token-Datei nur mit --import.",
        "{where}: cannot read {path}: {detail}.": "{where}: {path} nicht lesbar: {detail}.",
        "{where}: not a certificate and its private key in PEM ({detail}).": "{where}: kein Zertifikat mit seinem privaten Schlüssel im PEM-Format ({detail}).",
        "unknown host {host}: {detail}.": "unbekannter Host {host}: {detail}.",
        "port {port} on {host} is in use.": "Port {port} auf {host} ist schon belegt.",
        "cannot listen on port {port} of {host}: {detail}.": "Port {port} auf {host} lässt sich nicht öffnen: {detail}.",
        "{count} conflict remains (sachstand conflicts, sachstand resolve):": "{count} Konflikt offen (sachstand conflicts, sachstand resolve):",
        "Resolved {count} conflict ({choice}); the next sync sends the decision.": "{count} Konflikt entschieden ({choice}); der nächste Sync sendet die Entscheidung.",
    },
)
