"""What the overview's three panes share: a list of rows in a bordered pane, rebuilt only when its figures
change, the highlight staying on the same row (a department, a committee) across a rebuild."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.components.localised import Localised


class OverviewList(Localised, OptionList):
    DEFAULT_CSS = """
    OverviewList {
        height: 1fr;
        max-height: 100%;
        padding: 0;
        border: round $pane-border;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        &:focus { border: round $pane-active; }
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._shown: object = None  # the figures the rows show

    def show_rows(self, figures: object, rows: Sequence[tuple[str, VisualType]], empty: str) -> None:
        """Show ``rows`` (key, prompt) for ``figures``, or the line ``empty`` if there are none; nothing
        happens while the figures are the same."""
        if figures == self._shown:
            return
        self._shown = figures
        if not rows:
            self.set_options([Option(Text(empty, style="dim"), disabled=True)])
            return
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        keys = [key for key, _prompt in rows]
        self.set_options(Option(prompt, id=key) for key, prompt in rows)
        self.highlighted = keys.index(highlighted) if highlighted in keys else 0
