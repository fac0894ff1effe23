"""``sachstand remind`` and the answers part of ``sachstand import``: the command line's side of store/mail/.

The store's modules do the work (store.mail.remind, store.mail.answers), imported where a command runs,
since smtplib and the e-mail package are needed only here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from store import Msg, add_catalog
from tui.cli.base import EXIT_CONFLICTS, EXIT_FAILURE, EXIT_OK, Arg, Context, Output, command, text

if TYPE_CHECKING:
    from store.exchange.workflows import ImportFile
    from store.mail.answers import AnswerResult


def cmd_remind(ctx: Context) -> int:
    """Send each department its due items; exit 1 when one could not be sent (the others went out)."""
    from store.mail.remind import no_server, outcome_notices, plan, preview, send

    args, out, config = ctx.args, ctx.out, ctx.config
    today = date.today()
    reminders = plan(
        ctx.store, config.departments, today, config.remind_days, every=args.all, department=args.department
    )
    if not reminders:
        out.note("Nothing to remind.")
        return EXIT_OK
    if args.dry_run:
        for line in preview(reminders, today):
            out.line(line.render(out.lang))
        return EXIT_OK
    if config.smtp is None:
        raise no_server(config.config_file)
    outcomes = send(ctx.store, reminders, config.smtp, out.lang, today)
    for line in outcome_notices(outcomes):
        out.line(line.render(out.lang))
    return EXIT_FAILURE if any(outcome.error for outcome in outcomes) else EXIT_OK


def import_answers(ctx: Context, files: list[ImportFile], confirm: Any) -> int:
    """Each department's answer list: what it would change shown, asked once (``confirm``), each saved in
    one transaction; exit 3 when rows were in conflict (shown with both values, not applied)."""
    from store.mail.answers import save_answers

    out, store = ctx.out, ctx.store
    planned = [(file, save_answers(store, file.answers or [], str(file.path), dry_run=True)) for file in files]
    for file, result in planned:
        _tell(out, file, result, saved=False)
    if not any(result.updated for _file, result in planned):
        return EXIT_CONFLICTS if any(result.conflicts for _file, result in planned) else EXIT_OK
    out.line()
    if not ctx.args.yes and not confirm(out):
        out.note("Nothing saved.")
        return EXIT_OK
    conflicts = False
    for file in files:
        result = save_answers(store, file.answers or [], str(file.path))
        _tell(out, file, result, saved=True)
        conflicts = conflicts or bool(result.conflicts)
    return EXIT_CONFLICTS if conflicts else EXIT_OK


def _tell(out: Output, file: ImportFile, result: AnswerResult, *, saved: bool) -> None:
    from store.mail.answers import answer_notices

    for line in answer_notices(str(file.path), result, saved=saved):
        out.line(line.render(out.lang))


COMMANDS = (
    command(
        "remind",
        "e-mail each department its items that are overdue or due soon, the list attached to fill in",
        cmd_remind,
        Arg("--dry-run", action="store_true", help=Msg("print what would be sent; send nothing")),
        Arg("--all", action="store_true", help=Msg("every open item (the monthly list), reminded before or not")),
        Arg("--department", metavar="D", type=text, help=Msg("only this department")),
    ),
)

add_catalog(
    "de",
    {
        "e-mail each department its items that are overdue or due soon, the list attached to fill in": "jedem Amt "
        "seine überfälligen und bald fälligen Punkte mailen, die Liste zum Ausfüllen angehängt",
        "print what would be sent; send nothing": "zeigen, was gesendet würde; nichts senden",
        "every open item (the monthly list), reminded before or not": "alle offenen Punkte (die Monatsliste), ob "
        "schon erinnert oder nicht",
        "only this department": "nur dieses Amt",
    },
)
