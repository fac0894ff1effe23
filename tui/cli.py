"""The ``sachstand`` command line: the dashboard's entry point and headless commands.

Every command goes through the public API of :mod:`store`, the same one the
dashboard uses. Exit codes: 0 ok, 2 bad input or usage, 1 any other failure,
3 synced but conflicts remain.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

import orjson

from store import (
    EXAMPLE_ID,
    KEEP,
    BadInput,
    Config,
    ConfigError,
    Item,
    ItemStatus,
    Motion,
    MotionStatus,
    SachstandError,
    Store,
    example_motion,
    label,
    load_config,
    new_items,
    new_motion_id,
    open_store,
    parse_date,
    parse_item_status,
    parse_motion_status,
    translate,
)
from store.exchange.generate import generate_motions
from store.i18n import DEFAULT_LANGUAGE, language_from_locale, normalise_language
from store.model import check_field_line, check_line, check_text, clean_text
from tui.exchange import cmd_export, cmd_import, cmd_oparl
from tui.format import (
    NONE,
    conflict_place,
    conflict_value,
    describe,
    fmt_date,
    fmt_groups,
    fmt_list,
    fmt_progress,
    fmt_status,
    fmt_time,
    newest_first,
    short_id,
)

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

    def json(self, data: object) -> None:
        self.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")

    def error(self, text: str) -> None:
        print(f"{PROG}: {self.t('error')}: {text}", file=self.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors raised instead of printed, so they share our format."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message, self.format_usage())


class _UsageError(Exception):
    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


def build_parser(lang: str) -> argparse.ArgumentParser:
    def t(msgid: str) -> str:
        return translate(msgid, lang)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=t("the data file (default: from config, $SACHSTAND_DB, or the user data folder)"),
    )
    common.add_argument(
        "--lang", choices=("de", "en"), default=argparse.SUPPRESS, help=t("language of the output (de or en)")
    )

    parser = _Parser(
        prog=PROG,
        parents=[common],
        description=t("Sachstand: track council motions and the status of what they request."),
    )
    parser.add_argument("--version", action="store_true", help=t("print the version and exit"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=t(help_text), description=t(help_text))

    command("example", "add the example motion (Kreistag Heinsberg, 28.07.2020) and print its id")
    command("demo", "open the dashboard on a temporary store holding the example motion")

    listing = command("list", "list motions")
    listing.add_argument(
        "--status", metavar="S", help=t("only motions in this procedural status, or with an item in this item status")
    )
    listing.add_argument("--json", action="store_true", help=t("print JSON"))

    show = command("show", "show one motion with its items")
    show.add_argument("motion", metavar="MOTION", help=t("an id, a unique id prefix or a reference number"))
    show.add_argument("--json", action="store_true", help=t("print JSON"))

    add = command("add", "add a motion and print its id")
    add.add_argument("--title", required=True, help=t("the motion's title"))
    add.add_argument("--reference", default="", help=t("reference number (Drucksachen-Nr.)"))
    add.add_argument("--submitted", metavar="YYYY-MM-DD", help=t("date the motion was submitted"))
    add.add_argument("--by", metavar="GROUP", nargs="+", action="extend", default=[], help=t("submitting group(s)"))
    add.add_argument("--addressed-to", default="", help=t("addressee, e.g. the Landrat"))
    add.add_argument(
        "--copy-to", metavar="GROUP", nargs="+", action="extend", default=[], help=t("groups receiving a copy (z. K.)")
    )
    add.add_argument("--committee", default="", help=t("committee that deals with it"))
    add.add_argument("--meeting", metavar="YYYY-MM-DD", help=t("date of the target meeting"))
    add.add_argument("--legal-basis", default="", help=t("legal basis, e.g. § 5 GeschO"))
    add.add_argument("--non-public", action="store_true", help=t("the motion is dealt with in non-public session"))
    add.add_argument("--text", default="", help=t("free text"))
    add.add_argument("--source", default="", help=t("link to the source (letter, OParl paper)"))
    add.add_argument(
        "--item", metavar="TITLE", action="append", required=True, help=t("a requested item (repeat for each)")
    )

    setter = command("set", "set the status of one item")
    setter.add_argument("motion", metavar="MOTION", help=t("an id, a unique id prefix or a reference number"))
    setter.add_argument("item", metavar="ITEM", help=t("the item's number"))
    setter.add_argument(
        "status", metavar="STATUS", help=t("open, in_progress, reported, done or deferred (German labels work too)")
    )
    setter.add_argument("--note", metavar="TEXT", help=t("the status text (Sachstand)"))
    setter.add_argument("--department", metavar="D", help=t("lead department (federführendes Amt)"))
    setter.add_argument("--assignee", metavar="NAME", help=t("person handling it"))
    setter.add_argument("--due", metavar="YYYY-MM-DD", help=t("follow-up date (Wiedervorlage); empty to clear"))

    history = command("history", "show what changed, when and by whom")
    history.add_argument("motion", metavar="MOTION", nargs="?", help=t("only this motion"))
    history.add_argument("--limit", type=int, default=50, metavar="N", help=t("show the last N changes (0: all)"))
    history.add_argument("--json", action="store_true", help=t("print JSON"))

    command("undo", "undo your last change")

    generate = command("generate", "fill an empty store with synthetic motions, for trying and measuring at scale")
    generate.add_argument("--motions", type=int, required=True, metavar="N", help=t("how many motions"))
    generate.add_argument("--seed", type=int, default=2020, help=t("the same seed gives the same motions"))

    importing = command("import", "import a motion letter (text or Markdown) or a Sachstand JSON export")
    importing.add_argument("file", metavar="FILE", help=t("the letter or export file"))
    importing.add_argument("--yes", action="store_true", help=t("save without asking"))

    oparl = command("oparl", "import the motions (papers) of a council information system over OParl")
    oparl.add_argument("url", metavar="URL", help=t("an OParl system or body URL"))
    oparl.add_argument(
        "--type",
        metavar="PAPERTYPE",
        action="append",
        help=t("paper types to import (default: oparl_types from the config, else Antrag; repeat for more)"),
    )
    oparl.add_argument(
        "--full", action="store_true", help=t("fetch everything, not only what changed since the last run")
    )

    export = command("export", "write a status report (Markdown), a spreadsheet (CSV) or JSON")
    export.add_argument(
        "--format", choices=("md", "csv", "json"), default="md", help=t("md, csv or json (default: md)")
    )
    export.add_argument("--motion", metavar="M", help=t("only this motion"))
    export.add_argument("--department", metavar="D", help=t("only motions with items of this department"))
    export.add_argument("--meeting", metavar="YYYY-MM-DD", help=t("only motions for the meeting on this date"))
    export.add_argument(
        "--plain", action="store_true", help=t("CSV with commas and ISO dates instead of the German spreadsheet format")
    )
    export.add_argument("-o", "--output", metavar="FILE", help=t("write to FILE instead of the screen"))

    syncing = command("sync", "exchange changes with the sync server: pull, merge, push")
    syncing.add_argument(
        "--remote", metavar="URL", help=t("the sync server (default: remote from the config, or $SACHSTAND_REMOTE)")
    )
    syncing.add_argument(
        "--token", metavar="TOKEN", help=t("the access token (default: token from the config, or $SACHSTAND_TOKEN)")
    )
    syncing.add_argument(
        "--ca", metavar="FILE", help=t("a CA certificate bundle to verify the server with (default: the system's)")
    )

    command("conflicts", "list the sync conflicts: what, mine, theirs")

    resolve = command("resolve", "settle a sync conflict; the next sync sends the decision")
    resolve.add_argument("motion", metavar="MOTION", help=t("an id, a unique id prefix or a reference number"))
    resolve.add_argument("item", metavar="ITEM", help=t("the item's number, or motion for the motion's own fields"))
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--mine", action="store_const", const="mine", dest="choice", help=t("keep this copy's values"))
    choice.add_argument(
        "--theirs", action="store_const", const="theirs", dest="choice", help=t("take the server's values")
    )

    serve = command("serve", "run the sync server on its own data file (--db)")
    serve.add_argument(
        "--tokens", metavar="FILE", required=True, help=t("the file of access tokens (see sachstand token)")
    )
    serve.add_argument("--host", default="127.0.0.1", help=t("address to listen on (default: 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=8750, help=t("port to listen on (default: 8750)"))
    serve.add_argument("--certfile", metavar="FILE", help=t("TLS certificate (with --keyfile: serve HTTPS)"))
    serve.add_argument("--keyfile", metavar="FILE", help=t("TLS private key (with --certfile)"))

    token = command("token", "manage the sync server's access tokens")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", required=True, parser_class=_Parser)

    def token_command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = token_commands.add_parser(name, help=t(help_text), description=t(help_text))
        sub.add_argument("--tokens", metavar="FILE", required=True, help=t("the file of access tokens"))
        return sub

    token_command("add", "make a token for a user and print it (shown only this once)").add_argument(
        "name", metavar="NAME", help=t("the user the server records for this token")
    )
    token_command("list", "list the tokens' names and when they were made")
    token_command("revoke", "revoke a token").add_argument("name", metavar="NAME", help=t("the token's name"))
    return parser


# --- commands ---------------------------------------------------------------------


def cmd_example(store: Store, args: argparse.Namespace, out: Output) -> int:
    motion = example_motion()
    try:
        existing = store.get(EXAMPLE_ID)
    except BadInput:
        store.add_motion(motion)
        out.note("Added the example motion: {title}", title=motion.title)
    else:
        out.note("The example motion is already there: {title}", title=existing.title)
    out.line(EXAMPLE_ID)
    return EXIT_OK


def cmd_demo(store: Store, args: argparse.Namespace, out: Output, config: Config) -> int:
    folder = Path(tempfile.mkdtemp(prefix="sachstand-demo-"))
    try:
        with Store(folder / "demo.json", user=store.user) as demo:
            demo.add_motion(example_motion())
            return _run_dashboard(demo, out, config)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cmd_list(store: Store, args: argparse.Namespace, out: Output) -> int:
    motions = newest_first(store.motions())
    if args.status is not None:
        motions = [m for m in motions if _status_filter(args.status)(m)]
    if args.json:
        out.json([m.to_dict() for m in motions])
        return EXIT_OK
    if not motions:
        out.note("No motions. Add one with `sachstand add` or the example with `sachstand example`.")
        return EXIT_OK
    rows = [
        (
            short_id(m),
            m.reference or NONE,
            fmt_date(m.submitted, out.lang),
            fmt_groups(m.submitted_by),
            fmt_progress(m, out.lang),
            m.title,
        )
        for m in motions
    ]
    header = tuple(out.t(name) for name in ("ID", "Reference", "Submitted", "Groups", "Progress", "Title"))
    _print_table(header, rows, out)
    return EXIT_OK


def cmd_show(store: Store, args: argparse.Namespace, out: Output) -> int:
    motion = store.find(args.motion)
    if args.json:
        out.json(motion.to_dict())
    else:
        print_motion(motion, out)
    return EXIT_OK


def cmd_add(store: Store, args: argparse.Namespace, out: Output) -> int:
    motion = Motion(
        id=new_motion_id(),
        title=check_field_line("title", args.title.strip(), "--title"),
        items=new_items(args.item),
        reference=check_line(args.reference.strip(), "--reference"),
        submitted=parse_date(args.submitted, "--submitted"),
        submitted_by=tuple(check_line(group.strip(), "--by", required=True) for group in args.by),
        addressed_to=check_line(args.addressed_to.strip(), "--addressed-to"),
        copy_to=tuple(check_line(group.strip(), "--copy-to", required=True) for group in args.copy_to),
        committee=check_line(args.committee.strip(), "--committee"),
        meeting=parse_date(args.meeting, "--meeting"),
        legal_basis=check_line(args.legal_basis.strip(), "--legal-basis"),
        public=not args.non_public,
        status=MotionStatus.SCHEDULED if args.meeting else MotionStatus.RECEIVED,
        text=check_text(clean_text(args.text), "--text"),
        source=check_field_line("source", args.source.strip(), "--source"),
    )
    added = store.add_motion(motion)
    out.note("Added motion {title} with {count} items.", title=added.title, count=len(added.items))
    out.line(added.id)
    return EXIT_OK


def cmd_set(store: Store, args: argparse.Namespace, out: Output) -> int:
    status = parse_item_status(args.status, "STATUS")
    number = _item_number(args.item)
    motion = store.find(args.motion)
    store.item(motion, number)  # a clear message for a wrong number before anything else
    changed = store.set_item(
        motion.id,
        number,
        status=status,
        note=KEEP if args.note is None else check_text(clean_text(args.note), "--note"),
        department=KEEP if args.department is None else check_line(args.department.strip(), "--department"),
        assignee=KEEP if args.assignee is None else check_line(args.assignee.strip(), "--assignee"),
        due=KEEP if args.due is None else parse_date(args.due.strip(), "--due"),
    )
    item = changed.items[number - 1]
    if changed == motion:
        out.note("Nothing changed.")
    _print_item(item, out)
    return EXIT_OK


def cmd_history(store: Store, args: argparse.Namespace, out: Output) -> int:
    motion = store.find(args.motion) if args.motion else None
    entries = store.history(motion.id if motion else None)
    if args.limit < 0:
        raise BadInput(
            "{where}: expected {expected}, got {value}.", where="--limit", expected="0, 1, 2, ...", value=args.limit
        )
    if args.limit:
        entries = entries[-args.limit :]
    if args.json:
        out.json([{**entry.to_dict(), "motion": entry.motion_id} for entry in entries])
        return EXIT_OK
    if not entries:
        out.note("No changes recorded yet.")
    titles = {m.id: m.reference or m.title for m in store.motions()}
    for entry in entries:
        out.line(describe(entry, titles.get(entry.motion_id, entry.motion_id[:8]), out.lang))
    return EXIT_OK


def cmd_undo(store: Store, args: argparse.Namespace, out: Output) -> int:
    titles = {m.id: m.reference or m.title for m in store.motions()}
    for entry in store.undo():
        out.say("Undone: {change}", change=describe(entry, titles.get(entry.motion_id, entry.motion_id[:8]), out.lang))
    return EXIT_OK


def cmd_generate(store: Store, args: argparse.Namespace, out: Output) -> int:
    if args.motions < 1:
        raise BadInput(
            "{where}: expected {expected}, got {value}.", where="--motions", expected="1, 2, 3, ...", value=args.motions
        )
    present = len(store.motions())
    if present:
        raise BadInput(
            "{path} holds {count} motions already; generate fills only an empty store.", path=store.path, count=present
        )
    started = time.perf_counter()
    result = store.import_motions(generate_motions(args.motions, seed=args.seed), managed=())
    out.note(
        "Generated {count} motions in {seconds:.1f} s.", count=len(result.added), seconds=time.perf_counter() - started
    )
    return EXIT_OK


def cmd_sync(store: Store, args: argparse.Namespace, out: Output, config: Config) -> int:
    from store.sync.client import remote_from, sync

    remote = remote_from(
        args.remote or config.remote, args.token or config.token, args.ca or config.ca, config.config_file
    )
    report = sync(store, remote.url, remote.token, ca=remote.ca)
    out.note(
        "Synced with {url}: {pulled} received, {pushed} sent.",
        url=remote.url,
        pulled=report.pulled,
        pushed=report.pushed,
    )
    if report.conflicts:
        out.note("{count} conflicts remain (sachstand conflicts, sachstand resolve):", count=len(report.conflicts))
        _print_conflicts(report.conflicts, out)
        return EXIT_CONFLICTS
    return EXIT_OK


def cmd_conflicts(store: Store, args: argparse.Namespace, out: Output) -> int:
    found = store.conflicts()
    if not found:
        out.note("No conflicts.")
        return EXIT_OK
    _print_conflicts(found, out)
    return EXIT_OK


def cmd_resolve(store: Store, args: argparse.Namespace, out: Output) -> int:
    target = args.item.strip().lower()
    path = "motion" if target in ("motion", "antrag") else f"items.{_item_number(target)}"
    motion_id = _conflicted_motion(store, args.motion)
    settled = store.resolve(motion_id, path, args.choice)
    out.note(
        "Resolved {count} conflicts ({choice}); the next sync sends the decision.",
        count=len(settled),
        choice=out.t("kept mine") if args.choice == "mine" else out.t("took theirs"),
    )
    return EXIT_OK


def _conflicted_motion(store: Store, ref: str) -> str:
    """The motion's id; a deleted motion can have conflicts too, so look there as well."""
    try:
        return store.find(ref).id
    except BadInput:
        ids = sorted(
            {
                c.motion_id
                for c in store.conflicts()
                if c.motion_id.startswith(ref.strip().lower()) or c.motion == ref.strip()
            }
        )
        if len(ids) == 1:
            return ids[0]
        raise


