"""The sync state, in the header of every view: off, live, offline (and when it tries again), running,
failed or when last synced; edits waiting; conflicts."""

from __future__ import annotations

import math
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, Static
from textual.widgets._header import HeaderClockSpace

from store import add_catalog, plural, translate
from tui import texts_de  # noqa: F401  (the German of "{count} pending", which the command line's status shares)
from tui.components.localised import Localised
from tui.format import count, syncing

if TYPE_CHECKING:
    from store import SyncProgress, Who


class SyncView(NamedTuple):  # not a frozen dataclass: making one cost the dashboard's start 1 to 2 ms
    """What the app knows of sync right now; the header draws it."""

    configured: bool = False  # a sync server is set (remote in the config)
    running: bool = False
    failed: bool = False  # the last attempt failed; ``last`` is still the last good one
    last: datetime | None = None
    pending: int = 0
    conflicts: int = 0
    known: bool = True  # False while the store is still being read: nothing is known of it yet
    live: bool = False  # a live request is open: changes come and go as they are made (tui/live.py)
    retry_at: float | None = None  # the server is unreachable: when the next attempt is made (time.monotonic)
    progress: SyncProgress | None = None  # how far the running sync has come, once it has said
    who: Who | None = None  # who the token is, as the server last said (the keys of its role: tui/roles.py)


def sync_text(view: SyncView, lang: str, today: date) -> Text:
    def t(msgid: str, **params: object) -> str:
        return translate(msgid, lang, **params)

    if not view.configured:
        return Text(t("Sync off"), style="dim")
    if not view.known:
        return Text(t("Sync …"), style="dim")
    if view.live:
        text = Text(t("live"), style="bold green")
    elif view.retry_at is not None:
        seconds = max(0, math.ceil(view.retry_at - time.monotonic()))
        text = Text(t("offline – next attempt in {seconds} s", seconds=seconds), style="bold yellow")
    elif view.running:
        text = Text(syncing(view.progress, lang), style="bold")
    elif view.failed:
        text = Text(t("Sync failed"), style="bold red")
    elif view.last is None:
        text = Text(t("Never synced"))
    else:
        local = view.last.astimezone()
        when = (
            local.strftime("%H:%M")
            if local.date() == today
            else local.strftime("%d.%m. %H:%M" if lang == "de" else "%m-%d %H:%M")
        )
        text = Text(t("Synced {time}", time=when))
    if view.pending:
        text.append(" · ")
        text.append(t("{count} pending", count=count(view.pending, lang)), style="bold yellow")
    if view.conflicts:
        text.append(" · ")
        message = plural("{count} conflict (C)", "{count} conflicts (C)", view.conflicts)
        text.append(t(message, count=count(view.conflicts, lang)), style="bold red")
    return text


class SyncStatus(Localised, Static):
    """Follows the app's ``sync_view``; on every screen's header."""

    DEFAULT_CSS = """
    SyncStatus {
        dock: right;
        width: auto;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "sync_view", self._show)
        # While offline the countdown to the next attempt goes on between the app's updates.
        self.set_interval(1.0, self._tick)

    def _show(self, view: SyncView) -> None:
        self.update(sync_text(view, self.lang, self.today))

    def _tick(self) -> None:
        view = getattr(self.app, "sync_view", None)
        if isinstance(view, SyncView) and view.retry_at is not None:
            self._show(view)


class SachstandHeader(Header):
    """Textual's header with the sync state where its clock would be."""

    def compose(self) -> ComposeResult:
        # Without the clock's space (it was made, styled and hidden): one widget fewer before the first frame
        yield from (widget for widget in super().compose() if not isinstance(widget, HeaderClockSpace))
        yield SyncStatus()


add_catalog(
    "de",
    {"live": "live", "offline – next attempt in {seconds} s": "offline – nächster Versuch in {seconds} s"},
)
