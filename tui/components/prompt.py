"""A one-line question, e.g. the title of a new item; dismisses with the text or None."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from store import SachstandError
from tui.components.dialog import Dialog
from tui.keys import KEYS


@KEYS.register()
class PromptModal(Dialog[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, check: Callable[[str], object] | None = None) -> None:
        super().__init__()
        self.question = question
        self.check = check  # called with the text; raises SachstandError to keep the prompt open

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.question, style="bold"))
            yield Input(id="answer")
            yield Static("", id="error")
            yield Static(self.t("Enter saves · Esc cancels"), id="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            if self.check is not None:
                self.check(event.value)
        except SachstandError as error:
            self.query_one("#error", Static).update(Text(error.render(self.lang), style="bold red"))
            return
        self.dismiss(event.value)