def _print_conflicts(found: list, out: Output) -> None:
    for conflict in found:
        out.line(f"{short_id_of(conflict.motion_id)}  {conflict.motion}  {conflict_place(conflict.path, out.lang)}")
        out.line(f"    {out.t('mine')}:   {conflict_value(conflict.path, conflict.mine, out.lang)}")
        out.line(f"    {out.t('theirs')}: {conflict_value(conflict.path, conflict.theirs, out.lang)}")


def short_id_of(motion_id: str) -> str:
    return motion_id[:8]


def cmd_serve(args: argparse.Namespace, out: Output, config: Config) -> int:
    import uvicorn

    from store.sync.server import create_app
    from store.sync.tokens import list_tokens

    if getattr(args, "db", None) is None:
        raise BadInput("{where}: the server needs its own data file.", where="--db")
    if (args.certfile is None) != (args.keyfile is None):
        raise BadInput("{where}: give both --certfile and --keyfile, or neither.", where="--certfile/--keyfile")
    if not list_tokens(args.tokens):
        out.note(
            "No tokens in {path} yet: nobody can connect. Make one with `sachstand token add NAME --tokens {path}`.",
            path=args.tokens,
        )
    with Store(config.db, user="sachstand-server", revisions=True) as check:
        check.refresh()  # a broken data file stops us here, not at the first request
    app = create_app(config.db, args.tokens, backups=config.backups)
    scheme = "https" if args.certfile else "http"
    out.note(
        "Serving {path} at {url} (Ctrl+C stops).", path=config.db, url=f"{scheme}://{args.host}:{args.port}/api/v1"
    )
    uvicorn.run(
        app, host=args.host, port=args.port, ssl_certfile=args.certfile, ssl_keyfile=args.keyfile, log_level="info"
    )
    return EXIT_OK


