"""The multi-line editor for an item's status text (Sachstand)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static, TextArea

from tui.components.confirm import close_unless_kept
from tui.components.dialog import Dialog
from tui.keys import KEYS


@KEYS.register("Editor, form")
class NoteEditor(Dialog[str | None]):
    """Dismisses with the new text (ctrl+s) or None (escape, after asking if anything changed)."""

    DEFAULT_CSS = """
    NoteEditor {
        & #dialog {
            width: 100;
            height: 80%;
        }
        & TextArea {
            height: 1fr;
        }
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="editor.cancel", priority=True),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading, self.original = title, text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.heading, style="bold"), id="heading")
            yield TextArea(self.original, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(self.t("Ctrl+S saves · Esc cancels"), id="hint")
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
        close_unless_kept(self, self.text != self.original, self.t("Discard your changes to this text?"))
