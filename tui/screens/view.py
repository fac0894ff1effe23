"""What every full-screen view shares: the user's language, its keys in that language, the app it
serves, and ``show_data``, which the app calls after every change to the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.components.localised import localise_bindings

if TYPE_CHECKING:
    from tui.app import SachstandApp


class View(Screen[None]):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        localise_bindings(self, lang)

    @property
    def sachstand(self) -> SachstandApp:
        return self.app  # type: ignore[return-value]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A view's own keys wait until the store is read (the app shows a preview meanwhile)."""
        return None if self.sachstand.loading else True

    def show_data(self) -> None:
        """Bring the view in line with the store, touching only what changed."""
        raise NotImplementedError