def cmd_token(args: argparse.Namespace, out: Output, config: Config) -> int:
    from store.sync.tokens import add_token, list_tokens, revoke_token

    if args.token_command == "add":
        token = add_token(args.tokens, args.name)
        out.note("Token for {name} (shown only this once; the file keeps only its hash):", name=args.name)
        out.line(token)
    elif args.token_command == "list":
        tokens = list_tokens(args.tokens)
        if not tokens:
            out.note("No tokens in {path}.", path=args.tokens)
        for name, created in tokens:
            out.line(f"{name}\t{created}")
    else:
        revoke_token(args.tokens, args.name)
        out.note("Revoked the token {name}.", name=args.name)
    return EXIT_OK


def cmd_dashboard(store: Store, args: argparse.Namespace, out: Output, config: Config) -> int:
    return _run_dashboard(store, out, config)


def _run_dashboard(store: Store, out: Output, config: Config) -> int:
    from tui.app import SachstandApp, binding_ids  # Textual loads only for the dashboard

    unknown = sorted(set(config.keys) - binding_ids())
    if unknown:
        raise ConfigError(
            "{where}: unknown key binding {name}; known: {known}.",
            where=f"{config.config_file}: [keys]",
            name=repr(unknown[0]),
            known=", ".join(sorted(binding_ids())),
        )
    remote = None
    if config.remote:
        from store.sync.client import remote_from

        remote = remote_from(config.remote, config.token, config.ca, config.config_file)
    if not (out.stdout.isatty() and sys.stdin.isatty()):
        raise BadInput("The dashboard needs a terminal; for scripts use the commands (sachstand --help).")
    app = SachstandApp(
        store,
        out.lang,
        keymap=config.keys,
        oparl_types=config.oparl_types,
        remote=remote,
        sync_interval=config.sync_interval,
    )
    app.run()
    if app.failure is not None:
        raise app.failure  # an unreadable store: said the same way as by every other command
    return EXIT_OK


