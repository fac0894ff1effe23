"""Live sync: with a sync server configured, the dashboard keeps one live request open (a worker
waiting on the server until it has a change after this copy's cursor, store.sync.client.Listener)
and syncs when it answers, so a colleague's change shows within a second; its own edits go out a
moment after the key press (debounced, a run of keys in one push), in the sync worker as S does.

Offline-first stays: an edit is on disk before it goes out, and a sync that fails changes nothing.
When the server cannot be reached the dashboard falls back to syncing every ``sync_interval``
(OFFLINE_RETRY if none is set), says so in the header, and is live again after the first sync that
works.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.worker import Worker, WorkerState

from store import SachstandError
from tui.components.sync_status import SyncView
from tui.edits import Then

if TYPE_CHECKING:
    from store import Remote
    from store.sync.client import Listener
    from tui.app import SachstandApp

DEBOUNCE = 0.3  # seconds after an edit before it is sent: the keys of one thought go out together
OFFLINE_RETRY = 30.0  # seconds between attempts while the server is unreachable, without a sync interval


class LiveSync:
    """The app's live request, its pushes after edits, and the fallback while the server is away."""

    GROUP = "live"

    def __init__(self, app: SachstandApp, enabled: bool) -> None:
        self.app = app
        self.enabled = enabled  # False: the dashboard syncs only on S or every sync_interval (the tests of that)
        self.connected = False  # the last sync worked and a live request is (about to be) open
        self.retry_at: float | None = None  # while offline: when the next attempt is made (time.monotonic)
        self._listener: Listener | None = None
        self._again = False  # a sync is due once the running one ends
        self._push: Timer | None = None
        self._retry: Timer | None = None

    def shown(self, view: SyncView) -> SyncView:
        """The header's sync state with live sync's part: live, or offline until the next attempt."""
        return view._replace(live=self.connected, retry_at=self.retry_at)

    @property
    def on(self) -> bool:
        return self.enabled and self.app.remote is not None

    def start(self) -> None:
        """Once the store is read: a sync, then the first live request."""
        self._sync()

    def stop(self) -> None:
        """The app ends: the open live request ends too, at once, rather than keep a connection open."""
        if self._listener is not None:
            self._listener.close()

    def after_edit(self, then: Then | None) -> Then:
        """What the app does once an edit is saved: ``then``, and send the edit soon."""

        def edited(result: Any) -> None:
            self._edited()
            if then is not None:
                then(result)

        return edited

    def _edited(self) -> None:
        """An edit was saved: send it soon. While offline the next attempt sends it."""
        if not self.on or self.retry_at is not None:
            return
        if self._push is not None:
            self._push.stop()
        self._push = self.app.set_timer(DEBOUNCE, self._sync)

    def changed_elsewhere(self) -> None:
        """Another handle or process wrote the data file (a sync, a command, an import): send what is
        waiting, unless a sync is under way, after which this is asked again."""
        remote = self.app.remote
        if not self.on or remote is None or self.app.sync_running:
            return
        try:
            waiting = self.app.store.sync_state(remote.url).pending
        except SachstandError:
            return  # check_for_changes says so
        if waiting:
            self._edited()

    def synced(self, state: WorkerState) -> None:
        """A sync (live, after an edit, S or a retry) ended."""
        if not self.on or state == WorkerState.CANCELLED:
            return
        if state != WorkerState.SUCCESS:
            self._offline()
            return
        self.connected, self.retry_at = True, None
        if self._retry is not None:
            self._retry.stop()
        if self._again:
            self._again = False
            self._sync()
        elif not self._listening:
            self._listen()
        self.app.show_sync_state()

    def answered(self, worker: Worker[bool]) -> None:
        """The live request ended: news (sync), none within its wait (ask again), or the server is away."""
        if worker.state == WorkerState.SUCCESS:
            if worker.result:
                self._sync()
            else:
                self._listen()
        elif worker.state == WorkerState.ERROR:
            self._offline()

    @property
    def _listening(self) -> bool:
        return any(worker.group == self.GROUP and not worker.is_finished for worker in self.app.workers)

    def _sync(self) -> None:
        if self.app.sync_running:
            self._again = True
        else:
            self.app.start_sync(automatic=True)

    def _listen(self) -> None:
        remote = self.app.remote
        assert remote is not None
        try:
            cursor = self.app.store.sync_cursor(remote.url)  # as the last sync left it: news is what came after
        except SachstandError:
            self._offline()  # the file is unreadable: check_for_changes says so; the retry tries again
            return
        if self._listener is None:
            self._listener = _listener(remote)
        answer = asyncio.wrap_future(self._listener.ask(cursor))
        self.app.run_worker(answer, name="live", group=self.GROUP, description="a live request", exit_on_error=False)

    def _offline(self) -> None:
        self.connected = False
        delay = self.app.sync_interval or OFFLINE_RETRY
        self.retry_at = time.monotonic() + delay
        if self._retry is not None:
            self._retry.stop()
        self._retry = self.app.set_timer(delay, self._attempt)
        self.app.show_sync_state()

    def _attempt(self) -> None:
        self.retry_at = None
        self._sync()


def _listener(remote: Remote) -> Listener:
    from store.sync.client import Listener  # httpx loads only when sync is used

    return Listener(remote.url, remote.token, ca=remote.ca)
