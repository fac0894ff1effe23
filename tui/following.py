"""The open dashboard follows the data file: another process's write (a colleague's edit on the same host, the
command line, an import, a pull) shown without a restart.

A write to the journal is read at once, on the app's thread: a few milliseconds. A write of the whole file (a
pull, an import, a journal grown past its share) means reading every line of the new version and comparing it
with the line each model was built from: 0.3 to 0.5 s at 50,000 motions, in which no key would be answered. The
timer's look reads it in a worker thread instead, on a handle of its own that holds the models, and the app then
takes that handle, as it takes the one that read the store at its start. The header's count of what waits to be
synced looks at every document once after such a write (0.65 s at 50,000 motions): it is made in that worker too.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from store import SachstandError
from tui.handover import Handover

if TYPE_CHECKING:
    from store import Remote, Store
    from tui.app import SachstandApp


class Following:
    """The app's looks at the data file, and the generation of it that the views show."""

    GROUP = "follow"

    def __init__(self, app: SachstandApp) -> None:
        self.app = app
        self.shown = -1  # the data file's generation the views show
        self.reading = False  # a whole write is being read in a worker
        # The version of the data file (Store.on_disk) whose read failed, and the one being read: a file another
        # program wrote over is not read again at every look (each second), only once it changes. Each is held in a
        # tuple of one, as a missing file's version is None: None itself says that no read failed.
        self.unreadable: tuple[tuple[int, int, int] | None] | None = None
        self._reading: tuple[tuple[int, int, int] | None] | None = None
        self.said: str | None = None  # what the last look could not read, said once until a read succeeds

    def look(self) -> None:
        """The timer's look: a whole write read in a worker, anything else at once; nothing while the dashboard's own
        sync runs, which looks when it ends. Its pulled pages followed as they were written (5,000 motions a
        transaction, built and shown on the app's thread) made a first pull of 50,000 motions take 31 to 35 s instead
        of 22 to 24, the dashboard still for up to 3.6 s at a time."""
        if self.reading or self.app.sync_running:
            return
        store = self.app.store
        if not store.rewritten():
            self.now()
            return
        version = (store.on_disk(),)
        if version == self.unreadable:
            return
        self.reading, self._reading = True, version
        handover = Handover(store.reopened(with_models=True))
        self.app.run_worker(
            partial(_read, handover, self.app.remote),
            group=self.GROUP,
            description="another process's whole write read",
            thread=True,
            exit_on_error=False,
        )

    def taken(self, worker: Worker[Handover]) -> None:
        """The whole write read: the app takes the handle that read it, and shows what changed."""
        self.reading = False
        app = self.app
        if worker.state == WorkerState.CANCELLED:  # the app is quitting
            return
        if worker.state == WorkerState.ERROR:
            if not isinstance(worker.error, SachstandError):
                raise worker.error or RuntimeError("reading the data file failed")  # a fault: as on the app's thread
            self.unreadable = self._reading
            self._say(worker.error)
            return
        self.unreadable = None
        read = worker.result.take()  # type: ignore[union-attr]
        if not app.is_running:
            read.close()
            return
        replaced, app.store = app.store, read
        replaced.close()
        self.now()

    def now(self) -> None:
        """Show another process's change at once (the app's ``check_for_changes``)."""
        app = self.app
        try:
            app.store.refresh()
        except SachstandError as error:
            self._say(error)
            return
        self.said = None
        # Not refresh()'s answer: any read of the store since the write (the start's save_preview, a
        # notice of the sync's) has taken that already, and the views would miss the change.
        if app.store.generation != self.shown:
            app.refresh_views()
            app.live.changed_elsewhere()

    def _say(self, error: SachstandError) -> None:
        """Why the data file cannot be read, said once: each look finds it again (a journal another program damaged,
        read each second), and ten toasts of the same ten seconds long said nothing more."""
        message = error.render(self.app.lang)
        if message != self.said:
            self.app.notify(message, severity="error", timeout=10)
        self.said = message


def _read(handover: Handover, remote: Remote | None) -> Handover:
    """The handover's store brought to the data file as it is now, in the worker's thread, to be kept."""

    def brought(store: Store) -> None:
        store.refresh()
        counted(store, remote)

    return handover.read(brought)


def counted(store: Store, remote: Remote | None) -> None:
    """The header's count of what waits to be synced with ``remote`` made on ``store``, in the thread that read it
    whole: it looks at every document once then, and keeps what it found with the store for the next count."""
    if remote is not None:
        store.sync_state(remote.url)
