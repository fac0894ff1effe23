"""What every full-screen view shares: the app it serves (language, date, store), and ``show_data``,
which the app calls after every change to the store."""

from __future__ import annotations

from textual.screen import Screen

from tui.components.localised import Localised


class View(Localised, Screen[None]):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A view's own keys wait until the store is read (the app shows a preview meanwhile)."""
        return None if self.sachstand.loading else True

    def show_data(self) -> None:
        """Bring the view in line with the store, touching only what changed."""
        raise NotImplementedError
