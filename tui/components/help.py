"""Every key, grouped by where it works, as the user's keymap has them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from store import translate
from tui.components.localised import localise_bindings


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, sections: Iterable[tuple[str, Iterable[Binding]]], keymap: Mapping[str, str], lang: str) -> None:
        super().__init__()
        self.sections = list(sections)
        self.keymap = keymap
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(self._key_table(), id="help-text")
        yield Footer(show_command_palette=False, compact=True)

    def _key_table(self) -> Group:
        t = lambda msgid: translate(msgid, self.lang)  # noqa: E731
        parts: list[object] = [Text(t("Keys"), style="bold"), Text(t("escape closes this list"), style="dim"), Text("")]
        for title, bindings in self.sections:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True, min_width=14)
            grid.add_column()
            for binding in bindings:
                grid.add_row(Text(self._keys(binding)), Text(t(binding.description)))
            parts += [Text(t(title), style="bold underline"), grid, Text("")]
        parts.append(Text(t("Keys can be changed in the config file, section [keys]: see README."), style="dim"))
        return Group(*parts)

    def _keys(self, binding: Binding) -> str:
        keys = self.keymap.get(binding.id or "", binding.key)
        return " / ".join(_readable(key) for key in keys.split(","))

    def action_close(self) -> None:
        self.dismiss(None)


_NAMES = {"question_mark": "?", "slash": "/", "space": "space", "delete": "del", "escape": "esc"}


def _readable(key: str) -> str:
    return _NAMES.get(key.strip(), key.strip())
