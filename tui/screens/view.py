"""What every full-screen view shares: the app it serves (language, date, store), and ``show_data``,
which the app calls after every change to the store."""

from __future__ import annotations

from textual import events
from textual.screen import Screen

from tui.components.localised import Localised


class View(Localised, Screen[None]):
    def breakpoint_classes(self) -> list[str]:
        """The classes of the breakpoints the app's size falls in, chosen as Textual chooses them on a resize: a
        view created with them is not restyled whole (every node) on its first resize."""
        app = self.app
        chosen: list[str] = []
        for own, apps, extent in (
            (self.HORIZONTAL_BREAKPOINTS, app.HORIZONTAL_BREAKPOINTS, app.size.width),
            (self.VERTICAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS, app.size.height),
        ):
            chosen.extend(self._get_breakpoint_classes(extent, (apps if own is None else own) or []))
        return chosen

    _resumed = False  # whether the view was made current before (ScreenResume)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's handler. Current for the first time, the view was styled as its widgets were
        # mounted a moment before: Textual's restyle of every node on each resume (styles may have changed while
        # a view waited under another) would repeat that, a third of the style applications before the first frame.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        # While the app's updates are batched (its start, above all) Textual renders whole frames it never writes
        # (App._display drops them): 10 to 15 ms at the start. Skipped, what changed stays marked for the first
        # frame after the batch, which is then whole.
        if self.app._batch_count:
            return
        super()._compositor_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A view's own keys wait until the store is read (the app shows a preview meanwhile)."""
        return None if self.sachstand.loading else True

    def show_data(self) -> None:
        """Bring the view in line with the store, touching only what changed."""
        raise NotImplementedError
