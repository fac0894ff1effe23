"""The commands on motions and their items: example, list, show, add, set, history, undo, generate."""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from store import (
    ITEM_FIELDS,
    MOTION_FIELDS,
    MOTION_FORM,
    BadInput,
    Field,
    HistoryEntry,
    Item,
    ItemStatus,
    Kind,
    Motion,
    MotionStatus,
    Msg,
    Statuses,
    add_catalog,
    field_label,
    new_items,
    new_motion_id,
    parse_item_status,
    parse_motion_status,
    plural,
)
from tui.cli.base import EXIT_OK, JSON, MOTION, Arg, Context, Output, command
from tui.format import (
    NONE,
    describe,
    fmt_date,
    fmt_groups,
    fmt_progress,
    fmt_status,
    fmt_time,
    item_facts,
    motion_facts,
    newest_first,
    short_id,
)

if TYPE_CHECKING:
    from store import MotionSummary


def _option(field: Field) -> Arg:
    """The field's command-line option, shaped by its kind; leaving it out gives None (or the default of a flag)."""
    assert field.option is not None, field.name
    flag, help = field.option.flag, Msg(field.option.help)
    if field.kind is Kind.BOOL:  # the flag says the opposite of the default: --non-public
        return Arg(flag, dest=field.name, action="store_false" if field.default else "store_true", help=help)
    shape = {"nargs": "+", "action": "extend"} if field.kind is Kind.LINES else {}
    return Arg(flag, dest=field.name, metavar=field.option.metavar, required=field.required, help=help, **shape)


def _typed(field: Field, args: argparse.Namespace) -> Any:
    """What was typed for the field's option, read by the field."""
    assert field.option is not None, field.name  # only fields with an option are offered
    return field.parse(getattr(args, field.name), field.option.flag)


# The fields a person sets on the command line: `add` for a new motion (in the form's order), `set` for an item.
ADDED = tuple(MOTION_FIELDS[name] for name in MOTION_FORM if MOTION_FIELDS[name].option)
SET = tuple(field for field in ITEM_FIELDS.values() if field.option)
ADD_ARGS = (
    *(_option(field) for field in ADDED),
    Arg("--item", metavar="TITLE", action="append", required=True, help=Msg("a requested item (repeat for each)")),
)
SET_ARGS = (
    MOTION,
    Arg("item", metavar="ITEM", help=Msg("the item's number, or several: 1,3-5")),
    Arg("status", metavar="STATUS", help=Msg("open, in_progress, reported, done or deferred (German labels work too)")),
    *(_option(field) for field in SET),
)


def cmd_example(ctx: Context) -> int:
    from store import EXAMPLE_ID, example_motion  # its letter is a resource file: loaded by this command only

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
    # The table of every motion: the list's index where it serves, as for the dashboard's first rows (brought
    # forward by the journal, which leaves a changed motion where it was: store/file/index.py). At 50,000 motions
    # 4.9 s became 2.0: no motion's items made.
    preview = None if args.json or args.status is not None else ctx.store.preview()
    motions: Sequence[Motion | MotionSummary] | None = None if preview is None else newest_first(preview)
    if motions is None:
        read = newest_first(ctx.store.motions())
        if args.status is not None:
            wanted = _status_filter(args.status)
            read = [m for m in read if wanted(m)]
        if args.json:
            out.json([m.to_dict() for m in read])
            return EXIT_OK
        motions = read
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
    header = (
        *(field_label(name, out.lang) for name in ("id", "reference", "submitted")),
        out.t("Groups"),
        out.t("Progress"),
        field_label("title", out.lang),
    )
    _print_table(header, rows, out)
    return EXIT_OK


def cmd_show(ctx: Context) -> int:
    ctx.store.focus(ctx.args.motion)  # read only that motion (store/file/offsets.py)
    motion = ctx.store.find(ctx.args.motion)
    if ctx.args.json:
        ctx.out.json(motion.to_dict())
    else:
        print_motion(motion, ctx.out)
    return EXIT_OK


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    values = {field.name: _typed(field, args) for field in ADDED}
    motion = Motion(
        id=new_motion_id(),
        items=new_items(args.item),
        status=MotionStatus.SCHEDULED if values["meeting"] else MotionStatus.RECEIVED,
        **values,
    )
    added = ctx.store.add_motion(motion)
    ctx.out.note(
        plural("Added motion {title} with {count} item.", "Added motion {title} with {count} items.", len(added.items)),
        title=added.title,
        count=len(added.items),
    )
    ctx.out.line(added.id)
    return EXIT_OK


def cmd_set(ctx: Context) -> int:
    args, store = ctx.args, ctx.store
    status = ITEM_FIELDS["status"].parse(args.status, "STATUS")
    spans = item_spans(args.item)
    store.focus(args.motion)  # read only that motion (store/file/offsets.py)
    motion = store.find(args.motion)
    for number in sorted({bound for span in spans for bound in span}):  # a clear message before anything else
        store.item(motion, number)
    numbers = list(dict.fromkeys(number for first, last in spans for number in range(first, last + 1)))
    values = {field.name: _typed(field, args) for field in SET if getattr(args, field.name) is not None}
    (changed,) = store.set_items([(motion.id, number) for number in numbers], {"status": status, **values})
    if changed == motion:
        ctx.out.note("Nothing changed.")
    for number in numbers:
        _print_item(changed.items[number - 1], ctx.out)
    return EXIT_OK


def cmd_history(ctx: Context) -> int:
    args, out, store = ctx.args, ctx.out, ctx.store
    if args.motion:
        store.focus(args.motion)  # read only that motion (store/file/offsets.py)
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
    titles = {m.id: m.reference or m.title for m in ([motion] if motion else store.motions())}
    for entry in entries:
        out.line(describe(entry, titles.get(entry.motion_id, entry.motion_id[:8]), out.lang))
    return EXIT_OK


