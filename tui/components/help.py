"""Every key, grouped by where it works, as the user's keymap has them."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.components.dialog import Dialog
from tui.components.footer import CompactFooter
from tui.key_names import key_names
from tui.keys import KEYS


@KEYS.register()
class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen #dialog {
        width: 80;
        height: 90%;
    }
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "cancel", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(self._key_table(), id="help-text")
        yield CompactFooter()

    def _key_table(self) -> Group:
        t = self.t
        parts: list[RenderableType] = [
            Text(t("Keys"), style="bold"),
            Text(t("escape closes this list"), style="dim"),
            Text(""),
        ]
        for title, bindings in KEYS.sections():
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True, min_width=14)
            grid.add_column()
            for binding in bindings:
                grid.add_row(Text(self._keys(binding)), Text(t(binding.description)))
            parts += [Text(t(title), style="bold underline"), grid, Text("")]
        parts.append(Text(t("Keys can be changed in the config file, section [keys]: see README."), style="dim"))
        return Group(*parts)

    def _keys(self, binding: Binding) -> str:
        return key_names(self.sachstand.keymap.get(binding.id or "", binding.key), self.lang)