COMMANDS: dict[str | None, Callable[..., int]] = {
    None: cmd_dashboard,
    "example": cmd_example,
    "demo": cmd_demo,
    "list": cmd_list,
    "show": cmd_show,
    "add": cmd_add,
    "set": cmd_set,
    "history": cmd_history,
    "undo": cmd_undo,
    "generate": cmd_generate,
    "import": cmd_import,
    "oparl": cmd_oparl,
    "export": cmd_export,
    "sync": cmd_sync,
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
}

# Commands that do not open the user's own data file.
STORELESS: dict[str, Callable[..., int]] = {"serve": cmd_serve, "token": cmd_token}


# --- printing -----------------------------------------------------------------------


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]], out: Output) -> None:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        out.line("  ".join([*cells, row[-1]]).rstrip())


def print_motion(motion: Motion, out: Output) -> None:
    lang = out.lang
    fields = [
        ("Title", motion.title),
        ("ID", motion.id),
        ("Reference", motion.reference or NONE),
        ("Submitted", fmt_date(motion.submitted, lang)),
        ("Submitted by", fmt_list(motion.submitted_by)),
        ("Addressed to", motion.addressed_to or NONE),
        ("Copy to", fmt_list(motion.copy_to)),
        ("Committee", motion.committee or NONE),
        ("Meeting", fmt_date(motion.meeting, lang)),
        ("Legal basis", motion.legal_basis or NONE),
        ("Public", out.t("yes") if motion.public else out.t("no")),
        ("Procedure", label(motion.status, lang)),
        ("Source", motion.source or NONE),
        *((("At the source", out.t("deleted at the source")),) if motion.source_deleted else ()),
        ("Progress", fmt_progress(motion, lang)),
        ("Updated", fmt_time(motion.updated, lang)),
    ]
    width = max(len(out.t(name)) for name, _ in fields) + 1
    for name, value in fields:
        out.line(f"{(out.t(name) + ':').ljust(width)} {value}")
    if motion.text:
        out.line()
        out.line(motion.text)
    out.line()
    out.say("Requested items:")
    for item in motion.items:
        _print_item(item, out)


