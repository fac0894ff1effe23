"""Undo and redo in the dashboard: one store call each, the change said in a notification; an undo
that would delete a motion (taking back its creation) asks first, as deleting does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from store import HistoryEntry, SachstandError, Store, add_catalog
from tui.components.confirm import ConfirmModal
from tui.format import describe

if TYPE_CHECKING:
    from tui.app import SachstandApp


def undo(app: SachstandApp) -> None:
    try:
        coming = app.store.next_undo()
    except SachstandError:
        coming = []  # the undo itself says what is wrong
    added = [entry for entry in coming if entry.adds_motion]
    if not added:
        app.edit(Store.undo, lambda undone: _tell(app, undone, "Undone"))
        return
    titles = _titles(app)
    question = app.t(
        "Undo adding the motion {title}? It is deleted then (ctrl+y brings it back).",
        title=", ".join(titles.get(entry.motion_id, entry.motion_id[:8]) for entry in added),
    )

    def answered(yes: bool | None) -> None:
        if yes:
            app.edit(Store.undo, lambda undone: _tell(app, undone, "Undone"))

    app.push_screen(ConfirmModal(question), answered)


def redo(app: SachstandApp) -> None:
    app.edit(Store.redo, lambda redone: _tell(app, redone, "Redone"))


def _titles(app: SachstandApp) -> dict[str, str]:
    """Every motion's reference or title by id, deleted ones too (an undone creation is told by its title)."""
    titles = {}
    for motion_id, document in app.store.documents().items():
        titles[motion_id] = document.get("reference") or document.get("title") or motion_id[:8]
    return titles


def _tell(app: SachstandApp, entries: list[HistoryEntry], title: str) -> None:
    titles = _titles(app)
    for entry in entries:
        app.notify(Text(describe(entry, titles.get(entry.motion_id, ""), app.lang)).plain, title=app.t(title))


add_catalog(
    "de",
    {
        "Undo adding the motion {title}? It is deleted then (ctrl+y brings it back).": "Das Anlegen des Antrags "
        "{title} rückgängig machen? Er wird dann gelöscht (Strg+Y holt ihn zurück).",
        "Redone": "Wiederhergestellt",
        "Redo": "Wiederherstellen",
        "Bring back what the last undo took back": "Zurückholen, was das letzte Rückgängigmachen zurückgenommen hat",
    },
)
