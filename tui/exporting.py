"""The dashboard's export of the motions the list shows: first whether it is for publication (then
without non-public motions and internal fields, store/exchange/publication.py), then the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store import SachstandError, add_catalog
from tui.components.confirm import ConfirmModal
from tui.components.prompt import PromptModal

if TYPE_CHECKING:
    from tui.app import SachstandApp


def export_shown(app: SachstandApp, kind: str) -> None:
    """Ask, then write the shown motions as md, csv, json or the council's report (docx, pdf)."""

    def written(public: bool, path: str | None) -> None:
        if not path:
            return
        from store.exchange.workflows import write_exported

        motions = app.main.shown_motions()
        try:
            notices = write_exported(
                app.store,
                path,
                motions,
                kind,
                app.lang,
                app.today,
                public=public,
                body=app.body_name,
                lights=app.traffic_lights,
            )
        except SachstandError as error:
            app.notify(error.render(app.lang), severity="error", timeout=10)
            return
        for notice in notices:
            app.notify(notice.render(app.lang))

    def answered(public: bool | None) -> None:
        question = app.t("Write to file (e.g. sachstand.{suffix}):", suffix=kind)
        app.push_screen(PromptModal(question), lambda path: written(bool(public), path))

    app.push_screen(
        ConfirmModal(app.t("For publication? Then non-public motions and internal fields are left out.")), answered
    )


add_catalog(
    "de",
    {
        "For publication? Then non-public motions and internal fields are left out.": "Zur Veröffentlichung? Dann entfallen nichtöffentliche Anträge und interne Felder.",
    },
)
