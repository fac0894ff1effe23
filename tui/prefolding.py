"""The app's side of the child that folds the search's haystacks while the store is read (store/file/prefold.py):
started with the read, offered to the search once the store is read, ended with the app or once the search has
folded everything itself."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store import Motion, Prefold, Store
    from tui.search import Searcher


def _idle_core() -> bool:
    """Whether a core this process may run on is idle: more of them than the system's load in the last minute
    (where the system says), which counts a dashboard's own read when one ran just before (a benchmark's runs,
    a restart). On a busy machine a child slowed the dashboard's own read, at any priority (in interleaved
    runs under load 2 to 4 on 2 cores, every key worked up to 2 s later), and did not end in time."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return cores > 1 and load < cores


class Prefolding:
    # From how many motions (as the index counts them) a child folds: below, the search folds them itself in
    # under 0.1 s (about 6 µs a motion), and a child would be a process more for little.
    least = 20_000

    def __init__(self) -> None:
        self._child: Prefold | None = None
        self.idle_core = _idle_core  # asked when the read starts (a test answers for the machine)

    def start(self, path: Path, motions: int | None) -> None:
        """The child, for a store of ``motions`` (None: not known), only where an idle core can run it while
        the store is read (on the read's core it would delay the read by as much as it saves the search)."""
        if (motions or 0) >= self.least and self.idle_core():
            from store import Prefold, models_kept  # subprocess and the fold: not before the first frame

            # Else the read takes the haystacks kept with the models of every line it finds again (store/modelcache.py):
            # after a whole write, all but the lines it changed, which the search folds itself in a few milliseconds
            # (and, of a file written anew in full, every line, once the keys work, as where no core is idle).
            if not models_kept(path, exact=False):
                self._child = Prefold(path)

    def offer(self, store: Store, searcher: Searcher) -> None:
        """To the search, for the store just read: the haystacks kept with its models (store/modelcache.py), taken at
        once, else the child's, taken when the search next folds."""
        kept = store.kept_haystacks()
        if kept.texts:
            self.stop()  # what the child folds, the cache held
            searcher.take(kept)
            return
        child = self._child
        if child is None:
            return

        def taken() -> Iterable[tuple[str, Motion, bytes]] | None:
            folded = child.folded()
            if folded is False:
                return None  # not done yet
            from store import prefolded

            return () if folded is None else prefolded(store, folded)

        searcher.adopt(taken)

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
