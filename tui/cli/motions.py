"""The commands on motions and their items: example, list, show, add, set, history, undo, generate."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from store import (
    EXAMPLE_ID,
    KEEP,
    BadInput,
    Item,
    ItemStatus,
    Motion,
    MotionStatus,
    Msg,
    check_field_line,
    check_line,
    check_text,
    clean_text,
    example_motion,
    label,
    new_items,
    new_motion_id,
    parse_date,
    parse_item_status,
    parse_motion_status,
)
from tui.cli.base import EXIT_OK, JSON, MOTION, Arg, Context, Output, command
from tui.format import (
    NONE,
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

# The fields a person sets on the command line, in one place: `add` for a new motion, `set` for an item.
ADD_ARGS = (
    Arg("--title", required=True, help=Msg("the motion's title")),
    Arg("--reference", default="", help=Msg("reference number (Drucksachen-Nr.)")),
    Arg("--submitted", metavar="YYYY-MM-DD", help=Msg("date the motion was submitted")),
    Arg("--by", metavar="GROUP", nargs="+", action="extend", default=[], help=Msg("submitting group(s)")),
    Arg("--addressed-to", default="", help=Msg("addressee, e.g. the Landrat")),
    Arg(
        "--copy-to",
        metavar="GROUP",
        nargs="+",
        action="extend",
        default=[],
        help=Msg("groups receiving a copy (z. K.)"),
    ),
    Arg("--committee", default="", help=Msg("committee that deals with it")),
    Arg("--meeting", metavar="YYYY-MM-DD", help=Msg("date of the target meeting")),
    Arg("--legal-basis", default="", help=Msg("legal basis, e.g. § 5 GeschO")),
    Arg("--non-public", action="store_true", help=Msg("the motion is dealt with in non-public session")),
    Arg("--text", default="", help=Msg("free text")),
    Arg("--source", default="", help=Msg("link to the source (letter, OParl paper)")),
    Arg("--item", metavar="TITLE", action="append", required=True, help=Msg("a requested item (repeat for each)")),
)
SET_ARGS = (
    MOTION,
    Arg("item", metavar="ITEM", help=Msg("the item's number")),
    Arg("status", metavar="STATUS", help=Msg("open, in_progress, reported, done or deferred (German labels work too)")),
    Arg("--note", metavar="TEXT", help=Msg("the status text (Sachstand)")),
    Arg("--department", metavar="D", help=Msg("lead department (federführendes Amt)")),
    Arg("--assignee", metavar="NAME", help=Msg("person handling it")),
    Arg("--due", metavar="YYYY-MM-DD", help=Msg("follow-up date (Wiedervorlage); empty to clear")),
)


def cmd_example(ctx: Context) -> int:
    motion = example_motion()
    try:
        existing = ctx.store.get(EXAMPLE_ID)
    except BadInput:
        ctx.store.add_motion(motion)
        ctx.out.note("Added the example motion: {title}", title=motion.title)
    else:
        ctx.out.note("The example motion is already there: {title}", title=existing.title)
    ctx.out.line(EXAMPLE_ID)
    return EXIT_OK


def cmd_list(ctx: Context) -> int:
    args, out = ctx.args, ctx.out
    motions = newest_first(ctx.store.motions())
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


def cmd_show(ctx: Context) -> int:
    motion = ctx.store.find(ctx.args.motion)
    if ctx.args.json:
        ctx.out.json(motion.to_dict())
    else:
        print_motion(motion, ctx.out)
    return EXIT_OK


def cmd_add(ctx: Context) -> int:
    args = ctx.args
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
    added = ctx.store.add_motion(motion)
    ctx.out.note("Added motion {title} with {count} items.", title=added.title, count=len(added.items))
    ctx.out.line(added.id)
    return EXIT_OK


def cmd_set(ctx: Context) -> int:
    args, store = ctx.args, ctx.store
    status = parse_item_status(args.status, "STATUS")
    number = item_number(args.item)
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
    if changed == motion:
        ctx.out.note("Nothing changed.")
    _print_item(changed.items[number - 1], ctx.out)
    return EXIT_OK


def cmd_history(ctx: Context) -> int:
    args, out, store = ctx.args, ctx.out, ctx.store
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


def cmd_undo(ctx: Context) -> int:
    out = ctx.out
    titles = {m.id: m.reference or m.title for m in ctx.store.motions()}
    for entry in ctx.store.undo():
        out.say("Undone: {change}", change=describe(entry, titles.get(entry.motion_id, entry.motion_id[:8]), out.lang))
    return EXIT_OK


def cmd_generate(ctx: Context) -> int:
    from store.exchange.generate import generate_motions

    args, store = ctx.args, ctx.store
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
    ctx.out.note(
        "Generated {count} motions in {seconds:.1f} s.", count=len(result.added), seconds=time.perf_counter() - started
    )
    return EXIT_OK


COMMANDS = (
    command("example", "add the example motion (Kreistag Heinsberg, 28.07.2020) and print its id", cmd_example),
    command(
        "list",
        "list motions",
        cmd_list,
        Arg(
            "--status",
            metavar="S",
            help=Msg("only motions in this procedural status, or with an item in this item status"),
        ),
        JSON,
    ),
    command("show", "show one motion with its items", cmd_show, MOTION, JSON),
    command("add", "add a motion and print its id", cmd_add, *ADD_ARGS),
    command("set", "set the status of one item", cmd_set, *SET_ARGS),
    command(
        "history",
        "show what changed, when and by whom",
        cmd_history,
        Arg("motion", metavar="MOTION", nargs="?", help=Msg("only this motion")),
        Arg("--limit", type=int, default=50, metavar="N", help=Msg("show the last N changes (0: all)")),
        JSON,
    ),
    command("undo", "undo your last change", cmd_undo),
    command(
        "generate",
        "fill an empty store with synthetic motions, for trying and measuring at scale",
        cmd_generate,
        Arg("--motions", type=int, required=True, metavar="N", help=Msg("how many motions")),
        Arg("--seed", type=int, default=2020, help=Msg("the same seed gives the same motions")),
    ),
)


# --- printing -----------------------------------------------------------------------


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], out: Output) -> None:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
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


def item_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise BadInput("{where}: expected an item number from 1, got {value}.", where="ITEM", value=repr(text))
    return number