def cmd_undo(ctx: Context) -> int:
    return _tell_changes(ctx, ctx.store.undo(), Msg("Undone: {change}"))


def cmd_redo(ctx: Context) -> int:
    return _tell_changes(ctx, ctx.store.redo(), Msg("Redone: {change}"))


def _tell_changes(ctx: Context, entries: list[HistoryEntry], msgid: str) -> int:
    out, store = ctx.out, ctx.store
    read = store.documents(everything=False)  # what the undo read: the motions it touched, perhaps no more
    for entry in entries:
        document = read.get(entry.motion_id)
        motion = store.get(entry.motion_id) if document is not None and not document.get("deleted") else None
        title = (motion.reference or motion.title) if motion else entry.motion_id[:8]
        out.say(msgid, change=describe(entry, title, out.lang))
    return EXIT_OK


MAX_GENERATED = 100_000  # motions: ten times the benchmark's big store, 200 MB, half a minute


def cmd_generate(ctx: Context) -> int:
    from store.exchange.generate import generate_motions

    args, store = ctx.args, ctx.store
    if not 1 <= args.motions <= MAX_GENERATED:  # more would take minutes and gigabytes: a typo, not a wish
        raise BadInput(
            "{where}: expected {expected}, got {value}.",
            where="--motions",
            expected=f"1 … {MAX_GENERATED}",
            value=args.motions,
        )
    present = len(store.motions())
    if present:
        raise BadInput(
            plural(
                "{path} holds {count} motion already; generate fills only an empty store.",
                "{path} holds {count} motions already; generate fills only an empty store.",
                present,
            ),
            path=store.path,
            count=present,
        )
    started = time.perf_counter()
    result = store.import_motions(generate_motions(args.motions, seed=args.seed), managed=())
    ctx.out.note(
        plural(
            "Generated {count} motion in {seconds:.1f} s.",
            "Generated {count} motions in {seconds:.1f} s.",
            len(result.added),
        ),
        count=len(result.added),
        seconds=time.perf_counter() - started,
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
    command("set", "set the status of one item or several", cmd_set, *SET_ARGS),
    command(
        "history",
        "show what changed, when and by whom",
        cmd_history,
        Arg("motion", metavar="MOTION", nargs="?", help=Msg("only this motion")),
        Arg("--limit", type=int, default=50, metavar="N", help=Msg("show the last N changes (0: all)")),
        JSON,
    ),
    command("undo", "undo your last change", cmd_undo),
    command("redo", "bring back what the last undo took back", cmd_redo),
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
    shown = ("title", "id", *(name for name in MOTION_FORM if name not in ("title", "text")))  # the text goes below
    facts = [
        *motion_facts(motion, shown, lang),
        (out.t("Progress"), fmt_progress(motion, lang)),
        (field_label("updated", lang), fmt_time(motion.updated, lang)),
    ]
    width = max(len(name) for name, _ in facts) + 1
    for name, value in facts:
        out.line(f"{(name + ':').ljust(width)} {value}")
    if motion.text:
        out.line()
        out.line(motion.text)
    out.line()
    out.say("Requested items:")
    for item in motion.items:
        _print_item(item, out)


def _print_item(item: Item, out: Output) -> None:
    out.line(f"{item.number:>3}. {item.title}")
    out.line("     " + "  ·  ".join([fmt_status(item.status, out.lang), *item_facts(item, out.lang)]))
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
        raise BadInput(
            "{where}: unknown status {value}; allowed: {allowed}.",
            where="--status",
            value=repr(text),
            allowed=Statuses((*MotionStatus, *ItemStatus)),
        ) from None
    return lambda motion: any(item.status is item_status for item in motion.items)


def item_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise BadInput("{where}: expected an item number from 1, got {value}.", where=Msg("ITEM"), value=repr(text))
    return number


_SPAN = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def item_spans(text: str) -> list[tuple[int, int]]:
    """Item numbers as typed: ``1,3-5`` -> [(1, 1), (3, 5)]; BadInput names the part at fault."""
    spans = []
    for part in text.split(","):
        found = _SPAN.match(part)
        if found is None:
            number = item_number(part.strip())
            spans.append((number, number))
            continue
        first, last = (item_number(bound) for bound in found.groups())
        if last < first:
            raise BadInput(
                "{where}: a range of items goes upwards ({first}-{last}), got {value}.",
                where=Msg("ITEM"),
                first=last,
                last=first,
                value=repr(part.strip()),
            )
        spans.append((first, last))
    return spans


# The singular forms; the plural ones are in tui/texts_de.py with the command line's other texts.
add_catalog(
    "de",
    {
        "Added motion {title} with {count} item.": "Antrag {title} mit {count} Punkt angelegt.",
        "{path} holds {count} motion already; generate fills only an empty store.": "{path} enthält schon {count} Antrag; generate füllt nur einen leeren Bestand.",
        "Generated {count} motion in {seconds:.1f} s.": "{count} Antrag in {seconds:.1f} s erzeugt.",
        "Redone: {change}": "Wiederhergestellt: {change}",
        "bring back what the last undo took back": "zurückholen, was das letzte Rückgängigmachen zurückgenommen hat",
        "the item's number, or several: 1,3-5": "Nummer des Punktes, oder mehrere: 1,3-5",
        "set the status of one item or several": "den Status eines Punktes oder mehrerer setzen",
        "{where}: a range of items goes upwards ({first}-{last}), got {value}.": (
            "{where}: ein Bereich von Punkten geht aufwärts ({first}-{last}), erhalten: {value}."
        ),
    },
)
