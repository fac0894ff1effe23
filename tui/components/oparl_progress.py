"""Fetching papers over OParl in the background, with a progress bar; the UI never waits on the network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from store import SachstandError, translate
from tui.components.localised import localise_bindings


class OParlProgress(ModalScreen[Any]):
    """Runs ``fetch`` (blocking, network) in a thread; dismisses with its result, or None on error or cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="oparl.cancel")]

    def __init__(self, url: str, fetch: Callable[[Callable[[int, int | None], None]], Any], lang: str) -> None:
        super().__init__()
        self.url = url
        self.fetch = fetch
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(translate("Fetching papers from {url}", self.lang, url=self.url)))
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="count")
            yield Static(translate("escape cancels", self.lang), id="hint")

    def on_mount(self) -> None:
        self.run_worker(self._fetch, thread=True, exclusive=True)

    def _fetch(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int | None) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_progress, done, total)

        try:
            result = self.fetch(progress)
        except SachstandError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, error)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.dismiss, result)

    def _show_progress(self, done: int, total: int | None) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#count", Static).update(translate("{done} papers", self.lang, done=done))

    def _failed(self, error: SachstandError) -> None:
        self.app.notify(error.render(self.lang), severity="error", timeout=10)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.workers.cancel_all()
        self.dismiss(None)
