"""Fetching papers over OParl in the background, with a progress bar; the UI never waits on the network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from store import SachstandError
from tui.components.dialog import Dialog
from tui.keys import KEYS

Progress = Callable[[int, int | None], None]  # papers fetched so far, of how many (None: not known yet)


@KEYS.register()
class OParlProgress(Dialog[Any]):
    """Runs ``fetch`` (blocking, network) in a thread; dismisses with its result, or None on error or cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="oparl.cancel")]
    HEADING, UNIT = "Fetching papers from {url}", "{done} papers"  # a subclass doing other work says what

    def __init__(self, url: str, fetch: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.url, self.fetch = url, fetch

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.t(self.HEADING, url=self.url)))
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="count")
            yield Static(self.t("Esc cancels"), id="hint")

    def on_mount(self) -> None:
        self.run_worker(self._fetch, description="the OParl import", thread=True, exclusive=True)

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
        self.query_one("#count", Static).update(self.t(self.UNIT, done=done))

    def _failed(self, error: SachstandError) -> None:
        self.app.notify(error.render(self.lang), severity="error", timeout=10)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.workers.cancel_all()
        self.dismiss(None)