def _print_item(item: Item, out: Output) -> None:
    out.line(f"{item.number:>3}. {item.title}")
    details = [
        fmt_status(item.status, out.lang),
        f"{out.t('Department')}: {item.department or NONE}",
        f"{out.t('Due')}: {fmt_date(item.due, out.lang)}",
    ]
    if item.assignee:
        details.append(f"{out.t('Assignee')}: {item.assignee}")
    out.line("     " + "  ·  ".join(details))
    if item.note:
        for line in item.note.splitlines():
            out.line(f"     │ {line}")


# --- helpers --------------------------------------------------------------------------


def _status_filter(text: str) -> Callable[[Motion], bool]:
    try:
        motion_status = parse_motion_status(text, "--status")
    except BadInput:
        pass
    else:
        return lambda motion: motion.status is motion_status
    try:
        item_status = parse_item_status(text, "--status")
    except BadInput:
        allowed = ", ".join([*(s.value for s in MotionStatus), *(s.value for s in ItemStatus)])
        raise BadInput(
            "{where}: unknown status {value}; allowed: {allowed}.", where="--status", value=repr(text), allowed=allowed
        ) from None
    return lambda motion: any(item.status is item_status for item in motion.items)


def _item_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise BadInput("{where}: expected an item number from 1, got {value}.", where="ITEM", value=repr(text))
    return number


