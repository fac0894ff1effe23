"""The footer of every view: Textual's, compact, without the palette's key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CompactFooter(Footer):
    """Its keys carry the compact class from their making: each took it only when mounted (FooterKey's
    watcher) and restyled itself then, a fifth of the style applications before the first frame."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False, compact=True)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
            yield widget
