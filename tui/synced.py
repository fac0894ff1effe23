"""What the dashboard says when a sync ends: what it brought and sent when the user asked for it, the conflicts,
the changes the server refused, a server that had lost writes, and a failure (an automatic sync's only once in a
row)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from store import plural
from tui import roles
from tui.components.localised import failure_text
from tui.format import count

if TYPE_CHECKING:
    from store.sync.client import SyncReport
    from tui.app import SachstandApp


def tell_synced(
    app: SachstandApp, worker: Worker[Any], state: WorkerState, *, automatic: bool, failed_before: bool
) -> None:
    """The notifications for the sync ``worker`` that ended in ``state``."""
    if state == WorkerState.SUCCESS:
        report: SyncReport = worker.result  # type: ignore[assignment]
        if report.rejoined:  # the server had lost confirmed writes: always worth a word, automatic or not
            app.notify(report.rejoined.render(app.lang), severity="warning", timeout=15)
        if not automatic:
            pulled, pushed = count(report.pulled, app.lang), count(report.pushed, app.lang)
            app.notify(app.t("Synced: {pulled} received, {pushed} sent.", pulled=pulled, pushed=pushed))
        if report.conflicts and (not automatic or report.pulled):
            conflicts = plural(
                "{count} field was changed here and on the server: press C to decide.",
                "{count} fields were changed here and on the server: press C to decide.",
                len(report.conflicts),
            )
            app.notify(app.t(conflicts, count=count(len(report.conflicts), app.lang)), severity="warning", timeout=10)
        roles.tell_refused(app, report.refused, automatic)
    elif state == WorkerState.ERROR and (not automatic or not failed_before):
        app.notify(failure_text(worker.error, app.lang), title=app.t("Sync failed"), severity="error", timeout=12)