def _language_hint(argv: Sequence[str]) -> str:
    """The language for messages before the config is read (and if reading it fails)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return normalise_language(argv[index + 1]) or DEFAULT_LANGUAGE
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1]) or DEFAULT_LANGUAGE
    env_lang = normalise_language(os.environ.get("SACHSTAND_LANG", ""))
    return env_lang or language_from_locale() or DEFAULT_LANGUAGE


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = Output(_language_hint(argv), stdout or sys.stdout, stderr or sys.stderr)
    try:
        with contextlib.redirect_stdout(out.stdout):  # argparse prints --help itself
            args = build_parser(out.lang).parse_args(argv)
    except _UsageError as error:
        out.stderr.write(error.usage)
        out.error(str(error))
        return EXIT_USAGE
    except SystemExit as done:  # --help
        return int(done.code or 0)
    if args.version:
        from importlib.metadata import version

        out.line(f"{PROG} {version('sachstand')}")
        return EXIT_OK
    try:
        config = load_config(db=getattr(args, "db", None), lang=getattr(args, "lang", None))
        out.lang = config.lang
        if args.command in STORELESS:
            return STORELESS[args.command](args, out, config)
        with open_store(config) as store:
            command = COMMANDS[args.command]
            if command in (cmd_dashboard, cmd_demo, cmd_oparl, cmd_sync):
                return command(store, args, out, config)
            return command(store, args, out)
    except SachstandError as error:
        out.error(error.render(out.lang))
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sachstand list | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
