"""What the dashboard loads at its first use, not before its first frame: the views other than the main one,
the help, the palette's commands. Where every key must be known (the keymap's check, the help), every view
is loaded first."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import tui.components
import tui.screens
from tui.components.speaking import SpeakingApp

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen


def load_every_view() -> None:
    """Import every view and dialog, and so every class that declares keys: they are in tui/components
    and tui/screens, besides the app's own."""
    import pkgutil  # 1 ms, only for the keymap's check and the help

    for package in (tui.components, tui.screens):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)


def palette() -> type[Provider]:
    """The palette's commands, loaded when it first opens (they import the import, export and reminders)."""
    from tui.components.commands import SachstandCommands

    return SachstandCommands


class OpensViews(SpeakingApp):
    """The app's keys that open a view or the help, each loaded when first opened."""

    def _open(self, view: type[Screen[Any]]) -> None:
        if not isinstance(self.screen, view):
            self.push_screen(view())

    def action_help(self) -> None:
        load_every_view()  # the help lists the keys of every view, also of those not opened yet
        from tui.components.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_open_items(self) -> None:
        from tui.screens.open_items import OpenItemsScreen

        self._open(OpenItemsScreen)

    def action_meetings(self) -> None:
        from tui.screens.meeting import MeetingScreen

        self._open(MeetingScreen)

    def action_overview(self) -> None:
        from tui.screens.overview import OverviewScreen

        self._open(OverviewScreen)

    def action_conflicts(self) -> None:
        from tui.screens.conflicts import ConflictScreen

        self._open(ConflictScreen)
