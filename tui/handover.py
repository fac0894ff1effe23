"""A store read in a worker thread, handed to the app's thread and taken out there, so that the worker keeps none.

A worker keeps its work and its result for as long as it lives, and the workers that read the whole store are
alive when the read freezes what it made (store/file/bulk.py). Textual's worker sits in a reference cycle, which
only the cycle collector frees, and the collector never looks at what is frozen: a store the worker held would
outlive the app's next one, with its lines and tables (some 15 MB at 50,000 motions). So a worker reads the store
of a Handover and returns it, and the app's thread takes the store out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from store import collector_paused_then_frozen

if TYPE_CHECKING:
    from store import Store


class Handover:
    """One store, read by a worker and taken by the app's thread."""

    __slots__ = ("_store",)

    def __init__(self, store: Store) -> None:
        self._store: Store | None = store

    @property
    def store(self) -> Store:
        """The store, until it is taken."""
        if self._store is None:
            raise RuntimeError("the store was taken already")
        return self._store

    def read(self, reading: Callable[[Store], object]) -> Handover:
        """``reading`` done on the store, in the worker's thread, to be kept: the cycle collector paused meanwhile and
        what it made frozen after (store/file/bulk.py; a full run took 0.3 to 0.8 s at 50,000 motions, and its runs
        over a whole write's new lines held the app's thread too). If that fails, the store is closed and taken."""
        try:
            with collector_paused_then_frozen():
                reading(self.store)
        except BaseException:
            self.take().close()
            raise
        return self

    def take(self) -> Store:
        """The store, which this handover no longer holds."""
        store = self.store
        self._store = None
        return store
