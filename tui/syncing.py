"""Where the dashboard's sync runs: in a thread with a store handle of its own, or, until a sync with the server has
completed (the first takes in all the server holds), in a process of its own (store/sync/apart.py).

A first sync of 50,000 motions held 600 to 700 MB in the dashboard until it closed (its pulled documents and models
beside the dashboard's own), and its 4 s of work took turns with the screen for one interpreter. In a process of
its own it gives that back when it ends, and leaves its models kept for the dashboard's read of what it wrote. A sync
after it brings what changed since, in a thread: a process would read the whole store again each time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from store import Haystacks, SachstandError

if TYPE_CHECKING:
    from store import Remote, Store, SyncProgress
    from store.sync.apart import SyncApart
    from store.sync.client import SyncReport
    from tui.app import SachstandApp


class Syncing:
    """The app's syncs: one at a time, each run by the worker :meth:`prepared` gives it."""

    def __init__(self, app: SachstandApp) -> None:
        self.app = app
        # A handle of the syncs' own: a Store is not shared between threads. Kept from one sync to the next, so each
        # reads only what changed since (a new handle parsed the whole file: half a second at 10,000 motions).
        self._handle: Store | None = None
        self._apart: SyncApart | None = None

    def prepared(self, remote: Remote) -> Callable[[], SyncReport]:
        """On the app's thread: what the sync worker's thread runs. The handle is made here, holding the models the
        dashboard holds (the same objects), where the app's store is not being read: its first read then compares
        lines and takes those models, not parses every line and makes a second set of them."""
        app = self.app
        new_handle = self._handle is None and not (app.loading or app.following.reading)
        try:
            first = new_handle and app.store.sync_state(remote.url).last_synced is None
        except SachstandError:  # the file cannot be read now: the sync, in its thread, says what is wrong
            first = new_handle = False
        if first:
            from store.sync.apart import SyncApart

            apart = self._apart = SyncApart(app.store, remote.url, remote.token, ca=remote.ca)
            return partial(apart.run, self._told)
        if new_handle:
            self._handle = app.store.reopened(with_models=True)
        return partial(self._in_thread, remote)

    def stop(self) -> None:
        """The dashboard closes: a sync in a process of its own ends with it (what it wrote stays)."""
        if self._apart is not None:
            self._apart.stop()

    def _in_thread(self, remote: Remote) -> SyncReport:
        from store.sync.client import sync  # httpx loads only when sync is used

        if self._handle is None:
            self._handle = self.app.store.reopened()
        report = sync(self._handle, remote.url, remote.token, ca=remote.ca, progress=self._told)
        # A large pull's models kept (store/modelcache.py) before this handle's write is followed: the store's read
        # of the file then takes them, not parses every pulled motion again.
        keep = self._handle.keep_models(Haystacks({}, {}), written=True)
        if keep is not None:
            keep()
        return report

    def _told(self, now: SyncProgress) -> None:
        """How far the sync has come, posted from its thread: the header shows it."""
        self.app.post_message(self.app.SyncProgressed(now))
