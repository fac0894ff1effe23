"""The command line's import and export commands: motion letters, our JSON, OParl, reports."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from store import BadInput, Config, ImportResult, Store, parse_date
from store.exchange.files import read_import_file, write_file
from store.exchange.importers import OPARL_FIELDS, motions_from_papers
from store.model import now
from tui.format import newest_first

if TYPE_CHECKING:
    from tui.cli import Output

EXIT_OK = 0


def cmd_import(store: Store, args: argparse.Namespace, out: Output) -> int:
    from tui.cli import print_motion

    path = Path(args.file)
    motions, managed = read_import_file(path)
    if len(motions) == 1:
        print_motion(motions[0], out)
    else:
        out.say("{count} motions in {path}:", count=len(motions), path=path)
        for motion in motions:
            out.line(f"  {motion.reference or '–'}  {motion.title}")
    out.line()
    if not args.yes and not _confirm(out):
        out.note("Nothing saved.")
        return EXIT_OK
    _report(store.import_motions(motions, managed=managed), out)
    return EXIT_OK


def cmd_export(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.exchange.export import export_csv, export_json, export_markdown

    motions = [store.find(args.motion)] if args.motion else newest_first(store.motions())
    if args.department:
        wanted = args.department.strip().casefold()
        motions = [m for m in motions if any(item.department.casefold() == wanted for item in m.items)]
    if args.meeting:
        day = parse_date(args.meeting, "--meeting")
        motions = [m for m in motions if m.meeting == day]
    if args.format == "md":
        content = export_markdown(motions, out.lang, date.today()).encode("utf-8")
    elif args.format == "csv":
        content = export_csv(motions, out.lang, dialect="plain" if args.plain else "excel-de")
    else:
        content = export_json(motions)
    if args.output:
        write_file(Path(args.output), content)
        out.note("Wrote {count} motions to {path}.", count=len(motions), path=args.output)
    else:
        out.stdout.write(content.decode("utf-8"))
    return EXIT_OK


def cmd_oparl(store: Store, args: argparse.Namespace, out: Output, config: Config) -> int:
    from store.exchange.oparl import fetch_papers

    source = args.url
    cursor = None if args.full else store.import_cursor(source)
    since = datetime.fromisoformat(cursor) if cursor else None
    started = now()
    bar = ProgressBar(out.stderr, out.t("papers"))
    papers = list(
        fetch_papers(
            source,
            paper_types=tuple(args.type or config.oparl_types),
            modified_since=since,
            progress=bar.update,
            warn=lambda text: out.note("Warning: {text}", text=text.render(out.lang)),
        )
    )
    bar.finish()
    motions = motions_from_papers(papers, {motion.id: motion for motion in store.motions()}, date.today())
    result = store.import_motions(
        motions, managed=OPARL_FIELDS, source=source, cursor=started.astimezone(UTC).isoformat()
    )
    _report(result, out)
    return EXIT_OK


def _confirm(out: Output) -> bool:
    if not sys.stdin.isatty():
        raise BadInput("Nothing saved: confirm with --yes when there is no terminal to ask.")
    out.stdout.write(out.t("Save? [y/N] "))
    out.stdout.flush()
    return sys.stdin.readline().strip().casefold() in ("y", "yes", "j", "ja")


def _report(result: ImportResult, out: Output) -> None:
    out.note(
        "Imported: {added} new, {updated} updated, {unchanged} unchanged.",
        added=len(result.added),
        updated=len(result.updated),
        unchanged=result.unchanged,
    )
    for motion, fields in result.kept:
        out.note(
            "Kept your changes to {motion}: {fields}",
            motion=motion.reference or motion.title,
            fields=", ".join(out.t(f) for f in fields),
        )
    for motion in result.added:
        out.line(motion.id)


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the output is not one."""

    WIDTH = 30

    def __init__(self, stream: TextIO, unit: str) -> None:
        self.stream = stream
        self.unit = unit
        self.live = stream.isatty()

    def update(self, done: int, total: int | None) -> None:
        if not self.live:
            return
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // max(total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {self.unit}")
        else:
            self.stream.write(f"\r{done} {self.unit} …")
        self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\n")
