"""A one-line question, e.g. the title of a new item; dismisses with the text or None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from store import SachstandError, translate
from tui.components.localised import localise_bindings


class PromptModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, lang: str, check: object = None) -> None:
        super().__init__()
        self.question = question
        self.lang = lang
        localise_bindings(self, lang)
        self.check = check  # called with the text; raises SachstandError to keep the prompt open

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.question, style="bold"))
            yield Input(id="answer")
            yield Static("", id="error")
            yield Static(translate("enter saves · escape cancels", self.lang), id="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            if callable(self.check):
                self.check(event.value)
        except SachstandError as error:
            self.query_one("#error", Static).update(Text(error.render(self.lang), style="bold red"))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
