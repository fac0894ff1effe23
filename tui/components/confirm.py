"""A yes/no question that dismisses with the answer."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.components.dialog import Dialog
from tui.keys import KEYS


@KEYS.register()
class ConfirmModal(Dialog[bool]):
    DEFAULT_CSS = """
    ConfirmModal {
        & #buttons {
            height: auto;
            margin-top: 1;
        }
        & #buttons Button {
            margin-right: 2;
        }
    }
    """

    BINDINGS = [
        Binding("y,j", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button(self.t("Yes (y)"), id="yes", variant="error")
                yield Button(self.t("No (n)"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def close_unless_kept(dialog: Dialog[Any], changed: bool, question: str) -> None:
    """Close ``dialog`` without a result; if the user changed something, only once they confirm ``question``."""
    if not changed:
        dialog.dismiss(None)
        return

    def answered(discard: bool | None) -> None:
        if discard:
            dialog.dismiss(None)

    dialog.app.push_screen(ConfirmModal(question), answered)
