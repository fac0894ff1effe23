"""The parts of the dashboard Textual draws itself, in the user's language: the keys in the footer
(Strg+S, Entf), the command palette's placeholder, Textual's own commands in it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.widgets.option_list import OptionDoesNotExist

from store import Msg, add_catalog, translate
from tui.key_names import key_name


class Palette(CommandPalette):
    """Textual's command palette, saying in the user's language that a search found nothing."""

    def __init__(self, lang: str, placeholder: str, **kwargs: Any) -> None:
        super().__init__(placeholder=translate(placeholder, lang), **kwargs)
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual adds its English line after this countdown; ours replaces it just after (if it is there).
        super()._start_no_matches_countdown(search_value)
        if search_value:
            self.set_timer(self._NO_MATCHES_COUNTDOWN + 0.05, self._say_no_matches)

    def _say_no_matches(self) -> None:
        nothing = Align.center(Text(translate("No matches found", self.lang), style="not bold"))
        with contextlib.suppress(OptionDoesNotExist, NoMatches):  # results came meanwhile, or the palette closed
            self.query_one(CommandList).replace_option_prompt(self._NO_MATCHES, nothing)


class SpeakingApp(App[None]):
    """Base of the dashboard's app: Textual's texts said in ``lang``, the language the app sets."""

    lang: str

    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder in the user's language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(self.lang, Msg("Search for commands…"), id="--command-palette"))

    def search_themes(self) -> None:
        self.push_screen(Palette(self.lang, Msg("Search for themes…"), providers=[ThemeProvider]))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands in the user's language. Not its key panel (the help, ?, lists every key)
        nor its screenshot (whose notices Textual says only in English)."""
        for found in super().get_system_commands(screen):
            if found.title not in ("Keys", "Screenshot"):
                yield found._replace(title=translate(found.title, self.lang), help=translate(found.help, self.lang))

    def action_help_quit(self) -> None:
        """ctrl+c, which copies in a text field and elsewhere reminds how to quit: in the user's language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    translate("Press {key} to quit.", self.lang, key=key_name(key, self.lang)),
                    title=translate("Quit Sachstand?", self.lang),
                )
                return

    def get_key_display(self, binding: Binding) -> str:
        """A key in the footer as the user's keyboard names it (Strg+S, Entf), not as Textual spells it."""
        return binding.key_display or key_name(binding.key, self.lang)


add_catalog(
    "de",
    {
        # the command palette, and Textual's own commands in it
        "Search for commands…": "Befehl suchen …",
        "Search for themes…": "Farbschema suchen …",
        "No matches found": "Nichts gefunden",
        "Theme": "Farbschema",
        "Change the current theme": "Das Farbschema wechseln",
        "Quit the application as soon as possible": "Sachstand sofort beenden",
        "Maximize": "Maximieren",
        "Maximize the focused widget": "Den gewählten Bereich maximieren",
        "Minimize": "Verkleinern",
        "Minimize the widget and restore to normal size": "Den Bereich wieder auf normale Größe bringen",
        "Press {key} to quit.": "Zum Beenden {key} drücken.",
        "Quit Sachstand?": "Sachstand beenden?",
    },
)
