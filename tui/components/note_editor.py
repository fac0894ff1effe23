"""The multi-line editor for an item's status text (Sachstand)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from store import translate
from tui.components.confirm import ConfirmModal
from tui.components.localised import localise_bindings


class NoteEditor(ModalScreen[str | None]):
    """Dismisses with the new text (ctrl+s) or None (escape, after asking if anything changed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="editor.cancel", priority=True),
    ]

    def __init__(self, title: str, text: str, lang: str) -> None:
        super().__init__()
        self.heading = title
        self.original = text
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.heading, style="bold"), id="heading")
            yield TextArea(self.original, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(translate("ctrl+s saves · escape cancels", self.lang), id="hint")
        yield Footer()

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(translate("Discard your changes to this text?", self.lang), self.lang), answered
        )
