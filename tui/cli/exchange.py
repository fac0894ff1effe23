"""The commands that get motions in and reports out: import (a letter or our JSON), oparl, export.

The workflows themselves live in :mod:`store.exchange.workflows`, shared with the dashboard and
imported by the commands that run them, so that other commands do not load it; what is here is
the command line's part: asking, progress on the terminal, printing the report.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING

from store import EXPORT_KINDS, BadInput, ImportResult, Msg, add_catalog, typed_date
from tui.cli.base import EXIT_OK, EXIT_USAGE, Arg, Context, Output, command, path, printable
from tui.cli.motions import print_motion
from tui.cli.progress import ProgressBar
from tui.cli.remind import import_answers
from tui.format import newest_first

if TYPE_CHECKING:
    from store.exchange.workflows import ImportFile


def cmd_import(ctx: Context) -> int:
    """Read every file (a folder: the files in it), show what they hold, ask once, save; one line per file.
    Exit 2 when a file was refused, though the others went in."""
    from store.exchange.workflows import ImportFile, Refused, import_paths, read_imports, save_imports

    out = ctx.out
    paths = import_paths(ctx.args.file)
    bar = ProgressBar(out.stderr, out.t("files"))
    read = read_imports(paths, bar.update if len(paths) > 1 else None)
    bar.finish(len(paths) > 1)
    found = [file for file in read if isinstance(file, ImportFile) and file.answers is None]
    answers = [file for file in read if isinstance(file, ImportFile) and file.answers is not None]
    refused = [file for file in read if isinstance(file, Refused)]
    if len(paths) == 1 and refused:
        raise refused[0].error  # one file, refused: said as any bad input is
    for file in read:
        if isinstance(file, Refused):
            out.error(file.error.render(out.lang))
        elif file.answers is None:
            _preview(file, out, alone=len(read) == 1)
    code = EXIT_USAGE if refused else EXIT_OK
    if answers:  # departments' answer lists (store/mail/answers.py): a flow of their own
        code = max(code, import_answers(ctx, answers, _confirm))
    if not found:
        return code
    out.line()
    if not ctx.args.yes and not _confirm(out):
        out.note("Nothing saved.")
        return code
    result, lines = save_imports(ctx.store, found)
    if len(paths) > 1:
        for line in lines:
            out.notice(line)
    _report(result, out)
    return code


def _preview(file: ImportFile, out: Output, *, alone: bool) -> None:
    """A single letter in full (to check before saving); else a line per motion under the file's name."""
    if alone and len(file.motions) == 1:
        print_motion(file.motions[0], out)
        return
    if len(file.motions) == 1:
        out.line(f"{printable(str(file.path))}:")
    else:
        out.say("{count} motions in {path}:", count=len(file.motions), path=file.path)
    for motion in file.motions:
        out.line(f"  {motion.reference or '–'}  {motion.title}")


def cmd_oparl(ctx: Context) -> int:
    from store.exchange.workflows import OParlImport

    out = ctx.out
    run = OParlImport.begin(ctx.store, ctx.args.url, full=ctx.args.full)
    bar = ProgressBar(out.stderr, out.t("papers"))
    run.fetch(ctx.args.type or ctx.config.oparl_types, out.notice, bar.update)
    bar.finish()
    _report(run.save(ctx.store, date.today()), out)
    return EXIT_OK


def cmd_export(ctx: Context) -> int:
    """Every format: chosen motions, perhaps for publication. The council's report (docx, pdf) is a
    file, perhaps recorded; every question about the input is settled before anything is written."""
    from store.exchange.workflows import (
        REPORT_KINDS,
        export_content,
        of_committee,
        of_department,
        write_exported,
    )

    args, out = ctx.args, ctx.out
    report = args.format in REPORT_KINDS
    if args.record and not report:
        raise BadInput("{where}: only the council's report ({kinds}) is recorded.", where="--record", kinds="docx, pdf")
    if report and not args.output:
        raise BadInput("{where}: the report is a file: give -o FILE.", where=f"--format {args.format}")
    meeting = typed_date(args.meeting, "--meeting") if args.meeting else None
    everything = ctx.store.motions()
    motions = [ctx.store.find(args.motion)] if args.motion else newest_first(everything)
    if args.committee:
        motions = of_committee(motions, args.committee, everything)
    if args.department:
        motions = of_department(motions, args.department, args.format)
    if meeting:
        motions = [m for m in motions if m.meeting == meeting]
    today = date.today()
    if args.output:
        config = ctx.config
        for notice in write_exported(
            ctx.store,
            args.output,
            motions,
            args.format,
            out.lang,
            today,
            public=args.public,
            plain=args.plain,
            record=args.record,
            body=config.body_name,
            lights=config.report["traffic_lights"],
            meeting=meeting,
        ):
            out.notice(notice)
    else:
        out.write(
            export_content(motions, args.format, out.lang, today, plain=args.plain, public=args.public).decode("utf-8")
        )
    return EXIT_OK


def cmd_reports(ctx: Context) -> int:
    """The recorded reports, oldest first, a line each."""
    from store.exchange.workflows import recorded_notice, recorded_reports

    records = recorded_reports(ctx.store)
    if not records:
        ctx.out.note("No report recorded yet (export --format docx|pdf --record).")
    for record in records:
        ctx.out.line(recorded_notice(record, ctx.out.lang).render(ctx.out.lang))
    return EXIT_OK


