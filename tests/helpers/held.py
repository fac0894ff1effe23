"""The dashboard's background read, held for a test to look at the screen meanwhile (see conftest)."""

from __future__ import annotations

import threading
import time

from textual.app import App


class HeldRead:
    """Holds the dashboard's background read of the store until released, or until the app it was
    given stops (a snapshot is taken while it is held, and the app then exits)."""

    def __init__(self) -> None:
        self._released = threading.Event()
        self._app: App[None] | None = None

    def until_stopped(self, app: App[None]) -> App[None]:
        self._app = app
        return app

    def release(self) -> None:
        self._released.set()

    def wait(self) -> None:
        deadline = time.monotonic() + 10
        while not self._released.wait(0.02) and time.monotonic() < deadline:
            if self._app is not None and not self._app.is_running:
                return
