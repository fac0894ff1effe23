"""The dashboard's reminders (the command palette's "Remind the departments"): what ``sachstand remind``
would send shown first (its dry run), then sent in a worker thread, each department's outcome said. And
a department's answer list, imported from the dashboard's import: what it changes and its conflicts
shown, then saved.

The settings ([smtp], [departments], remind_days) are read when asked, so a config file corrected while
the dashboard runs counts at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from store import SachstandError, add_catalog, load_config
from tui.components.confirm import ConfirmModal

if TYPE_CHECKING:
    from store import Config
    from store.exchange.workflows import ImportFile
    from store.mail.remind import Outcome, Reminder
    from tui.app import SachstandApp

PREVIEW_LINES = 16  # the dialog's lines of items; more are counted, not shown


def ask_remind(app: SachstandApp) -> None:
    """The dry run in a dialog; sending once the user says yes."""
    from store.mail.remind import no_server, plan, preview

    try:
        config = load_config(db=str(app.store.path), lang=app.lang)
        reminders = plan(app.store, config.departments, app.today, config.remind_days)
        if reminders and config.smtp is None:
            raise no_server(config.config_file)
    except SachstandError as error:
        app.notify(error.render(app.lang), severity="error", timeout=10)
        return
    if not reminders:
        app.notify(app.t("Nothing to remind."))
        return
    lines = [line.render(app.lang) for line in preview(reminders, app.today)]
    shown = lines[:PREVIEW_LINES]
    if len(lines) > len(shown):
        shown.append(app.t("… and {count} more lines", count=len(lines) - len(shown)))
    question = "\n".join([app.t("Send these reminders by e-mail?"), "", *shown])
    app.push_screen(ConfirmModal(question), partial(_answered, app, config, reminders))


def _answered(app: SachstandApp, config: Config, reminders: list[Reminder], send: bool | None) -> None:
    if send:
        app.notify(app.t("Sending the reminders …"))
        app.run_worker(
            partial(_send, app, config, reminders),
            group="remind",
            description="the reminders sent",
            thread=True,
            exit_on_error=False,
        )


def _send(app: SachstandApp, config: Config, reminders: list[Reminder]) -> None:
    """In a worker thread, with a store handle of its own (a Store is not shared between threads)."""
    from store.mail.remind import send

    assert config.smtp is not None
    try:
        with app.store.reopened() as store:
            outcomes = send(store, reminders, config.smtp, app.lang, app.today)
    except SachstandError as error:
        app.call_from_thread(app.notify, error.render(app.lang), severity="error", timeout=10)
        return
    app.call_from_thread(_sent, app, outcomes)


def _sent(app: SachstandApp, outcomes: list[Outcome]) -> None:
    from store.mail.remind import outcome_notices

    failed = any(outcome.error for outcome in outcomes)
    text = "\n".join(line.render(app.lang) for line in outcome_notices(outcomes))
    options: dict[str, Any] = {"severity": "error", "timeout": 15} if failed else {"timeout": 8}
    app.notify(text, **options)
    app.refresh_views()  # the item detail shows the reminders in its history


def ask_answers(app: SachstandApp, file: ImportFile, then: Callable[[], None]) -> None:
    """What the answer list would change and where it conflicts, asked; then saved; ``then`` goes on to the
    next file."""
    from store.mail.answers import answer_notices, save_answers

    rows, where = file.answers or [], str(file.path)
    try:
        planned = save_answers(app.store, rows, where, dry_run=True)
    except SachstandError as error:
        app.notify(error.render(app.lang), severity="error", timeout=10)
        then()
        return
    said = "\n".join(line.render(app.lang) for line in answer_notices(where, planned, saved=False))
    if not planned.updated:
        app.notify(said, severity="warning" if planned.conflicts else "information", timeout=10)
        then()
        return

    def answered(save: bool | None) -> None:
        if save:
            app.edit(lambda store: save_answers(store, rows, where), partial(_saved, app, where))
        then()

    app.push_screen(ConfirmModal("\n".join([said, "", app.t("Save the answers?")])), answered)


def _saved(app: SachstandApp, where: str, result: Any) -> None:
    from store.mail.answers import answer_notices

    said = "\n".join(line.render(app.lang) for line in answer_notices(where, result, saved=True))
    app.notify(said, severity="warning" if result.conflicts else "information", timeout=10)


add_catalog(
    "de",
    {
        "Save the answers?": "Die Antworten speichern?",
        "Remind the departments": "Ämter erinnern",
        "E-mail each department its due items; a preview first": "Jedem Amt seine fälligen Punkte mailen; erst eine "
        "Vorschau",
        "Send these reminders by e-mail?": "Diese Erinnerungen per E-Mail senden?",
        "… and {count} more lines": "… und {count} weitere Zeilen",
        "Sending the reminders …": "Die Erinnerungen werden gesendet …",
    },
)
