"""The dashboard's import of files: a file or a folder named in a prompt, every letter shown in the motion
form to correct before it is saved, one after another; an export's motions confirmed as a whole. A file
that cannot be read is said and the others still come."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from store import Motion, SachstandError, add_catalog
from tui.components.confirm import ConfirmModal
from tui.components.motion_form import MotionForm
from tui.components.oparl_progress import OParlProgress
from tui.components.prompt import PromptModal
from tui.reminding import ask_answers

if TYPE_CHECKING:
    from store.exchange.workflows import ImportFile, Refused
    from tui.app import SachstandApp


def ask_import(app: SachstandApp) -> None:
    """Ask for a file or folder, read it, and show what it holds one file at a time."""

    def chosen(name: str | None) -> None:
        if not name:
            return
        from store.exchange.workflows import import_paths, read_imports

        try:
            paths = import_paths([name])
        except SachstandError as error:  # a folder that cannot be listed
            app.notify(error.render(app.lang), severity="error", timeout=10)
            return
        # Read in a worker thread with a progress bar: a folder of PDFs takes seconds, and the keys keep working.
        app.push_screen(ReadingFiles(name, partial(read_imports, paths)), partial(_read, app))

    prompt = "File or folder to import (a letter as text, PDF, Word, OpenDocument or e-mail, or Sachstand JSON):"
    app.push_screen(PromptModal(app.t(prompt)), chosen)


class ReadingFiles(OParlProgress):
    """Reading the files to import in the background, with a progress bar; dismissed with what was read."""

    HEADING, UNIT = "Reading {url}", "{done} files"


def _read(app: SachstandApp, read: list[ImportFile | Refused] | None) -> None:
    """Each refused file said; then the files read, one after another (None: the reading was cancelled)."""
    from store.exchange.workflows import ImportFile, Refused

    for file in read or ():
        if isinstance(file, Refused):
            app.notify(file.error.render(app.lang), severity="error", timeout=10)
    _show_next(app, [file for file in read or () if isinstance(file, ImportFile)])


def _show_next(app: SachstandApp, waiting: list[ImportFile]) -> None:
    """A letter in the motion form to correct and save (or cancel); an export's motions to confirm."""
    if not waiting:
        return
    file, rest = waiting[0], waiting[1:]
    if file.answers is not None:  # a department's answer list: tui/reminding.py
        ask_answers(app, file, partial(_show_next, app, rest))
    elif len(file.motions) == 1:
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
        "Reading {url}": "Lese {url}",
        "{done} files": "{done} Dateien",
        "File or folder to import (a letter as text, PDF, Word, OpenDocument or e-mail, or Sachstand JSON):": "Zu importierende Datei oder Ordner (ein Schreiben als Text, PDF, Word, OpenDocument oder E-Mail, oder Sachstand-JSON):",
    },
)
