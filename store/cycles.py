"""Pausing Python's cycle collector around work that makes many objects and no cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: a sync, on either side, makes hundreds of thousands of small,
    acyclic dicts and lists, and each full collection walks every object of the loaded store (millions
    at 10,000 motions) - a third of a full pull's time. Reference counting still frees everything.

    Pauses may overlap (two requests to the server): each one that found the collector running turns
    it on again when it ends, so it never stays off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
