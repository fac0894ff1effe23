"""The dashboard's one door to a change: made at once on the app's thread when the data file's lock is
free, else queued, in the order the keys were pressed, for a worker that waits for the lock while the
dashboard keeps answering.

A key pressed while another process (a colleague's import, a ``sachstand`` command, a sync) holds the
lock used to freeze the dashboard for up to ``lock_timeout``. Queued rather than refused: the user
pressed the keys meaning them, and a refusal would make them press again once the file is free. The
free lock costs nothing extra: its one try is the try every transaction makes first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from store import LockTimeout, SachstandError, Store, add_catalog, plural

if TYPE_CHECKING:
    from tui.app import SachstandApp

Change = Callable[[Store], Any]  # one store call (one transaction), given the handle to make it on
Then = Callable[[Any], None]  # what to do with its result, on the app's thread, once it is made

# A lock held only for a colleague's one edit (milliseconds) is waited for without a word on screen.
SHOW_AFTER = 0.2


class Edits:
    """The app's queue of edits waiting for another process's lock; empty while the lock is free."""

    GROUP = "edit"

    def __init__(self, app: SachstandApp) -> None:
        self.app = app
        self.waiting: deque[tuple[Change, Then | None]] = deque()
        self._store: Store | None = None  # the worker's own handle: a Store is not shared between threads
        self.quit_when_done = False  # the user quit while edits waited: the app ends once they are made

    def quit(self) -> bool:
        """Whether the app may end now; else it ends once the waiting edits are made. Ending at once
        would leave them to a thread the interpreter waits for after the screen is gone: the edits
        made or not, without a word, and the terminal stuck meanwhile."""
        if not self.waiting:
            return True
        self.quit_when_done = True
        self.app.notify(self.app.t("The dashboard closes once the waiting changes are saved."), timeout=15)
        return False

    def submit(self, change: Change, then: Then | None = None) -> None:
        if not self.waiting:  # else it waits behind the edits before it, in order
            try:
                with self.app.store.lock_wait(0):
                    result = change(self.app.store)
            except LockTimeout:
                pass  # another process holds the lock: wait for it in the worker, below
            except SachstandError as error:
                self.app.notify(error.render(self.app.lang), severity="error", timeout=8, markup=False)
                return
            else:
                self._made(result, then)
                return
        self.waiting.append((change, then))
        if len(self.waiting) == 1:
            self._wait_for_lock()
            self.app.set_timer(SHOW_AFTER, self._show)
        else:
            self._show()

    def _made(self, result: Any, then: Then | None) -> None:
        self.app.refresh_views()
        if then is not None:
            then(result)

    def _wait_for_lock(self) -> None:
        change, _then = self.waiting[0]
        run = partial(self._in_thread, change)
        self.app.run_worker(run, name="edit", group=self.GROUP, description="an edit", thread=True, exit_on_error=False)

    def _in_thread(self, change: Change) -> Any:
        if self._store is None:
            self._store = self.app.store.reopened()
        return change(self._store)  # waits up to lock_timeout for the lock

    def finished(self, worker: Worker[Any]) -> None:
        """The worker made the first waiting edit, or gave up on it: the next one, or the queue is empty."""
        _change, then = self.waiting.popleft()
        app = self.app
        if worker.state == WorkerState.SUCCESS:
            app.check_for_changes()  # the app's handle reads what the worker's wrote
            if then is not None:
                then(worker.result)
        else:
            error = worker.error
            if isinstance(error, LockTimeout):
                # Each would wait as long again: the user decides once the file is free (and sees so:
                # a quit that waited for them is off).
                dropped = 1 + len(self.waiting)
                self.waiting.clear()
                self.quit_when_done = False
                title = app.t(plural("Not saved: {count} change", "Not saved: {count} changes", dropped), count=dropped)
                app.notify(error.render(app.lang), title=title, severity="error", timeout=15, markup=False)
            elif isinstance(error, SachstandError):
                app.notify(error.render(app.lang), severity="error", timeout=8, markup=False)
            else:
                app.notify(f"{type(error).__name__}: {error}", severity="error", timeout=12, markup=False)
        if self.waiting:
            self._wait_for_lock()
        elif self.quit_when_done:
            app.exit()
        self._show()

    def _show(self) -> None:
        """The header's subtitle says the edits are waiting, and how many; once none waits, the file's path."""
        app = self.app
        if self.waiting:
            app.sub_title = app.t(
                "waiting for the data file (another process is writing) · {count} waiting",
                count=len(self.waiting),
            )
        else:
            app.sub_title = str(app.store.path)


add_catalog("de", {"Not saved: {count} change": "Nicht gespeichert: {count} Änderung"})