def _confirm(out: Output) -> bool:
    if not sys.stdin.isatty():
        raise BadInput("Nothing saved: confirm with --yes when there is no terminal to ask.")
    out.write(out.t("Save? [y/N] "))
    out.flush()
    return sys.stdin.readline().strip().casefold() in ("y", "yes", "j", "ja")


def _report(result: ImportResult, out: Output) -> None:
    """What the import did on stderr, as the dashboard says it; the new motions' ids on stdout, for scripts."""
    from store.exchange.workflows import import_notices

    for notice in import_notices(result):
        out.notice(notice)
    for motion in result.added:
        out.line(motion.id)


COMMANDS = (
    command(
        "import",
        "import motion letters (text, Markdown, PDF, Word, OpenDocument, e-mail), a Sachstand JSON export or a "
        "department's answer list (CSV)",
        cmd_import,
        Arg(
            "file",
            metavar="FILE",
            nargs="+",
            type=path,
            help=Msg("letters or export files; a folder: every file in it of a kind import reads"),
        ),
        Arg("--yes", action="store_true", help=Msg("save without asking")),
    ),
    command(
        "oparl",
        "import the motions (papers) of a council information system over OParl",
        cmd_oparl,
        Arg("url", metavar="URL", help=Msg("an OParl system or body URL")),
        Arg(
            "--type",
            metavar="PAPERTYPE",
            action="append",
            # Not naming the built-in default: store/config.py declares it, once.
            help=Msg("paper types to import (default: oparl_types from the config; repeat for more)"),
        ),
        Arg("--full", action="store_true", help=Msg("fetch everything, not only what changed since the last run")),
    ),
    command(
        "export",
        "write a status report (Markdown, Word, PDF), a spreadsheet (CSV) or JSON",
        cmd_export,
        Arg(
            "--format",
            choices=EXPORT_KINDS,
            default="md",
            help=Msg("md, csv, json, or the council's report as docx or pdf (default: md)"),
        ),
        Arg("--motion", metavar="M", help=Msg("only this motion")),
        Arg(
            "--department",
            metavar="D",
            help=Msg("only the items of this department (json: the motions with such items, whole)"),
        ),
        Arg("--committee", metavar="C", help=Msg("only the motions of this committee")),
        Arg("--meeting", metavar="DATE", help=Msg("only motions for the meeting on this date")),
        Arg(
            "--public",
            action="store_true",
            help=Msg("for publication: without non-public motions and internal fields (assignee, source)"),
        ),
        Arg(
            "--record",
            action="store_true",
            help=Msg("docx, pdf: remember the report, so that items reported done drop off the next one"),
        ),
        Arg(
            "--plain",
            action="store_true",
            help=Msg("CSV with commas and ISO dates instead of the German spreadsheet format"),
        ),
        Arg("-o", "--output", metavar="FILE", type=path, help=Msg("write to FILE instead of the screen")),
    ),
    command("reports", "list the status reports recorded with export --record", cmd_reports),
)

add_catalog(
    "de",
    {
        "files": "Dateien",
        "md, csv, json, or the council's report as docx or pdf (default: md)": "md, csv, json oder der Bericht an das Gremium als docx oder pdf (Standard: md)",
        "only the motions of this committee": "nur die Anträge dieses Gremiums",
        "for publication: without non-public motions and internal fields (assignee, source)": "zur Veröffentlichung: ohne nichtöffentliche Anträge und interne Felder (Bearbeitung, Quelle)",
        "docx, pdf: remember the report, so that items reported done drop off the next one": "docx, pdf: den Bericht festhalten, damit als erledigt berichtete Punkte im nächsten entfallen",
        "write a status report (Markdown, Word, PDF), a spreadsheet (CSV) or JSON": "einen Sachstandsbericht (Markdown, Word, PDF), eine Tabelle (CSV) oder JSON schreiben",
        "list the status reports recorded with export --record": "die mit export --record festgehaltenen Berichte auflisten",
        "No report recorded yet (export --format docx|pdf --record).": "Noch kein Bericht festgehalten (export --format docx|pdf --record).",
        "{where}: the report is a file: give -o FILE.": "{where}: der Bericht ist eine Datei: -o DATEI angeben.",
        "import motion letters (text, Markdown, PDF, Word, OpenDocument, e-mail), a Sachstand JSON export or a "
        "department's answer list (CSV)": "Antragsschreiben (Text, Markdown, PDF, Word, OpenDocument, E-Mail), einen "
        "Sachstand-JSON-Export oder die Antwortliste eines Amtes (CSV) importieren",
        "letters or export files; a folder: every file in it of a kind import reads": "Schreiben oder Exportdateien; ein Ordner: jede Datei darin, deren Art der Import liest",
        "paper types to import (default: oparl_types from the config; repeat for more)": "zu importierende Drucksachenarten (Standard: oparl_types aus der Konfiguration; für mehrere wiederholen)",
        "only the items of this department (json: the motions with such items, whole)": "nur die Punkte dieses Amtes (json: die Anträge mit solchen Punkten, ganz)",
    },
)
