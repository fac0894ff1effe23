"""How far a running sync has come (store/sync/client.py ``sync``), for whoever watches it: the command line's
line on a terminal, the dashboard's header."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class SyncProgress(NamedTuple):
    """How far a running sync has come, told to whoever watches it at each step (``progress`` of
    store/sync/client.py ``sync``): the documents of the server's changes feed read so far (this copy's own
    among them, which a pull after a push reads and need not take), and those the server accepted so far."""

    read: int = 0
    sent: int = 0
    to_read: int | None = None  # the documents the pull reads in all, as the server said after its first page

    @property
    def of(self) -> int | None:
        """The documents to read in all, where known: never fewer than read (the feed grows while it is read)."""
        return None if self.to_read is None else max(self.to_read, self.read)


class Told:
    """How far one sync has come, told to its caller's ``progress`` (if any) at each step."""

    def __init__(self, progress: Callable[[SyncProgress], object] | None) -> None:
        self.progress, self.now = progress, SyncProgress()

    def read(self, documents: int, remaining: int | None) -> None:
        """A page of ``documents`` read; ``remaining``: how many the server said followed it, if it did."""
        read = self.now.read + documents
        self._tell(self.now._replace(read=read, to_read=self.now.to_read if remaining is None else read + remaining))

    def sent(self, documents: int) -> None:
        self._tell(self.now._replace(sent=self.now.sent + documents))

    def _tell(self, now: SyncProgress) -> None:
        self.now = now
        if self.progress is not None:
            self.progress(now)
