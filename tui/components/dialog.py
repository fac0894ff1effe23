"""What every dialog of the dashboard shares: a frame in the middle of the screen, the user's
language, a hint line under the fields, and escape to close without a result."""

from __future__ import annotations

from textual.screen import ModalScreen, ScreenResultType

from tui.components.localised import Localised


class Dialog(Localised, ModalScreen[ScreenResultType]):
    """Its content goes into a container with the id ``dialog``; subclasses size it in their DEFAULT_CSS."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        & #dialog {
            width: 70;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            border: thick $pane-active;
            background: $surface;
            padding: 1 2;
        }
        & #hint {
            color: $text-muted;
            margin-top: 1;
        }
        & #error {
            height: auto;
        }
    }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)
