"""The dashboard's import of files: a file or a folder named in a prompt, every letter shown in the motion
form to correct before it is saved, one after another; an export's motions confirmed as a whole. A file
that cannot be read is said and the others still come."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from store import Motion, SachstandError, add_catalog
from tui.components.confirm import ConfirmModal
from tui.components.motion_form import MotionForm
from tui.components.prompt import PromptModal

if TYPE_CHECKING:
    from store.exchange.workflows import ImportFile
    from tui.app import SachstandApp


def ask_import(app: SachstandApp) -> None:
    """Ask for a file or folder, read it, and show what it holds one file at a time."""

    def chosen(name: str | None) -> None:
        if not name:
            return
        from store.exchange.workflows import ImportFile, Refused, import_paths, read_imports

        try:
            read = read_imports(import_paths([name]))
        except SachstandError as error:  # a folder that cannot be listed
            app.notify(error.render(app.lang), severity="error", timeout=10)
            return
        for refused in read:
            if isinstance(refused, Refused):
                app.notify(refused.error.render(app.lang), severity="error", timeout=10)
        _show_next(app, [file for file in read if isinstance(file, ImportFile)])

    prompt = "File or folder to import (a letter as text, PDF, Word, OpenDocument or e-mail, or Sachstand JSON):"
    app.push_screen(PromptModal(app.t(prompt)), chosen)


def _show_next(app: SachstandApp, waiting: list[ImportFile]) -> None:
    """A letter in the motion form to correct and save (or cancel); an export's motions to confirm."""
    if not waiting:
        return
    file, rest = waiting[0], waiting[1:]
    if len(file.motions) == 1:
        draft = file.motions[0]
        app.push_screen(MotionForm(None, draft=draft), partial(_save_draft, app, draft, file.managed, rest))
    else:
        question = app.t("Import {count} motions from {path}?", count=len(file.motions), path=file.path)
        app.push_screen(ConfirmModal(question), partial(_save_all, app, file.motions, file.managed, rest))


def _save_draft(
    app: SachstandApp, draft: Motion, managed: tuple[str, ...], rest: list[ImportFile], values: dict | None
) -> None:
    if values:
        _save(app, [Motion(id=draft.id, **values)], managed)
    _show_next(app, rest)


def _save_all(
    app: SachstandApp, motions: list[Motion], managed: tuple[str, ...], rest: list[ImportFile], confirmed: bool | None
) -> None:
    if confirmed:
        _save(app, motions, managed)
    _show_next(app, rest)


def _save(app: SachstandApp, motions: list[Motion], managed: tuple[str, ...]) -> None:
    from store.exchange.workflows import save_import

    app.edit(lambda store: save_import(store, motions, managed), partial(app.tell_import, select=True))


add_catalog(
    "de",
    {
        "File or folder to import (a letter as text, PDF, Word, OpenDocument or e-mail, or Sachstand JSON):": "Zu importierende Datei oder Ordner (ein Schreiben als Text, PDF, Word, OpenDocument oder E-Mail, oder Sachstand-JSON):",
    },
)
